//! `credential_process`, as botocore's `ProcessProvider` runs it.

use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::SystemTime;

use serde_json::Value;

use super::refresh::{parse_timestamp, Fetch, FetchFuture, Fetched, RefreshableCredentials};
use super::{CredentialSource, Credentials};
use crate::config_file::{py_repr_str, shlex_split, Env};
use crate::error::{Error, Result};
use crate::transport::Lane;

const METHOD: &str = "custom-process";

fn retrieval(error_msg: impl Into<String>) -> Error {
    Error::CredentialRetrieval {
        provider: METHOD.into(),
        error_msg: error_msg.into(),
    }
}

/// What one run of the process answered.
pub struct ProcessOutput {
    pub credentials: Credentials,
    /// `Expiration` as given (`None` when absent or JSON null): botocore
    /// then makes the credentials refreshable.
    pub expiration: Option<Value>,
}

/// `ProcessProvider._retrieve_credentials_using`: split the command like
/// `shlex.split` (no shell), run it with the caller's stdin and environment,
/// capture stdout/stderr, and read the JSON it prints. `profile_account_id`
/// is the profile's `aws_account_id`, used when the output has no
/// `AccountId`.
///
/// Outcomes identical to botocore (messages included): non-zero exit →
/// `CredentialRetrievalError` carrying stderr; `Version` other than 1 (1,
/// 1.0 and `true` all equal 1 in Python) → "Unsupported version '...'";
/// a missing `AccessKeyId` / `SecretAccessKey` → "Missing required key in
/// response: 'AccessKeyId'".
///
/// Where botocore lets a Python exception escape, the same one: shlex's
/// `ValueError`, `IndexError` for an empty command, `FileNotFoundError`
/// (and the other `OSError`s of starting it), `UnicodeDecodeError` and
/// `JSONDecodeError` for what it printed (both rebuilt by the binding from
/// the output, so the messages are Python's), `AttributeError` for JSON
/// that is not an object.
pub fn run_credential_process(
    command: &str,
    env: &Env,
    profile_account_id: Option<&str>,
) -> Result<ProcessOutput> {
    let argv = shlex_split(command).map_err(|message| Error::Builtin {
        class: "ValueError",
        message: message.to_string(),
    })?;
    let Some((program, args)) = argv.split_first() else {
        // subprocess.Popen([]) reading args[0].
        return Err(Error::Builtin {
            class: "IndexError",
            message: "list index out of range".into(),
        });
    };
    let mut cmd = Command::new(program);
    cmd.args(args)
        .stdin(Stdio::inherit())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if !env.is_process_env() {
        // The child sees the same environment botocore's would: the one the
        // caller resolved against.
        cmd.env_clear();
        cmd.envs(env.iter());
    }
    let child = cmd
        .spawn()
        .map_err(|e| super::http::os_error(&e, program))?;
    let output = child
        .wait_with_output()
        .map_err(|e| super::http::os_error(&e, program))?;
    if !output.status.success() {
        return Err(retrieval(
            String::from_utf8_lossy(&output.stderr).into_owned(),
        ));
    }
    let stdout = String::from_utf8(output.stdout).map_err(|e| Error::PayloadDecode {
        body: e.into_bytes(),
    })?;
    let parsed: Value = serde_json::from_str(&stdout).map_err(|_| Error::ProcessOutputNotJson {
        output: crate::error::HiddenText(stdout.clone()),
    })?;
    let Value::Object(map) = &parsed else {
        return Err(Error::Builtin {
            class: "AttributeError",
            message: format!("'{}' object has no attribute 'get'", py_type_name(&parsed)),
        });
    };
    match map.get("Version") {
        Some(v) if equals_one(v) => {}
        Some(v) => return Err(unsupported_version(&py_str(v))),
        None => return Err(unsupported_version("<Version key not provided>")),
    }
    let required = |key: &str| {
        map.get(key)
            .map(py_str)
            .ok_or_else(|| retrieval(format!("Missing required key in response: '{key}'")))
    };
    let access_key = required("AccessKeyId")?;
    let secret_key = required("SecretAccessKey")?;
    let token = match map.get("SessionToken") {
        None | Some(Value::Null) => None,
        Some(v) => Some(py_str(v)),
    };
    // `parsed.get('AccountId') or profile_config.get('aws_account_id')`.
    let account_id = map
        .get("AccountId")
        .filter(|v| py_truthy(v))
        .map(py_str)
        .or_else(|| profile_account_id.map(str::to_string));
    let expiration = map.get("Expiration").filter(|v| !v.is_null()).cloned();
    Ok(ProcessOutput {
        credentials: Credentials::new(access_key, secret_key, token, METHOD)
            .with_account_id(account_id),
        expiration,
    })
}

/// `ProcessProvider.load`: static credentials, or, when the process gave
/// an `Expiration`, credentials that run the process again as expiry nears
/// (botocore's `RefreshableCredentials.create_from_metadata`).
pub fn load(
    command: &str,
    env: &Env,
    profile_account_id: Option<&str>,
) -> Result<CredentialSource> {
    let first = run_credential_process(command, env, profile_account_id)?;
    let Some(expiration) = &first.expiration else {
        return Ok(CredentialSource::Static(first.credentials));
    };
    let expiry = parse_expiration(expiration)?;
    let fetcher = ProcessFetcher {
        command: command.to_string(),
        env: env.clone(),
        profile_account_id: profile_account_id.map(str::to_string),
    };
    let initial = Fetched {
        credentials: first.credentials,
        expiry: Some(expiry),
    };
    Ok(CredentialSource::Refreshable(Arc::new(
        RefreshableCredentials::new(METHOD, Some(initial), Box::new(fetcher)),
    )))
}

/// dateutil's `parse` of the `Expiration` value, with its errors.
fn parse_expiration(value: &Value) -> Result<SystemTime> {
    let Value::String(text) = value else {
        return Err(Error::Builtin {
            class: "TypeError",
            message: format!(
                "Parser must be a string or character stream, not {}",
                py_type_name(value)
            ),
        });
    };
    parse_timestamp(text).ok_or_else(|| {
        let reason = if text.trim().is_empty() {
            "String does not contain a date"
        } else {
            "Unknown string format"
        };
        Error::Builtin {
            class: "ParserError",
            message: format!("{reason}: {text}"),
        }
    })
}

struct ProcessFetcher {
    command: String,
    env: Env,
    profile_account_id: Option<String>,
}

impl Fetch for ProcessFetcher {
    /// The process runs on the thread that needs the credentials, as in
    /// botocore; refreshes are rare (once per expiry) and short.
    fn fetch(&self, _lane: Lane) -> FetchFuture<'_> {
        Box::pin(async move {
            let out = run_credential_process(
                &self.command,
                &self.env,
                self.profile_account_id.as_deref(),
            )?;
            // `_set_from_data` parses `expiry_time` whatever it is: a
            // refresh without `Expiration` is dateutil's TypeError.
            let expiry = parse_expiration(out.expiration.as_ref().unwrap_or(&Value::Null))?;
            Ok(Fetched {
                credentials: out.credentials,
                expiry: Some(expiry),
            })
        })
    }
}

/// Python truthiness of a JSON value.
fn py_truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64() != Some(0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
    }
}

fn unsupported_version(version: &str) -> Error {
    retrieval(format!(
        "Unsupported version '{version}' for credential process provider, supported versions: 1"
    ))
}

/// Python's `version != 1` is false for `1`, `1.0` and `True`.
fn equals_one(v: &Value) -> bool {
    match v {
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64() == Some(1.0),
        _ => false,
    }
}

/// `OSError.__str__`: `[Errno 2] No such file or directory: 'cmd'`.
pub(crate) fn os_error_message(e: &std::io::Error, program: &str) -> String {
    match e.raw_os_error() {
        Some(code) => {
            let text = e.to_string();
            let strerror = text
                .strip_suffix(&format!(" (os error {code})"))
                .unwrap_or(&text);
            format!("[Errno {code}] {strerror}: {}", py_repr_str(program))
        }
        None => e.to_string(),
    }
}

fn py_type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "NoneType",
        Value::Bool(_) => "bool",
        Value::Number(n) if n.is_f64() => "float",
        Value::Number(_) => "int",
        Value::String(_) => "str",
        Value::Array(_) => "list",
        Value::Object(_) => "dict",
    }
}

/// `str()` of the Python object `json.loads` would have produced.
pub(crate) fn py_str(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => py_repr(other),
    }
}

/// `repr()` of the Python object `json.loads` would have produced.
pub(crate) fn py_repr(v: &Value) -> String {
    match v {
        Value::Null => "None".into(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::Number(n) => match n.as_f64() {
            Some(f) if n.is_f64() => py_float_repr(f),
            _ => n.to_string(),
        },
        Value::String(s) => py_repr_str(s),
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(py_repr).collect::<Vec<_>>().join(", ")
        ),
        Value::Object(map) => format!(
            "{{{}}}",
            map.iter()
                .map(|(k, v)| format!("{}: {}", py_repr_str(k), py_repr(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// Python's `repr(float)`: shortest round-trip digits, positional notation
/// while the decimal exponent is in (-4, 16], scientific otherwise.
pub(crate) fn py_float_repr(f: f64) -> String {
    if f.is_nan() {
        return "nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "inf".into() } else { "-inf".into() };
    }
    if f == 0.0 {
        return if f.is_sign_negative() {
            "-0.0".into()
        } else {
            "0.0".into()
        };
    }
    let sci = format!("{:e}", f.abs());
    let (mantissa, exp) = sci.split_once('e').expect("{:e} always has an exponent");
    let exp: i32 = exp.parse().expect("integer exponent");
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let decpt = exp + 1;
    let sign = if f < 0.0 { "-" } else { "" };
    let body = if -4 < decpt && decpt <= 16 {
        let n = digits.len() as i32;
        if decpt <= 0 {
            format!("0.{}{}", "0".repeat((-decpt) as usize), digits)
        } else if decpt >= n {
            format!("{}{}.0", digits, "0".repeat((decpt - n) as usize))
        } else {
            format!(
                "{}.{}",
                &digits[..decpt as usize],
                &digits[decpt as usize..]
            )
        }
    } else {
        let m = if digits.len() > 1 {
            format!("{}.{}", &digits[..1], &digits[1..])
        } else {
            digits
        };
        let e = decpt - 1;
        format!("{m}e{}{:02}", if e < 0 { '-' } else { '+' }, e.abs())
    };
    format!("{sign}{body}")
}
