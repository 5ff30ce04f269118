//! Turning what the user passed (client arguments and `Config`) plus the
//! environment and the shared config files into resolved client options,
//! with botocore's precedence: argument > Config > environment > config file
//! > default.

use std::time::Duration;

use crate::client::{ClientOptions, RetryMode, SignatureVersion};
use crate::config_file::{ActiveProfile, Env, SharedConfig};
use crate::credentials::{self, ChainOptions, CredentialSource, ExplicitCredentials};
use crate::endpoint::{
    self, ClientContext, ClientEndpointConfig, ClientEndpointExtras, RulesetFlag,
};
use crate::error::{Error, Result};
use crate::transport::TransportOptions;

/// `Session(...)` arguments.
#[derive(Debug, Clone, Default)]
pub struct SessionArgs {
    pub aws_access_key_id: Option<String>,
    pub aws_secret_access_key: Option<String>,
    pub aws_session_token: Option<String>,
    pub aws_account_id: Option<String>,
    pub region_name: Option<String>,
    pub profile_name: Option<String>,
}

/// `client(...)` arguments with `Config` flattened in; the region already
/// merged over the session's by the caller.
#[derive(Debug, Clone, Default)]
pub struct ClientArgs {
    pub session: SessionArgs,
    /// Credentials given to `client(...)` itself (they beat the session's).
    pub client_credentials: ExplicitCredentials,
    /// The session's credentials, shared with its other clients; `None`:
    /// this client finds its own.
    pub session_credentials: Option<std::sync::Arc<SessionCredentials>>,
    pub endpoint_url: Option<String>,
    pub use_ssl: bool,
    pub verify: Option<bool>,
    pub ca_bundle: Option<String>,
    pub signature_version: Option<String>,
    /// `Config(signature_version=botocore.UNSIGNED)` (or fastboto's): an
    /// object, so the string `"unsigned"` stays an unknown name.
    pub unsigned: bool,
    /// `Config(sigv4a_signing_region_set=...)`.
    pub sigv4a_signing_region_set: Option<String>,
    /// `Config(region_name=...)` by itself (botocore consults it apart).
    pub config_region_name: Option<String>,
    /// The TypeError of matching a `Config.region_name` that is not a str
    /// against a region regex (then `config_region_name` is `None`).
    pub config_region_name_type_error: Option<String>,
    pub user_agent: String,
    pub user_agent_extra: Option<String>,
    /// `Config(user_agent=...)`: replaces fastboto's own string, as botocore's
    /// legacy override does (then only the extra is appended).
    pub user_agent_override: Option<String>,
    pub user_agent_appid: Option<String>,
    pub connect_timeout: Option<f64>,
    pub read_timeout: Option<f64>,
    /// `Config(max_pool_connections=...)`; 0 stands for botocore's `<= 0`:
    /// urllib3 then keeps every connection it opens.
    pub max_pool_connections: Option<u32>,
    pub tcp_keepalive: Option<bool>,
    /// `Config(client_cert=...)`: (certificate path, key path if separate).
    pub client_cert: Option<crate::tls::ClientCert>,
    /// See [`ClientOptions::send_error`].
    pub send_error: Option<String>,
    /// See [`ClientOptions::read_error`].
    pub read_error: Option<String>,
    /// `Config(proxies=...)`; `None` when not given (an empty dict is
    /// given: no proxies, the environment ignored, as botocore).
    pub proxies: Option<Vec<(String, String)>>,
    pub retry_mode: Option<String>,
    /// `Config(defaults_mode=...)`.
    pub defaults_mode: Option<String>,
    pub max_attempts: Option<u32>,
    pub total_max_attempts: Option<u32>,
    pub addressing_style: Option<String>,
    /// `Config(ignore_configured_endpoint_urls=...)` (its truthiness).
    pub ignore_configured_endpoint_urls: Option<bool>,
    pub s3_use_dualstack_endpoint: Option<bool>,
    pub s3_use_accelerate_endpoint: Option<bool>,
    pub s3_us_east_1_regional_endpoint: Option<String>,
    pub s3_use_arn_region: Option<bool>,
    pub s3_disable_multiregion_access_points: Option<bool>,
    /// `Config(s3={"disable_s3_express_session_auth": ...})` as given.
    pub s3_disable_express_session_auth: Option<RawFlag>,
    /// Every `Config(s3=...)` entry, typed as the endpoint rules see it
    /// (`None`: the value is Python's `None`).
    pub s3_entries: Vec<(String, Option<RulesetFlag>)>,
    /// `Config(parameter_validation=...)`'s truthiness, when a Config is given.
    pub parameter_validation: Option<bool>,
    /// `Config(client_context_params=...)`, typed the same way.
    pub client_context_params: Vec<(String, Option<RulesetFlag>)>,
    pub legacy_content_md5: Option<bool>,
    pub s3_payload_signing_enabled: Option<bool>,
    pub use_fips_endpoint: Option<bool>,
    pub use_dualstack_endpoint: Option<bool>,
    pub request_checksum_calculation: Option<String>,
    pub response_checksum_validation: Option<String>,
}

/// A `Config` value botocore validates as a boolean: its `str()`, and
/// whether it is a `bool` or a `str` at all (anything else is refused).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawFlag {
    pub shown: String,
    pub bool_or_str: bool,
}

/// botocore's `_compute_s3_disable_express_session_auth`: the `Config`'s
/// `s3` value, else `AWS_S3_DISABLE_EXPRESS_SESSION_AUTH` /
/// `s3_disable_express_session_auth`; a bool or `"true"`/`"false"` in any
/// case, else InvalidConfigError.
fn s3_disable_express_session_auth(args: &ClientArgs, ctx: &Context) -> Result<Option<bool>> {
    let (shown, bool_or_str) = match &args.s3_disable_express_session_auth {
        Some(flag) => (flag.shown.clone(), flag.bool_or_str),
        None => match ctx.setting("s3_disable_express_session_auth") {
            Some(value) => (value, true),
            None => return Ok(None),
        },
    };
    let lower = shown.to_lowercase();
    if !bool_or_str || !(lower == "true" || lower == "false") {
        return Err(Error::InvalidConfig {
            error_msg: format!(
                "Invalid value \"{shown}\" for s3_disable_express_session_auth. Value must be a \
                 boolean"
            ),
        });
    }
    Ok(Some(lower == "true"))
}

#[derive(Debug, Clone)]
pub struct ResolvedSession {
    pub profile_name: String,
    pub region_name: Option<String>,
    pub available_profiles: Vec<String>,
}

struct Context {
    env: Env,
    shared: SharedConfig,
    active: ActiveProfile,
    /// The profile name settings are read from (`default` when none named).
    profile: String,
}

fn session_explicit(args: &SessionArgs) -> ExplicitCredentials {
    ExplicitCredentials {
        access_key: args.aws_access_key_id.clone(),
        secret_key: args.aws_secret_access_key.clone(),
        token: args.aws_session_token.clone(),
        account_id: args.aws_account_id.clone(),
    }
}

impl Context {
    fn load(args: &SessionArgs) -> Result<Context> {
        let env = Env::from_process();
        let shared = SharedConfig::load(&env)?;
        let active = shared.active_profile(args.profile_name.as_deref(), &env)?;
        let profile = active.name().to_string();
        Ok(Context {
            env,
            shared,
            active,
            profile,
        })
    }

    fn setting(&self, name: &str) -> Option<String> {
        self.shared.setting(&self.env, &self.profile, name)
    }

    /// botocore's `create_client`: client arguments, else the session's
    /// explicit credentials, else the default provider chain.
    ///
    /// May fetch over the network (container, IMDS): not under
    /// `fork::critical`, not inside a runtime.
    fn credentials(
        &self,
        client: &ExplicitCredentials,
        session: &SessionArgs,
        cache: &SessionCredentials,
        options: &ChainOptions,
    ) -> Result<Option<CredentialSource>> {
        if client.access_key.is_some() || client.secret_key.is_some() {
            return credentials::resolve_source(
                client.clone(),
                &self.active,
                &self.env,
                &self.shared,
                options,
            );
        }
        cache.get_or_resolve(|| {
            if let Some(creds) = credentials::session_credentials(&session_explicit(session))? {
                return Ok(Some(CredentialSource::Static(creds)));
            }
            credentials::load_chain(&self.active, &self.env, &self.shared, options)
        })
    }
}

pub fn resolve_session(args: &SessionArgs) -> Result<ResolvedSession> {
    let ctx = Context::load(args)?;
    Ok(ResolvedSession {
        region_name: ctx
            .shared
            .region(&ctx.env, &ctx.profile, args.region_name.as_deref()),
        available_profiles: ctx.shared.available_profiles(),
        profile_name: ctx.profile,
    })
}

/// A session's credentials once found (botocore's `Session._credentials`):
/// `get_credentials()` and every client of the session without keys of its
/// own share them, so a `credential_process` runs once per session and
/// temporary credentials are refreshed in one place.
///
/// Nothing is kept while the chain finds nothing or fails: botocore walks
/// it again next time.
#[derive(Debug, Default)]
pub struct SessionCredentials {
    found: std::sync::Mutex<Option<CredentialSource>>,
}

impl SessionCredentials {
    fn get_or_resolve(
        &self,
        resolve: impl FnOnce() -> Result<Option<CredentialSource>>,
    ) -> Result<Option<CredentialSource>> {
        let cached =
            crate::fork::critical(|| self.found.lock().unwrap_or_else(|e| e.into_inner()).clone());
        if cached.is_some() {
            return Ok(cached);
        }
        // Resolved outside the lock: the chain may run a process or wait on
        // the network. Two threads racing here both walk it, as in botocore.
        let resolved = resolve()?;
        if let Some(source) = &resolved {
            crate::fork::critical(|| {
                self.found
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .get_or_insert_with(|| source.clone());
            });
        }
        Ok(resolved)
    }
}

/// `Session.get_credentials()`: the session's credentials, found now if
/// not yet (temporary ones not fetched until frozen).
pub fn session_credentials(
    args: &SessionArgs,
    cache: &SessionCredentials,
) -> Result<Option<CredentialSource>> {
    let ctx = Context::load(args)?;
    let options = ChainOptions {
        region: ctx
            .shared
            .region(&ctx.env, &ctx.profile, args.region_name.as_deref()),
        user_agent: None,
    };
    ctx.credentials(&ExplicitCredentials::default(), args, cache, &options)
}

/// botocore's `validate_region_name`: the region must be a host label
/// (`^(?![0-9]+$)(?!-)[a-zA-Z0-9-]{,63}(?<!-)$`, Python's `$` included).
pub(crate) fn validate_region_name(region: &str) -> Result<()> {
    let label = region.strip_suffix('\n').unwrap_or(region);
    let valid = label.len() <= 63
        && label
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !label.starts_with('-')
        && !label.ends_with('-')
        && (label.is_empty() || !label.bytes().all(|b| b.is_ascii_digit()));
    if valid {
        Ok(())
    } else {
        Err(Error::InvalidRegion {
            region_name: region.to_string(),
        })
    }
}

/// botocore's `sanitize_user_agent_string_component(..., allow_hash=True)`.
fn user_agent_char(c: char) -> char {
    if c.is_ascii_alphanumeric() || "!$%&'*+-.^_`|~,#".contains(c) {
        c
    } else {
        '-'
    }
}

/// The config store's `s3` variables botocore converts with `ensure_boolean`;
/// the section's other keys stay strings.
const S3_BOOLEAN_VARIABLES: [&str; 5] = [
    "use_accelerate_endpoint",
    "use_dualstack_endpoint",
    "payload_signing_enabled",
    "use_arn_region",
    "s3_disable_multiregion_access_points",
];

/// The S3 ruleset's client context as botocore's `ClientArgsCreator`
/// builds it — `Config(client_context_params=...)` updated with
/// `compute_s3_config` (the config store's `s3` section updated with
/// `Config(s3=...)`) — and which of the builtins botocore takes from that
/// S3 config are not bools.
fn client_context(
    args: &ClientArgs,
    store: Option<&[(String, String)]>,
) -> (ClientContext, Vec<&'static str>) {
    // Outer `None`: the S3 config has no such key.
    let s3_value = |key: &str| -> Option<Option<RulesetFlag>> {
        if let Some((_, v)) = args.s3_entries.iter().find(|(k, _)| k == key) {
            return Some(*v);
        }
        let (_, v) = store?.iter().find(|(k, _)| k == key)?;
        Some(Some(if S3_BOOLEAN_VARIABLES.contains(&key) {
            RulesetFlag::Bool(v.eq_ignore_ascii_case("true"))
        } else {
            RulesetFlag::NotBool
        }))
    };
    let mut context = ClientContext::default();
    for (snake, _) in ClientContext::NAMES {
        let value = s3_value(snake).unwrap_or_else(|| {
            args.client_context_params
                .iter()
                .find(|(k, _)| k == snake)
                .and_then(|(_, v)| *v)
        });
        context.set(snake, value);
    }
    let builtins_not_bool = [
        ("Accelerate", "use_accelerate_endpoint"),
        ("UseArnRegion", "use_arn_region"),
        (
            "DisableMultiRegionAccessPoints",
            "s3_disable_multiregion_access_points",
        ),
    ]
    .into_iter()
    .filter(|(_, key)| s3_value(key) == Some(Some(RulesetFlag::NotBool)))
    .map(|(name, _)| name)
    .collect();
    (context, builtins_not_bool)
}

fn parse_bool(value: Option<String>) -> Option<bool> {
    value.map(|v| v.trim().eq_ignore_ascii_case("true"))
}

/// Validates a checksum setting as botocore's client creation does and
/// returns it lower-cased (default `when_supported`).
fn checksum_setting(config_key: &str, value: Option<String>, valid: [&str; 2]) -> Result<String> {
    let Some(v) = value else {
        return Ok(valid[0].to_string());
    };
    let lower = v.to_ascii_lowercase();
    if !valid.contains(&lower.as_str()) {
        return Err(Error::InvalidChecksumConfig {
            config_key: config_key.to_string(),
            config_value: v,
            valid_options: format!("('{}', '{}')", valid[0], valid[1]),
        });
    }
    Ok(lower)
}

/// What a `defaults_mode` other than `legacy` changes (botocore's
/// sdk-default-configuration.json): these become the defaults that
/// arguments, `Config`, the environment and the config file override.
#[derive(Debug, Clone, Copy)]
struct SmartDefaults {
    connect_timeout: f64,
}

/// botocore's `_resolve_defaults_mode` and `merge_smart_defaults`. `auto`
/// looks at `AWS_EXECUTION_ENV` + `AWS_REGION`/`AWS_DEFAULT_REGION` as
/// botocore does; the instance-metadata region botocore would ask for next
/// is not fetched (so off EC2 both give `standard`).
fn smart_defaults(
    args: &ClientArgs,
    ctx: &Context,
    region: Option<&str>,
) -> Result<Option<SmartDefaults>> {
    let mode = args
        .defaults_mode
        .clone()
        .filter(|m| !m.is_empty())
        .or_else(|| {
            ctx.shared
                .setting_or_default(&ctx.env, &ctx.profile, "defaults_mode")
        })
        .unwrap_or_else(|| "legacy".into());
    let lower = mode.to_lowercase();
    if !crate::error::DEFAULTS_MODES.contains(&lower.as_str()) {
        return Err(Error::InvalidDefaultsMode { mode });
    }
    let resolved = match lower.as_str() {
        "legacy" => return Ok(None),
        "auto" => {
            let current = ctx
                .env
                .get_nonempty("AWS_EXECUTION_ENV")
                .and_then(|_| {
                    ctx.env
                        .get("AWS_REGION")
                        .or_else(|| ctx.env.get("AWS_DEFAULT_REGION"))
                })
                .filter(|r| !r.is_empty());
            match current {
                Some(current) if Some(current.as_str()) == region => "in-region",
                Some(_) => "cross-region",
                None => "standard",
            }
        }
        other => other,
    }
    .to_string();
    let connect_timeout = match resolved.as_str() {
        "in-region" => 1.1,
        "mobile" => 30.0,
        _ => 3.1,
    };
    Ok(Some(SmartDefaults { connect_timeout }))
}

/// Read for `client.meta.config` alone: S3's calls do not use them.
const REPORTED_SETTINGS: [&str; 8] = [
    "user_agent_appid",
    "sigv4a_signing_region_set",
    "auth_scheme_preference",
    "disable_host_prefix_injection",
    "request_min_compression_size_bytes",
    "disable_request_compression",
    "account_id_endpoint_mode",
    "max_attempts",
];

/// The longest timeout fastboto arms (about 31 years): longer ones, which
/// botocore accepts, would overflow the runtime's clock arithmetic.
const MAX_TIMEOUT_SECS: f64 = 1e9;

/// Everything a client needs. The files and settings are read under
/// `fork::critical`; the credential chain, which may fetch over the
/// network, runs after it on the calling thread.
pub fn resolve_client(args: ClientArgs) -> Result<ClientOptions> {
    let (mut options, ctx) = crate::fork::critical(|| resolve_client_settings(&args))?;
    if options.signature_version != SignatureVersion::Unsigned {
        let chain = ChainOptions {
            region: options.endpoint.region.clone(),
            user_agent: Some(options.user_agent.clone()),
        };
        let own_cache;
        let cache = match &args.session_credentials {
            Some(shared) => shared.as_ref(),
            None => {
                own_cache = SessionCredentials::default();
                &own_cache
            }
        };
        options.credentials =
            ctx.credentials(&args.client_credentials, &args.session, cache, &chain)?;
    }
    Ok(options)
}

fn resolve_client_settings(args: &ClientArgs) -> Result<(ClientOptions, Context)> {
    let ctx = Context::load(&args.session)?;
    let region = ctx
        .shared
        .region(&ctx.env, &ctx.profile, args.session.region_name.as_deref());
    if let Some(r) = &region {
        validate_region_name(r)?;
    }
    let smart = smart_defaults(args, &ctx, region.as_deref())?;

    let ignore_configured = args
        .ignore_configured_endpoint_urls
        .or_else(|| parse_bool(ctx.setting("ignore_configured_endpoint_urls")))
        .unwrap_or(false);
    let endpoint_url = match args.endpoint_url.clone() {
        Some(url) => Some(url),
        None if ignore_configured => None,
        None => ctx
            .shared
            .configured_endpoint_url(&ctx.env, &ctx.profile, "s3")
            .map_err(|e| Error::InvalidConfig {
                error_msg: e.error_msg,
            })?,
    };

    let nested = |key: &str| ctx.setting(&format!("s3.{key}"));
    let endpoint = ClientEndpointConfig {
        region,
        endpoint_url,
        addressing_style: args
            .addressing_style
            .clone()
            .or_else(|| nested("addressing_style")),
        // botocore's order for S3: Config.s3 → the profile's nested s3 block
        // (only when true) → Config.use_dualstack_endpoint → env / profile.
        use_dualstack_endpoint: args
            .s3_use_dualstack_endpoint
            .or_else(|| parse_bool(nested("use_dualstack_endpoint")).filter(|v| *v))
            .or(args.use_dualstack_endpoint)
            .or_else(|| parse_bool(ctx.setting("use_dualstack_endpoint"))),
        use_fips_endpoint: args
            .use_fips_endpoint
            .or_else(|| parse_bool(ctx.setting("use_fips_endpoint"))),
        use_accelerate_endpoint: args
            .s3_use_accelerate_endpoint
            .or_else(|| parse_bool(nested("use_accelerate_endpoint"))),
        us_east_1_regional_endpoint: args
            .s3_us_east_1_regional_endpoint
            .clone()
            .or_else(|| nested("us_east_1_regional_endpoint"))
            .or_else(|| smart.map(|_| "regional".to_string())),
        use_arn_region: args
            .s3_use_arn_region
            .or_else(|| parse_bool(nested("use_arn_region"))),
        s3_disable_multiregion_access_points: args
            .s3_disable_multiregion_access_points
            .or_else(|| parse_bool(nested("s3_disable_multiregion_access_points"))),
    };
    // botocore validates these whatever their source (its Config for the
    // addressing style, `_should_force_s3_global` for the us-east-1 one).
    if let Some(style) = &endpoint.addressing_style {
        if !["virtual", "auto", "path"].contains(&style.as_str()) {
            return Err(Error::InvalidS3AddressingStyle {
                style: style.clone(),
            });
        }
    }
    if let Some(value) = &endpoint.us_east_1_regional_endpoint {
        if !["legacy", "regional"].contains(&value.as_str()) {
            return Err(Error::InvalidS3UsEast1RegionalEndpoint {
                value: value.clone(),
            });
        }
    }
    let s3_config_store = ctx.shared.s3_section(&ctx.env, &ctx.profile);
    let (client_context, builtins_not_bool) = client_context(args, s3_config_store.as_deref());
    let endpoint_extras = ClientEndpointExtras {
        config_region_name: args.config_region_name.clone(),
        s3_disable_express_session_auth: s3_disable_express_session_auth(args, &ctx)?,
        use_ssl: Some(args.use_ssl),
        client_context,
        builtins_not_bool,
    };
    if let Some(message) = &args.config_region_name_type_error {
        // A Config.region_name that is not a str fails botocore's region
        // regex match where its legacy lookup reads it.
        if endpoint::legacy_lookup_reads_config_region(&endpoint, &endpoint_extras) {
            return Err(Error::Builtin {
                class: "TypeError",
                message: message.clone(),
            });
        }
    }
    let legacy_endpoint = endpoint::legacy_client_endpoint(&endpoint, &endpoint_extras)?;
    let region = endpoint::client_region_name(&endpoint, &endpoint_extras);

    let signature_version = match args.signature_version.as_deref() {
        _ if args.unsigned => SignatureVersion::Unsigned,
        // The SigV4 family: which of SigV4 and SigV4a signs a call is the
        // endpoint's auth scheme's choice (`Client::signing_for`).
        None | Some("s3v4") | Some("v4") | Some("s3v4a") | Some("v4a") => SignatureVersion::V4,
        Some("s3") => SignatureVersion::HmacV1,
        Some(_) => SignatureVersion::Unknown,
    };

    let request_checksum_calculation = checksum_setting(
        "request_checksum_calculation",
        args.request_checksum_calculation
            .clone()
            .or_else(|| ctx.setting("request_checksum_calculation")),
        ["when_supported", "when_required"],
    )?;
    let response_checksum_validation = checksum_setting(
        "response_checksum_validation",
        args.response_checksum_validation
            .clone()
            .or_else(|| ctx.setting("response_checksum_validation")),
        ["when_supported", "when_required"],
    )?;

    // Values from the environment or config file go through botocore's
    // Config validation too (InvalidRetryModeError, InvalidMaxRetryAttemptsError).
    let retry_mode = match args
        .retry_mode
        .clone()
        .or_else(|| ctx.setting("retry_mode"))
        .or_else(|| smart.map(|_| "standard".to_string()))
        .or_else(|| {
            ctx.shared
                .setting_or_default(&ctx.env, &ctx.profile, "retry_mode")
        })
        .as_deref()
    {
        Some("standard") | None => RetryMode::Standard,
        Some("adaptive") => RetryMode::Adaptive,
        Some("legacy") => RetryMode::Legacy,
        Some(other) => {
            return Err(Error::InvalidRetryMode {
                provided_retry_mode: other.to_string(),
            })
        }
    };
    let configured_attempts = match ctx.setting("max_attempts") {
        Some(v) => match v.trim().parse::<i64>() {
            Ok(n) if n >= 1 => Some(n as u32),
            Ok(n) => {
                return Err(Error::InvalidMaxRetryAttempts {
                    provided: n.to_string(),
                    min_value: 1,
                })
            }
            Err(_) => {
                return Err(Error::InvalidMaxRetryAttempts {
                    provided: v,
                    min_value: 1,
                })
            }
        },
        None => None,
    };
    let max_attempts = args
        .total_max_attempts
        .or(args.max_attempts.map(|retries| retries + 1))
        .or(configured_attempts)
        .unwrap_or(match retry_mode {
            RetryMode::Legacy => 5,
            _ => 3,
        });

    let legacy_content_md5 = args
        .legacy_content_md5
        .or_else(|| {
            parse_bool(
                ctx.env
                    .get("FASTBOTO_LEGACY_CONTENT_MD5")
                    .map(|v| v.to_string()),
            )
        })
        .or_else(|| {
            // The config file's `s3 =` block, under Config and environment.
            s3_config_store.as_deref().and_then(|entries| {
                entries
                    .iter()
                    .find(|(k, _)| k == "legacy_content_md5")
                    .and_then(|(_, v)| parse_bool(Some(v.clone())))
            })
        })
        .unwrap_or(false);

    let mut user_agent = match &args.user_agent_override {
        Some(custom) => custom.clone(),
        None => {
            let mut ua = args.user_agent.clone();
            let appid = args
                .user_agent_appid
                .clone()
                .or_else(|| ctx.setting("user_agent_appid"))
                .filter(|a| !a.is_empty());
            if let Some(appid) = appid {
                ua.push_str(" app/");
                ua.extend(appid.chars().map(user_agent_char));
            }
            ua
        }
    };
    if let Some(extra) = args.user_agent_extra.as_ref().filter(|e| !e.is_empty()) {
        user_agent.push(' ');
        user_agent.push_str(extra);
    }

    // urllib3 takes any positive number; one past what a timer can hold
    // (1e300, inf) waits as good as forever.
    let secs = |v: Option<f64>, default: u64| {
        v.filter(|s| !s.is_nan() && *s > 0.0)
            .map(|s| Duration::try_from_secs_f64(s.min(MAX_TIMEOUT_SECS)).unwrap_or(Duration::MAX))
            .unwrap_or(Duration::from_secs(default))
    };
    let mut options = ClientOptions {
        region,
        signing_region: legacy_endpoint.signing_region,
        meta_endpoint_url: legacy_endpoint.endpoint_url,
        partition: legacy_endpoint.partition,
        send_error: args.send_error.clone(),
        read_error: args.read_error.clone(),
        endpoint,
        endpoint_extras,
        credentials: None,
        signature_version,
        requested_signature_version: args.signature_version.clone().filter(|_| !args.unsigned),
        reported_settings: REPORTED_SETTINGS
            .iter()
            .map(|name| (*name, ctx.setting(name)))
            .collect(),
        s3_config_store,
        sigv4a_signing_region_set: args
            .sigv4a_signing_region_set
            .clone()
            .or_else(|| ctx.setting("sigv4a_signing_region_set")),
        legacy_content_md5,
        smart_defaults: smart.is_some(),
        // botocore: Config.s3 (its truthiness) over the profile's s3 block.
        payload_signing_enabled: args
            .s3_payload_signing_enabled
            .or_else(|| parse_bool(nested("payload_signing_enabled"))),
        // botocore's `_compute_client_args`: a Config that turns it off
        // wins; otherwise the profile's value (`ensure_boolean`) decides.
        parameter_validation: match args.parameter_validation {
            Some(false) => false,
            _ => match ctx
                .shared
                .scoped(&ctx.profile)
                .value("parameter_validation")
            {
                None => true,
                Some(crate::config_file::ConfigValue::Str(v)) => v.to_lowercase() == "true",
                Some(_) => false,
            },
        },
        user_agent,
        transport: TransportOptions {
            connect_timeout: match (args.connect_timeout, smart) {
                (None, Some(smart)) => Duration::from_secs_f64(smart.connect_timeout),
                (given, _) => secs(given, 60),
            },
            read_timeout: secs(args.read_timeout, 60),
            max_pool_connections: match args.max_pool_connections {
                Some(0) => usize::MAX,
                Some(n) => n as usize,
                None => 10,
            },
            // botocore: Config.tcp_keepalive, else the `tcp_keepalive`
            // setting (BOTOCORE_TCP_KEEPALIVE, profile) via ensure_boolean.
            tcp_keepalive: args
                .tcp_keepalive
                .or_else(|| {
                    ctx.setting("tcp_keepalive")
                        .map(|v| v.to_lowercase() == "true")
                })
                .unwrap_or(false),
            verify: args.verify.unwrap_or(true),
            ca_bundle: ca_bundle(args, &ctx)?,
            client_cert: args.client_cert.clone(),
            proxies: args.proxies.clone().unwrap_or_default(),
            no_proxy: false,
        },
        retry_mode,
        max_attempts,
        request_checksum_calculation,
        response_checksum_validation,
    };
    if args.proxies.is_none() {
        // botocore: `get_environ_proxies(endpoint_url)` when the Config
        // gives no proxies.
        let found = crate::transport::environ_proxies(|| display_endpoint_url(&options));
        options.transport.proxies = found;
    }
    Ok((options, ctx))
}

/// botocore's verify value as a CA bundle path: a `verify` path; else,
/// unless `verify` was given as a bool, `AWS_CA_BUNDLE` / the profile's
/// `ca_bundle`, then `REQUESTS_CA_BUNDLE`. An empty or whitespace-only path
/// is botocore 1.44's `InvalidConfigError` at client creation.
fn ca_bundle(args: &ClientArgs, ctx: &Context) -> Result<Option<String>> {
    let path = match (&args.ca_bundle, args.verify) {
        (Some(path), _) => Some(path.clone()),
        (None, Some(_)) => None,
        (None, None) => ctx
            .setting("ca_bundle")
            .or_else(|| ctx.env.get("REQUESTS_CA_BUNDLE")),
    };
    if path
        .as_deref()
        .is_some_and(|p| crate::config_file::py_strip(p).is_empty())
    {
        return Err(Error::InvalidConfig {
            error_msg: EMPTY_CA_BUNDLE.to_string(),
        });
    }
    Ok(path)
}

const EMPTY_CA_BUNDLE: &str = "Invalid CA bundle: the configured value (ca_bundle, \
    AWS_CA_BUNDLE, REQUESTS_CA_BUNDLE, or verify) resolved to an empty or whitespace-only \
    string. Provide a valid path to a CA bundle file.";

/// `client.meta.endpoint_url`: the custom endpoint as given, else the URL
/// botocore's legacy endpoint data gives the client's region.
pub fn display_endpoint_url(options: &ClientOptions) -> String {
    options.meta_endpoint_url.clone()
}
