//! `AssumeRoleProvider` and `AssumeRoleWithWebIdentityProvider`: profiles
//! with `role_arn` (+ `source_profile` or `credential_source`), and web
//! identity tokens from a file. Both hand out deferred credentials: STS is
//! called at first use, and again as they near expiry.

use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use super::refresh::{Fetch, FetchFuture, Fetched};
use super::sts::ServiceClient;
use super::{CredentialSource, Ctx, Provider, RefreshableCredentials};
use crate::config_file::{py_repr_str, Profile};
use crate::error::{Error, Result};
use crate::transport::Lane;

pub const METHOD: &str = "assume-role";
pub const WEB_IDENTITY_METHOD: &str = "assume-role-with-web-identity";

/// `CanonicalNameCredentialSourcer`'s providers (env, container, IMDS).
const CREDENTIAL_SOURCES: [&str; 3] = ["Environment", "EcsContainer", "Ec2InstanceMetadata"];

/// The providers `ProfileProviderBuilder.providers()` makes for a source
/// profile (env vars disabled).
const PROFILE_PROVIDERS: [Provider; 6] = [
    Provider::AssumeRoleWithWebIdentity,
    Provider::Sso,
    Provider::SharedCredentialsFile,
    Provider::Login,
    Provider::CustomProcess,
    Provider::ConfigFile,
];

fn invalid_config(error_msg: String) -> Error {
    Error::InvalidConfig { error_msg }
}

/// `_has_assume_role_config_vars`.
pub fn has_assume_role_vars(profile: &Profile) -> bool {
    profile.contains("role_arn") && !profile.contains("web_identity_token_file")
}

fn has_static_credentials(profile: &Profile) -> bool {
    profile.contains("aws_secret_access_key") || profile.contains("aws_access_key_id")
}

/// Python's `repr()` of a list of str.
fn py_list(items: &[String]) -> String {
    format!(
        "[{}]",
        items
            .iter()
            .map(|s| py_repr_str(s))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// `AssumeRoleProvider.load`.
pub fn provider(ctx: &Ctx) -> Result<Option<CredentialSource>> {
    let Some(profile) = ctx.cfg.profile(ctx.name) else {
        return Ok(None);
    };
    if !has_assume_role_vars(profile) {
        return Ok(None);
    }
    let mut visited = vec![ctx.name.to_string()];
    load_via_assume_role(ctx, ctx.name, &mut visited).map(Some)
}

struct RoleConfig {
    role_arn: String,
    external_id: Option<String>,
    mfa_serial: Option<String>,
    role_session_name: Option<String>,
    source_profile: Option<String>,
    credential_source: Option<String>,
    duration_seconds: Option<i64>,
}

/// `_get_role_config`, validation included.
fn role_config(ctx: &Ctx, name: &str, visited: &[String]) -> Result<RoleConfig> {
    let profile = ctx.cfg.profile(name).expect("checked by the caller");
    let get = |k: &str| profile.get(k).map(str::to_string);
    let config = RoleConfig {
        role_arn: get("role_arn").unwrap_or_default(),
        external_id: get("external_id"),
        mfa_serial: get("mfa_serial"),
        role_session_name: get("role_session_name"),
        source_profile: get("source_profile"),
        credential_source: get("credential_source"),
        duration_seconds: get("duration_seconds").and_then(|d| d.trim().parse().ok()),
    };
    match (&config.credential_source, &config.source_profile) {
        (Some(_), Some(_)) => Err(invalid_config(format!(
            "The profile \"{name}\" contains both source_profile and credential_source."
        ))),
        (None, None) => Err(Error::PartialCredentials {
            provider: METHOD.into(),
            cred_var: "source_profile or credential_source".into(),
        }),
        (Some(source), None) => {
            if !CREDENTIAL_SOURCES.contains(&source.as_str()) {
                return Err(invalid_config(format!(
                    "The credential source \"{source}\" referenced in profile \"{name}\" is not \
                     valid."
                )));
            }
            Ok(config)
        }
        (None, Some(source)) => {
            let Some(source_profile) = ctx.cfg.profile(source) else {
                return Err(invalid_config(format!(
                    "The source_profile \"{source}\" referenced in the profile \"{name}\" does \
                     not exist."
                )));
            };
            if visited.iter().any(|v| v == source)
                && (source != name || !has_static_credentials(source_profile))
            {
                return Err(Error::Botocore {
                    class: "InfiniteLoopConfigError",
                    message: format!(
                        "Infinite loop in credential configuration detected. Attempting to load \
                         from profile {source} which has already been visited. Visited profiles: \
                         {}",
                        py_list(visited)
                    ),
                    kwargs: vec![
                        ("source_profile", source.clone()),
                        ("visited_profiles", py_list(visited)),
                    ],
                });
            }
            Ok(config)
        }
    }
}

fn load_via_assume_role(
    ctx: &Ctx,
    name: &str,
    visited: &mut Vec<String>,
) -> Result<CredentialSource> {
    let role = role_config(ctx, name, visited)?;
    let source = match (&role.credential_source, &role.source_profile) {
        (Some(source), _) => from_credential_source(ctx, source, name)?,
        (None, Some(source)) => {
            visited.push(source.clone());
            from_source_profile(ctx, source, visited)?
        }
        (None, None) => unreachable!("role_config rejects this"),
    };
    // The STS client is the session's: its profile, region and endpoint.
    let sts = ServiceClient::sts(
        ctx.env,
        ctx.cfg,
        ctx.session_profile,
        ctx.options.region.as_deref(),
        ctx.options.user_agent.as_deref(),
    )?;
    let session_name_given = role.role_session_name.is_some();
    let session_name = role
        .role_session_name
        .clone()
        .filter(|n| !n.is_empty())
        .unwrap_or_else(default_session_name);
    let fetcher = AssumeRoleFetcher {
        sts,
        source,
        role_arn: role.role_arn,
        session_name,
        session_name_given,
        external_id: role.external_id,
        mfa_serial: role.mfa_serial,
        duration_seconds: role.duration_seconds,
    };
    Ok(CredentialSource::Refreshable(Arc::new(
        RefreshableCredentials::new(METHOD, None, Box::new(fetcher)),
    )))
}

/// `botocore-session-<unix time>`.
fn default_session_name() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    format!("botocore-session-{secs}")
}

/// `_resolve_credentials_from_source`.
fn from_credential_source(ctx: &Ctx, source: &str, name: &str) -> Result<CredentialSource> {
    let found = match source {
        "Environment" => Provider::Env.load(ctx)?,
        "EcsContainer" => Provider::ContainerRole.load(ctx)?,
        _ => Provider::InstanceMetadata.load(ctx)?,
    };
    found.ok_or_else(|| Error::CredentialRetrieval {
        provider: source.to_string(),
        error_msg: format!(
            "No credentials found in credential_source referenced in profile {name}"
        ),
    })
}

/// `_resolve_credentials_from_profile`.
fn from_source_profile(
    ctx: &Ctx,
    source: &str,
    visited: &mut Vec<String>,
) -> Result<CredentialSource> {
    let profile = ctx.cfg.profile(source).expect("validated");
    if has_static_credentials(profile) || !has_assume_role_vars(profile) {
        let sub = ctx.for_profile(source);
        for provider in PROFILE_PROVIDERS {
            if let Some(found) = provider.load(&sub)? {
                return Ok(found);
            }
        }
        return Err(invalid_config(format!(
            "The source profile \"{source}\" must have credentials."
        )));
    }
    load_via_assume_role(ctx, source, visited)
}

struct AssumeRoleFetcher {
    sts: ServiceClient,
    source: CredentialSource,
    role_arn: String,
    session_name: String,
    /// `role_session_name` was configured: it leads the kwargs dict.
    session_name_given: bool,
    external_id: Option<String>,
    mfa_serial: Option<String>,
    duration_seconds: Option<i64>,
}

impl AssumeRoleFetcher {
    async fn assume_role(&self, lane: Lane) -> Result<Fetched> {
        if self.mfa_serial.is_some() {
            // botocore prompts on the terminal for the token code (and
            // refuses to refresh); the core has no terminal to ask.
            return Err(Error::Botocore {
                class: "RefreshWithMFAUnsupportedError",
                message: "Cannot refresh credentials: MFA token required.".into(),
                kwargs: vec![],
            });
        }
        let source = self.source.frozen(lane).await?;
        // The query serializer follows the kwargs dict's order, which is
        // the order `_load_creds_via_assume_role` and the fetcher fill it.
        let mut params = Vec::new();
        if self.session_name_given {
            params.push(("RoleSessionName", self.session_name.clone()));
        }
        if let Some(id) = &self.external_id {
            params.push(("ExternalId", id.clone()));
        }
        if let Some(d) = self.duration_seconds {
            params.push(("DurationSeconds", d.to_string()));
        }
        params.push(("RoleArn", self.role_arn.clone()));
        if !self.session_name_given {
            params.push(("RoleSessionName", self.session_name.clone()));
        }
        let mut fetched = self
            .sts
            .sts_call("AssumeRole", &params, Some(&source), lane)
            .await?;
        fetched.credentials.method = METHOD.into();
        Ok(fetched)
    }
}

impl Fetch for AssumeRoleFetcher {
    fn fetch(&self, lane: Lane) -> FetchFuture<'_> {
        Box::pin(self.assume_role(lane))
    }
}

/// `AssumeRoleWithWebIdentityProvider.load`: env vars (unless a profile
/// was named) before the profile's keys.
pub fn web_identity_provider(ctx: &Ctx) -> Result<Option<CredentialSource>> {
    let profile = ctx.cfg.profile(ctx.name);
    let config = |key: &str, env_var: &str| -> Option<String> {
        if !ctx.disable_env {
            if let Some(v) = ctx.env.var(env_var) {
                return Some(v.to_string());
            }
        }
        profile.and_then(|p| p.get(key)).map(str::to_string)
    };
    let Some(token_path) =
        config("web_identity_token_file", "AWS_WEB_IDENTITY_TOKEN_FILE").filter(|p| !p.is_empty())
    else {
        return Ok(None);
    };
    let Some(role_arn) = config("role_arn", "AWS_ROLE_ARN").filter(|r| !r.is_empty()) else {
        return Err(invalid_config(
            "The provided profile or the current environment is configured to assume role with \
             web identity but has no role ARN configured. Ensure that the profile has the \
             role_arnconfiguration set or the AWS_ROLE_ARN env var is set."
                .into(),
        ));
    };
    let configured_name = config("role_session_name", "AWS_ROLE_SESSION_NAME");
    let session_name_given = configured_name.is_some();
    let session_name = configured_name
        .filter(|n| !n.is_empty())
        .unwrap_or_else(default_session_name);
    let sts = ServiceClient::sts(
        ctx.env,
        ctx.cfg,
        ctx.session_profile,
        ctx.options.region.as_deref(),
        ctx.options.user_agent.as_deref(),
    )?;
    let fetcher = WebIdentityFetcher {
        sts,
        token_path,
        role_arn,
        session_name,
        session_name_given,
    };
    Ok(Some(CredentialSource::Refreshable(Arc::new(
        RefreshableCredentials::new(WEB_IDENTITY_METHOD, None, Box::new(fetcher)),
    ))))
}

struct WebIdentityFetcher {
    sts: ServiceClient,
    /// Opened as given (no `~` expansion), as `FileWebIdentityTokenLoader`.
    token_path: String,
    role_arn: String,
    session_name: String,
    session_name_given: bool,
}

impl WebIdentityFetcher {
    async fn assume_role(&self, lane: Lane) -> Result<Fetched> {
        // FileWebIdentityTokenLoader: the file is read on every fetch (the
        // token rotates).
        let token = std::fs::read_to_string(&self.token_path)
            .map_err(|e| super::http::os_error(&e, &self.token_path))?;
        // The kwargs dict's order, as the provider and fetcher fill it.
        let mut params = Vec::new();
        if self.session_name_given {
            params.push(("RoleSessionName", self.session_name.clone()));
        }
        params.push(("RoleArn", self.role_arn.clone()));
        if !self.session_name_given {
            params.push(("RoleSessionName", self.session_name.clone()));
        }
        params.push(("WebIdentityToken", token));
        let mut fetched = self
            .sts
            .sts_call("AssumeRoleWithWebIdentity", &params, None, lane)
            .await?;
        fetched.credentials.method = WEB_IDENTITY_METHOD.into();
        Ok(fetched)
    }
}

impl Fetch for WebIdentityFetcher {
    fn fetch(&self, lane: Lane) -> FetchFuture<'_> {
        Box::pin(self.assume_role(lane))
    }
}
