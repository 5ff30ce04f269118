//! S3 endpoint resolution: botocore's endpoint-rules interpreter over the
//! S3 ruleset it ships, plus the client-configuration → ruleset-parameter
//! mapping botocore's S3 client applies.
//!
//! Data files (regenerate both when moving to a newer botocore):
//! - `s3-endpoint-rule-set-1.json`: botocore's
//!   `data/s3/2006-03-01/endpoint-rule-set-1.json.gz`, decompressed and
//!   re-serialised compactly (same keys, same order):
//!   `python3 -c 'import json,gzip,sys; print(json.dumps(json.load(gzip.open(sys.argv[1])), separators=(",",":"), ensure_ascii=False))' <path>`
//!   (currently botocore 1.44.18; its rule set is unchanged since 1.43.11).
//! - `partitions.json`: botocore's `data/partitions.json`, byte for byte
//!   (botocore 1.44.18: `../shared/vectors/partitions.json` plus the regions
//!   `me-west-1` and `sa-west-1`).
//!
//! Both are parsed and compiled once per process (first call, or
//! [`preload`]); a resolution afterwards is a tree walk over precompiled
//! conditions.

mod legacy;
mod rules;
mod stdlib;
#[cfg(test)]
mod tests;

use std::sync::{Arc, OnceLock};

use crate::error::Error;
use rules::{RawEndpoint, RuleSet, Value};

const RULESET_JSON: &str = include_str!("s3-endpoint-rule-set-1.json");
const PARTITIONS_JSON: &str = include_str!("partitions.json");

/// The S3 ruleset's parameters. `bool` fields are the ones the ruleset
/// requires (with default `false`); `Option`s are the optional ones, where
/// `None` means "not passed", as botocore omits `None`-valued parameters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EndpointParams {
    pub bucket: Option<String>,
    pub region: Option<String>,
    pub use_fips: bool,
    pub use_dual_stack: bool,
    pub endpoint: Option<String>,
    pub force_path_style: bool,
    pub accelerate: bool,
    pub use_global_endpoint: bool,
    pub use_object_lambda_endpoint: Option<bool>,
    pub key: Option<String>,
    pub prefix: Option<String>,
    pub copy_source: Option<String>,
    pub disable_access_points: Option<bool>,
    pub disable_multi_region_access_points: bool,
    pub use_arn_region: Option<bool>,
    pub use_s3_express_control_endpoint: Option<bool>,
    pub disable_s3_express_session_auth: Option<bool>,
    /// Boolean parameters whose value, as botocore's client passes it, is
    /// not a bool (`Config(s3={"use_arn_region": "true"})`): the ruleset's
    /// input check refuses them before any rule runs.
    pub not_bool: Vec<&'static str>,
}

/// Ruleset parameter names, in the order of [`EndpointParams::values`].
const PARAM_NAMES: [&str; 17] = [
    "Bucket",
    "Region",
    "UseFIPS",
    "UseDualStack",
    "Endpoint",
    "ForcePathStyle",
    "Accelerate",
    "UseGlobalEndpoint",
    "UseObjectLambdaEndpoint",
    "Key",
    "Prefix",
    "CopySource",
    "DisableAccessPoints",
    "DisableMultiRegionAccessPoints",
    "UseArnRegion",
    "UseS3ExpressControlEndpoint",
    "DisableS3ExpressSessionAuth",
];

impl EndpointParams {
    fn values(&self) -> [Option<Value>; 17] {
        let s = |v: &Option<String>| v.as_deref().map(|s| Value::Str(Arc::from(s)));
        let b = |v: bool| Some(Value::Bool(v));
        let ob = |v: Option<bool>| v.map(Value::Bool);
        [
            s(&self.bucket),
            s(&self.region),
            b(self.use_fips),
            b(self.use_dual_stack),
            s(&self.endpoint),
            b(self.force_path_style),
            b(self.accelerate),
            b(self.use_global_endpoint),
            ob(self.use_object_lambda_endpoint),
            s(&self.key),
            s(&self.prefix),
            s(&self.copy_source),
            ob(self.disable_access_points),
            b(self.disable_multi_region_access_points),
            ob(self.use_arn_region),
            ob(self.use_s3_express_control_endpoint),
            ob(self.disable_s3_express_session_auth),
        ]
    }
}

/// One entry of the endpoint's `authSchemes` property.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuthScheme {
    /// As the ruleset names it: `sigv4`, `sigv4a`, `sigv4-s3express`.
    pub name: String,
    pub signing_name: String,
    pub signing_region: Option<String>,
    /// For `sigv4a`; botocore signs with these joined by `,`.
    pub signing_region_set: Vec<String>,
    pub disable_double_encoding: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ResolvedEndpoint {
    pub url: String,
    /// Every value the rule lists; botocore's client sends only the first.
    pub headers: Vec<(String, Vec<String>)>,
    pub auth_schemes: Vec<AuthScheme>,
    /// The endpoint's full `properties` object (`authSchemes`, `backend`...).
    pub properties_json: serde_json::Value,
}

struct Compiled {
    rules: RuleSet,
    /// Slot of each `PARAM_NAMES` entry in the ruleset, if it has it.
    param_slots: [Option<usize>; 17],
}

fn compile() -> Result<Compiled, String> {
    let rs: serde_json::Value =
        serde_json::from_str(RULESET_JSON).map_err(|e| format!("S3 ruleset JSON: {e}"))?;
    let parts: serde_json::Value =
        serde_json::from_str(PARTITIONS_JSON).map_err(|e| format!("partitions JSON: {e}"))?;
    let rules = RuleSet::compile(&rs, &parts)?;
    let param_slots = PARAM_NAMES.map(|n| rules.param_index(n));
    Ok(Compiled { rules, param_slots })
}

fn compiled() -> Result<&'static Compiled, Error> {
    static COMPILED: OnceLock<Result<Compiled, String>> = OnceLock::new();
    COMPILED
        .get_or_init(compile)
        .as_ref()
        .map_err(|e| Error::Internal(format!("endpoint ruleset failed to load: {e}")))
}

/// Parse and compile the embedded ruleset now (a few milliseconds, once per
/// process) instead of on the first request.
pub fn preload() -> Result<(), Error> {
    compiled().map(|_| ())
}

/// Resolve an endpoint exactly as botocore's `EndpointProvider` does for the
/// same parameters. A rule error becomes `Error::EndpointResolution` with
/// the rule's message verbatim (see [`translate_rule_error`] for the
/// exception class botocore's S3 client turns some of them into).
pub fn resolve(params: &EndpointParams) -> Result<ResolvedEndpoint, Error> {
    let c = compiled()?;
    // `RuleSet.process_input_parameters` checks the parameters in the
    // ruleset's order and stops at the first of the wrong type.
    if let Some(name) = PARAM_NAMES.iter().find(|n| params.not_bool.contains(n)) {
        return Err(Error::EndpointResolution {
            msg: format!("Value ({name}) is the wrong type. Must be <class 'bool'>."),
        });
    }
    let mut inputs: Vec<Option<Value>> = vec![None; c.rules.params.len()];
    for (slot, value) in c.param_slots.iter().zip(params.values()) {
        if let Some(slot) = slot {
            inputs[*slot] = value;
        }
    }
    match c.rules.evaluate(inputs) {
        Ok(raw) => Ok(shape(raw)),
        Err(rules::EvalError::Resolution(msg)) => Err(Error::EndpointResolution { msg }),
        Err(rules::EvalError::Internal(msg)) => {
            Err(Error::Internal(format!("endpoint resolution: {msg}")))
        }
    }
}

fn shape(raw: RawEndpoint) -> ResolvedEndpoint {
    let auth_schemes = raw
        .properties
        .get("authSchemes")
        .and_then(|a| a.as_array())
        .map(|list| list.iter().map(auth_scheme).collect())
        .unwrap_or_default();
    ResolvedEndpoint {
        url: raw.url,
        headers: raw.headers,
        auth_schemes,
        properties_json: raw.properties,
    }
}

fn auth_scheme(j: &serde_json::Value) -> AuthScheme {
    let s = |k: &str| j.get(k).and_then(|v| v.as_str()).map(str::to_owned);
    AuthScheme {
        name: s("name").unwrap_or_default(),
        signing_name: s("signingName").unwrap_or_default(),
        signing_region: s("signingRegion"),
        signing_region_set: j
            .get("signingRegionSet")
            .and_then(|v| v.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|r| r.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default(),
        // botocore applies `ensure_boolean`: a bool, or the string "true".
        disable_double_encoding: match j.get("disableDoubleEncoding") {
            Some(serde_json::Value::Bool(b)) => *b,
            Some(serde_json::Value::String(s)) => s.eq_ignore_ascii_case("true"),
            _ => false,
        },
    }
}

/// The client settings botocore derives S3 endpoint parameters from, after
/// the caller has merged its sources (explicit argument > `Config` >
/// environment > profile), as botocore's config store does.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClientEndpointConfig {
    /// The session-resolved region (`region_name` argument, else
    /// `Config.region_name`, else `AWS_DEFAULT_REGION`/profile), *before*
    /// FIPS pseudo-region normalisation — this module does that. `None`
    /// when no region is configured: do not substitute `us-east-1`, since
    /// botocore then resolves differently under `regional` (`aws-global`).
    pub region: Option<String>,
    /// `endpoint_url` argument, else `AWS_ENDPOINT_URL_S3` /
    /// `AWS_ENDPOINT_URL` / profile (unless ignored).
    pub endpoint_url: Option<String>,
    /// `s3.addressing_style`: `auto`, `virtual` or `path`.
    pub addressing_style: Option<String>,
    /// For S3 botocore reads `Config.s3["use_dualstack_endpoint"]` when that
    /// key is present, else the profile's `s3.use_dualstack_endpoint`, else
    /// `Config.use_dualstack_endpoint` / `AWS_USE_DUALSTACK_ENDPOINT`.
    pub use_dualstack_endpoint: Option<bool>,
    pub use_fips_endpoint: Option<bool>,
    pub use_accelerate_endpoint: Option<bool>,
    /// `s3.us_east_1_regional_endpoint` / `AWS_S3_US_EAST_1_REGIONAL_ENDPOINT`:
    /// `legacy` (default) or `regional`. botocore rejects other values at
    /// client creation; here anything but `regional` counts as `legacy`.
    pub us_east_1_regional_endpoint: Option<String>,
    pub use_arn_region: Option<bool>,
    pub s3_disable_multiregion_access_points: Option<bool>,
}

/// Settings botocore also reads for S3 endpoints, kept apart from
/// [`ClientEndpointConfig`] so that struct's shape stays as the rest of the
/// core builds it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClientEndpointExtras {
    /// `Config(region_name=...)` by itself. botocore falls back to it when
    /// the legacy global-endpoint logic drops the region (e.g.
    /// `region_name="us-east-1"` with `Config(region_name="eu-west-1")`
    /// resolves in eu-west-1); leave `None` if there is no Config region.
    pub config_region_name: Option<String>,
    /// `s3.disable_s3_express_session_auth` /
    /// `AWS_S3_DISABLE_EXPRESS_SESSION_AUTH`; botocore passes `false` when
    /// unset.
    pub s3_disable_express_session_auth: Option<bool>,
    /// The client's `use_ssl` (default `true`); only read by
    /// [`resolve_bucket_operation`].
    pub use_ssl: Option<bool>,
    /// botocore's client context for the S3 ruleset.
    pub client_context: ClientContext,
    /// Builtins taken from `Config(s3=...)` values that are not bools
    /// (ruleset parameter names: `Accelerate`, `UseArnRegion`,
    /// `DisableMultiRegionAccessPoints`).
    pub builtins_not_bool: Vec<&'static str>,
}

/// A boolean ruleset parameter's value as botocore hands it to the rules,
/// which check its type: a `"true"` string is refused, not read as true.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RulesetFlag {
    Bool(bool),
    NotBool,
}

/// The S3 client-context parameters: `Config(client_context_params=...)`
/// updated with the whole S3 config (`compute_s3_config`), looked up by the
/// parameters' snake-case names. They take precedence over the builtins
/// (`EndpointRulesetResolver._get_provider_params`). `None`: not set, or
/// set to `None`. `DisableS3ExpressSessionAuth` is not here: botocore always
/// overwrites it with the resolved setting.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClientContext {
    pub accelerate: Option<RulesetFlag>,
    pub force_path_style: Option<RulesetFlag>,
    pub use_arn_region: Option<RulesetFlag>,
    pub disable_multi_region_access_points: Option<RulesetFlag>,
}

impl ClientContext {
    /// (snake-case name in the client context, ruleset parameter name).
    pub const NAMES: [(&'static str, &'static str); 4] = [
        ("accelerate", "Accelerate"),
        ("force_path_style", "ForcePathStyle"),
        ("use_arn_region", "UseArnRegion"),
        (
            "disable_multi_region_access_points",
            "DisableMultiRegionAccessPoints",
        ),
    ];

    pub fn set(&mut self, snake_name: &str, value: Option<RulesetFlag>) {
        match snake_name {
            "accelerate" => self.accelerate = value,
            "force_path_style" => self.force_path_style = value,
            "use_arn_region" => self.use_arn_region = value,
            "disable_multi_region_access_points" => self.disable_multi_region_access_points = value,
            _ => {}
        }
    }

    /// Overrides the builtins in `p` (static context parameters are applied
    /// after, and win).
    fn apply(&self, builtins_not_bool: &[&'static str], p: &mut EndpointParams) {
        let mut not_bool: Vec<&'static str> = Vec::new();
        let mut take =
            |name: &'static str, value: Option<RulesetFlag>, field: &mut bool| match value {
                Some(RulesetFlag::Bool(b)) => *field = b,
                Some(RulesetFlag::NotBool) => not_bool.push(name),
                None if builtins_not_bool.contains(&name) => not_bool.push(name),
                None => {}
            };
        take("Accelerate", self.accelerate, &mut p.accelerate);
        take(
            "ForcePathStyle",
            self.force_path_style,
            &mut p.force_path_style,
        );
        take(
            "DisableMultiRegionAccessPoints",
            self.disable_multi_region_access_points,
            &mut p.disable_multi_region_access_points,
        );
        let mut use_arn_region = p.use_arn_region.unwrap_or(true);
        take("UseArnRegion", self.use_arn_region, &mut use_arn_region);
        p.use_arn_region = Some(use_arn_region);
        p.not_bool = not_bool;
    }
}

/// `ClientCreator._normalize_fips_region`: `fips-us-east-1` and
/// `us-east-1-fips` become `us-east-1` (and turn FIPS on). Returns the
/// normalised name when it differs.
pub fn normalize_fips_region(region: &str) -> Option<String> {
    let n = region.replace("fips-", "").replace("-fips", "");
    (n != region).then_some(n)
}

/// What botocore's client-creation code computes before any call.
struct ClientRegion {
    /// `endpoint_config["region_name"]`: the `AWS::Region` builtin and
    /// `client.meta.region_name`.
    endpoint_region: String,
    /// The region the legacy endpoint resolver is asked for (`None`: S3's
    /// partition endpoint, or `us-east-1` with dualstack).
    legacy_lookup: Option<String>,
    /// Whether that lookup falls back to `Config.region_name`.
    reads_config_region: bool,
    fips: bool,
    legacy_global: bool,
}

fn client_region(cfg: &ClientEndpointConfig, extras: &ClientEndpointExtras) -> ClientRegion {
    let (region, pseudo_fips) = match cfg.region.as_deref() {
        Some(r) => match normalize_fips_region(r) {
            Some(n) => (Some(n), true),
            None => (Some(r.to_owned()), false),
        },
        None => (None, false),
    };
    let legacy_global = cfg.us_east_1_regional_endpoint.as_deref() != Some("regional");
    // `_compute_s3_endpoint_config`: legacy mode resolves us-east-1 (or no
    // region) through the legacy resolver with no region at all...
    let forced_global = legacy_global && matches!(region.as_deref(), None | Some("us-east-1"));
    let lookup = if forced_global { None } else { region };
    // ...where `ClientEndpointBridge._check_default_region` falls back to
    // Config.region_name, and then to S3's partition endpoint `aws-global`
    // (or `us-east-1` when dualstack, a special case in
    // `EndpointResolver.construct_endpoint`).
    let legacy_lookup = lookup.or_else(|| extras.config_region_name.clone());
    let endpoint_region = match legacy_lookup.clone() {
        Some(r) => r,
        None if cfg.use_dualstack_endpoint.unwrap_or(false) => "us-east-1".to_owned(),
        None => "aws-global".to_owned(),
    };
    let endpoint_region = if forced_global && endpoint_region == "aws-global" {
        "us-east-1".to_owned()
    } else {
        endpoint_region
    };
    ClientRegion {
        endpoint_region,
        legacy_lookup,
        reads_config_region: forced_global,
        fips: pseudo_fips || cfg.use_fips_endpoint.unwrap_or(false),
        legacy_global,
    }
}

/// Whether botocore's legacy endpoint lookup falls back to
/// `Config.region_name` for this configuration (`_check_default_region`,
/// reached when legacy mode resolves us-east-1 with no region).
pub fn legacy_lookup_reads_config_region(
    cfg: &ClientEndpointConfig,
    extras: &ClientEndpointExtras,
) -> bool {
    client_region(cfg, extras).reads_config_region
}

/// What botocore's client creation takes from its legacy endpoint data
/// (`ClientArgsCreator._compute_s3_endpoint_config` over
/// `ClientEndpointBridge.resolve`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LegacyClientEndpoint {
    /// The region botocore's `RequestSigner` is made with: what a call is
    /// signed for when the endpoint rules' auth scheme is not used (e.g.
    /// `us-east-1` for `aws-global` and `s3-external-1`).
    pub signing_region: String,
    /// `client.meta.endpoint_url`.
    pub endpoint_url: String,
    /// `client.meta.partition`: the partition of the legacy lookup (the
    /// first one; a custom endpoint's no-region fallback does not change it).
    pub partition: Option<String>,
}

/// The legacy endpoint lookup of botocore's client creation. Raises the
/// EndpointVariantError botocore does when its data models no FIPS/dualstack
/// variant of S3 for the client's region (dualstack in `aws-iso-e` and
/// `aws-iso-f`, for one), whatever the endpoint URL.
pub fn legacy_client_endpoint(
    cfg: &ClientEndpointConfig,
    extras: &ClientEndpointExtras,
) -> Result<LegacyClientEndpoint, Error> {
    let cr = client_region(cfg, extras);
    let dualstack = cfg.use_dualstack_endpoint.unwrap_or(false);
    let is_secure = extras.use_ssl != Some(false);
    let mut bridged = legacy::bridge_resolve(
        cr.legacy_lookup.as_deref(),
        cfg.endpoint_url.as_deref(),
        dualstack,
        cr.fips,
        is_secure,
    )?;
    if bridged.signing_region.is_none() && bridged.region_name.is_none() {
        // `_set_region_if_custom_s3_endpoint`: a custom endpoint with no
        // region signs for what S3 resolves to without one.
        let fallback = legacy::bridge_resolve(
            extras.config_region_name.as_deref(),
            None,
            dualstack,
            cr.fips,
            is_secure,
        )?;
        bridged.signing_region = fallback.signing_region;
    }
    Ok(LegacyClientEndpoint {
        signing_region: bridged
            .signing_region
            .unwrap_or_else(|| cr.endpoint_region.clone()),
        endpoint_url: bridged.endpoint_url,
        partition: bridged.partition,
    })
}

/// The variant tags botocore's legacy endpoint lookup resolves with
/// (`dualstack`, `fips`): its client copies them into `client.meta.config`.
pub fn legacy_variant_tags(
    cfg: &ClientEndpointConfig,
    extras: &ClientEndpointExtras,
) -> (bool, bool) {
    let cr = client_region(cfg, extras);
    (cfg.use_dualstack_endpoint.unwrap_or(false), cr.fips)
}

/// `client.meta.region_name` for an S3 client with this configuration
/// (e.g. `aws-global` for no region under `us_east_1_regional_endpoint =
/// regional`, `us-gov-west-1` for `fips-us-gov-west-1`).
pub fn client_region_name(cfg: &ClientEndpointConfig, extras: &ClientEndpointExtras) -> String {
    client_region(cfg, extras).endpoint_region
}

/// `botocore.utils.is_s3_accelerate_url`.
fn is_s3_accelerate_url(url: &str) -> bool {
    let Some((scheme, netloc)) = stdlib::scheme_and_netloc(url) else {
        return false;
    };
    if !netloc.ends_with("amazonaws.com") || (scheme != "https" && scheme != "http") {
        return false;
    }
    let parts: Vec<&str> = netloc.split('.').collect();
    if parts[0] != "s3-accelerate" {
        return false;
    }
    let features = &parts[1..parts.len().saturating_sub(2).max(1)];
    let mut seen: Vec<&str> = Vec::new();
    for f in features {
        if seen.contains(f) || *f != "dualstack" {
            return false;
        }
        seen.push(f);
    }
    true
}

/// The S3 model's `staticContextParams` per operation (botocore's
/// `data/s3/2006-03-01/service-2.json`, 1.43.11).
fn apply_static_context_params(operation: &str, p: &mut EndpointParams) {
    match operation {
        "CreateBucket" => {
            p.disable_access_points = Some(true);
            p.use_s3_express_control_endpoint = Some(true);
        }
        "CopyObject" | "CreateSession" | "UploadPartCopy" => {
            p.disable_s3_express_session_auth = Some(true);
        }
        "WriteGetObjectResponse" => p.use_object_lambda_endpoint = Some(true),
        op if S3_EXPRESS_CONTROL_OPS.binary_search(&op).is_ok() => {
            p.use_s3_express_control_endpoint = Some(true);
        }
        _ => {}
    }
}

/// Operations with `UseS3ExpressControlEndpoint: true` (sorted), CreateBucket
/// aside.
const S3_EXPRESS_CONTROL_OPS: &[&str] = &[
    "CreateBucketMetadataConfiguration",
    "CreateBucketMetadataTableConfiguration",
    "DeleteBucket",
    "DeleteBucketAnalyticsConfiguration",
    "DeleteBucketCors",
    "DeleteBucketEncryption",
    "DeleteBucketIntelligentTieringConfiguration",
    "DeleteBucketInventoryConfiguration",
    "DeleteBucketLifecycle",
    "DeleteBucketMetadataConfiguration",
    "DeleteBucketMetadataTableConfiguration",
    "DeleteBucketMetricsConfiguration",
    "DeleteBucketOwnershipControls",
    "DeleteBucketPolicy",
    "DeleteBucketReplication",
    "DeleteBucketTagging",
    "DeleteBucketWebsite",
    "DeletePublicAccessBlock",
    "GetBucketAccelerateConfiguration",
    "GetBucketAcl",
    "GetBucketAnalyticsConfiguration",
    "GetBucketCors",
    "GetBucketEncryption",
    "GetBucketIntelligentTieringConfiguration",
    "GetBucketInventoryConfiguration",
    "GetBucketLifecycle",
    "GetBucketLifecycleConfiguration",
    "GetBucketLocation",
    "GetBucketLogging",
    "GetBucketMetadataConfiguration",
    "GetBucketMetadataTableConfiguration",
    "GetBucketMetricsConfiguration",
    "GetBucketNotification",
    "GetBucketNotificationConfiguration",
    "GetBucketOwnershipControls",
    "GetBucketPolicy",
    "GetBucketPolicyStatus",
    "GetBucketReplication",
    "GetBucketRequestPayment",
    "GetBucketTagging",
    "GetBucketVersioning",
    "GetBucketWebsite",
    "GetPublicAccessBlock",
    "ListBucketAnalyticsConfigurations",
    "ListBucketIntelligentTieringConfigurations",
    "ListBucketInventoryConfigurations",
    "ListBucketMetricsConfigurations",
    "ListDirectoryBuckets",
    "PutBucketAccelerateConfiguration",
    "PutBucketAcl",
    "PutBucketAnalyticsConfiguration",
    "PutBucketCors",
    "PutBucketEncryption",
    "PutBucketIntelligentTieringConfiguration",
    "PutBucketInventoryConfiguration",
    "PutBucketLifecycle",
    "PutBucketLifecycleConfiguration",
    "PutBucketLogging",
    "PutBucketMetricsConfiguration",
    "PutBucketNotification",
    "PutBucketNotificationConfiguration",
    "PutBucketOwnershipControls",
    "PutBucketPolicy",
    "PutBucketReplication",
    "PutBucketRequestPayment",
    "PutBucketTagging",
    "PutBucketVersioning",
    "PutBucketWebsite",
    "PutPublicAccessBlock",
    "UpdateBucketMetadataInventoryTableConfiguration",
    "UpdateBucketMetadataJournalTableConfiguration",
];

/// The ruleset parameters botocore's S3 client passes for `operation`
/// called with `Bucket=bucket`: client builtins
/// (`compute_endpoint_resolver_builtin_defaults`), the per-call
/// `customize_endpoint_resolver_builtins` handler, client-context and
/// static-context parameters (`EndpointRulesetResolver._get_provider_params`).
///
/// Not covered: the region redirector's cache (botocore swaps only
/// `AWS::Region` for a bucket it was redirected for — set `region` on the
/// result to do the same) and presigning's global-endpoint tweak.
pub fn params_for_bucket_operation(
    cfg: &ClientEndpointConfig,
    operation: &str,
    bucket: &str,
) -> EndpointParams {
    params_for_bucket_operation_with(cfg, &ClientEndpointExtras::default(), operation, bucket)
}

/// [`params_for_bucket_operation`] with the settings in
/// [`ClientEndpointExtras`] taken into account.
pub fn params_for_bucket_operation_with(
    cfg: &ClientEndpointConfig,
    extras: &ClientEndpointExtras,
    operation: &str,
    bucket: &str,
) -> EndpointParams {
    let cr = client_region(cfg, extras);
    // `if client_endpoint_url:` — an empty URL is no endpoint; but the
    // ForcePathStyle rule below tests `is not None`.
    let given_endpoint = cfg.endpoint_url.clone().filter(|u| !u.is_empty());
    let accelerate = cfg.use_accelerate_endpoint.unwrap_or(false);
    let addressing = cfg.addressing_style.as_deref();
    let mut force_path_style = if accelerate {
        false
    } else if cfg
        .endpoint_url
        .as_deref()
        .is_some_and(|u| !is_s3_accelerate_url(u))
    {
        addressing != Some("virtual")
    } else {
        addressing == Some("path")
    };
    // customize_endpoint_resolver_builtins: GetBucketLocation is always
    // path-style; ARN buckets never are.
    if operation == "GetBucketLocation" {
        force_path_style = true;
    } else if stdlib::is_arn(bucket) {
        force_path_style = false;
    }
    let use_global_endpoint = cr.legacy_global && cr.endpoint_region == "us-east-1";
    let mut p = EndpointParams {
        bucket: Some(bucket.to_owned()),
        region: Some(cr.endpoint_region),
        // An endpoint_url turns the FIPS and dualstack builtins off.
        use_fips: given_endpoint.is_none() && cr.fips,
        use_dual_stack: given_endpoint.is_none() && cfg.use_dualstack_endpoint.unwrap_or(false),
        endpoint: given_endpoint,
        force_path_style,
        accelerate,
        use_global_endpoint,
        disable_multi_region_access_points: cfg
            .s3_disable_multiregion_access_points
            .unwrap_or(false),
        // The client-context value (the s3 config's use_arn_region) wins
        // over the builtin, whose default is True.
        use_arn_region: Some(cfg.use_arn_region.unwrap_or(true)),
        disable_s3_express_session_auth: Some(
            extras.s3_disable_express_session_auth.unwrap_or(false),
        ),
        ..EndpointParams::default()
    };
    extras
        .client_context
        .apply(&extras.builtins_not_bool, &mut p);
    apply_static_context_params(operation, &mut p);
    p
}

/// [`params_for_bucket_operation`] + [`resolve`] + what botocore's
/// `EndpointRulesetResolver.construct_endpoint` does to the result: with
/// `use_ssl=False` and no custom endpoint, `https://` becomes `http://`;
/// headers keep only their first value.
pub fn resolve_bucket_operation(
    cfg: &ClientEndpointConfig,
    extras: &ClientEndpointExtras,
    operation: &str,
    bucket: &str,
) -> Result<ResolvedEndpoint, Error> {
    let params = params_for_bucket_operation_with(cfg, extras, operation, bucket);
    let mut ep = resolve(&params)?;
    if !extras.use_ssl.unwrap_or(true) && params.endpoint.is_none() {
        if let Some(rest) = ep.url.strip_prefix("https://") {
            ep.url = format!("http://{rest}");
        }
    }
    for (_, values) in &mut ep.headers {
        values.truncate(1);
    }
    Ok(ep)
}

/// The botocore exception an S3 client raises for a ruleset error message
/// (`EndpointRulesetResolver.ruleset_error_to_botocore_exception`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TranslatedRuleError {
    pub class_name: &'static str,
    /// `str(exception)`.
    pub message: String,
    /// The exception's constructor keyword arguments.
    pub kwargs: Vec<(&'static str, String)>,
}

pub fn translate_rule_error(msg: &str) -> TranslatedRuleError {
    let t = |class_name, message: String, key, value: &str| TranslatedRuleError {
        class_name,
        message,
        kwargs: vec![(key, value.to_owned())],
    };
    if msg.starts_with("Invalid region in ARN: ") {
        let label = msg.split('`').nth(1).unwrap_or(msg);
        return t(
            "InvalidHostLabelError",
            format!("Invalid host label to be bound to the hostname of the endpoint: \"{label}\"."),
            "label",
            label,
        );
    }
    if msg == "S3 Object Lambda does not support S3 Accelerate"
        || msg == "Accelerate cannot be used with FIPS"
    {
        return t(
            "UnsupportedS3ConfigurationError",
            format!("Unsupported configuration when using S3: {msg}"),
            "msg",
            msg,
        );
    }
    const ACCESSPOINT_PREFIXES: [&str; 6] = [
        "S3 Outposts does not support",
        "S3 MRAP does not support",
        "S3 Object Lambda does not support",
        "Access Points do not support",
        "Invalid configuration:",
        "Client was configured for partition",
    ];
    if ACCESSPOINT_PREFIXES.iter().any(|p| msg.starts_with(p)) {
        return t(
            "UnsupportedS3AccesspointConfigurationError",
            format!("Unsupported configuration when using S3 access-points: {msg}"),
            "msg",
            msg,
        );
    }
    if msg.to_lowercase().starts_with("invalid arn:") {
        return t(
            "ParamValidationError",
            format!("Parameter validation failed:\n{msg}"),
            "report",
            msg,
        );
    }
    t("EndpointResolutionError", msg.to_owned(), "msg", msg)
}

/// Turn an `EndpointResolution` error into the crate error botocore's
/// client would raise where the crate has a matching variant
/// (`ParamValidationError` for "Invalid ARN: ..."); others pass through.
pub fn to_client_error(err: Error) -> Error {
    match err {
        Error::EndpointResolution { msg }
            if translate_rule_error(&msg).class_name == "ParamValidationError" =>
        {
            Error::ParamValidation(msg)
        }
        other => other,
    }
}
