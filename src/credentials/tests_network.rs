//! Unit tests for the network providers' pure parts: timestamps, refresh
//! windows, the container host rules, IMDS configuration and expiry
//! extension. The HTTP exchanges are tested against botocore in
//! tests/test_credential_providers.py.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use super::container::validate_allowed_url;
use super::imds::{extended_expiry, ImdsFetcher};
use super::refresh::{
    parse_timestamp, refresh_needed, Fetch, FetchFuture, Fetched, RefreshableCredentials,
};
use super::*;
use crate::transport::{block_on_local, Lane};

fn at(secs: u64) -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(secs)
}

#[test]
fn timestamps_as_dateutil_reads_them() {
    assert_eq!(parse_timestamp("1970-01-01T00:00:00Z"), Some(at(0)));
    assert_eq!(
        parse_timestamp("2026-12-02T13:07:08Z"),
        Some(at(1_796_216_828))
    );
    assert_eq!(
        parse_timestamp("2026-12-02T14:07:08+01:00"),
        Some(at(1_796_216_828))
    );
    assert_eq!(
        parse_timestamp("2026-12-02T13:07:08.250Z"),
        Some(at(1_796_216_828) + Duration::from_millis(250))
    );
    assert_eq!(
        parse_timestamp("2026-12-02 13:07:08"),
        Some(at(1_796_216_828))
    );
    assert_eq!(
        parse_timestamp("2000-02-29T00:00:00-00:00"),
        Some(at(951_782_400))
    );
    for bad in [
        "",
        "soon",
        "2026-13-01T00:00:00Z",
        "2026-12-02T13:07",
        "2026-12-02T13:07:08X",
    ] {
        assert_eq!(parse_timestamp(bad), None, "{bad}");
    }
}

#[test]
fn refresh_windows() {
    let now = at(10_000);
    let window = Duration::from_secs(15 * 60);
    assert!(!refresh_needed(None, now, window), "no expiry: never");
    assert!(
        !refresh_needed(Some(at(10_000 + 900)), now, window),
        "exactly 15 min left"
    );
    assert!(refresh_needed(Some(at(10_000 + 899)), now, window));
    assert!(refresh_needed(Some(at(9_000)), now, window), "expired");
    assert!(!refresh_needed(Some(at(10_001)), now, Duration::ZERO));
    assert!(
        !refresh_needed(Some(at(10_000)), now, Duration::ZERO),
        "0 s left is not expired"
    );
}

struct Counting {
    calls: Arc<AtomicUsize>,
    /// Seconds from the fake clock's now until each fetch's expiry.
    expires_in: u64,
    fail: bool,
}

static FAKE_NOW: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1_000_000);

fn fake_now() -> SystemTime {
    at(FAKE_NOW.load(Ordering::SeqCst))
}

impl Fetch for Counting {
    fn fetch(&self, _lane: Lane) -> FetchFuture<'_> {
        let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
        let expiry = fake_now() + Duration::from_secs(self.expires_in);
        let fail = self.fail;
        Box::pin(async move {
            if fail {
                return Err(Error::CredentialRetrieval {
                    provider: "test".into(),
                    error_msg: "down".into(),
                });
            }
            Ok(Fetched {
                credentials: Credentials::new(format!("AK{n}"), "SK", Some("T".into()), "test"),
                expiry: Some(expiry),
            })
        })
    }
}

fn refreshable(
    initial_expires_in: Option<u64>,
    fetch_expires_in: u64,
    fail: bool,
) -> (RefreshableCredentials, Arc<AtomicUsize>) {
    let calls = Arc::new(AtomicUsize::new(0));
    let initial = initial_expires_in.map(|secs| Fetched {
        credentials: Credentials::new("AK0", "SK", None, "test"),
        expiry: Some(fake_now() + Duration::from_secs(secs)),
    });
    let fetcher = Counting {
        calls: calls.clone(),
        expires_in: fetch_expires_in,
        fail,
    };
    (
        RefreshableCredentials::new("test", initial, Box::new(fetcher)).with_clock(fake_now),
        calls,
    )
}

fn get(r: &RefreshableCredentials) -> Result<String> {
    block_on_local(r.frozen(Lane::current_thread())).map(|c| c.access_key.clone())
}

#[test]
fn deferred_credentials_fetch_on_first_use_only() {
    let (r, calls) = refreshable(None, 3600, false);
    assert_eq!(calls.load(Ordering::SeqCst), 0, "nothing fetched up front");
    assert_eq!(get(&r).unwrap(), "AK1");
    assert_eq!(get(&r).unwrap(), "AK1");
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[test]
fn fresh_credentials_are_not_refetched() {
    let (r, calls) = refreshable(Some(3600), 3600, false);
    assert_eq!(get(&r).unwrap(), "AK0");
    assert_eq!(calls.load(Ordering::SeqCst), 0);
}

#[test]
fn advisory_window_refreshes_and_ignores_failures() {
    let (r, calls) = refreshable(Some(12 * 60), 3600, false);
    assert_eq!(get(&r).unwrap(), "AK1");
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    let (r, calls) = refreshable(Some(12 * 60), 3600, true);
    assert_eq!(
        get(&r).unwrap(),
        "AK0",
        "advisory failure keeps the old ones"
    );
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[test]
fn mandatory_window_raises_failures() {
    let (r, _) = refreshable(Some(5 * 60), 3600, true);
    assert!(matches!(get(&r), Err(Error::CredentialRetrieval { .. })));
    let (r, _) = refreshable(None, 3600, true);
    assert!(get(&r).is_err(), "a deferred first fetch is mandatory");
}

#[test]
fn refreshed_but_still_expired_is_a_runtime_error() {
    // botocore: "Credentials were refreshed, but the refreshed credentials
    // are still expired." (RuntimeError)
    let calls = Arc::new(AtomicUsize::new(0));
    struct Expired(Arc<AtomicUsize>);
    impl Fetch for Expired {
        fn fetch(&self, _lane: Lane) -> FetchFuture<'_> {
            self.0.fetch_add(1, Ordering::SeqCst);
            Box::pin(async {
                Ok(Fetched {
                    credentials: Credentials::new("AK", "SK", None, "test"),
                    expiry: Some(fake_now() - Duration::from_secs(1)),
                })
            })
        }
    }
    let r =
        RefreshableCredentials::new("test", None, Box::new(Expired(calls))).with_clock(fake_now);
    match get(&r) {
        Err(Error::Builtin { class, message }) => {
            assert_eq!(class, "RuntimeError");
            assert!(message.contains("still expired"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn one_refresh_for_many_threads() {
    struct Slow(Arc<AtomicUsize>);
    impl Fetch for Slow {
        fn fetch(&self, _lane: Lane) -> FetchFuture<'_> {
            let n = self.0.fetch_add(1, Ordering::SeqCst);
            Box::pin(async move {
                tokio::time::sleep(Duration::from_millis(100)).await;
                Ok(Fetched {
                    credentials: Credentials::new(format!("AK{n}"), "SK", None, "test"),
                    expiry: Some(fake_now() + Duration::from_secs(3600)),
                })
            })
        }
    }
    let calls = Arc::new(AtomicUsize::new(0));
    let r = Arc::new(
        RefreshableCredentials::new("test", None, Box::new(Slow(calls.clone())))
            .with_clock(fake_now),
    );
    let threads: Vec<_> = (0..8)
        .map(|_| {
            let r = r.clone();
            std::thread::spawn(move || get(&r).unwrap())
        })
        .collect();
    for t in threads {
        assert_eq!(t.join().unwrap(), "AK0");
    }
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[test]
fn static_source_is_as_given() {
    let c = Credentials::new("AK", "SK", None, "env");
    let s = CredentialSource::Static(c.clone());
    assert_eq!(s.method(), "env");
    assert_eq!(s.frozen_blocking().unwrap(), c);
    let debug = format!("{s:?}");
    assert!(!debug.contains("SK\""), "{debug}");
}

#[test]
fn container_hosts_as_botocore_allows_them() {
    for ok in [
        "https://anything.example.com/creds",
        "http://127.0.0.1:8080/creds",
        "http://127.1.2.3/creds",
        "http://[::1]:80/creds",
        "http://169.254.170.2/v2/credentials/x",
        "http://169.254.170.23/v1/credentials",
        "http://[fd00:ec2::23]/v1/credentials",
        "http://localhost:9000/creds",
        "http://LOCALHOST/creds",
    ] {
        assert!(validate_allowed_url(ok).is_ok(), "{ok}");
    }
    let err = validate_allowed_url("http://192.0.2.1/creds").unwrap_err();
    assert_eq!(
        err.to_string(),
        "Unsupported host '192.0.2.1'.  Can only retrieve metadata from a loopback address or \
         one of these hosts: 169.254.170.2, 169.254.170.23, fd00:ec2::23, localhost"
    );
    assert_eq!(err.class_name(), "ValueError");
    assert!(validate_allowed_url("relative/path")
        .unwrap_err()
        .to_string()
        .starts_with("Unsupported host 'None'."));
}

#[test]
fn relative_container_uri_goes_to_the_ecs_address() {
    let e = Env::from_pairs(&[(
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "/v2/credentials/id",
    )]);
    assert!(container::is_configured(&e));
    let f = container::ContainerFetcher::from_env(&e).unwrap();
    assert_eq!(f.full_uri(), "http://169.254.170.2/v2/credentials/id");
    // The relative URI wins over a full one.
    let both = Env::from_pairs(&[
        ("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/r"),
        (
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            "http://localhost/full",
        ),
    ]);
    let f = container::ContainerFetcher::from_env(&both).unwrap();
    assert_eq!(f.full_uri(), "http://169.254.170.2/r");
    let unset = Env::from_pairs(&[]);
    assert!(!container::is_configured(&unset));
}

#[test]
fn imds_expiry_extension() {
    let now = at(1_796_216_828); // 2026-12-02T13:07:08Z
                                 // Six hours left: kept.
    assert_eq!(
        extended_expiry("2026-12-02T19:07:08Z", now, 300),
        Some(at(1_796_216_828 + 6 * 3600))
    );
    // Five minutes left (inside 15 min + jitter): extended to now + 15 min + jitter.
    assert_eq!(
        extended_expiry("2026-12-02T13:12:08Z", now, 300),
        Some(at(1_796_216_828 + 900 + 300))
    );
    // Already expired: extended too (botocore's outage behaviour).
    assert_eq!(
        extended_expiry("2026-12-02T12:00:00Z", now, 120),
        Some(at(1_796_216_828 + 900 + 120))
    );
    // Not the strict format: parsed, not extended.
    assert_eq!(
        extended_expiry("2026-12-02T13:12:08+00:00", now, 300),
        Some(at(1_796_216_828 + 300))
    );
}

#[test]
fn imds_configuration_errors_as_botocore() {
    let cfg = SharedConfig::empty();
    let mode = Env::from_pairs(&[("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "IPv5")]);
    let err = ImdsFetcher::from_config(&mode, &cfg, "default", None)
        .err()
        .unwrap();
    assert_eq!(err.class_name(), "InvalidIMDSEndpointModeError");
    assert_eq!(
        err.to_string(),
        "Invalid EC2 Instance Metadata endpoint mode: IPv5 Valid endpoint modes \
         (case-insensitive): ('ipv4', 'ipv6')."
    );
    let endpoint = Env::from_pairs(&[("AWS_EC2_METADATA_SERVICE_ENDPOINT", "not a url")]);
    let err = ImdsFetcher::from_config(&endpoint, &cfg, "default", None)
        .err()
        .unwrap();
    assert_eq!(err.class_name(), "InvalidIMDSEndpointError");
    let timeout = Env::from_pairs(&[("AWS_METADATA_SERVICE_TIMEOUT", "soon")]);
    let err = ImdsFetcher::from_config(&timeout, &cfg, "default", None)
        .err()
        .unwrap();
    assert_eq!(err.class_name(), "ValueError");
    assert_eq!(
        err.to_string(),
        "invalid literal for int() with base 10: 'soon'"
    );
    for ok in ["ipv4", "IPV6"] {
        let e = Env::from_pairs(&[("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", ok)]);
        assert!(ImdsFetcher::from_config(&e, &cfg, "default", None).is_ok());
    }
}

#[test]
fn disabled_imds_sends_nothing_and_finds_nothing() {
    // An endpoint nobody listens on: a request would fail loudly (slowly).
    let e = Env::from_pairs(&[
        ("AWS_EC2_METADATA_DISABLED", "TRUE"),
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:9/"),
    ]);
    let f = ImdsFetcher::from_config(&e, &SharedConfig::empty(), "default", None).unwrap();
    assert_eq!(
        block_on_local(f.retrieve(Lane::current_thread())).unwrap(),
        None
    );
}

// ---- STS, assume-role and SSO configuration (no network reached) ----

fn quiet_env(pairs: &[(&str, &str)]) -> Env {
    let mut e = Env::from_pairs(pairs);
    e.set("AWS_EC2_METADATA_DISABLED", "true");
    e.set("BOTO_CONFIG", "/nonexistent/fastboto-test-boto");
    e
}

fn named(name: &str) -> ActiveProfile {
    ActiveProfile::resolve(Some(name), &Env::default())
}

fn chain_error(config: &str, profile: &str, env: &Env) -> Error {
    let cfg = SharedConfig::from_contents(Some(config), None).unwrap();
    load_chain(&named(profile), env, &cfg, &ChainOptions::default()).expect_err("an error")
}

#[test]
fn query_body_as_botocore_encodes_it() {
    assert_eq!(
        super::sts::query_body(
            "AssumeRole",
            &[
                ("RoleArn", "arn:aws:iam::1:role/a b".into()),
                ("RoleSessionName", "s~._-+=/".into())
            ]
        ),
        "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fa%20b\
         &RoleSessionName=s~._-%2B%3D%2F"
    );
}

#[test]
fn assume_role_is_deferred() {
    let cfg = SharedConfig::from_contents(
        Some("[profile r]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = b\n[profile b]\naws_access_key_id = A\naws_secret_access_key = S\n"),
        None,
    )
    .unwrap();
    let source = load_chain(&named("r"), &quiet_env(&[]), &cfg, &ChainOptions::default())
        .unwrap()
        .expect("a source");
    assert_eq!(source.method(), "assume-role");
    assert!(matches!(source, CredentialSource::Refreshable(_)));
    // No region: the STS call cannot be made (botocore's NoRegionError).
    assert_eq!(source.frozen_blocking().unwrap_err(), Error::NoRegion);
}

#[test]
fn assume_role_configuration_errors() {
    let e = quiet_env(&[]);
    let arn = "role_arn = arn:aws:iam::1:role/x\n";
    let err = chain_error(
        &format!("[profile a]\n{arn}source_profile = b\n[profile b]\n{arn}source_profile = a\n"),
        "a",
        &e,
    );
    assert_eq!(err.class_name(), "InfiniteLoopConfigError");
    assert_eq!(
        err.to_string(),
        "Infinite loop in credential configuration detected. Attempting to load from profile a \
         which has already been visited. Visited profiles: ['a', 'b']"
    );
    let err = chain_error(&format!("[profile a]\n{arn}"), "a", &e);
    assert_eq!(
        err.to_string(),
        "Partial credentials found in assume-role, missing: source_profile or credential_source"
    );
    let err = chain_error(&format!("[profile a]\n{arn}source_profile = zz\n"), "a", &e);
    assert_eq!(
        err.to_string(),
        "The source_profile \"zz\" referenced in the profile \"a\" does not exist."
    );
    let err = chain_error(
        &format!("[profile a]\n{arn}credential_source = environment\n"),
        "a",
        &e,
    );
    assert_eq!(
        err.to_string(),
        "The credential source \"environment\" referenced in profile \"a\" is not valid."
    );
    let err = chain_error(
        &format!("[profile a]\n{arn}credential_source = Environment\n"),
        "a",
        &e,
    );
    assert_eq!(
        err.to_string(),
        "Error when retrieving credentials from Environment: No credentials found in \
         credential_source referenced in profile a"
    );
}

#[test]
fn web_identity_needs_a_role_arn() {
    let e = quiet_env(&[("AWS_WEB_IDENTITY_TOKEN_FILE", "/tmp/t")]);
    let cfg = SharedConfig::from_contents(Some("[default]\n"), None).unwrap();
    let err = load_chain(
        &ActiveProfile::default(),
        &e,
        &cfg,
        &ChainOptions::default(),
    )
    .err()
    .unwrap();
    assert!(matches!(err, Error::InvalidConfig { .. }), "{err:?}");
    // A named profile turns the env vars off: nothing configured.
    let cfg = SharedConfig::from_contents(Some("[profile p]\nregion = x\n"), None).unwrap();
    assert!(load_chain(&named("p"), &e, &cfg, &ChainOptions::default())
        .unwrap()
        .is_none());
}

#[test]
fn sso_configuration_and_token_cache_errors() {
    let home = std::env::temp_dir().join(format!("fastboto-sso-{}", std::process::id()));
    let e = quiet_env(&[("HOME", home.to_str().unwrap())]);
    let err = chain_error(
        "[profile s]\nsso_account_id = 1\nsso_role_name = r\n",
        "s",
        &e,
    );
    assert_eq!(
        err.to_string(),
        "The profile \"s\" is configured to use SSO but is missing required configuration: \
         sso_start_url, sso_region"
    );
    let err = chain_error(
        "[profile s]\nsso_session = x\nsso_account_id = 1\nsso_role_name = r\n",
        "s",
        &e,
    );
    assert_eq!(
        err.to_string(),
        "The specified sso-session does not exist: \"x\""
    );
    let cfg = SharedConfig::from_contents(
        Some("[profile s]\nsso_start_url = https://u\nsso_region = r\nsso_account_id = 1\nsso_role_name = r\n"),
        None,
    )
    .unwrap();
    let source = load_chain(&named("s"), &e, &cfg, &ChainOptions::default())
        .unwrap()
        .unwrap();
    assert_eq!(source.method(), "sso");
    let err = source.frozen_blocking().unwrap_err();
    assert_eq!(err.class_name(), "SSOTokenLoadError");
    assert_eq!(
        err.to_string(),
        "Error loading SSO Token: Token for https://u does not exist"
    );
}

#[test]
fn sso_cache_file_format_as_python_json_dumps() {
    assert_eq!(
        super::sso::py_json_dumps(&[
            ("a", serde_json::json!("x\"y")),
            ("é", serde_json::json!("ü😀")),
            ("n", serde_json::json!(3)),
        ]),
        r#"{"a": "x\"y", "\u00e9": "\u00fc\ud83d\ude00", "n": 3}"#
    );
    assert_eq!(
        super::sso::format_utc(at(1_796_216_828)),
        "2026-12-02T13:07:08Z"
    );
}

#[test]
fn sts_endpoints_as_botocore_picks_them() {
    use super::sts::sts_endpoint;
    let e = |r, f, d, l| sts_endpoint(r, f, d, l);
    let pair = |u: &str, r: &str| (u.to_string(), r.to_string());
    assert_eq!(
        e("us-west-2", false, false, false),
        pair("https://sts.us-west-2.amazonaws.com", "us-west-2")
    );
    assert_eq!(
        e("us-west-2", false, false, true),
        pair("https://sts.amazonaws.com", "us-east-1")
    );
    assert_eq!(
        e("ap-east-1", false, false, true),
        pair("https://sts.ap-east-1.amazonaws.com", "ap-east-1")
    );
    assert_eq!(
        e("aws-global", false, false, false),
        pair("https://sts.amazonaws.com", "us-east-1")
    );
    assert_eq!(
        e("cn-north-1", false, false, true),
        pair("https://sts.cn-north-1.amazonaws.com.cn", "cn-north-1")
    );
    assert_eq!(
        e("us-west-2", true, false, false).0,
        "https://sts-fips.us-west-2.amazonaws.com"
    );
    assert_eq!(
        e("us-west-2", false, true, false).0,
        "https://sts.us-west-2.api.aws"
    );
    assert_eq!(
        e("us-west-2", true, true, false).0,
        "https://sts-fips.us-west-2.api.aws"
    );
    assert_eq!(
        e("us-gov-west-1", true, false, false).0,
        "https://sts.us-gov-west-1.amazonaws.com"
    );
}
