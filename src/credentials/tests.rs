//! Every expectation here was checked against botocore 1.43 / boto3 1.43
//! with the same files and environment (see the notes on each test).

use super::process::{py_float_repr, py_repr};
use super::*;

/// An environment that cannot see the machine's own credential sources:
/// only PATH (so `sh`/`printf` resolve) and a BOTO_CONFIG that does not
/// exist (so `/etc/boto.cfg` is not read).
fn env(pairs: &[(&str, &str)]) -> Env {
    let mut e = Env::from_pairs(pairs);
    e.set(
        "PATH",
        &std::env::var("PATH").unwrap_or_else(|_| "/usr/bin:/bin".into()),
    );
    if !e.contains("BOTO_CONFIG") {
        e.set("BOTO_CONFIG", "/nonexistent/fastboto-test-boto");
    }
    // The chain ends at the instance metadata service: never reach for it.
    if !e.contains("AWS_EC2_METADATA_DISABLED") {
        e.set("AWS_EC2_METADATA_DISABLED", "true");
    }
    e
}

fn cfg(config: Option<&str>, credentials: Option<&str>) -> SharedConfig {
    SharedConfig::from_contents(config, credentials).unwrap()
}

fn unset() -> ActiveProfile {
    ActiveProfile::default()
}

fn named(name: &str) -> ActiveProfile {
    ActiveProfile::resolve(Some(name), &Env::default())
}

fn chain_of(profile: &ActiveProfile, env: &Env, cfg: &SharedConfig) -> Result<Option<Credentials>> {
    default_chain(profile, env, cfg)
}

fn found(r: Result<Option<Credentials>>) -> (String, String, Option<String>, String) {
    let c = r.unwrap().expect("credentials");
    (c.access_key, c.secret_key, c.token, c.method)
}

fn t(
    ak: &str,
    sk: &str,
    token: Option<&str>,
    method: &str,
) -> (String, String, Option<String>, String) {
    (
        ak.into(),
        sk.into(),
        token.map(str::to_string),
        method.into(),
    )
}

fn partial_err(provider: &str, cred_var: &str) -> Error {
    Error::PartialCredentials {
        provider: provider.into(),
        cred_var: cred_var.into(),
    }
}

const CREDS: &str = "[default]\naws_access_key_id=CAK\naws_secret_access_key=CSK\n[p]\naws_access_key_id=PAK\naws_secret_access_key=PSK\n";
const ENV_KEYS: [(&str, &str); 2] = [
    ("AWS_ACCESS_KEY_ID", "EAK"),
    ("AWS_SECRET_ACCESS_KEY", "ESK"),
];

// ---- redaction ----

#[test]
fn debug_never_prints_secrets() {
    let c = Credentials::new(
        "AKIDVISIBLE",
        "SECRETVALUE",
        Some("TOKENVALUE".into()),
        "env",
    );
    let out = format!("{c:?} {c:#?}");
    assert!(out.contains("AKIDVISIBLE"));
    assert!(
        !out.contains("SECRETVALUE") && !out.contains("TOKENVALUE"),
        "{out}"
    );
    let e = ExplicitCredentials {
        access_key: Some("AKIDVISIBLE".into()),
        secret_key: Some("SECRETVALUE".into()),
        token: Some("TOKENVALUE".into()),
        account_id: None,
    };
    let out = format!("{e:?}");
    assert!(
        !out.contains("SECRETVALUE") && !out.contains("TOKENVALUE"),
        "{out}"
    );
    // ...nor does an error carrying them around.
    let r: Result<Option<Credentials>> = Ok(Some(c));
    assert!(!format!("{r:?}").contains("SECRETVALUE"));
}

// ---- explicit (client-level and session-level) ----

#[test]
fn explicit_client_arguments() {
    let none = env(&[]);
    let c = cfg(None, Some(CREDS));
    let ex = |ak: Option<&str>, sk: Option<&str>, tok: Option<&str>| ExplicitCredentials {
        access_key: ak.map(str::to_string),
        secret_key: sk.map(str::to_string),
        token: tok.map(str::to_string),
        account_id: None,
    };
    assert_eq!(
        found(resolve(
            ex(Some("a"), Some("s"), Some("t")),
            &unset(),
            &none,
            &c
        )),
        t("a", "s", Some("t"), "explicit")
    );
    // botocore: client(aws_access_key_id='', aws_secret_access_key='') → explicit, empty.
    assert_eq!(
        found(resolve(ex(Some(""), Some(""), None), &unset(), &none, &c)),
        t("", "", None, "explicit")
    );
    // "Partial credentials found in explicit, missing: aws_secret_access_key"
    let err = resolve(ex(Some("a"), None, None), &unset(), &none, &c).unwrap_err();
    assert_eq!(err, partial_err("explicit", "aws_secret_access_key"));
    assert_eq!(
        err.to_string(),
        "Partial credentials found in explicit, missing: aws_secret_access_key"
    );
    let err = resolve(ex(None, Some("s"), None), &unset(), &none, &c).unwrap_err();
    assert_eq!(err, partial_err("explicit", "aws_access_key_id"));
    // A lone token is ignored: botocore fell through to the shared file.
    assert_eq!(
        found(resolve(ex(None, None, Some("t")), &unset(), &none, &c)),
        t("CAK", "CSK", None, "shared-credentials-file")
    );
}

#[test]
fn explicit_session_arguments() {
    let ex = |ak: Option<&str>, sk: Option<&str>, tok: Option<&str>| ExplicitCredentials {
        access_key: ak.map(str::to_string),
        secret_key: sk.map(str::to_string),
        token: tok.map(str::to_string),
        account_id: None,
    };
    assert_eq!(session_credentials(&ex(None, None, None)).unwrap(), None);
    // Session(aws_access_key_id='', aws_secret_access_key='') → not set (botocore
    // answered from the shared file).
    assert_eq!(
        session_credentials(&ex(Some(""), Some(""), None)).unwrap(),
        None
    );
    assert_eq!(
        session_credentials(&ex(Some("a"), Some("s"), None)).unwrap(),
        Some(Credentials::new("a", "s", None, "explicit"))
    );
    assert_eq!(
        session_credentials(&ex(Some("a"), None, None)).unwrap_err(),
        partial_err("explicit", "aws_secret_access_key")
    );
    assert_eq!(
        session_credentials(&ex(None, None, Some("t"))).unwrap_err(),
        partial_err("explicit", "aws_access_key_id")
    );
}

// ---- env provider ----

#[test]
fn env_provider_cases() {
    let c = cfg(None, Some(CREDS));
    assert_eq!(
        found(chain_of(&unset(), &env(&ENV_KEYS), &c)),
        t("EAK", "ESK", None, "env")
    );
    let with = |extra: &[(&str, &str)]| {
        let mut pairs = ENV_KEYS.to_vec();
        pairs.extend_from_slice(extra);
        env(&pairs)
    };
    // AWS_SECURITY_TOKEN beats AWS_SESSION_TOKEN; an empty one does not count.
    let e = with(&[("AWS_SESSION_TOKEN", "st"), ("AWS_SECURITY_TOKEN", "sec")]);
    assert_eq!(
        found(chain_of(&unset(), &e, &c)),
        t("EAK", "ESK", Some("sec"), "env")
    );
    let e = with(&[("AWS_SESSION_TOKEN", "st"), ("AWS_SECURITY_TOKEN", "")]);
    assert_eq!(
        found(chain_of(&unset(), &e, &c)),
        t("EAK", "ESK", Some("st"), "env")
    );
    // AWS_PROFILE does not disable env credentials...
    let e = with(&[("AWS_PROFILE", "p")]);
    let p = ActiveProfile::resolve(None, &e);
    assert_eq!(found(chain_of(&p, &e, &c)), t("EAK", "ESK", None, "env"));
    // ...Session(profile_name=...) does, even for "default".
    let e = env(&ENV_KEYS);
    assert_eq!(
        found(chain_of(&named("p"), &e, &c)),
        t("PAK", "PSK", None, "shared-credentials-file")
    );
    assert_eq!(
        found(chain_of(&named("default"), &e, &c)),
        t("CAK", "CSK", None, "shared-credentials-file")
    );
}

#[test]
fn env_provider_partial_and_empty() {
    let c = cfg(None, Some(CREDS));
    // Empty key → skipped; secret alone → skipped.
    let e = env(&[("AWS_ACCESS_KEY_ID", ""), ("AWS_SECRET_ACCESS_KEY", "x")]);
    assert_eq!(
        found(chain_of(&unset(), &e, &c)),
        t("CAK", "CSK", None, "shared-credentials-file")
    );
    let e = env(&[("AWS_SECRET_ACCESS_KEY", "x")]);
    assert_eq!(
        found(chain_of(&unset(), &e, &c)),
        t("CAK", "CSK", None, "shared-credentials-file")
    );
    // Key without (or with empty) secret → partial, and the chain stops there.
    for e in [
        env(&[("AWS_ACCESS_KEY_ID", "a")]),
        env(&[("AWS_ACCESS_KEY_ID", "a"), ("AWS_SECRET_ACCESS_KEY", "")]),
    ] {
        let err = chain_of(&unset(), &e, &c).unwrap_err();
        assert_eq!(err, partial_err("env", "AWS_SECRET_ACCESS_KEY"));
        assert_eq!(
            err.to_string(),
            "Partial credentials found in env, missing: AWS_SECRET_ACCESS_KEY"
        );
    }
    // With an explicit profile the env provider is gone, so no error.
    let e = env(&[("AWS_ACCESS_KEY_ID", "a")]);
    assert_eq!(
        found(chain_of(&named("p"), &e, &c)),
        t("PAK", "PSK", None, "shared-credentials-file")
    );
}

// ---- shared credentials file / config file ----

#[test]
fn shared_credentials_file_cases() {
    let none = env(&[]);
    let c = cfg(None, Some("[default]\naws_access_key_id=a\n"));
    assert_eq!(
        chain_of(&unset(), &none, &c).unwrap_err(),
        partial_err("shared-credentials-file", "aws_secret_access_key")
    );
    // aws_security_token wins over aws_session_token.
    let c = cfg(
        None,
        Some("[default]\naws_access_key_id=a\naws_secret_access_key=b\naws_session_token=st\naws_security_token=sec\n"),
    );
    assert_eq!(
        found(chain_of(&unset(), &none, &c)),
        t("a", "b", Some("sec"), "shared-credentials-file")
    );
    // Present-but-empty values still count.
    let c = cfg(
        None,
        Some("[default]\naws_access_key_id=\naws_secret_access_key=\n"),
    );
    assert_eq!(
        found(chain_of(&unset(), &none, &c)),
        t("", "", None, "shared-credentials-file")
    );
    // A nested block is passed on as Python would format the dict.
    let c = cfg(
        None,
        Some("[default]\naws_access_key_id=\n  a = b\naws_secret_access_key=s\n"),
    );
    assert_eq!(
        found(chain_of(&unset(), &none, &c)),
        t("{'a': 'b'}", "s", None, "shared-credentials-file")
    );
    // The credentials file uses raw section names: [profile p] is profile "profile p".
    let c = cfg(
        None,
        Some("[profile p]\naws_access_key_id=a\naws_secret_access_key=b\n"),
    );
    assert_eq!(
        found(chain_of(&named("profile p"), &none, &c)),
        t("a", "b", None, "shared-credentials-file")
    );
    // A secret alone in the credentials file is skipped; the config file answers.
    let c = cfg(
        Some("[default]\naws_access_key_id=k\naws_secret_access_key=s\n"),
        Some("[default]\naws_secret_access_key=a\n"),
    );
    assert_eq!(
        found(chain_of(&unset(), &none, &c)),
        t("k", "s", None, "config-file")
    );
    // [DEFAULT] keys reach every credentials-file section.
    let c = cfg(
        None,
        Some("[DEFAULT]\naws_access_key_id=a\naws_secret_access_key=b\n[q]\n"),
    );
    assert_eq!(
        found(chain_of(&named("q"), &none, &c)),
        t("a", "b", None, "shared-credentials-file")
    );
}

#[test]
fn config_file_cases() {
    let none = env(&[]);
    let c = cfg(
        Some("[default]\naws_access_key_id=a\naws_secret_access_key=b\naws_session_token=t\n"),
        None,
    );
    assert_eq!(
        found(chain_of(&unset(), &none, &c)),
        t("a", "b", Some("t"), "config-file")
    );
    let c = cfg(
        Some("[profile p]\naws_access_key_id=a\naws_secret_access_key=b\n"),
        None,
    );
    assert_eq!(
        found(chain_of(&named("p"), &none, &c)),
        t("a", "b", None, "config-file")
    );
    let c = cfg(Some("[default]\naws_access_key_id=a\n"), None);
    let err = chain_of(&unset(), &none, &c).unwrap_err();
    assert_eq!(err, partial_err("config-file", "aws_secret_access_key"));
    assert_eq!(
        err.to_string(),
        "Partial credentials found in config-file, missing: aws_secret_access_key"
    );
    // The shared file is consulted first, so a partial config is never reached.
    let c = cfg(Some("[default]\naws_access_key_id=a\n"), Some(CREDS));
    assert_eq!(
        found(chain_of(&unset(), &none, &c)),
        t("CAK", "CSK", None, "shared-credentials-file")
    );
    // [DEFAULT] alone does not create a `default` profile: nothing found.
    let c = cfg(
        Some("[DEFAULT]\naws_access_key_id=a\naws_secret_access_key=b\n[profile q]\n"),
        None,
    );
    assert_eq!(chain_of(&unset(), &none, &c).unwrap(), None);
    assert_eq!(
        found(chain_of(&named("q"), &none, &c)),
        t("a", "b", None, "config-file")
    );
}

#[test]
fn nothing_configured_is_none_not_an_error() {
    assert_eq!(
        chain_of(&unset(), &env(&[]), &SharedConfig::empty()).unwrap(),
        None
    );
    assert_eq!(
        Error::NoCredentials.to_string(),
        "Unable to locate credentials"
    );
}

// ---- credential_process ----

fn process_cfg(command: &str) -> SharedConfig {
    cfg(
        Some(&format!("[default]\ncredential_process = {command}\n")),
        None,
    )
}

fn process_err(command: &str) -> String {
    match chain_of(&unset(), &env(&[]), &process_cfg(command)).unwrap_err() {
        Error::CredentialRetrieval {
            provider,
            error_msg,
        } => {
            assert_eq!(provider, "custom-process");
            error_msg
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn credential_process_success() {
    let json =
        r#"{"Version": 1, "AccessKeyId": "PA", "SecretAccessKey": "PS", "SessionToken": "PT"}"#;
    let c = process_cfg(&format!("printf '{json}'"));
    assert_eq!(
        found(chain_of(&unset(), &env(&[]), &c)),
        t("PA", "PS", Some("PT"), "custom-process")
    );
    // Through a shell, from the credentials file, with Version 1.0 / true and an Expiration.
    let c = cfg(
        None,
        Some(
            r#"[default]
credential_process = sh -c 'printf "{\"Version\": 1.0, \"AccessKeyId\": \"A\", \"SecretAccessKey\": \"S\", \"Expiration\": \"2099-01-01T00:00:00Z\"}"'
"#,
        ),
    );
    assert_eq!(
        found(chain_of(&unset(), &env(&[]), &c)),
        t("A", "S", None, "custom-process")
    );
    let c = process_cfg(
        r#"printf '{"Version": true, "AccessKeyId": "a", "SecretAccessKey": "b", "SessionToken": null}'"#,
    );
    assert_eq!(
        found(chain_of(&unset(), &env(&[]), &c)),
        t("a", "b", None, "custom-process")
    );
    // It runs before the config file's static keys.
    let c = cfg(
        Some(
            r#"[default]
aws_access_key_id=a
aws_secret_access_key=b
credential_process = printf '{"Version": 1, "AccessKeyId": "PA", "SecretAccessKey": "PS"}'
"#,
        ),
        None,
    );
    assert_eq!(
        found(chain_of(&unset(), &env(&[]), &c)),
        t("PA", "PS", None, "custom-process")
    );
    // The child sees the resolved environment.
    let c = process_cfg(
        r#"sh -c 'printf "{\"Version\": 1, \"AccessKeyId\": \"$FB_AK\", \"SecretAccessKey\": \"s\"}"'"#,
    );
    assert_eq!(
        found(chain_of(&unset(), &env(&[("FB_AK", "fromenv")]), &c)),
        t("fromenv", "s", None, "custom-process")
    );
}

#[test]
fn credential_process_failures_match_botocore_messages() {
    // Non-zero exit: stderr verbatim (botocore: "boom\n").
    assert_eq!(process_err(r#"sh -c "echo boom >&2; exit 3""#), "boom\n");
    assert_eq!(process_err(r#"sh -c "exit 3""#), "");
    let version = |v: &str| {
        format!("Unsupported version '{v}' for credential process provider, supported versions: 1")
    };
    assert_eq!(process_err(r#"printf '{"Version": 2}'"#), version("2"));
    assert_eq!(process_err(r#"printf '{"Version": "1"}'"#), version("1"));
    assert_eq!(
        process_err("printf '{}'"),
        version("<Version key not provided>")
    );
    assert_eq!(
        process_err(r#"printf '{"Version": null}'"#),
        version("None")
    );
    assert_eq!(process_err(r#"printf '{"Version": 2.5}'"#), version("2.5"));
    assert_eq!(
        process_err(r#"printf '{"Version": [1, "a", false]}'"#),
        version("[1, 'a', False]")
    );
    assert_eq!(
        process_err(r#"printf '{"Version": 1}'"#),
        "Missing required key in response: 'AccessKeyId'"
    );
    assert_eq!(
        process_err(r#"printf '{"Version": 1, "AccessKeyId": "a"}'"#),
        "Missing required key in response: 'SecretAccessKey'"
    );
    let full = Error::CredentialRetrieval {
        provider: "custom-process".into(),
        error_msg: version("2"),
    };
    assert_eq!(
        full.to_string(),
        "Error when retrieving credentials from custom-process: Unsupported version '2' for credential process provider, supported versions: 1"
    );
}

#[test]
fn credential_process_python_exceptions_escape_as_in_botocore() {
    let err = |command: &str| chain_of(&unset(), &env(&[]), &process_cfg(command)).unwrap_err();
    let builtin = |command: &str| match err(command) {
        Error::Builtin { class, message } => (class, message),
        other => panic!("unexpected {other:?}"),
    };
    assert_eq!(
        builtin("/nonexistent/cmd arg"),
        (
            "FileNotFoundError",
            "[Errno 2] No such file or directory: '/nonexistent/cmd'".into()
        )
    );
    assert_eq!(
        builtin(""),
        ("IndexError", "list index out of range".into())
    );
    assert_eq!(
        builtin("printf \"abc"),
        ("ValueError", "No closing quotation".into())
    );
    assert_eq!(
        builtin("printf '[1]'"),
        (
            "AttributeError",
            "'list' object has no attribute 'get'".into()
        )
    );
    // The binding rebuilds these two from the output with Python's json /
    // bytes.decode, so the messages are Python's.
    for (command, output) in [("printf nope", "nope"), ("true", "")] {
        match err(command) {
            Error::ProcessOutputNotJson { output: got } => assert_eq!(got.0, output),
            other => panic!("unexpected {other:?}"),
        }
    }
    let hidden = format!(
        "{:?}",
        Error::ProcessOutputNotJson {
            output: crate::error::HiddenText("SECRET".into())
        }
    );
    assert!(!hidden.contains("SECRET"), "{hidden}");
    assert!(matches!(
        err(r"printf '\377'"),
        Error::PayloadDecode { body } if body == b"\xff"
    ));
}

// ---- legacy local files ----

#[test]
fn ec2_credentials_file_provider() {
    let dir = crate::config_file::tests_support::tmpdir();
    let path = dir.join("ec2");
    let p = path.to_str().unwrap();
    std::fs::write(&path, "AWSAccessKeyId = a\nAWSSecretKey=b\n").unwrap();
    let e = env(&[("AWS_CREDENTIAL_FILE", p)]);
    assert_eq!(
        found(chain_of(&unset(), &e, &SharedConfig::empty())),
        t("a", "b", None, "ec2-credentials-file")
    );
    std::fs::write(&path, "AWSAccessKeyId = a\n").unwrap();
    assert_eq!(
        chain_of(&unset(), &e, &SharedConfig::empty()).unwrap_err(),
        partial_err("ec2-credentials-file", "AWSSecretKey")
    );
    std::fs::write(&path, "foo\n").unwrap();
    assert_eq!(
        chain_of(&unset(), &e, &SharedConfig::empty()).unwrap(),
        None
    );
    // A missing file is an error (botocore: ConfigNotFound) unless something earlier answers.
    let missing = format!("{}/nope", dir.to_str().unwrap());
    let e = env(&[("AWS_CREDENTIAL_FILE", &missing)]);
    assert!(matches!(
        chain_of(&unset(), &e, &SharedConfig::empty()),
        Err(Error::CredentialRetrieval { .. })
    ));
    assert_eq!(
        found(chain_of(&unset(), &e, &cfg(None, Some(CREDS)))),
        t("CAK", "CSK", None, "shared-credentials-file")
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn boto_config_provider() {
    let dir = crate::config_file::tests_support::tmpdir();
    let path = dir.join("boto");
    let p = path.to_str().unwrap();
    let e = env(&[("BOTO_CONFIG", p)]);
    std::fs::write(
        &path,
        "[Credentials]\naws_access_key_id = a\naws_secret_access_key=b\n",
    )
    .unwrap();
    assert_eq!(
        found(chain_of(&unset(), &e, &SharedConfig::empty())),
        t("a", "b", None, "boto-config")
    );
    std::fs::write(&path, "[Credentials]\naws_access_key_id = a\n").unwrap();
    assert_eq!(
        chain_of(&unset(), &e, &SharedConfig::empty()).unwrap_err(),
        partial_err("boto-config", "aws_secret_access_key")
    );
    std::fs::write(&path, "junk\n").unwrap();
    assert_eq!(
        chain_of(&unset(), &e, &SharedConfig::empty()).unwrap_err(),
        Error::ConfigParse {
            path: p.to_string()
        }
    );
    // Without BOTO_CONFIG, ~/.boto is read.
    std::fs::write(
        dir.join(".boto"),
        "[Credentials]\naws_access_key_id = h\naws_secret_access_key=hs\n",
    )
    .unwrap();
    let mut e = Env::from_pairs(&[("HOME", dir.to_str().unwrap())]);
    e.remove("BOTO_CONFIG");
    if !std::path::Path::new("/etc/boto.cfg").exists() {
        assert_eq!(
            found(chain_of(&unset(), &e, &SharedConfig::empty())),
            t("h", "hs", None, "boto-config")
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

// ---- chain shape and the seam ----

#[test]
fn chain_order_and_seam() {
    let methods: Vec<_> = DEFAULT_CHAIN.iter().map(|p| p.method()).collect();
    assert_eq!(
        methods,
        [
            "env",
            "assume-role",
            "assume-role-with-web-identity",
            "sso",
            "shared-credentials-file",
            "login",
            "custom-process",
            "config-file",
            "ec2-credentials-file",
            "boto-config",
            "container-role",
            "iam-role"
        ]
    );
    // Every provider but `login` is implemented now: only a profile with a
    // `login_session` is reported.
    let c = cfg(
        Some("[profile r]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = default\n[profile s]\nsso_account_id = 1\nsso_role_name = r\n[profile l]\nlogin_session = arn:aws:iam::1:user/me\n"),
        Some(CREDS),
    );
    let none = env(&[]);
    assert!(unsupported_sources(&named("r"), &none, &c).is_empty());
    assert!(unsupported_sources(&named("s"), &none, &c).is_empty());
    assert_eq!(unsupported_sources(&named("l"), &none, &c), vec!["login"]);
    assert!(unsupported_sources(&unset(), &none, &c).is_empty());
    let e = env(&[
        ("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/x"),
        ("AWS_WEB_IDENTITY_TOKEN_FILE", "/t"),
    ]);
    assert!(unsupported_sources(&unset(), &e, &c).is_empty());
}

// ---- Python formatting helpers ----

#[test]
fn python_repr_of_json_values() {
    assert_eq!(py_float_repr(2.5), "2.5");
    assert_eq!(py_float_repr(1.0), "1.0");
    assert_eq!(py_float_repr(1e16), "1e+16");
    assert_eq!(py_float_repr(1e15), "1000000000000000.0");
    assert_eq!(py_float_repr(0.0001), "0.0001");
    assert_eq!(py_float_repr(0.00001), "1e-05");
    assert_eq!(py_float_repr(-1.5e-7), "-1.5e-07");
    assert_eq!(py_float_repr(123.456), "123.456");
    let v: serde_json::Value =
        serde_json::from_str(r#"{"a": [1, 2.0, "x", null, true], "b": {"c": "it's"}}"#).unwrap();
    assert_eq!(
        py_repr(&v),
        r#"{'a': [1, 2.0, 'x', None, True], 'b': {'c': "it's"}}"#
    );
}

// ---- credential_process: Expiration, AccountId ----

fn process_source(command: &str, extra: &str) -> Result<Option<CredentialSource>> {
    let text = format!("[default]\ncredential_process = {command}\n{extra}");
    load_chain(
        &unset(),
        &env(&[]),
        &cfg(Some(&text), None),
        &ChainOptions::default(),
    )
}

/// A process that counts its runs in `counter` and prints `json`.
fn counting_process(counter: &std::path::Path, json: &str) -> String {
    format!(
        "sh -c 'printf x >> {}; printf \"%s\" \"$0\"' '{}'",
        counter.display(),
        json.replace('\'', "")
    )
}

fn runs(counter: &std::path::Path) -> usize {
    std::fs::read_to_string(counter).map_or(0, |s| s.len())
}

#[test]
fn credential_process_with_expiration_is_refreshable() {
    let dir = std::env::temp_dir().join(format!("fb-proc-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let counter = dir.join("fresh");
    let json = r#"{"Version": 1, "AccessKeyId": "A", "SecretAccessKey": "S", "Expiration": "2099-01-01T00:00:00Z", "AccountId": "111122223333"}"#;
    let source = process_source(&counting_process(&counter, json), "")
        .unwrap()
        .unwrap();
    assert!(matches!(source, CredentialSource::Refreshable(_)));
    let frozen = source.frozen_blocking().unwrap();
    assert_eq!(frozen.account_id.as_deref(), Some("111122223333"));
    source.frozen_blocking().unwrap();
    assert_eq!(runs(&counter), 1, "far from expiry: no second run");

    // Already expired: botocore re-runs the process at first read, then
    // raises because the new credentials are expired too.
    let counter = dir.join("expired");
    let json = r#"{"Version": 1, "AccessKeyId": "A", "SecretAccessKey": "S", "Expiration": "2000-01-01T00:00:00Z"}"#;
    let source = process_source(&counting_process(&counter, json), "")
        .unwrap()
        .unwrap();
    match source.frozen_blocking().unwrap_err() {
        Error::Builtin { class, message } => {
            assert_eq!(class, "RuntimeError");
            assert_eq!(
                message,
                "Credentials were refreshed, but the refreshed credentials are still expired."
            );
        }
        other => panic!("unexpected {other:?}"),
    }
    assert_eq!(runs(&counter), 2);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn credential_process_expiration_errors_are_dateutils() {
    let err = |expiration: &str| {
        let json = format!(
            r#"{{"Version": 1, "AccessKeyId": "A", "SecretAccessKey": "S", "Expiration": {expiration}}}"#
        );
        match process_source(&format!("printf '{json}'"), "").unwrap_err() {
            Error::Builtin { class, message } => (class, message),
            other => panic!("unexpected {other:?}"),
        }
    };
    assert_eq!(
        err(r#""tomorrow""#),
        ("ParserError", "Unknown string format: tomorrow".to_string())
    );
    assert_eq!(
        err(r#""""#),
        (
            "ParserError",
            "String does not contain a date: ".to_string()
        )
    );
    assert_eq!(
        err("123"),
        (
            "TypeError",
            "Parser must be a string or character stream, not int".to_string()
        )
    );
    // JSON null is no Expiration: static credentials.
    let json = r#"{"Version": 1, "AccessKeyId": "A", "SecretAccessKey": "S", "Expiration": null}"#;
    let source = process_source(&format!("printf '{json}'"), "")
        .unwrap()
        .unwrap();
    assert!(matches!(source, CredentialSource::Static(_)));
}

#[test]
fn credential_process_account_id_falls_back_to_the_profile() {
    let json = r#"{"Version": 1, "AccessKeyId": "A", "SecretAccessKey": "S", "AccountId": ""}"#;
    let source = process_source(
        &format!("printf '{json}'"),
        "aws_account_id = 999988887777\n",
    )
    .unwrap()
    .unwrap();
    assert_eq!(
        source.frozen_blocking().unwrap().account_id.as_deref(),
        Some("999988887777")
    );
}

#[test]
fn account_ids_from_env_and_files() {
    let e = env(&[
        ("AWS_ACCESS_KEY_ID", "a"),
        ("AWS_SECRET_ACCESS_KEY", "b"),
        ("AWS_ACCOUNT_ID", "123456789012"),
    ]);
    let c = chain_of(&unset(), &e, &cfg(None, None)).unwrap().unwrap();
    assert_eq!(c.account_id.as_deref(), Some("123456789012"));
    let c = cfg(
        None,
        Some("[default]\naws_access_key_id = a\naws_secret_access_key = b\naws_account_id = 210987654321\n"),
    );
    let found = chain_of(&unset(), &env(&[]), &c).unwrap().unwrap();
    assert_eq!(found.account_id.as_deref(), Some("210987654321"));
}
