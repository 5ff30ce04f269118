//! The two local-file providers botocore still consults after the profile
//! providers: the original EC2 CLI tools' key file and boto2's config.
//! Rarely used, but a boto2 user with `~/.boto` gets credentials from
//! botocore, so fastboto must too.

use super::{partial, Credentials};
use crate::config_file::{expanduser, py_splitlines, py_strip, raw_config_parse, Env};
use crate::error::{Error, Result};

const EC2_METHOD: &str = "ec2-credentials-file";
const BOTO_METHOD: &str = "boto-config";

/// `OriginalEC2Provider.load`: only when `AWS_CREDENTIAL_FILE` is set; the
/// path gets `~` expansion only (no `$VAR`), and is read as `key=value`
/// lines (`parse_key_val_file`).
///
/// botocore raises `ConfigNotFound` for an unreadable path and a bare
/// `KeyError('AWSSecretKey')` for a key without a secret; with no matching
/// error variants these become `CredentialRetrieval` (same message text)
/// and `PartialCredentials` respectively.
pub(super) fn ec2_credentials_file(env: &Env) -> Result<Option<Credentials>> {
    let Some(path) = env.var("AWS_CREDENTIAL_FILE") else {
        return Ok(None);
    };
    let path = expanduser(path, env);
    let not_found = || Error::CredentialRetrieval {
        provider: EC2_METHOD.into(),
        error_msg: format!("The specified config file ({path}) could not be found."),
    };
    let bytes = std::fs::read(&path).map_err(|_| not_found())?;
    let text = String::from_utf8(bytes).map_err(|_| Error::CredentialRetrieval {
        provider: EC2_METHOD.into(),
        error_msg: format!("{path} is not valid UTF-8"),
    })?;
    let mut pairs: Vec<(&str, &str)> = Vec::new();
    for line in py_splitlines(&text) {
        let Some((k, v)) = line.split_once('=') else {
            continue;
        };
        let (k, v) = (py_strip(k), py_strip(v));
        match pairs.iter_mut().find(|(key, _)| *key == k) {
            Some(slot) => slot.1 = v,
            None => pairs.push((k, v)),
        }
    }
    let get = |name: &str| pairs.iter().find(|(k, _)| *k == name).map(|(_, v)| *v);
    let Some(access_key) = get("AWSAccessKeyId") else {
        return Ok(None);
    };
    let Some(secret_key) = get("AWSSecretKey") else {
        return Err(partial(EC2_METHOD, "AWSSecretKey"));
    };
    Ok(Some(Credentials::new(
        access_key, secret_key, None, EC2_METHOD,
    )))
}

/// `BotoProvider.load`: `$BOTO_CONFIG` if set, else `/etc/boto.cfg` then
/// `~/.boto`; the first file whose `[Credentials]` section has
/// `aws_access_key_id` answers. These are INI files parsed like the shared
/// config, so a broken one is a `ConfigParseError`.
pub(super) fn boto_config(env: &Env) -> Result<Option<Credentials>> {
    let locations: Vec<&str> = match env.var("BOTO_CONFIG") {
        Some(p) => vec![p],
        None => vec!["/etc/boto.cfg", "~/.boto"],
    };
    for location in locations {
        let Some(ini) = raw_config_parse(location, env)? else {
            continue;
        };
        let Some(section) = ini.section("Credentials") else {
            continue;
        };
        let Some(access_key) = section.value("aws_access_key_id") else {
            continue;
        };
        let Some(secret_key) = section.value("aws_secret_access_key") else {
            return Err(partial(BOTO_METHOD, "aws_secret_access_key"));
        };
        return Ok(Some(Credentials::new(
            access_key.py_str(),
            secret_key.py_str(),
            None,
            BOTO_METHOD,
        )));
    }
    Ok(None)
}
