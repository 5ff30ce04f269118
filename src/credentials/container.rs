//! `ContainerProvider` (ECS task roles, EKS Pod Identity) with botocore's
//! `ContainerMetadataFetcher`: GET with `Accept: application/json` and the
//! optional `Authorization` token, 2 s timeouts, 3 attempts with a 1 s
//! sleep after each failure, allowed hosts for plain HTTP.

use std::time::Duration;

use serde_json::Value;

use super::http::{metadata_transport, retryable_error};
use super::process::py_str;
use super::refresh::{parse_timestamp, Fetch, FetchFuture, Fetched};
use super::Credentials;
use crate::config_file::{py_repr_str, Env};
use crate::error::{Error, Result};
use crate::protocol::HttpRequest;
use crate::transport::{Lane, Transport};

pub const METHOD: &str = "container-role";
const ENV_VAR: &str = "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI";
const ENV_VAR_FULL: &str = "AWS_CONTAINER_CREDENTIALS_FULL_URI";
const ENV_VAR_AUTH_TOKEN: &str = "AWS_CONTAINER_AUTHORIZATION_TOKEN";
const ENV_VAR_AUTH_TOKEN_FILE: &str = "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE";
const IP_ADDRESS: &str = "169.254.170.2";
const ALLOWED_HOSTS: [&str; 4] = [IP_ADDRESS, "169.254.170.23", "fd00:ec2::23", "localhost"];
const TIMEOUT: Duration = Duration::from_secs(2);
const RETRY_ATTEMPTS: u32 = 3;

/// How long the fetcher sleeps after a failed attempt (`SLEEP_TIME`).
fn sleep_time() -> Duration {
    Duration::from_secs(1)
}

pub struct ContainerFetcher {
    full_uri: String,
    token: TokenSource,
    transport: Transport,
}

enum TokenSource {
    None,
    Value(String),
    File(String),
}

/// Whether the provider is triggered (`ContainerProvider.load`'s test).
pub fn is_configured(env: &Env) -> bool {
    env.contains(ENV_VAR) || env.contains(ENV_VAR_FULL)
}

impl ContainerFetcher {
    pub fn from_env(env: &Env) -> Option<ContainerFetcher> {
        if !is_configured(env) {
            return None;
        }
        let full_uri = match env.var(ENV_VAR) {
            Some(relative) => format!("http://{IP_ADDRESS}{relative}"),
            None => env.var(ENV_VAR_FULL).unwrap_or_default().to_string(),
        };
        let token = if let Some(path) = env.var(ENV_VAR_AUTH_TOKEN_FILE) {
            TokenSource::File(path.to_string())
        } else if let Some(token) = env.var(ENV_VAR_AUTH_TOKEN) {
            TokenSource::Value(token.to_string())
        } else {
            TokenSource::None
        };
        Some(ContainerFetcher {
            full_uri,
            token,
            // urllib3 without proxies: the environment's are not used.
            transport: metadata_transport(TIMEOUT, true),
        })
    }

    #[cfg(test)]
    pub fn full_uri(&self) -> &str {
        &self.full_uri
    }

    /// `_build_headers`: the token file is read on every fetch (EKS rotates it).
    fn headers(&self) -> Result<Vec<(String, String)>> {
        let token = match &self.token {
            TokenSource::None => None,
            TokenSource::Value(v) => Some(v.clone()),
            TokenSource::File(path) => {
                Some(std::fs::read_to_string(path).map_err(|e| super::http::os_error(&e, path))?)
            }
        };
        let mut headers = vec![("Accept".to_string(), "application/json".to_string())];
        if let Some(token) = token {
            if token.contains('\r') || token.contains('\n') {
                return Err(Error::Builtin {
                    class: "ValueError",
                    message: "Auth token value is not a legal header value".into(),
                });
            }
            headers.push(("Authorization".to_string(), token));
        }
        Ok(headers)
    }

    async fn fetch_once(&self, headers: &[(String, String)], lane: Lane) -> Result<Value> {
        let request = HttpRequest {
            method: "GET",
            url: self.full_uri.clone(),
            headers: headers.to_vec(),
            body: Vec::new(),
        };
        let response = self.transport.send(&request, lane).await.map_err(|e| {
            metadata_error(format!(
                "Received error when attempting to retrieve container metadata: {}",
                retryable_error(&e)
            ))
        })?;
        let text = String::from_utf8_lossy(&response.body);
        if response.status != 200 {
            return Err(metadata_error(format!(
                "Received non 200 response {} from container metadata: {text}",
                response.status
            )));
        }
        serde_json::from_str(&text).map_err(|_| {
            metadata_error(
                "Unable to parse JSON returned from container metadata services".to_string(),
            )
        })
    }

    /// `fetch_creds`: headers, then `retrieve_full_uri` (host check, then
    /// up to three attempts), then the four fields.
    pub async fn fetch_credentials(&self, lane: Lane) -> Result<Fetched> {
        let headers = self.headers()?;
        validate_allowed_url(&self.full_uri)?;
        let mut attempts = 0;
        let body = loop {
            match self.fetch_once(&headers, lane).await {
                Ok(v) => break v,
                Err(Error::Botocore { message, .. }) => {
                    tokio::time::sleep(sleep_time()).await;
                    attempts += 1;
                    if attempts >= RETRY_ATTEMPTS {
                        return Err(Error::CredentialRetrieval {
                            provider: METHOD.into(),
                            error_msg: message,
                        });
                    }
                }
                Err(other) => return Err(other),
            }
        };
        let field = |key: &str| -> Result<&Value> {
            match &body {
                Value::Object(map) => map.get(key).ok_or_else(|| key_error(key)),
                other => Err(type_error_for_index(other)),
            }
        };
        let access_key = py_str(field("AccessKeyId")?);
        let secret_key = py_str(field("SecretAccessKey")?);
        let token = optional_str(field("Token")?);
        let expiry = field("Expiration")?;
        let account_id = match &body {
            Value::Object(map) => map.get("AccountId").and_then(optional_str),
            _ => None,
        };
        Ok(Fetched {
            credentials: Credentials::new(access_key, secret_key, token, METHOD)
                .with_account_id(account_id),
            expiry: parse_expiry(expiry)?,
        })
    }
}

impl Fetch for ContainerFetcher {
    fn fetch(&self, lane: Lane) -> FetchFuture<'_> {
        Box::pin(self.fetch_credentials(lane))
    }
}

/// `None` (JSON null) stays `None`; anything else is its `str()`.
pub(crate) fn optional_str(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        other => Some(py_str(other)),
    }
}

/// `_parse_if_needed` of an `Expiration` value: a timestamp string (JSON
/// null: no expiry).
pub(crate) fn parse_expiry(v: &Value) -> Result<Option<std::time::SystemTime>> {
    match v {
        Value::Null => Ok(None),
        Value::String(s) => parse_timestamp(s).map(Some).ok_or_else(|| Error::Builtin {
            class: "ValueError",
            message: format!("Unknown string format: {s}"),
        }),
        other => Err(Error::Builtin {
            class: "TypeError",
            message: format!("Parser must be a string or character stream, not {}", {
                match other {
                    Value::Bool(_) => "bool",
                    Value::Number(n) if n.is_f64() => "float",
                    Value::Number(_) => "int",
                    Value::Array(_) => "list",
                    _ => "dict",
                }
            }),
        }),
    }
}

pub(crate) fn key_error(key: &str) -> Error {
    Error::Builtin {
        class: "KeyError",
        message: py_repr_str(key),
    }
}

fn type_error_for_index(v: &Value) -> Error {
    let message = match v {
        Value::Array(_) => "list indices must be integers or slices, not str".to_string(),
        Value::String(_) => "string indices must be integers, not 'str'".to_string(),
        Value::Null => "'NoneType' object is not subscriptable".to_string(),
        Value::Bool(_) => "'bool' object is not subscriptable".to_string(),
        Value::Number(n) if n.is_f64() => "'float' object is not subscriptable".to_string(),
        _ => "'int' object is not subscriptable".to_string(),
    };
    Error::Builtin {
        class: "TypeError",
        message,
    }
}

/// `MetadataRetrievalError(error_msg=...)`; its `str()` is what the
/// provider quotes.
pub(crate) fn metadata_error(error_msg: String) -> Error {
    Error::Botocore {
        class: "MetadataRetrievalError",
        message: format!("Error retrieving metadata: {error_msg}"),
        kwargs: vec![("error_msg", error_msg)],
    }
}

/// `_validate_allowed_url`: https anywhere; plain HTTP only to a loopback
/// address or one of the container hosts.
pub fn validate_allowed_url(full_url: &str) -> Result<()> {
    let (scheme, hostname) = url_scheme_and_hostname(full_url);
    if scheme == "https" {
        return Ok(());
    }
    if let Some(host) = &hostname {
        if let Ok(ip) = host.parse::<std::net::IpAddr>() {
            if ip.is_loopback() {
                return Ok(());
            }
        }
        if ALLOWED_HOSTS.contains(&host.as_str()) {
            return Ok(());
        }
    }
    Err(Error::Builtin {
        class: "ValueError",
        message: format!(
            "Unsupported host '{}'.  Can only retrieve metadata from a loopback address or one \
             of these hosts: {}",
            hostname.as_deref().unwrap_or("None"),
            ALLOWED_HOSTS.join(", ")
        ),
    })
}

/// `urlparse(url)`'s `scheme` (lower-cased) and `hostname` (lower-cased,
/// no brackets, no port, no userinfo; `None` when empty).
pub(crate) fn url_scheme_and_hostname(url: &str) -> (String, Option<String>) {
    let (scheme, rest) = match url.split_once("://") {
        Some((s, r))
            if !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)) =>
        {
            (s.to_ascii_lowercase(), r)
        }
        _ => {
            return (String::new(), None);
        }
    };
    let netloc = rest.split(['/', '?', '#']).next().unwrap_or("");
    let hostport = netloc.rsplit_once('@').map(|(_, h)| h).unwrap_or(netloc);
    let host = if let Some(inner) = hostport.strip_prefix('[') {
        inner.split(']').next().unwrap_or("").to_string()
    } else {
        hostport.split(':').next().unwrap_or("").to_string()
    };
    let host = host.to_lowercase();
    (scheme, (!host.is_empty()).then_some(host))
}
