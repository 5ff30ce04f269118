//! The two STS calls the providers make, as botocore's STS client makes
//! them: the query protocol (`POST /`, form body `Action=...&Version=
//! 2011-06-15&...` in the operation's member order), SigV4 for `sts`
//! (AssumeRole) or no signature at all (AssumeRoleWithWebIdentity), the
//! regional endpoint `https://sts.<region>.amazonaws.com` (botocore 1.43's
//! default `sts_regional_endpoints = regional`; `legacy`: the global
//! endpoint for the 15 regions that had it; FIPS and dual-stack variants;
//! no region: botocore's NoRegionError), a configured endpoint for `sts`
//! (`AWS_ENDPOINT_URL_STS`, `AWS_ENDPOINT_URL`, the profile's `services`)
//! first, and the retry mode's retries.

use std::time::SystemTime;

use aws_credential_types::Credentials as AwsCredentials;
use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::identity::Identity;

use super::refresh::{parse_timestamp, Fetched};
use super::Credentials;
use crate::config_file::{ensure_boolean, Env, SharedConfig};
use crate::error::{Error, Result, ServiceError};
use crate::protocol::xml::Node;
use crate::protocol::{HttpRequest, HttpResponse};
use crate::response::{Document, ResponseMetadata};
use crate::retry::{self, RetryMode};
use crate::transport::{Lane, Transport, TransportOptions};

const VERSION: &str = "2011-06-15";

/// botocore's query serializer encodes with `quote(safe='-_.~')`.
const QUERY_VALUE: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A service client for the providers' calls: where, how signed, retries.
pub struct ServiceClient {
    pub url: String,
    pub region: String,
    transport: Transport,
    user_agent: String,
    retry_mode: RetryMode,
    max_attempts: u32,
}

impl std::fmt::Debug for ServiceClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServiceClient")
            .field("url", &self.url)
            .field("region", &self.region)
            .finish_non_exhaustive()
    }
}

/// The parts of a session's configuration every nested client shares.
pub struct NestedClientConfig {
    pub transport: Transport,
    pub user_agent: String,
    pub retry_mode: RetryMode,
    pub max_attempts: u32,
}

pub fn nested_client_config(
    env: &Env,
    cfg: &SharedConfig,
    profile: &str,
    user_agent: Option<&str>,
) -> NestedClientConfig {
    let setting = |name: &str| cfg.setting(env, profile, name);
    let retry_mode = match cfg
        .setting_or_default(env, profile, "retry_mode")
        .as_deref()
    {
        Some("legacy") => RetryMode::Legacy,
        Some("adaptive") => RetryMode::Adaptive,
        _ => RetryMode::Standard,
    };
    let max_attempts = setting("max_attempts")
        .and_then(|v| v.trim().parse::<u32>().ok())
        .filter(|n| *n >= 1)
        .unwrap_or(if retry_mode == RetryMode::Legacy {
            5
        } else {
            3
        });
    NestedClientConfig {
        transport: Transport::new(TransportOptions {
            ca_bundle: setting("ca_bundle"),
            ..TransportOptions::default()
        }),
        user_agent: user_agent
            .map(str::to_string)
            .unwrap_or_else(|| format!("fastboto/{}", env!("CARGO_PKG_VERSION"))),
        retry_mode,
        max_attempts,
    }
}

/// The configured endpoint for `service_id`, unless
/// `ignore_configured_endpoint_urls`.
fn configured_endpoint(
    env: &Env,
    cfg: &SharedConfig,
    profile: &str,
    service_id: &str,
) -> Result<Option<String>> {
    let ignore = cfg
        .setting(env, profile, "ignore_configured_endpoint_urls")
        .is_some_and(|v| ensure_boolean(&v));
    if ignore {
        return Ok(None);
    }
    cfg.configured_endpoint_url(env, profile, service_id)
        .map_err(|e| Error::InvalidConfig {
            error_msg: e.error_msg,
        })
}

/// The regions whose STS endpoint is the global one when
/// `sts_regional_endpoints = legacy`.
const LEGACY_GLOBAL_REGIONS: [&str; 15] = [
    "ap-northeast-1",
    "ap-south-1",
    "ap-southeast-1",
    "ap-southeast-2",
    "ca-central-1",
    "eu-central-1",
    "eu-north-1",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "sa-east-1",
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
];

/// STS's endpoint rules for the cases the providers meet: (URL, signing
/// region).
pub fn sts_endpoint(region: &str, fips: bool, dualstack: bool, legacy: bool) -> (String, String) {
    let global = || {
        (
            "https://sts.amazonaws.com".to_string(),
            "us-east-1".to_string(),
        )
    };
    if region == "aws-global" && !fips && !dualstack {
        return global();
    }
    if legacy && !fips && !dualstack && LEGACY_GLOBAL_REGIONS.contains(&region) {
        return global();
    }
    let host = match (fips, dualstack) {
        (false, false) => format!("sts.{region}.{}", dns_suffix(region)),
        (true, false) if region.starts_with("us-gov-") => format!("sts.{region}.amazonaws.com"),
        (true, false) => format!("sts-fips.{region}.{}", dns_suffix(region)),
        (false, true) => format!("sts.{region}.api.aws"),
        (true, true) => format!("sts-fips.{region}.api.aws"),
    };
    (format!("https://{host}"), region.to_string())
}

fn dns_suffix(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "amazonaws.com.cn"
    } else {
        "amazonaws.com"
    }
}

impl ServiceClient {
    /// The STS client botocore's `client_creator('sts')` makes for a
    /// session whose region is `region`.
    pub fn sts(
        env: &Env,
        cfg: &SharedConfig,
        profile: &str,
        region: Option<&str>,
        user_agent: Option<&str>,
    ) -> Result<ServiceClient> {
        let configured = configured_endpoint(env, cfg, profile, "sts")?;
        // No region: botocore's STS client cannot be created
        // (NoRegionError, raised when the call is due); an empty URL here.
        let flag = |name: &str| {
            cfg.setting(env, profile, name)
                .is_some_and(|v| ensure_boolean(&v))
        };
        let legacy = cfg
            .setting_or_default(env, profile, "sts_regional_endpoints")
            .is_some_and(|v| v == "legacy");
        let (url, signing_region) = match (configured, region) {
            (_, None) => (String::new(), String::new()),
            (Some(url), Some(r)) => (url, r.to_string()),
            (None, Some(r)) => sts_endpoint(
                r,
                flag("use_fips_endpoint"),
                flag("use_dualstack_endpoint"),
                legacy,
            ),
        };
        Ok(Self::with(
            url,
            signing_region,
            nested_client_config(env, cfg, profile, user_agent),
        ))
    }

    /// The SSO portal client (`sso`, region `sso_region`).
    pub fn sso(
        env: &Env,
        cfg: &SharedConfig,
        profile: &str,
        sso_region: &str,
        user_agent: Option<&str>,
    ) -> Result<ServiceClient> {
        let url = match configured_endpoint(env, cfg, profile, "sso")? {
            Some(url) => url,
            None => format!("https://portal.sso.{sso_region}.{}", dns_suffix(sso_region)),
        };
        Ok(Self::with(
            url,
            sso_region.to_string(),
            nested_client_config(env, cfg, profile, user_agent),
        ))
    }

    /// SSO OIDC (`sso-oidc`, region `sso_region`), which refreshes tokens.
    pub fn sso_oidc(
        env: &Env,
        cfg: &SharedConfig,
        profile: &str,
        sso_region: &str,
        user_agent: Option<&str>,
    ) -> Result<ServiceClient> {
        let url = match configured_endpoint(env, cfg, profile, "sso_oidc")? {
            Some(url) => url,
            None => format!("https://oidc.{sso_region}.{}", dns_suffix(sso_region)),
        };
        Ok(Self::with(
            url,
            sso_region.to_string(),
            nested_client_config(env, cfg, profile, user_agent),
        ))
    }

    fn with(url: String, region: String, config: NestedClientConfig) -> ServiceClient {
        ServiceClient {
            url,
            region,
            transport: config.transport,
            user_agent: config.user_agent,
            retry_mode: config.retry_mode,
            max_attempts: config.max_attempts,
        }
    }

    /// Sends `build()`'s request (built afresh, and signed, per attempt),
    /// retrying as the retry mode says; `parse` judges each response.
    pub async fn send_with_retries<T>(
        &self,
        lane: Lane,
        build: impl Fn() -> Result<HttpRequest>,
        parse: impl Fn(&HttpResponse, u32) -> Result<T>,
    ) -> Result<T> {
        let mut attempt = 1;
        loop {
            let mut request = build()?;
            request
                .headers
                .push(("User-Agent".into(), self.user_agent.clone()));
            let outcome = match self.transport.send(&request, lane).await {
                Ok(response) => parse(&response, attempt - 1),
                Err(e) => Err(e),
            };
            let judged: Result<Document> = match &outcome {
                Ok(_) => Ok(Document::Null),
                Err(e) => Err(e.clone()),
            };
            // The nested clients do not keep their operations' modeled
            // errors: a 429 counts as throttling whatever its code.
            if !retry::is_retryable(self.retry_mode, &judged, &[]) || attempt >= self.max_attempts {
                return match outcome {
                    Err(Error::Service(mut e)) if attempt >= self.max_attempts && attempt > 1 => {
                        e.metadata.max_attempts_reached = true;
                        Err(Error::Service(e))
                    }
                    other => other,
                };
            }
            let throttling = retry::is_throttle(&judged, &[]);
            tokio::time::sleep(retry::backoff(
                self.retry_mode,
                attempt,
                throttling,
                &judged,
            ))
            .await;
            attempt += 1;
        }
    }

    /// A query-protocol STS call: `params` in the operation's member
    /// order; signed with `credentials`, or unsigned when `None`.
    pub async fn sts_call(
        &self,
        operation: &'static str,
        params: &[(&str, String)],
        credentials: Option<&Credentials>,
        lane: Lane,
    ) -> Result<Fetched> {
        if self.region.is_empty() {
            return Err(Error::NoRegion);
        }
        let body = query_body(operation, params);
        let build = || {
            let mut request = HttpRequest {
                method: "POST",
                url: self.url.clone(),
                headers: vec![(
                    "Content-Type".to_string(),
                    "application/x-www-form-urlencoded; charset=utf-8".to_string(),
                )],
                body: body.clone().into_bytes(),
            };
            if let Some(creds) = credentials {
                sign_v4(&mut request, creds, &self.region, "sts", SystemTime::now())?;
            }
            Ok(request)
        };
        self.send_with_retries(lane, build, |response, retries| {
            parse_sts_response(operation, response, retries)
        })
        .await
    }
}

/// `Action=...&Version=...&Member=value...`, encoded as botocore's
/// `percent_encode_sequence`.
pub fn query_body(operation: &str, params: &[(&str, String)]) -> String {
    let mut pairs: Vec<(&str, &str)> = vec![("Action", operation), ("Version", VERSION)];
    pairs.extend(params.iter().map(|(k, v)| (*k, v.as_str())));
    pairs
        .iter()
        .map(|(k, v)| {
            format!(
                "{}={}",
                percent_encoding::utf8_percent_encode(k, QUERY_VALUE),
                percent_encoding::utf8_percent_encode(v, QUERY_VALUE)
            )
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// botocore's `SigV4Auth` (not S3's): double-encoded, normalised path, no
/// `X-Amz-Content-SHA256` header.
pub fn sign_v4(
    request: &mut HttpRequest,
    credentials: &Credentials,
    region: &str,
    service: &str,
    time: SystemTime,
) -> Result<()> {
    let identity: Identity = AwsCredentials::new(
        credentials.access_key.clone(),
        credentials.secret_key.clone(),
        credentials.token.clone().filter(|t| !t.is_empty()),
        None,
        "fastboto",
    )
    .into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(region)
        .name(service)
        .time(time)
        .settings(SigningSettings::default())
        .build()
        .map_err(|e| Error::Internal(format!("signing parameters: {e}")))?
        .into();
    let signable = SignableRequest::new(
        request.method,
        &request.url,
        request
            .headers
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str())),
        SignableBody::Bytes(&request.body),
    )
    .map_err(|e| Error::Internal(format!("unsignable request: {e}")))?;
    let (instructions, _) = sign(signable, &params)
        .map_err(|e| Error::Internal(format!("signing failed: {e}")))?
        .into_parts();
    let (headers, _) = instructions.into_parts();
    for header in headers {
        let name = match header.name() {
            "x-amz-date" => "X-Amz-Date",
            "x-amz-security-token" => "X-Amz-Security-Token",
            "authorization" => "Authorization",
            other => other,
        };
        request
            .headers
            .push((name.to_string(), header.value().to_string()));
    }
    Ok(())
}

fn text_of<'a>(node: &'a Node, path: &[&str]) -> Option<&'a str> {
    let mut n = node;
    for name in path {
        n = n.child(name)?;
    }
    Some(n.text.as_deref().unwrap_or(""))
}

/// botocore's `_add_account_id_to_response`: the account field of the
/// assumed role's ARN, when it is an ARN (`ArnParser.is_arn`).
fn arn_account(arn: &str) -> Option<String> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    (arn.starts_with("arn:") && parts.len() == 6).then(|| parts[4].to_string())
}

pub(crate) fn metadata_for(response: &HttpResponse, retries: u32) -> ResponseMetadata {
    ResponseMetadata {
        request_id: response
            .header("x-amzn-requestid")
            .or_else(|| response.header("x-amz-request-id"))
            .map(str::to_string),
        host_id: None,
        http_status_code: response.status,
        http_headers: response.headers.clone(),
        retry_attempts: retries,
        max_attempts_reached: false,
        retry_quota_reached: false,
    }
}

/// A status line's reason phrase, as botocore's generic error uses it.
pub(crate) fn reason_phrase(status: u16) -> &'static str {
    match status {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "",
    }
}

/// The query protocol's response: `<XResponse><XResult><Credentials>...`,
/// or `<ErrorResponse><Error><Type/><Code/><Message/></Error>` as
/// `ClientError`.
fn parse_sts_response(
    operation: &'static str,
    response: &HttpResponse,
    retries: u32,
) -> Result<Fetched> {
    let root = crate::protocol::xml::parse(&response.body);
    if response.status >= 300 {
        let mut metadata = metadata_for(response, retries);
        let error = match &root {
            Ok(node) => {
                let err = node.child("Error");
                let mut fields = Vec::new();
                for key in ["Type", "Code", "Message"] {
                    if let Some(v) = err.and_then(|e| text_of(e, &[key])) {
                        fields.push((key.to_string(), Document::Str(v.to_string())));
                    }
                }
                if metadata.request_id.is_none() {
                    metadata.request_id = text_of(node, &["RequestId"]).map(str::to_string);
                }
                fields
            }
            Err(_) => vec![
                (
                    "Code".to_string(),
                    Document::Str(response.status.to_string()),
                ),
                (
                    "Message".to_string(),
                    Document::Str(reason_phrase(response.status).to_string()),
                ),
            ],
        };
        return Err(Error::Service(Box::new(ServiceError {
            parsed: vec![("Error".to_string(), Document::Map(error))],
            metadata,
            operation_name: operation,
        })));
    }
    let root = root.map_err(|e| Error::Botocore {
        class: "ResponseParserError",
        message: format!("Unable to parse response ({e}), invalid XML received."),
        kwargs: vec![],
    })?;
    let result = format!("{operation}Result");
    let creds = root
        .child(&result)
        .and_then(|r| r.child("Credentials"))
        .ok_or_else(|| super::container::key_error("Credentials"))?;
    let field = |name: &str| {
        text_of(creds, &[name])
            .map(str::to_string)
            .ok_or_else(|| super::container::key_error(name))
    };
    let expiration = field("Expiration")?;
    let role_arn = root
        .child(&result)
        .and_then(|r| text_of(r, &["AssumedRoleUser", "Arn"]));
    Ok(Fetched {
        credentials: Credentials::new(
            field("AccessKeyId")?,
            field("SecretAccessKey")?,
            Some(field("SessionToken")?),
            "",
        )
        .with_account_id(role_arn.and_then(arn_account)),
        expiry: Some(parse_timestamp(&expiration).ok_or_else(|| Error::Builtin {
            class: "ValueError",
            message: format!("Unknown string format: {expiration}"),
        })?),
    })
}
