//! Credentials, found where botocore 1.43 finds them and in the same order
//! (`botocore.credentials.create_credential_resolver`).
//!
//! How boto3 uses this (checked against boto3/botocore 1.43):
//! * `client(aws_access_key_id=..., aws_secret_access_key=...)` — both given
//!   (even as `""`): method `explicit`; exactly one given:
//!   `PartialCredentialsError(provider='explicit')` at client creation; a
//!   lone `aws_session_token` is ignored and the chain runs. → [`resolve`].
//! * `Session(aws_access_key_id=..., ...)` — stored as the session's
//!   credentials when any value is truthy, otherwise the chain runs.
//!   → [`session_credentials`], then [`default_chain`].
//! * The chain runs when a client is created (errors such as
//!   `PartialCredentialsError` from env vars or `CredentialRetrievalError`
//!   from `credential_process` surface from `client()`, not from
//!   `Session()`), once per session (botocore caches the result — the
//!   caller's job). Finding nothing is not an error here: botocore raises
//!   `NoCredentialsError` only when a request is signed.
//! * `Config(signature_version=UNSIGNED)` skips credentials entirely, chain
//!   errors included; callers must not run the chain then.
//! * Temporary credentials ([`CredentialSource::Refreshable`]): container and
//!   IMDS fetch while the chain is walked (as botocore's providers do);
//!   assume-role, web identity and SSO are deferred to the first signature.
//!   Both refresh within botocore's windows (`refresh.rs`). The chain may
//!   therefore wait on the network: [`load_chain`] runs outside
//!   `fork::critical` and without the GIL, on the calling thread's runtime.
//! * Not implemented: `login` (`aws login` sessions).

use std::fmt;

use crate::config_file::{ActiveProfile, ConfigValue, Env, Profile, SharedConfig};
use crate::error::{Error, Result};

mod assume_role;
mod container;
mod http;
mod imds;
mod legacy;
mod process;
pub mod refresh;
mod sso;
mod sts;

pub use refresh::{CredentialSource, Fetched, RefreshableCredentials};

use std::sync::Arc;

/// Runs a provider's first fetch where botocore makes it while the chain is
/// walked (container, IMDS): on the calling thread's runtime.
fn blocking<T>(f: impl std::future::Future<Output = T>) -> T {
    crate::transport::block_on_local(f)
}

/// `botocore.credentials.Credentials`.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    pub access_key: String,
    pub secret_key: String,
    pub token: Option<String>,
    /// Where they came from, in botocore's words: `explicit`, `env`,
    /// `shared-credentials-file`, `custom-process`, `config-file`,
    /// `ec2-credentials-file`, `boto-config`.
    pub method: String,
    /// The account the credentials belong to, where the source says
    /// (`aws_account_id`, `AWS_ACCOUNT_ID`, a process's `AccountId`, the
    /// role ARN of an assumed role, ...). S3 never uses it; botocore's
    /// `get_frozen_credentials()` shows it.
    pub account_id: Option<String>,
}

impl Credentials {
    pub fn new(
        access_key: impl Into<String>,
        secret_key: impl Into<String>,
        token: Option<String>,
        method: &str,
    ) -> Credentials {
        Credentials {
            access_key: access_key.into(),
            secret_key: secret_key.into(),
            token,
            method: method.to_string(),
            account_id: None,
        }
    }

    pub fn with_account_id(mut self, account_id: Option<String>) -> Credentials {
        self.account_id = account_id;
        self
    }
}

// Secrets must never reach logs or panic messages.
impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key", &self.access_key)
            .field("secret_key", &"<redacted>")
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .field("method", &self.method)
            .field("account_id", &self.account_id)
            .finish()
    }
}

/// Credentials passed as keyword arguments (`aws_access_key_id`,
/// `aws_secret_access_key`, `aws_session_token`).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct ExplicitCredentials {
    pub access_key: Option<String>,
    pub secret_key: Option<String>,
    pub token: Option<String>,
    /// `aws_account_id`: kept with a key and secret, ignored without them.
    pub account_id: Option<String>,
}

impl ExplicitCredentials {
    /// `any(credentials_kwargs.values())` in `boto3.Session.__init__`.
    pub fn any_truthy(&self) -> bool {
        [
            &self.access_key,
            &self.secret_key,
            &self.token,
            &self.account_id,
        ]
        .iter()
        .any(|v| v.as_deref().is_some_and(|s| !s.is_empty()))
    }
}

impl fmt::Debug for ExplicitCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ExplicitCredentials")
            .field("access_key", &self.access_key)
            .field(
                "secret_key",
                &self.secret_key.as_ref().map(|_| "<redacted>"),
            )
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

/// `botocore.session.Session._missing_cred_vars`.
fn missing_cred_var(explicit: &ExplicitCredentials) -> Option<&'static str> {
    match (&explicit.access_key, &explicit.secret_key) {
        (Some(_), None) => Some("aws_secret_access_key"),
        (None, Some(_)) => Some("aws_access_key_id"),
        _ => None,
    }
}

fn explicit_credentials(explicit: &ExplicitCredentials) -> Option<Credentials> {
    match (&explicit.access_key, &explicit.secret_key) {
        (Some(ak), Some(sk)) => Some(
            Credentials::new(ak, sk, explicit.token.clone(), "explicit")
                .with_account_id(explicit.account_id.clone()),
        ),
        _ => None,
    }
}

/// Client-level credentials as `botocore.session.Session.create_client`
/// picks them: explicit key and secret (`is not None`, so `""` counts) →
/// `PartialCredentialsError(provider='explicit')` when only one is given →
/// otherwise the default chain for `profile` (a lone token is ignored).
///
/// `profile` must say whether it was named by `Session(profile_name=)`:
/// that removes the env-var provider from botocore's chain, a profile from
/// `AWS_PROFILE` does not (verified: env keys + `profile_name="p"` →
/// `shared-credentials-file`; env keys + `AWS_PROFILE=p` → `env`).
pub fn resolve(
    explicit: ExplicitCredentials,
    profile: &ActiveProfile,
    env: &Env,
    cfg: &SharedConfig,
) -> Result<Option<Credentials>> {
    resolve_source(explicit, profile, env, cfg, &ChainOptions::default())?
        .map(|s| s.frozen_blocking())
        .transpose()
}

/// [`resolve`], keeping temporary credentials refreshable.
pub fn resolve_source(
    explicit: ExplicitCredentials,
    profile: &ActiveProfile,
    env: &Env,
    cfg: &SharedConfig,
    options: &ChainOptions,
) -> Result<Option<CredentialSource>> {
    if let Some(creds) = explicit_credentials(&explicit) {
        return Ok(Some(CredentialSource::Static(creds)));
    }
    if let Some(cred_var) = missing_cred_var(&explicit) {
        return Err(partial("explicit", cred_var));
    }
    load_chain(profile, env, cfg, options)
}

/// What the chain needs beyond files and environment.
#[derive(Debug, Clone, Default)]
pub struct ChainOptions {
    /// The region of the client being created (botocore's
    /// `_last_client_region_used`), for the STS and SSO calls.
    pub region: Option<String>,
    /// Sent to the instance metadata service (`session.user_agent()`).
    pub user_agent: Option<String>,
}

/// Session-level credentials (`boto3.Session(aws_access_key_id=...)`):
/// `None` when no argument is truthy (the chain applies), else the
/// explicit credentials.
///
/// Deliberate divergence: boto3 accepts a key without a secret (or a lone
/// token) silently and fails only when signing — with a secret of `None`
/// botocore signs using the literal text "None" (S3 answers
/// SignatureDoesNotMatch), with a key of `None` it raises a bare TypeError.
/// We report `PartialCredentialsError(provider='explicit')` instead; call
/// this when a client is created so `Session()` itself still succeeds.
pub fn session_credentials(explicit: &ExplicitCredentials) -> Result<Option<Credentials>> {
    if !explicit.any_truthy() {
        return Ok(None);
    }
    if let Some(creds) = explicit_credentials(explicit) {
        return Ok(Some(creds));
    }
    let missing = if explicit.access_key.is_some() {
        "aws_secret_access_key"
    } else {
        "aws_access_key_id"
    };
    Err(partial("explicit", missing))
}

/// One source of botocore's default chain, in chain order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Provider {
    Env,
    AssumeRole,
    AssumeRoleWithWebIdentity,
    Sso,
    SharedCredentialsFile,
    Login,
    CustomProcess,
    ConfigFile,
    Ec2CredentialsFile,
    BotoConfig,
    ContainerRole,
    InstanceMetadata,
}

/// botocore 1.43's order: `pre_profile` (env, assume-role), the
/// `ProfileProviderBuilder` providers, then `post_profile`.
pub const DEFAULT_CHAIN: [Provider; 12] = [
    Provider::Env,
    Provider::AssumeRole,
    Provider::AssumeRoleWithWebIdentity,
    Provider::Sso,
    Provider::SharedCredentialsFile,
    Provider::Login,
    Provider::CustomProcess,
    Provider::ConfigFile,
    Provider::Ec2CredentialsFile,
    Provider::BotoConfig,
    Provider::ContainerRole,
    Provider::InstanceMetadata,
];

impl Provider {
    /// The provider's `METHOD`, which becomes `Credentials.method`.
    pub fn method(self) -> &'static str {
        match self {
            Provider::Env => "env",
            Provider::AssumeRole => "assume-role",
            Provider::AssumeRoleWithWebIdentity => "assume-role-with-web-identity",
            Provider::Sso => "sso",
            Provider::SharedCredentialsFile => "shared-credentials-file",
            Provider::Login => "login",
            Provider::CustomProcess => "custom-process",
            Provider::ConfigFile => "config-file",
            Provider::Ec2CredentialsFile => "ec2-credentials-file",
            Provider::BotoConfig => "boto-config",
            Provider::ContainerRole => "container-role",
            Provider::InstanceMetadata => "iam-role",
        }
    }

    /// Whether fastboto implements it. The others need STS/SSO calls and
    /// answer `None` for now.
    pub fn is_implemented(self) -> bool {
        matches!(
            self,
            Provider::Env
                | Provider::SharedCredentialsFile
                | Provider::CustomProcess
                | Provider::ConfigFile
                | Provider::Ec2CredentialsFile
                | Provider::BotoConfig
                | Provider::ContainerRole
                | Provider::InstanceMetadata
                | Provider::AssumeRole
                | Provider::AssumeRoleWithWebIdentity
                | Provider::Sso
        )
    }

    fn load(self, ctx: &Ctx) -> Result<Option<CredentialSource>> {
        let fixed = |r: Result<Option<Credentials>>| r.map(|c| c.map(CredentialSource::Static));
        match self {
            Provider::Env => fixed(env_provider(ctx.env)),
            Provider::SharedCredentialsFile => {
                let section = ctx.cfg.credentials_file().and_then(|f| f.section(ctx.name));
                fixed(section.map_or(Ok(None), |s| from_profile(s, self.method())))
            }
            Provider::CustomProcess => process_provider(ctx),
            Provider::ConfigFile => {
                let profile = ctx.cfg.config_file().and_then(|f| f.profile(ctx.name));
                fixed(profile.map_or(Ok(None), |p| from_profile(p, self.method())))
            }
            Provider::Ec2CredentialsFile => fixed(legacy::ec2_credentials_file(ctx.env)),
            Provider::BotoConfig => fixed(legacy::boto_config(ctx.env)),
            Provider::ContainerRole => container_provider(ctx.env),
            Provider::InstanceMetadata => instance_metadata_provider(ctx.imds.clone()),
            Provider::AssumeRole => assume_role::provider(ctx),
            Provider::AssumeRoleWithWebIdentity => assume_role::web_identity_provider(ctx),
            Provider::Sso => sso::provider(ctx),
            // Seam: `login` (`aws login` sessions, DPoP-signed refreshes) is
            // not implemented.
            Provider::Login => Ok(None),
        }
    }

    /// For the providers we skip: whether botocore would actually try to
    /// answer from it here (the same trigger its `load()` tests first).
    /// IMDS is always "maybe" on EC2 and is not reported.
    fn is_configured(self, ctx: &Ctx) -> bool {
        let profile = ctx.cfg.profile(ctx.name);
        let has = |key: &str| profile.is_some_and(|p| p.contains(key));
        match self {
            Provider::AssumeRole => has("role_arn") && !has("web_identity_token_file"),
            Provider::AssumeRoleWithWebIdentity => {
                let from_env = (!ctx.disable_env)
                    .then(|| ctx.env.var("AWS_WEB_IDENTITY_TOKEN_FILE"))
                    .flatten();
                let token_file =
                    from_env.or_else(|| profile.and_then(|p| p.get("web_identity_token_file")));
                token_file.is_some_and(|t| !t.is_empty())
            }
            Provider::Sso => has("sso_role_name") || has("sso_account_id"),
            Provider::Login => has("login_session"),
            Provider::ContainerRole => {
                ctx.env.contains("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")
                    || ctx.env.contains("AWS_CONTAINER_CREDENTIALS_FULL_URI")
            }
            _ => false,
        }
    }
}

#[derive(Clone)]
struct Ctx<'a> {
    /// The profile the providers read: `get_config_variable('profile') or
    /// 'default'`, or a `source_profile` being resolved.
    name: &'a str,
    /// The session's profile (what nested STS/SSO clients are configured from).
    session_profile: &'a str,
    /// Env-var sources are off: a profile was named (`disable_env_vars`),
    /// or a source profile is being resolved.
    disable_env: bool,
    env: &'a Env,
    cfg: &'a SharedConfig,
    /// Built (and validated) when the chain is set up, as botocore's
    /// resolver builds its `InstanceMetadataFetcher`.
    imds: Arc<imds::ImdsFetcher>,
    options: &'a ChainOptions,
}

impl<'a> Ctx<'a> {
    fn new(
        profile: &'a ActiveProfile,
        env: &'a Env,
        cfg: &'a SharedConfig,
        options: &'a ChainOptions,
    ) -> Result<Ctx<'a>> {
        let name = profile.name();
        let imds = imds::ImdsFetcher::from_config(env, cfg, name, options.user_agent.as_deref())?;
        Ok(Ctx {
            name,
            session_profile: name,
            disable_env: profile.explicit,
            env,
            cfg,
            imds: Arc::new(imds),
            options,
        })
    }

    /// The providers' view of a `source_profile` (env vars disabled).
    fn for_profile<'b>(&self, name: &'b str) -> Ctx<'b>
    where
        'a: 'b,
    {
        Ctx {
            name,
            disable_env: true,
            ..self.clone()
        }
    }
}

/// `ContainerProvider.load`: the first fetch now; refreshed as it expires.
fn container_provider(env: &Env) -> Result<Option<CredentialSource>> {
    let Some(fetcher) = container::ContainerFetcher::from_env(env) else {
        return Ok(None);
    };
    let first = blocking(fetcher.fetch_credentials(crate::transport::Lane::current_thread()))?;
    Ok(Some(CredentialSource::Refreshable(Arc::new(
        RefreshableCredentials::new(container::METHOD, Some(first), Box::new(fetcher)),
    ))))
}

/// `InstanceMetadataProvider.load`: nothing from the service moves the
/// chain on.
fn instance_metadata_provider(fetcher: Arc<imds::ImdsFetcher>) -> Result<Option<CredentialSource>> {
    let lane = crate::transport::Lane::current_thread();
    let Some(first) = blocking(fetcher.retrieve(lane))? else {
        return Ok(None);
    };
    Ok(Some(CredentialSource::Refreshable(Arc::new(
        RefreshableCredentials::new(imds::METHOD, Some(first), Box::new(SharedFetch(fetcher))),
    ))))
}

struct SharedFetch<F>(Arc<F>);

impl<F: refresh::Fetch> refresh::Fetch for SharedFetch<F> {
    fn fetch(&self, lane: crate::transport::Lane) -> refresh::FetchFuture<'_> {
        self.0.fetch(lane)
    }
}

fn chain(profile: &ActiveProfile) -> impl Iterator<Item = Provider> + '_ {
    // An explicitly chosen profile drops the env provider
    // (create_credential_resolver's disable_env_vars).
    DEFAULT_CHAIN
        .into_iter()
        .filter(move |p| !(profile.explicit && *p == Provider::Env))
}

/// `CredentialResolver.load_credentials()` over [`DEFAULT_CHAIN`]: the
/// first provider that answers wins; an error from any provider stops the
/// walk, as in botocore. `Ok(None)` when nobody answers.
pub fn default_chain(
    profile: &ActiveProfile,
    env: &Env,
    cfg: &SharedConfig,
) -> Result<Option<Credentials>> {
    load_chain(profile, env, cfg, &ChainOptions::default())?
        .map(|s| s.frozen_blocking())
        .transpose()
}

/// [`default_chain`], keeping temporary credentials refreshable (and
/// deferred ones unfetched). Network fetches made here (container, IMDS)
/// run on the calling thread's runtime: call it outside any runtime and
/// outside `fork::critical`.
pub fn load_chain(
    profile: &ActiveProfile,
    env: &Env,
    cfg: &SharedConfig,
    options: &ChainOptions,
) -> Result<Option<CredentialSource>> {
    let ctx = Ctx::new(profile, env, cfg, options)?;
    for provider in chain(profile) {
        if let Some(creds) = provider.load(&ctx)? {
            return Ok(Some(creds));
        }
    }
    Ok(None)
}

/// The botocore methods (`assume-role`, `sso`, ...) that fastboto skips but
/// that are configured for this profile/environment, in chain order. When
/// this is non-empty botocore might answer differently from
/// [`default_chain`] — callers can warn or hand over to botocore.
pub fn unsupported_sources(
    profile: &ActiveProfile,
    env: &Env,
    cfg: &SharedConfig,
) -> Vec<&'static str> {
    let options = ChainOptions::default();
    let Ok(ctx) = Ctx::new(profile, env, cfg, &options) else {
        return Vec::new();
    };
    chain(profile)
        .filter(|p| !p.is_implemented() && p.is_configured(&ctx))
        .map(Provider::method)
        .collect()
}

fn partial(provider: &str, cred_var: &str) -> Error {
    Error::PartialCredentials {
        provider: provider.to_string(),
        cred_var: cred_var.to_string(),
    }
}

/// `EnvProvider.load`: empty variables count as unset; a key without a
/// secret is partial; `AWS_SECURITY_TOKEN` wins over `AWS_SESSION_TOKEN`.
fn env_provider(env: &Env) -> Result<Option<Credentials>> {
    let Some(access_key) = env.get_nonempty("AWS_ACCESS_KEY_ID") else {
        return Ok(None);
    };
    let Some(secret_key) = env.get_nonempty("AWS_SECRET_ACCESS_KEY") else {
        return Err(partial("env", "AWS_SECRET_ACCESS_KEY"));
    };
    let token = ["AWS_SECURITY_TOKEN", "AWS_SESSION_TOKEN"]
        .iter()
        .find_map(|v| env.get_nonempty(v))
        .map(str::to_string);
    let account_id = env.get_nonempty("AWS_ACCOUNT_ID").map(str::to_string);
    Ok(Some(
        Credentials::new(access_key, secret_key, token, "env").with_account_id(account_id),
    ))
}

/// `SharedCredentialProvider` / `ConfigProvider`: keyed on the presence of
/// `aws_access_key_id` (any value, even empty); the secret must then be
/// present; the first *present* token key wins even when empty.
fn from_profile(profile: &Profile, method: &str) -> Result<Option<Credentials>> {
    let Some(access_key) = profile.value("aws_access_key_id") else {
        return Ok(None);
    };
    let Some(secret_key) = profile.value("aws_secret_access_key") else {
        return Err(partial(method, "aws_secret_access_key"));
    };
    let token = ["aws_security_token", "aws_session_token"]
        .iter()
        .find_map(|k| profile.value(k))
        .map(ConfigValue::py_str);
    let account_id = profile.value("aws_account_id").map(ConfigValue::py_str);
    Ok(Some(
        Credentials::new(access_key.py_str(), secret_key.py_str(), token, method)
            .with_account_id(account_id),
    ))
}

/// `ProcessProvider.load`: `credential_process` from the merged profile
/// (so it may live in the credentials file too).
fn process_provider(ctx: &Ctx) -> Result<Option<CredentialSource>> {
    let Some(profile) = ctx.cfg.profile(ctx.name) else {
        return Ok(None);
    };
    let Some(value) = profile.value("credential_process") else {
        return Ok(None);
    };
    let account_id = profile.value("aws_account_id").map(ConfigValue::py_str);
    match value {
        ConfigValue::Str(command) => {
            process::load(command, ctx.env, account_id.as_deref()).map(Some)
        }
        // botocore hands the dict to shlex, which reads it as a stream.
        ConfigValue::Nested(_) => Err(Error::Builtin {
            class: "AttributeError",
            message: "'dict' object has no attribute 'read'".into(),
        }),
    }
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_network;
