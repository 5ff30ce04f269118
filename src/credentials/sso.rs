//! `SSOProvider`: an IAM Identity Center role, from the access token that
//! `aws sso login` cached in `~/.aws/sso/cache/<sha1>.json`, exchanged at
//! the portal's `GetRoleCredentials` (`GET /federation/credentials`,
//! `x-amz-sso_bearer_token`, unsigned). Deferred: the cache is read and the
//! portal called at first use.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use serde_json::Value;
use sha1::{Digest, Sha1};

use super::container::{key_error, optional_str};
use super::process::py_str;
use super::refresh::{parse_timestamp, refresh_needed, Fetch, FetchFuture, Fetched};
use super::sts::{metadata_for, reason_phrase, ServiceClient};
use super::{CredentialSource, Credentials, Ctx, RefreshableCredentials};
use crate::config_file::expand_path;
use crate::error::{Error, Result, ServiceError};
use crate::protocol::{HttpRequest, HttpResponse};
use crate::response::Document;
use crate::transport::Lane;

pub const METHOD: &str = "sso";
const PROFILE_REQUIRED: [&str; 2] = ["sso_role_name", "sso_account_id"];
const SSO_REQUIRED: [&str; 2] = ["sso_start_url", "sso_region"];
/// `SSOTokenProvider._REFRESH_WINDOW`.
const TOKEN_REFRESH_WINDOW: Duration = Duration::from_secs(15 * 60);

fn invalid_config(error_msg: String) -> Error {
    Error::InvalidConfig { error_msg }
}

fn sso_error(class: &'static str, message: String, kwargs: Vec<(&'static str, String)>) -> Error {
    Error::Botocore {
        class,
        message,
        kwargs,
    }
}

fn unauthorized() -> Error {
    sso_error(
        "UnauthorizedSSOTokenError",
        "The SSO session associated with this profile has expired or is otherwise invalid. To \
         refresh this SSO session run aws sso login with the corresponding profile."
            .into(),
        vec![],
    )
}

fn token_load_error(error_msg: String) -> Error {
    sso_error(
        "SSOTokenLoadError",
        format!("Error loading SSO Token: {error_msg}"),
        vec![("error_msg", error_msg)],
    )
}

/// `SSOProvider.load`.
pub fn provider(ctx: &Ctx) -> Result<Option<CredentialSource>> {
    let empty = crate::config_file::Profile::default();
    let profile = ctx.cfg.profile(ctx.name).unwrap_or(&empty);
    if PROFILE_REQUIRED.iter().all(|k| !profile.contains(k)) {
        return Ok(None);
    }
    // _resolve_sso_session_reference: the sso-session's keys merged in,
    // which must agree with the profile's.
    let mut resolved: Vec<(String, String)> = profile
        .iter()
        .map(|(k, v)| (k.to_string(), v.py_str()))
        .collect();
    let session_name = profile.get("sso_session").map(str::to_string);
    let mut required: Vec<&str> = PROFILE_REQUIRED
        .iter()
        .chain(SSO_REQUIRED.iter())
        .copied()
        .collect();
    if let Some(name) = &session_name {
        let Some(session) = ctx.cfg.sso_session(name) else {
            return Err(invalid_config(format!(
                "The specified sso-session does not exist: \"{name}\""
            )));
        };
        for (key, value) in session.iter() {
            let value = value.py_str();
            match resolved.iter().find(|(k, _)| k == key) {
                Some((_, existing)) if *existing != value => {
                    return Err(invalid_config(format!(
                        "The value for {key} is inconsistent between profile ({existing}) and \
                         sso-session ({value})."
                    )))
                }
                Some(_) => {}
                None => resolved.push((key.to_string(), value)),
            }
        }
        required.push("sso_session");
    }
    let get = |key: &str| {
        resolved
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
    };
    let missing: Vec<&str> = required
        .iter()
        .copied()
        .filter(|k| get(k).is_none())
        .collect();
    if !missing.is_empty() {
        return Err(invalid_config(format!(
            "The profile \"{}\" is configured to use SSO but is missing required configuration: \
             {}",
            ctx.name,
            missing.join(", ")
        )));
    }
    let sso_region = get("sso_region").unwrap_or_default();
    let portal = ServiceClient::sso(
        ctx.env,
        ctx.cfg,
        ctx.session_profile,
        &sso_region,
        ctx.options.user_agent.as_deref(),
    )?;
    let token_session = match &session_name {
        Some(name) => Some(token_session_config(ctx, name)?),
        None => None,
    };
    let fetcher = SsoFetcher {
        portal,
        cache_dir: expand_path("~/.aws/sso/cache", ctx.env),
        start_url: get("sso_start_url").unwrap_or_default(),
        role_name: get("sso_role_name").unwrap_or_default(),
        account_id: get("sso_account_id").unwrap_or_default(),
        oidc: match (&session_name, &token_session) {
            (Some(_), Some(Ok(()))) => Some(ServiceClient::sso_oidc(
                ctx.env,
                ctx.cfg,
                ctx.session_profile,
                &sso_region,
                ctx.options.user_agent.as_deref(),
            )?),
            _ => None,
        },
        session_name,
        token_session,
    };
    Ok(Some(CredentialSource::Refreshable(Arc::new(
        RefreshableCredentials::new(METHOD, None, Box::new(fetcher)),
    ))))
}

/// `SSOTokenProvider._load_sso_config`'s checks of the sso-session section.
/// (Made lazily by botocore, at the first fetch; made here once, the
/// result kept for that fetch.)
fn token_session_config(ctx: &Ctx, name: &str) -> Result<std::result::Result<(), Error>> {
    let session = ctx.cfg.sso_session(name).filter(|s| !s.is_empty());
    let Some(session) = session else {
        return Ok(Err(invalid_config(format!(
            "The profile \"{}\" is configured to use the SSO token provider but the \"{name}\" \
             sso_session configuration does not exist.",
            ctx.name
        ))));
    };
    let missing: Vec<String> = SSO_REQUIRED
        .iter()
        .filter(|k| !session.contains(k))
        .map(|k| crate::config_file::py_repr_str(k))
        .collect();
    if !missing.is_empty() {
        return Ok(Err(invalid_config(format!(
            "The profile \"{}\" is configured to use the SSO token provider but is missing the \
             following configuration: [{}].",
            ctx.name,
            missing.join(", ")
        ))));
    }
    Ok(Ok(()))
}

struct SsoFetcher {
    portal: ServiceClient,
    cache_dir: String,
    start_url: String,
    role_name: String,
    account_id: String,
    session_name: Option<String>,
    /// The token provider's own configuration check (sso-session profiles).
    token_session: Option<std::result::Result<(), Error>>,
    /// SSO OIDC, which refreshes an sso-session's token.
    oidc: Option<ServiceClient>,
}

/// `JSONFileCache[key]`: `<dir>/<key>.json`; a file that cannot be read
/// or parsed is a `KeyError(key)`, a missing one is "not in the cache".
fn cache_lookup(dir: &str, key: &str) -> Result<Option<serde_json::Map<String, Value>>> {
    let path = std::path::Path::new(dir).join(format!("{key}.json"));
    if !path.is_file() {
        return Ok(None);
    }
    let text = std::fs::read_to_string(&path).map_err(|_| key_error(key))?;
    match serde_json::from_str::<Value>(&text) {
        Ok(Value::Object(map)) => Ok(Some(map)),
        // botocore would go on with a non-dict and fail on it later.
        Ok(_) | Err(_) => Err(key_error(key)),
    }
}

fn sha1_hex(text: &str) -> String {
    hex::encode(Sha1::digest(text.as_bytes()))
}

impl SsoFetcher {
    /// `SSOTokenLoader.__call__`.
    fn load_token(&self) -> Result<serde_json::Map<String, Value>> {
        let input = self.session_name.as_deref().unwrap_or(&self.start_url);
        let Some(token) = cache_lookup(&self.cache_dir, &sha1_hex(input))? else {
            return Err(token_load_error(format!(
                "Token for {input} does not exist"
            )));
        };
        if !token.contains_key("accessToken") || !token.contains_key("expiresAt") {
            return Err(token_load_error(format!(
                "Token for {} is invalid",
                self.start_url
            )));
        }
        Ok(token)
    }

    async fn access_token(&self, now: SystemTime, lane: Lane) -> Result<String> {
        if let Some(Err(e)) = &self.token_session {
            return Err(e.clone());
        }
        let mut token = self.load_token()?;
        let parse = |v: &Value| {
            let text = py_str(v);
            parse_timestamp(&text).ok_or(Error::Builtin {
                class: "ValueError",
                message: format!("Unknown string format: {text}"),
            })
        };
        let mut expiration = parse(&token["expiresAt"])?;
        if self.session_name.is_some() {
            // SSOTokenProvider: inside its refresh window the token is
            // refreshed through SSO OIDC when the cache holds a usable
            // registration; an expired token that could not be refreshed
            // fails as botocore's DeferredRefreshableToken does.
            if refresh_needed(Some(expiration), now, TOKEN_REFRESH_WINDOW) {
                if let Some((new_token, new_expiry)) = self.refresh_token(&token, now, lane).await?
                {
                    token = new_token;
                    expiration = new_expiry;
                }
            }
            if refresh_needed(Some(expiration), now, Duration::ZERO) {
                return Err(sso_error(
                    "TokenRetrievalError",
                    "Error when retrieving token from sso: Token has expired and refresh failed"
                        .into(),
                    vec![
                        ("provider", "sso".into()),
                        ("error_msg", "Token has expired and refresh failed".into()),
                    ],
                ));
            }
        } else if expiration <= now {
            return Err(unauthorized());
        }
        Ok(py_str(&token["accessToken"]))
    }

    /// `_refresh_access_token`: `None` when the cache cannot refresh (keys
    /// missing, registration expired) or OIDC answered with an error.
    async fn refresh_token(
        &self,
        token: &serde_json::Map<String, Value>,
        now: SystemTime,
        lane: Lane,
    ) -> Result<Option<(serde_json::Map<String, Value>, SystemTime)>> {
        let keys = [
            "refreshToken",
            "clientId",
            "clientSecret",
            "registrationExpiresAt",
        ];
        if keys.iter().any(|k| !token.contains_key(*k)) {
            return Ok(None);
        }
        let registration = py_str(&token["registrationExpiresAt"]);
        match parse_timestamp(&registration) {
            Some(at) if at > now => {}
            _ => return Ok(None),
        }
        let Some(oidc) = &self.oidc else {
            return Ok(None);
        };
        let body = py_json_dumps(&[
            ("grantType", Value::String("refresh_token".into())),
            ("clientId", token["clientId"].clone()),
            ("clientSecret", token["clientSecret"].clone()),
            ("refreshToken", token["refreshToken"].clone()),
        ]);
        let url = format!("{}/token", oidc.url.trim_end_matches('/'));
        let build = || {
            Ok(HttpRequest {
                method: "POST",
                url: url.clone(),
                headers: vec![("Content-Type".to_string(), "application/json".to_string())],
                body: body.clone().into_bytes(),
            })
        };
        let response = oidc
            .send_with_retries(lane, build, |response, retries| {
                let parsed: Value = serde_json::from_slice(&response.body).unwrap_or(Value::Null);
                if response.status >= 300 {
                    let (code, message) = rest_json_error(response, &parsed);
                    return Err(client_error(
                        code,
                        message,
                        response,
                        retries,
                        "CreateToken",
                    ));
                }
                Ok(parsed)
            })
            .await;
        let response = match response {
            Ok(r) => r,
            // botocore logs "SSO token refresh attempt failed" and goes on.
            Err(Error::Service(_)) => return Ok(None),
            Err(e) => return Err(e),
        };
        let field = |k: &str| response.get(k).cloned().ok_or_else(|| key_error(k));
        let expires_in = field("expiresIn")?.as_f64().unwrap_or(0.0);
        let expiry = now + Duration::from_secs_f64(expires_in.max(0.0));
        let whole = SystemTime::UNIX_EPOCH
            + Duration::from_secs(
                expiry
                    .duration_since(SystemTime::UNIX_EPOCH)
                    .map(|d| d.as_secs())
                    .unwrap_or(0),
            );
        let mut new_token = serde_json::Map::new();
        new_token.insert("startUrl".into(), Value::String(self.start_url.clone()));
        new_token.insert("region".into(), Value::String(oidc.region.clone()));
        new_token.insert("accessToken".into(), field("accessToken")?);
        new_token.insert("expiresAt".into(), Value::String(format_utc(whole)));
        new_token.insert("clientId".into(), token["clientId"].clone());
        new_token.insert("clientSecret".into(), token["clientSecret"].clone());
        new_token.insert(
            "registrationExpiresAt".into(),
            token["registrationExpiresAt"].clone(),
        );
        if let Some(r) = response.get("refreshToken") {
            new_token.insert("refreshToken".into(), r.clone());
        }
        self.save_token(&new_token)?;
        Ok(Some((new_token, expiry)))
    }

    /// `JSONFileCache.__setitem__`: a temporary file beside it, renamed over.
    fn save_token(&self, token: &serde_json::Map<String, Value>) -> Result<()> {
        let input = self.session_name.as_deref().unwrap_or(&self.start_url);
        let dir = std::path::Path::new(&self.cache_dir);
        let io = |e: std::io::Error| super::http::os_error(&e, &self.cache_dir);
        std::fs::create_dir_all(dir).map_err(io)?;
        let pairs: Vec<(&str, Value)> =
            token.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
        let tmp = dir.join(format!(".{}.{}.tmp", sha1_hex(input), std::process::id()));
        {
            use std::io::Write;
            use std::os::unix::fs::OpenOptionsExt;
            let mut f = std::fs::OpenOptions::new()
                .write(true)
                .create(true)
                .truncate(true)
                .mode(0o600)
                .open(&tmp)
                .map_err(io)?;
            f.write_all(py_json_dumps(&pairs).as_bytes()).map_err(io)?;
        }
        std::fs::rename(&tmp, dir.join(format!("{}.json", sha1_hex(input)))).map_err(io)
    }

    async fn get_role_credentials(&self, lane: Lane) -> Result<Fetched> {
        let token = self.access_token(SystemTime::now(), lane).await?;
        let encode = |v: &str| percent_encoding::utf8_percent_encode(v, PERCENT_SET).to_string();
        let url = format!(
            "{}/federation/credentials?role_name={}&account_id={}",
            self.portal.url.trim_end_matches('/'),
            encode(&self.role_name),
            encode(&self.account_id)
        );
        let build = || {
            Ok(HttpRequest {
                method: "GET",
                url: url.clone(),
                headers: vec![("x-amz-sso_bearer_token".to_string(), token.clone())],
                body: Vec::new(),
            })
        };
        self.portal
            .send_with_retries(lane, build, parse_role_credentials)
            .await
            .map(|mut fetched| {
                fetched.credentials.account_id = Some(self.account_id.clone());
                fetched
            })
    }
}

const PERCENT_SET: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The rest-json error code: `x-amzn-errortype` (before any `:`), else the
/// body's `__type` (after any `#`) or `code`.
fn rest_json_error(response: &HttpResponse, body: &Value) -> (String, String) {
    let from_header = response
        .header("x-amzn-errortype")
        .map(|t| t.split(':').next().unwrap_or("").to_string());
    let from_body = body
        .get("__type")
        .or_else(|| body.get("code"))
        .map(py_str)
        .map(|t| t.rsplit('#').next().unwrap_or("").to_string());
    let code = from_header
        .or(from_body)
        .unwrap_or_else(|| response.status.to_string());
    let message = body
        .get("message")
        .or_else(|| body.get("Message"))
        .map(py_str)
        .unwrap_or_else(|| {
            if body.is_null() {
                reason_phrase(response.status).to_string()
            } else {
                String::new()
            }
        });
    (code, message)
}

fn client_error(
    code: String,
    message: String,
    response: &HttpResponse,
    retries: u32,
    operation_name: &'static str,
) -> Error {
    Error::Service(Box::new(ServiceError {
        parsed: vec![(
            "Error".to_string(),
            Document::Map(vec![
                ("Code".to_string(), Document::Str(code)),
                ("Message".to_string(), Document::Str(message)),
            ]),
        )],
        metadata: metadata_for(response, retries),
        operation_name,
    }))
}

/// `json.dumps` of a flat dict: `", "` and `": "` separators, non-ASCII
/// escaped.
pub(crate) fn py_json_dumps(pairs: &[(&str, Value)]) -> String {
    let enc = |v: &Value| -> String {
        let text = serde_json::to_string(v).unwrap_or_default();
        let mut out = String::with_capacity(text.len());
        for c in text.chars() {
            if c.is_ascii() {
                out.push(c);
            } else {
                let mut buf = [0u16; 2];
                for unit in c.encode_utf16(&mut buf) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
        }
        out
    };
    let body: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{}: {}", enc(&Value::String((*k).to_string())), enc(v)))
        .collect();
    format!("{{{}}}", body.join(", "))
}

/// `%Y-%m-%dT%H:%M:%SZ`.
pub(crate) fn format_utc(t: SystemTime) -> String {
    let secs = t
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let (year, month, day, hour, minute, second) = crate::client::utc_fields(secs);
    format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}Z")
}

fn parse_role_credentials(response: &HttpResponse, retries: u32) -> Result<Fetched> {
    let body: Value = serde_json::from_slice(&response.body).unwrap_or(Value::Null);
    if response.status >= 300 {
        let (code, message) = rest_json_error(response, &body);
        if code == "UnauthorizedException" {
            return Err(unauthorized());
        }
        return Err(client_error(
            code,
            message,
            response,
            retries,
            "GetRoleCredentials",
        ));
    }
    let creds = body
        .get("roleCredentials")
        .ok_or_else(|| key_error("roleCredentials"))?;
    let field = |k: &str| creds.get(k).ok_or_else(|| key_error(k));
    let expiration_ms = field("expiration")?.as_f64().unwrap_or(0.0);
    // botocore formats the expiry to whole seconds ('%Y-%m-%dT%H:%M:%SZ').
    let expiry =
        SystemTime::UNIX_EPOCH + Duration::from_secs((expiration_ms / 1000.0).max(0.0) as u64);
    Ok(Fetched {
        credentials: Credentials::new(
            py_str(field("accessKeyId")?),
            py_str(field("secretAccessKey")?),
            optional_str(field("sessionToken")?),
            METHOD,
        ),
        expiry: Some(expiry),
    })
}

impl Fetch for SsoFetcher {
    fn fetch(&self, lane: Lane) -> FetchFuture<'_> {
        Box::pin(self.get_role_credentials(lane))
    }
}
