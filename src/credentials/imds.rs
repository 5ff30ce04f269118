//! `InstanceMetadataProvider` with botocore's `InstanceMetadataFetcher`:
//! IMDSv2 token (PUT), role name, role credentials; IMDSv1 (no token) when
//! the token cannot be had, unless `ec2_metadata_v1_disabled`.

use std::time::{Duration, SystemTime};

use serde_json::Value;

use super::container::metadata_error;
use super::http::metadata_transport;
use super::process::py_str;
use super::refresh::{parse_timestamp, Fetch, FetchFuture, Fetched};
use super::Credentials;
use crate::config_file::{ensure_boolean, Env, SharedConfig};
use crate::error::{Error, Result};
use crate::protocol::{HttpRequest, HttpResponse};
use crate::transport::{Lane, Transport};

pub const METHOD: &str = "iam-role";
const BASE_URL: &str = "http://169.254.169.254/";
const BASE_URL_IPV6: &str = "http://[fd00:ec2::254]/";
const TOKEN_PATH: &str = "latest/api/token";
const TOKEN_TTL: &str = "21600";
const URL_PATH: &str = "latest/meta-data/iam/security-credentials/";
/// `ec2_credential_refresh_window` as `create_credential_resolver` sets it.
const REFRESH_WINDOW: Duration = Duration::from_secs(15 * 60);

pub struct ImdsFetcher {
    base_url: String,
    num_attempts: u32,
    disabled: bool,
    v1_disabled: bool,
    user_agent: Option<String>,
    transport: Transport,
}

/// `_RetriesExceededError` / `BadIMDSRequestError`: both end in "no
/// credentials here" inside `retrieve_iam_role_credentials`.
enum Outcome<T> {
    Ok(T),
    GiveUp,
}

fn config_int(value: Option<String>, default: u64) -> Result<u64> {
    match value {
        None => Ok(default),
        Some(v) => v.trim().parse::<u64>().map_err(|_| Error::Builtin {
            class: "ValueError",
            message: format!(
                "invalid literal for int() with base 10: {}",
                crate::config_file::py_repr_str(&v)
            ),
        }),
    }
}

impl ImdsFetcher {
    /// What `create_credential_resolver` builds, with its errors
    /// (`InvalidIMDSEndpointModeError`, `InvalidIMDSEndpointError`, a
    /// non-integer timeout) raised while the chain is set up.
    pub fn from_config(
        env: &Env,
        cfg: &SharedConfig,
        profile: &str,
        user_agent: Option<&str>,
    ) -> Result<ImdsFetcher> {
        let setting = |name: &str| cfg.setting(env, profile, name);
        let timeout = config_int(setting("metadata_service_timeout"), 1)?;
        let num_attempts = config_int(setting("metadata_service_num_attempts"), 1)?;
        let mode = match setting("ec2_metadata_service_endpoint_mode") {
            Some(mode) => {
                let lower = mode.to_lowercase();
                if lower != "ipv4" && lower != "ipv6" {
                    return Err(Error::Botocore {
                        class: "InvalidIMDSEndpointModeError",
                        message: format!(
                            "Invalid EC2 Instance Metadata endpoint mode: {mode} Valid endpoint \
                             modes (case-insensitive): ('ipv4', 'ipv6')."
                        ),
                        kwargs: vec![
                            ("mode", mode.clone()),
                            ("valid_modes", "('ipv4', 'ipv6')".into()),
                        ],
                    });
                }
                lower
            }
            None if setting("imds_use_ipv6").is_some_and(|v| ensure_boolean(&v)) => "ipv6".into(),
            None => "ipv4".into(),
        };
        let base_url = match setting("ec2_metadata_service_endpoint").filter(|e| !e.is_empty()) {
            Some(custom) => custom,
            None if mode == "ipv6" => BASE_URL_IPV6.to_string(),
            None => BASE_URL.to_string(),
        };
        if !is_valid_uri(&base_url) {
            return Err(Error::Botocore {
                class: "InvalidIMDSEndpointError",
                message: format!("Invalid endpoint EC2 Instance Metadata endpoint: {base_url}"),
                kwargs: vec![("endpoint", base_url)],
            });
        }
        let disabled = env
            .var("AWS_EC2_METADATA_DISABLED")
            .is_some_and(|v| v.to_lowercase() == "true");
        let v1_disabled = setting("ec2_metadata_v1_disabled").is_some_and(|v| ensure_boolean(&v));
        Ok(ImdsFetcher {
            base_url,
            num_attempts: num_attempts as u32,
            disabled,
            v1_disabled,
            user_agent: user_agent.map(str::to_string),
            transport: metadata_transport(Duration::from_secs(timeout), false),
        })
    }

    fn url(&self, path: &str) -> String {
        let sep = if !self.base_url.is_empty() && !self.base_url.ends_with('/') {
            "/"
        } else {
            ""
        };
        format!("{}{sep}{path}", self.base_url)
    }

    fn add_user_agent(&self, headers: &mut Vec<(String, String)>) {
        if let Some(ua) = &self.user_agent {
            headers.push(("User-Agent".into(), ua.clone()));
        }
    }

    async fn send(
        &self,
        method: &'static str,
        url: &str,
        headers: &[(String, String)],
        lane: Lane,
    ) -> Result<HttpResponse> {
        let request = HttpRequest {
            method,
            url: url.to_string(),
            headers: headers.to_vec(),
            body: Vec::new(),
        };
        self.transport.send(&request, lane).await
    }

    /// `_fetch_metadata_token`: `None` means "go on without a token".
    async fn fetch_token(&self, lane: Lane) -> Outcome<Option<String>> {
        if self.disabled {
            return Outcome::GiveUp;
        }
        let url = self.url(TOKEN_PATH);
        let mut headers = vec![(
            "x-aws-ec2-metadata-token-ttl-seconds".to_string(),
            TOKEN_TTL.to_string(),
        )];
        self.add_user_agent(&mut headers);
        for _ in 0..self.num_attempts {
            match self.send("PUT", &url, &headers, lane).await {
                Ok(r) if r.status == 200 => {
                    return Outcome::Ok(Some(String::from_utf8_lossy(&r.body).into_owned()))
                }
                Ok(r) if matches!(r.status, 403..=405) => return Outcome::Ok(None),
                Ok(r) if r.status == 400 => return Outcome::GiveUp,
                Ok(_) => {}
                Err(Error::ReadTimeout { .. }) => return Outcome::Ok(None),
                Err(_) => {}
            }
        }
        Outcome::Ok(None)
    }

    /// `_get_request`: retried while `retry` says so, then "retries exceeded".
    async fn get(
        &self,
        path: &str,
        token: Option<&str>,
        retry: fn(&HttpResponse) -> bool,
        lane: Lane,
    ) -> Result<Outcome<HttpResponse>> {
        if self.disabled {
            return Ok(Outcome::GiveUp);
        }
        if token.map_or(true, str::is_empty) && self.v1_disabled {
            return Err(metadata_error(
                "Unable to retrieve token for use in IMDSv2 call and IMDSv1 has been disabled"
                    .into(),
            ));
        }
        let url = self.url(path);
        let mut headers = Vec::new();
        if let Some(token) = token {
            headers.push(("x-aws-ec2-metadata-token".to_string(), token.to_string()));
        }
        self.add_user_agent(&mut headers);
        for _ in 0..self.num_attempts {
            if let Ok(response) = self.send("GET", &url, &headers, lane).await {
                if !retry(&response) {
                    return Ok(Outcome::Ok(response));
                }
            }
        }
        Ok(Outcome::GiveUp)
    }

    /// `retrieve_iam_role_credentials`: `Ok(None)` is botocore's `{}`.
    pub async fn retrieve(&self, lane: Lane) -> Result<Option<Fetched>> {
        let token = match self.fetch_token(lane).await {
            Outcome::Ok(t) => t,
            Outcome::GiveUp => return Ok(None),
        };
        let token = token.as_deref();
        let role = match self.get(URL_PATH, token, non_ok_or_empty, lane).await? {
            Outcome::Ok(r) => String::from_utf8_lossy(&r.body).into_owned(),
            Outcome::GiveUp => return Ok(None),
        };
        let path = format!("{URL_PATH}{role}");
        let response = match self
            .get(&path, token, non_ok_empty_or_invalid_json, lane)
            .await?
        {
            Outcome::Ok(r) => r,
            Outcome::GiveUp => return Ok(None),
        };
        let body: Value = serde_json::from_slice(&response.body).unwrap_or(Value::Null);
        let Value::Object(map) = body else {
            return Ok(None);
        };
        let fields = ["AccessKeyId", "SecretAccessKey", "Token", "Expiration"];
        if fields.iter().any(|f| !map.contains_key(*f)) {
            return Ok(None);
        }
        let token = match &map["Token"] {
            Value::Null => None,
            v => Some(py_str(v)),
        };
        let expiration = py_str(&map["Expiration"]);
        let expiry = extended_expiry(&expiration, SystemTime::now(), jitter_seconds());
        Ok(Some(Fetched {
            credentials: Credentials::new(
                py_str(&map["AccessKeyId"]),
                py_str(&map["SecretAccessKey"]),
                token,
                METHOD,
            )
            .with_account_id(map.get("AccountId").and_then(|v| match v {
                Value::Null => None,
                v => Some(py_str(v)),
            })),
            expiry: Some(expiry.ok_or_else(|| Error::Builtin {
                class: "ValueError",
                message: format!("Unknown string format: {expiration}"),
            })?),
        }))
    }
}

fn non_ok_or_empty(r: &HttpResponse) -> bool {
    r.status != 200 || r.body.is_empty()
}

fn non_ok_empty_or_invalid_json(r: &HttpResponse) -> bool {
    non_ok_or_empty(r) || serde_json::from_slice::<Value>(&r.body).is_err()
}

/// `random.randint(120, 600)`.
fn jitter_seconds() -> u64 {
    120 + (uuid::Uuid::new_v4().as_u128() % 481) as u64
}

/// `_evaluate_expiration`: credentials the service hands out that expire
/// within the refresh window plus jitter (an IMDS outage serves stale ones)
/// are treated as valid for that long from now, so they are not refetched
/// on every call. Strict `%Y-%m-%dT%H:%M:%SZ` there; anything else is
/// parsed as given.
pub fn extended_expiry(expiration: &str, now: SystemTime, jitter: u64) -> Option<SystemTime> {
    let strict = expiration.len() == 20 && expiration.ends_with('Z') && !expiration.contains('.');
    let parsed = parse_timestamp(expiration)?;
    if !strict {
        return Some(parsed);
    }
    let offset = REFRESH_WINDOW + Duration::from_secs(jitter);
    let extension_time = parsed.checked_sub(offset)?;
    if now >= extension_time {
        // botocore formats the new time to whole seconds.
        let secs = (now + offset)
            .duration_since(SystemTime::UNIX_EPOCH)
            .ok()?
            .as_secs();
        return Some(SystemTime::UNIX_EPOCH + Duration::from_secs(secs));
    }
    Some(parsed)
}

impl Fetch for ImdsFetcher {
    /// A refresh that finds nothing is botocore's `_set_from_data({})`.
    fn fetch(&self, lane: Lane) -> FetchFuture<'_> {
        Box::pin(async move {
            match self.retrieve(lane).await? {
                Some(f) => Ok(f),
                None => Err(Error::CredentialRetrieval {
                    provider: METHOD.into(),
                    error_msg: "Credential refresh failed, response did not contain: access_key, \
                                secret_key, token, expiry_time"
                        .into(),
                }),
            }
        })
    }
}

/// botocore's `is_valid_uri`: a URL with a scheme and a valid host name,
/// IPv4 address or bracketed IPv6 address.
fn is_valid_uri(url: &str) -> bool {
    if url.chars().any(|c| c.is_whitespace()) {
        return false;
    }
    let (scheme, host) = super::container::url_scheme_and_hostname(url);
    if scheme.is_empty() {
        return false;
    }
    let Some(host) = host else {
        return false;
    };
    if host.parse::<std::net::IpAddr>().is_ok() {
        return true;
    }
    host.len() <= 255
        && host.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        })
}
