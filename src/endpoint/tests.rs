//! The official S3 endpoint test cases, and the client-config mapping
//! checked against what botocore 1.43.11 computes (values recorded by
//! creating botocore clients and reading `_get_provider_params`).

use super::*;
use serde_json::Value as Json;

fn vectors_path() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/vectors/s3-endpoint-tests-1.json")
}

/// `None` if a parameter has no `EndpointParams` field (the case is skipped).
fn params_from_json(p: &serde_json::Map<String, Json>) -> Option<EndpointParams> {
    let mut e = EndpointParams::default();
    for (k, v) in p {
        let s = || v.as_str().map(str::to_owned);
        let b = || v.as_bool();
        match k.as_str() {
            "Bucket" => e.bucket = Some(s()?),
            "Region" => e.region = Some(s()?),
            "UseFIPS" => e.use_fips = b()?,
            "UseDualStack" => e.use_dual_stack = b()?,
            "Endpoint" => e.endpoint = Some(s()?),
            "ForcePathStyle" => e.force_path_style = b()?,
            "Accelerate" => e.accelerate = b()?,
            "UseGlobalEndpoint" => e.use_global_endpoint = b()?,
            "UseObjectLambdaEndpoint" => e.use_object_lambda_endpoint = Some(b()?),
            "Key" => e.key = Some(s()?),
            "Prefix" => e.prefix = Some(s()?),
            "CopySource" => e.copy_source = Some(s()?),
            "DisableAccessPoints" => e.disable_access_points = Some(b()?),
            "DisableMultiRegionAccessPoints" => e.disable_multi_region_access_points = b()?,
            "UseArnRegion" => e.use_arn_region = Some(b()?),
            "UseS3ExpressControlEndpoint" => e.use_s3_express_control_endpoint = Some(b()?),
            "DisableS3ExpressSessionAuth" => e.disable_s3_express_session_auth = Some(b()?),
            _ => return None,
        }
    }
    Some(e)
}

fn check_case(case: &Json, params: &EndpointParams) -> Result<(), String> {
    let expect = &case["expect"];
    let got = resolve(params);
    if let Some(err) = expect.get("error").and_then(Json::as_str) {
        return match got {
            Err(Error::EndpointResolution { msg }) if msg == err => Ok(()),
            other => Err(format!("expected error {err:?}, got {other:?}")),
        };
    }
    let want = &expect["endpoint"];
    let ep = got.map_err(|e| format!("expected {}, got error {e:?}", want["url"]))?;
    if ep.url != want["url"].as_str().unwrap_or_default() {
        return Err(format!("url {} != {}", ep.url, want["url"]));
    }
    let want_props = want
        .get("properties")
        .cloned()
        .unwrap_or_else(|| serde_json::json!({}));
    if ep.properties_json != want_props {
        return Err(format!(
            "properties {} != {}",
            ep.properties_json, want_props
        ));
    }
    let want_headers: Vec<(String, Vec<String>)> = want
        .get("headers")
        .and_then(Json::as_object)
        .map(|h| {
            h.iter()
                .map(|(k, v)| {
                    let vals = v.as_array().into_iter().flatten();
                    (
                        k.clone(),
                        vals.filter_map(|x| x.as_str().map(str::to_owned)).collect(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    if ep.headers != want_headers {
        return Err(format!("headers {:?} != {:?}", ep.headers, want_headers));
    }
    // The typed view must agree with the raw properties.
    let schemes = want_props["authSchemes"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    if ep.auth_schemes.len() != schemes.len() {
        return Err("auth scheme count".into());
    }
    for (a, w) in ep.auth_schemes.iter().zip(&schemes) {
        let region_set: Vec<String> = w["signingRegionSet"]
            .as_array()
            .map(|r| {
                r.iter()
                    .filter_map(|x| x.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        let ok = a.name == w["name"].as_str().unwrap_or_default()
            && a.signing_name == w["signingName"].as_str().unwrap_or_default()
            && a.signing_region.as_deref() == w["signingRegion"].as_str()
            && a.signing_region_set == region_set
            && a.disable_double_encoding == w["disableDoubleEncoding"].as_bool().unwrap_or(false);
        if !ok {
            return Err(format!("auth scheme {a:?} != {w}"));
        }
    }
    Ok(())
}

/// `../shared` is beside every checkout CI tests; a missing file fails the
/// test unless FASTBOTO_WITHOUT_SHARED_VECTORS=1 says it may be absent.
fn skip_without_shared(path: &std::path::Path) {
    assert!(
        std::env::var("FASTBOTO_WITHOUT_SHARED_VECTORS").as_deref() == Ok("1"),
        "{} not found (set FASTBOTO_WITHOUT_SHARED_VECTORS=1 to skip)",
        path.display()
    );
    println!("SKIP: {} not found", path.display());
}

#[test]
fn official_s3_endpoint_test_cases() {
    let path = vectors_path();
    let Ok(text) = std::fs::read_to_string(&path) else {
        skip_without_shared(&path);
        return;
    };
    let doc: Json = serde_json::from_str(&text).expect("vectors parse");
    let cases = doc["testCases"].as_array().expect("testCases");
    let (mut ran, mut skipped) = (0, 0);
    let mut failures = Vec::new();
    for case in cases {
        let doc = case["documentation"].as_str().unwrap_or("?");
        let Some(params) = case["params"].as_object().and_then(params_from_json) else {
            skipped += 1;
            println!("skipped (unexpressible params): {doc}");
            continue;
        };
        ran += 1;
        if let Err(e) = check_case(case, &params) {
            failures.push(format!("{doc}: {e}"));
        }
    }
    println!(
        "S3 endpoint vectors: {} cases, {ran} ran, {} passed, {} failed, {skipped} skipped",
        cases.len(),
        ran - failures.len(),
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(skipped, 0);
}

fn cfg(region: Option<&str>) -> ClientEndpointConfig {
    ClientEndpointConfig {
        region: region.map(str::to_owned),
        ..Default::default()
    }
}

/// The parameters botocore passed in every probed configuration that left
/// them at their defaults.
fn base(bucket: &str, region: &str) -> EndpointParams {
    EndpointParams {
        bucket: Some(bucket.to_owned()),
        region: Some(region.to_owned()),
        use_arn_region: Some(true),
        use_s3_express_control_endpoint: Some(true),
        disable_s3_express_session_auth: Some(false),
        ..Default::default()
    }
}

fn no_extras() -> ClientEndpointExtras {
    ClientEndpointExtras::default()
}

fn url_of(c: &ClientEndpointConfig, bucket: &str) -> String {
    url_with(c, &no_extras(), bucket)
}

fn url_with(c: &ClientEndpointConfig, x: &ClientEndpointExtras, bucket: &str) -> String {
    match resolve_bucket_operation(c, x, "PutBucketPolicy", bucket) {
        Ok(ep) => ep.url,
        Err(e) => format!("ERR {e}"),
    }
}

#[test]
fn params_default_client_is_global_us_east_1() {
    for c in [cfg(None), cfg(Some("us-east-1"))] {
        let p = params_for_bucket_operation(&c, "PutBucketPolicy", "mybucket");
        assert_eq!(
            p,
            EndpointParams {
                use_global_endpoint: true,
                ..base("mybucket", "us-east-1")
            }
        );
        assert_eq!(url_of(&c, "mybucket"), "https://mybucket.s3.amazonaws.com");
        assert_eq!(client_region_name(&c, &no_extras()), "us-east-1");
    }
}

#[test]
fn params_regional_us_east_1_and_aws_global() {
    let regional = |r: Option<&str>| ClientEndpointConfig {
        us_east_1_regional_endpoint: Some("regional".into()),
        ..cfg(r)
    };
    let p = params_for_bucket_operation(&regional(Some("us-east-1")), "GetBucketAcl", "mybucket");
    assert_eq!(p, base("mybucket", "us-east-1"));
    assert_eq!(
        url_of(&regional(Some("us-east-1")), "mybucket"),
        "https://mybucket.s3.us-east-1.amazonaws.com"
    );
    // No region + regional: the legacy resolver's partition endpoint.
    let p = params_for_bucket_operation(&regional(None), "GetBucketAcl", "mybucket");
    assert_eq!(p, base("mybucket", "aws-global"));
    assert_eq!(
        client_region_name(&regional(None), &no_extras()),
        "aws-global"
    );
    assert_eq!(
        url_of(&regional(None), "mybucket"),
        "https://mybucket.s3.amazonaws.com"
    );
    // ... unless dualstack, which botocore special-cases to us-east-1.
    let c = ClientEndpointConfig {
        use_dualstack_endpoint: Some(true),
        ..regional(None)
    };
    let p = params_for_bucket_operation(&c, "GetBucketAcl", "mybucket");
    assert_eq!(
        p,
        EndpointParams {
            use_dual_stack: true,
            ..base("mybucket", "us-east-1")
        }
    );
    // An explicit aws-global region is passed through, not global-flagged.
    let p = params_for_bucket_operation(&cfg(Some("aws-global")), "GetBucketAcl", "mybucket");
    assert_eq!(p, base("mybucket", "aws-global"));
    assert_eq!(
        url_of(&cfg(Some("aws-global")), "mybucket"),
        "https://mybucket.s3.amazonaws.com"
    );
}

#[test]
fn params_custom_endpoint() {
    let c = ClientEndpointConfig {
        endpoint_url: Some("http://localhost:9000".into()),
        ..cfg(None)
    };
    let p = params_for_bucket_operation(&c, "PutBucketAcl", "mybucket");
    assert_eq!(
        p,
        EndpointParams {
            endpoint: Some("http://localhost:9000".into()),
            force_path_style: true,
            use_global_endpoint: true,
            ..base("mybucket", "us-east-1")
        }
    );
    assert_eq!(url_of(&c, "mybucket"), "http://localhost:9000/mybucket");
    // addressing_style=virtual keeps virtual hosting on a custom endpoint.
    let v = ClientEndpointConfig {
        addressing_style: Some("virtual".into()),
        ..c.clone()
    };
    assert!(!params_for_bucket_operation(&v, "PutBucketAcl", "mybucket").force_path_style);
    assert_eq!(url_of(&v, "mybucket"), "http://mybucket.localhost:9000");
    // `auto` counts as "not virtual" for custom endpoints.
    let a = ClientEndpointConfig {
        addressing_style: Some("auto".into()),
        ..c.clone()
    };
    assert!(params_for_bucket_operation(&a, "PutBucketAcl", "mybucket").force_path_style);
    // FIPS and dualstack are dropped with a custom endpoint.
    let f = ClientEndpointConfig {
        endpoint_url: Some("https://x.com".into()),
        use_fips_endpoint: Some(true),
        use_dualstack_endpoint: Some(true),
        ..cfg(Some("eu-west-1"))
    };
    let p = params_for_bucket_operation(&f, "PutBucketAcl", "mybucket");
    assert!(!p.use_fips && !p.use_dual_stack && p.force_path_style);
    assert_eq!(url_of(&f, "mybucket"), "https://x.com/mybucket");
    // An accelerate URL as endpoint_url is not forced path-style.
    let acc = ClientEndpointConfig {
        endpoint_url: Some("https://s3-accelerate.amazonaws.com".into()),
        ..cfg(None)
    };
    assert!(!params_for_bucket_operation(&acc, "PutBucketAcl", "mybucket").force_path_style);
    assert_eq!(
        url_of(&acc, "mybucket"),
        "https://mybucket.s3-accelerate.amazonaws.com"
    );
    assert!(is_s3_accelerate_url(
        "https://s3-accelerate.dualstack.amazonaws.com"
    ));
    assert!(!is_s3_accelerate_url(
        "https://s3-accelerate.dualstack.dualstack.amazonaws.com"
    ));
    assert!(!is_s3_accelerate_url(
        "https://s3-accelerate.fips.amazonaws.com"
    ));
    assert!(!is_s3_accelerate_url("ftp://s3-accelerate.amazonaws.com"));
    // us-east-1 + custom endpoint + regional.
    let r = ClientEndpointConfig {
        endpoint_url: Some("http://localhost:9000".into()),
        us_east_1_regional_endpoint: Some("regional".into()),
        ..cfg(None)
    };
    let p = params_for_bucket_operation(&r, "PutBucketAcl", "mybucket");
    assert_eq!(p.region.as_deref(), Some("aws-global"));
    assert!(!p.use_global_endpoint);
}

#[test]
fn params_s3_options() {
    let acc = ClientEndpointConfig {
        use_accelerate_endpoint: Some(true),
        addressing_style: Some("path".into()),
        ..cfg(Some("eu-west-1"))
    };
    let p = params_for_bucket_operation(&acc, "PutBucketPolicy", "mybucket");
    assert_eq!(
        p,
        EndpointParams {
            accelerate: true,
            ..base("mybucket", "eu-west-1")
        }
    );
    assert_eq!(
        url_of(&acc, "mybucket"),
        "https://mybucket.s3-accelerate.amazonaws.com"
    );

    let arn = ClientEndpointConfig {
        use_arn_region: Some(false),
        ..cfg(Some("eu-west-1"))
    };
    let p = params_for_bucket_operation(&arn, "PutBucketPolicy", "mybucket");
    assert_eq!(p.use_arn_region, Some(false));

    let ds = ClientEndpointConfig {
        use_dualstack_endpoint: Some(true),
        ..cfg(Some("eu-west-1"))
    };
    assert_eq!(
        url_of(&ds, "mybucket"),
        "https://mybucket.s3.dualstack.eu-west-1.amazonaws.com"
    );

    let mrap = ClientEndpointConfig {
        s3_disable_multiregion_access_points: Some(true),
        ..cfg(Some("eu-west-1"))
    };
    let x = ClientEndpointExtras {
        s3_disable_express_session_auth: Some(true),
        ..no_extras()
    };
    let p = params_for_bucket_operation_with(&mrap, &x, "PutBucketPolicy", "mybucket");
    assert!(p.disable_multi_region_access_points);
    assert_eq!(p.disable_s3_express_session_auth, Some(true));

    let path = ClientEndpointConfig {
        addressing_style: Some("path".into()),
        ..cfg(Some("eu-west-1"))
    };
    assert_eq!(
        url_of(&path, "mybucket"),
        "https://s3.eu-west-1.amazonaws.com/mybucket"
    );
    assert_eq!(
        url_of(&cfg(Some("eu-west-1")), "my.bucket"),
        "https://s3.eu-west-1.amazonaws.com/my.bucket"
    );
    assert_eq!(
        url_of(&cfg(Some("eu-west-1")), "My_Bucket"),
        "https://s3.eu-west-1.amazonaws.com/My_Bucket"
    );
    assert_eq!(
        url_of(&cfg(Some("cn-north-1")), "mybucket"),
        "https://mybucket.s3.cn-north-1.amazonaws.com.cn"
    );
    assert_eq!(
        url_of(&cfg(Some("us-iso-east-1")), "mybucket"),
        "https://mybucket.s3.us-iso-east-1.c2s.ic.gov"
    );
    assert_eq!(
        url_of(&cfg(Some("foo-bar-1")), "mybucket"),
        "https://mybucket.s3.foo-bar-1.amazonaws.com"
    );
    assert_eq!(
        url_of(&cfg(Some("s3-external-1")), "mybucket"),
        "https://mybucket.s3.s3-external-1.amazonaws.com"
    );
}

#[test]
fn params_fips_pseudo_regions() {
    assert_eq!(
        normalize_fips_region("fips-us-gov-west-1").as_deref(),
        Some("us-gov-west-1")
    );
    assert_eq!(
        normalize_fips_region("us-east-1-fips").as_deref(),
        Some("us-east-1")
    );
    assert_eq!(normalize_fips_region("us-east-1"), None);
    let c = cfg(Some("fips-us-gov-west-1"));
    let p = params_for_bucket_operation(&c, "GetBucketPolicy", "mybucket");
    assert_eq!(
        p,
        EndpointParams {
            use_fips: true,
            ..base("mybucket", "us-gov-west-1")
        }
    );
    assert_eq!(
        url_of(&c, "mybucket"),
        "https://mybucket.s3-fips.us-gov-west-1.amazonaws.com"
    );
    assert_eq!(client_region_name(&c, &no_extras()), "us-gov-west-1");
    // The pseudo-region wins over an explicit use_fips_endpoint=False.
    let c = ClientEndpointConfig {
        use_fips_endpoint: Some(false),
        ..cfg(Some("fips-eu-west-1"))
    };
    assert!(params_for_bucket_operation(&c, "GetBucketPolicy", "mybucket").use_fips);
    let c = cfg(Some("us-east-1-fips"));
    let p = params_for_bucket_operation(&c, "GetBucketPolicy", "mybucket");
    assert_eq!(
        p,
        EndpointParams {
            use_fips: true,
            use_global_endpoint: true,
            ..base("mybucket", "us-east-1")
        }
    );
    assert_eq!(
        url_of(&c, "mybucket"),
        "https://mybucket.s3-fips.us-east-1.amazonaws.com"
    );
    // FIPS with no region under `regional`: aws-global, resolved to us-east-1 FIPS.
    let c = ClientEndpointConfig {
        use_fips_endpoint: Some(true),
        us_east_1_regional_endpoint: Some("regional".into()),
        ..cfg(None)
    };
    let p = params_for_bucket_operation(&c, "GetBucketPolicy", "mybucket");
    assert_eq!(
        p,
        EndpointParams {
            use_fips: true,
            ..base("mybucket", "aws-global")
        }
    );
    assert_eq!(
        url_of(&c, "mybucket"),
        "https://mybucket.s3-fips.us-east-1.amazonaws.com"
    );
}

#[test]
fn params_config_region_fallback_quirk() {
    let with_cfg_region = |r: &str| ClientEndpointExtras {
        config_region_name: Some(r.into()),
        ..no_extras()
    };
    // region_name="us-east-1" + Config(region_name="eu-west-1"): botocore
    // ends up in eu-west-1.
    let (c, x) = (cfg(Some("us-east-1")), with_cfg_region("eu-west-1"));
    let p = params_for_bucket_operation_with(&c, &x, "GetBucketAcl", "bbb");
    assert_eq!(p, base("bbb", "eu-west-1"));
    assert_eq!(client_region_name(&c, &x), "eu-west-1");
    // Config(region_name="fips-us-east-1") alone: FIPS on, region kept raw.
    let (c, x) = (
        cfg(Some("fips-us-east-1")),
        with_cfg_region("fips-us-east-1"),
    );
    let p = params_for_bucket_operation_with(&c, &x, "GetBucketAcl", "bbb");
    assert_eq!(
        p,
        EndpointParams {
            use_fips: true,
            ..base("bbb", "fips-us-east-1")
        }
    );
    assert_eq!(
        url_with(&c, &x, "bbb"),
        "https://bbb.s3-fips.fips-us-east-1.amazonaws.com"
    );
    let (c, x) = (cfg(Some("us-east-1")), with_cfg_region("aws-global"));
    let p = params_for_bucket_operation_with(&c, &x, "GetBucketAcl", "bbb");
    assert_eq!(
        p,
        EndpointParams {
            use_global_endpoint: true,
            ..base("bbb", "us-east-1")
        }
    );
}

#[test]
fn params_operation_specifics() {
    let eu = cfg(Some("eu-west-1"));
    // Directory buckets go to the S3 Express control endpoint.
    assert_eq!(
        url_of(&eu, "mybucket--usw2-az1--x-s3"),
        "https://s3express-control.eu-west-1.amazonaws.com/mybucket--usw2-az1--x-s3"
    );
    let ep = resolve_bucket_operation(
        &cfg(Some("us-east-1")),
        &no_extras(),
        "GetBucketAcl",
        "mybucket--use1-az4--x-s3",
    )
    .unwrap();
    assert_eq!(
        ep.url,
        "https://s3express-control.us-east-1.amazonaws.com/mybucket--use1-az4--x-s3"
    );
    assert_eq!(ep.auth_schemes[0].signing_name, "s3express");
    assert_eq!(
        ep.auth_schemes[0].signing_region.as_deref(),
        Some("us-east-1")
    );
    assert!(ep.auth_schemes[0].disable_double_encoding);
    // ARN buckets are never forced path-style, even on a custom endpoint.
    let ap = "arn:aws:s3:eu-west-1:123456789012:accesspoint/myap";
    let c = ClientEndpointConfig {
        endpoint_url: Some("http://localhost:9000".into()),
        ..eu.clone()
    };
    assert!(!params_for_bucket_operation(&c, "PutBucketPolicy", ap).force_path_style);
    assert_eq!(url_of(&c, ap), "http://myap-123456789012.localhost:9000");
    let c = ClientEndpointConfig {
        addressing_style: Some("path".into()),
        ..eu.clone()
    };
    assert_eq!(
        url_of(&c, ap),
        "https://myap-123456789012.s3-accesspoint.eu-west-1.amazonaws.com"
    );
    // GetBucketLocation is always path-style.
    assert!(params_for_bucket_operation(&eu, "GetBucketLocation", "mybucket").force_path_style);
    // Static context parameters.
    let p = params_for_bucket_operation(&eu, "CreateBucket", "mybucket");
    assert_eq!(p.disable_access_points, Some(true));
    assert_eq!(p.use_s3_express_control_endpoint, Some(true));
    let p = params_for_bucket_operation(&eu, "GetObject", "mybucket");
    assert_eq!(p.use_s3_express_control_endpoint, None);
    let p = params_for_bucket_operation(&eu, "CopyObject", "mybucket");
    assert_eq!(p.disable_s3_express_session_auth, Some(true));
    for op in [
        "PutBucketPolicy",
        "GetBucketPolicy",
        "DeleteBucketPolicy",
        "PutBucketAcl",
        "GetBucketAcl",
    ] {
        let p = params_for_bucket_operation(&eu, op, "mybucket");
        assert_eq!(p.use_s3_express_control_endpoint, Some(true), "{op}");
    }
    assert!(S3_EXPRESS_CONTROL_OPS.windows(2).all(|w| w[0] < w[1]));
    // MRAP: sigv4a with a region set.
    let ep = resolve_bucket_operation(
        &eu,
        &no_extras(),
        "PutBucketPolicy",
        "arn:aws:s3::123456789012:accesspoint/myap",
    )
    .unwrap();
    assert_eq!(ep.url, "https://myap.accesspoint.s3-global.amazonaws.com");
    assert_eq!(ep.auth_schemes[0].name, "sigv4a");
    assert_eq!(ep.auth_schemes[0].signing_region_set, vec!["*".to_string()]);
}

#[test]
fn use_ssl_false_downgrades_only_ruleset_urls() {
    let x = ClientEndpointExtras {
        use_ssl: Some(false),
        ..no_extras()
    };
    let c = cfg(Some("eu-west-1"));
    assert_eq!(
        url_with(&c, &x, "mybucket"),
        "http://mybucket.s3.eu-west-1.amazonaws.com"
    );
    let c = ClientEndpointConfig {
        endpoint_url: Some("https://localhost:9000".into()),
        ..cfg(Some("eu-west-1"))
    };
    assert_eq!(
        url_with(&c, &x, "mybucket"),
        "https://localhost:9000/mybucket"
    );
}

#[test]
fn rule_errors_translate_like_botocore() {
    let c = ClientEndpointConfig {
        use_fips_endpoint: Some(true),
        use_accelerate_endpoint: Some(true),
        ..cfg(Some("eu-west-1"))
    };
    let err =
        resolve_bucket_operation(&c, &no_extras(), "PutBucketPolicy", "mybucket").unwrap_err();
    assert_eq!(
        err,
        Error::EndpointResolution {
            msg: "Accelerate cannot be used with FIPS".into()
        }
    );
    let t = translate_rule_error("Accelerate cannot be used with FIPS");
    assert_eq!(t.class_name, "UnsupportedS3ConfigurationError");
    assert_eq!(
        t.message,
        "Unsupported configuration when using S3: Accelerate cannot be used with FIPS"
    );

    let c = ClientEndpointConfig {
        use_arn_region: Some(false),
        ..cfg(Some("eu-west-1"))
    };
    let err = resolve_bucket_operation(
        &c,
        &no_extras(),
        "PutBucketPolicy",
        "arn:aws:s3:us-west-2:123456789012:accesspoint/myap",
    )
    .unwrap_err();
    let Error::EndpointResolution { msg } = &err else {
        panic!("{err:?}")
    };
    let t = translate_rule_error(msg);
    assert_eq!(t.class_name, "UnsupportedS3AccesspointConfigurationError");
    assert_eq!(
        t.message,
        "Unsupported configuration when using S3 access-points: Invalid configuration: region from ARN `us-west-2` does not match client region `eu-west-1` and UseArnRegion is `false`"
    );

    let err = resolve_bucket_operation(
        &cfg(Some("eu-west-1")),
        &no_extras(),
        "PutBucketPolicy",
        "arn:aws:s3:eu-west-1:123456789012:accesspoint/my_ap",
    )
    .unwrap_err();
    let err = to_client_error(err);
    assert_eq!(
        err.to_string(),
        "Parameter validation failed:\nInvalid ARN: The access point name may only contain a-z, A-Z, 0-9 and `-`. Found: `my_ap`"
    );

    let t = translate_rule_error("Invalid region in ARN: `us-we$t-2` (invalid DNS name)");
    assert_eq!(t.class_name, "InvalidHostLabelError");
    assert_eq!(
        t.message,
        "Invalid host label to be bound to the hostname of the endpoint: \"us-we$t-2\"."
    );
    let t = translate_rule_error("Invalid region: region was not a valid DNS name.");
    assert_eq!(t.class_name, "EndpointResolutionError");
}

#[test]
fn resolution_is_cheap_after_first_use() {
    preload().unwrap();
    let c = cfg(Some("eu-west-1"));
    let p = params_for_bucket_operation(&c, "PutBucketPolicy", "mybucket");
    let n = 2000;
    let t = std::time::Instant::now();
    for _ in 0..n {
        resolve(&p).unwrap();
    }
    let per = t.elapsed() / n;
    println!("resolve: {per:?} per call");
    // Generous bound so debug builds on a loaded machine still pass.
    assert!(per < std::time::Duration::from_millis(2), "{per:?}");
}

/// The embedded partitions are botocore's (tests/test_endpoints.py compares
/// them with the installed botocore); they may only add regions to the
/// official facts in `../shared/vectors`, never change or drop any.
#[test]
fn embedded_partitions_extend_shared_vectors() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/vectors/partitions.json");
    let Ok(text) = std::fs::read_to_string(&path) else {
        skip_without_shared(&path);
        return;
    };
    let mut shared: Json = serde_json::from_str(&text).unwrap();
    let mut embedded: Json = serde_json::from_str(PARTITIONS_JSON).unwrap();
    let take_regions = |doc: &mut Json| -> Vec<serde_json::Map<String, Json>> {
        doc["partitions"]
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .map(|p| match p["regions"].take() {
                Json::Object(regions) => regions,
                other => panic!("regions is not an object: {other}"),
            })
            .collect()
    };
    let shared_regions = take_regions(&mut shared);
    let embedded_regions = take_regions(&mut embedded);
    assert_eq!(shared, embedded, "partitions differ beyond their regions");
    for (ours, official) in embedded_regions.iter().zip(&shared_regions) {
        for (name, facts) in official {
            assert_eq!(ours.get(name), Some(facts), "region {name}");
        }
    }
    assert!(embedded_regions[0].contains_key("me-west-1"));
}

#[test]
fn client_context_overrides_builtins_and_is_type_checked() {
    let c = ClientEndpointConfig {
        addressing_style: Some("virtual".into()),
        ..cfg(Some("us-west-2"))
    };
    let with =
        |context: ClientContext, builtins_not_bool: Vec<&'static str>| ClientEndpointExtras {
            client_context: context,
            builtins_not_bool,
            ..no_extras()
        };
    let path = with(
        ClientContext {
            force_path_style: Some(RulesetFlag::Bool(true)),
            ..Default::default()
        },
        vec![],
    );
    assert_eq!(
        url_with(&c, &path, "mybucket"),
        "https://s3.us-west-2.amazonaws.com/mybucket"
    );
    let accelerate = with(
        ClientContext {
            accelerate: Some(RulesetFlag::Bool(true)),
            ..Default::default()
        },
        vec![],
    );
    assert_eq!(
        url_with(&c, &accelerate, "mybucket"),
        "https://mybucket.s3-accelerate.amazonaws.com"
    );
    // A str where the ruleset wants a bool: refused before any rule runs,
    // the first such parameter in the ruleset's order named.
    let wrong = with(
        ClientContext {
            use_arn_region: Some(RulesetFlag::NotBool),
            force_path_style: Some(RulesetFlag::NotBool),
            ..Default::default()
        },
        vec![],
    );
    assert_eq!(
        url_with(&c, &wrong, "mybucket"),
        "ERR Value (ForcePathStyle) is the wrong type. Must be <class 'bool'>."
    );
    // A mistyped builtin counts only when the client context does not set
    // the parameter.
    let builtin = with(ClientContext::default(), vec!["Accelerate"]);
    assert!(url_with(&c, &builtin, "mybucket").contains("Value (Accelerate)"));
    let overridden = with(
        ClientContext {
            accelerate: Some(RulesetFlag::Bool(false)),
            ..Default::default()
        },
        vec!["Accelerate"],
    );
    assert_eq!(
        url_with(&c, &overridden, "mybucket"),
        "https://mybucket.s3.us-west-2.amazonaws.com"
    );
    // Static context parameters still win over the client context.
    let p = params_for_bucket_operation_with(&c, &path, "PutBucketPolicy", "mybucket");
    assert_eq!(p.use_s3_express_control_endpoint, Some(true));
    assert!(p.force_path_style);
}

/// Each operation's own static-context flag agrees with the endpoint
/// module's table of S3's `staticContextParams`.
#[test]
fn operations_static_context_agrees_with_the_endpoint_table() {
    let internal = [&crate::ops::create_session::OPERATION];
    for op in crate::ops::ALL.iter().copied().chain(internal) {
        let p =
            params_for_bucket_operation_with(&cfg(Some("us-east-1")), &no_extras(), op.name, "b");
        let table = p.use_s3_express_control_endpoint == Some(true);
        assert_eq!(table, op.use_s3_express_control_endpoint, "{}", op.name);
    }
}
