//! The core client: turns an operation and user input into signed HTTP
//! requests, sends them with botocore's retry behaviour, and parses the
//! result. Knows nothing of Python; the binding drives it.

use std::time::{Duration, SystemTime};

use crate::checksum::{self, Algorithm};
use crate::credentials::{CredentialSource, Credentials};
use crate::endpoint::{self, ClientEndpointConfig, ClientEndpointExtras};
use crate::error::{Error, Result};
use crate::model::validate::{validate, validate_unchecked, Stage};
use crate::model::{Input, InputKind, Operation};
use crate::ops::head_bucket;
use crate::protocol::{parse, serialize, HttpRequest};
use crate::response::Document;
use crate::retry;
use crate::signing::{self, PayloadSigning, Signer, SigningScope};
use crate::signing_v4a::{self, RegionSetScope};
use crate::transport::{Lane, Transport, TransportOptions};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureVersion {
    /// SigV4 (`s3v4`), botocore's default for S3.
    V4,
    /// botocore's HmacV1Auth (`signature_version="s3"`).
    HmacV1,
    /// `botocore.UNSIGNED`: anonymous requests.
    Unsigned,
    /// A name botocore's signer does not know: botocore creates the client
    /// and raises UnknownSignatureVersionError when a call is signed
    /// (the name is [`ClientOptions::requested_signature_version`]).
    Unknown,
}

pub use crate::retry::RetryMode;

/// Everything a client needs, already resolved from arguments, `Config`,
/// environment and config files.
#[derive(Debug, Clone)]
pub struct ClientOptions {
    /// `client.meta.region_name`, as botocore derives it.
    pub region: String,
    /// The region botocore's signer is made with (its legacy endpoint
    /// data's credential scope): used when the endpoint rules' auth scheme
    /// is not.
    pub signing_region: String,
    /// `client.meta.endpoint_url` (botocore's legacy endpoint lookup).
    pub meta_endpoint_url: String,
    /// `client.meta.partition`.
    pub partition: Option<String>,
    /// What botocore's HTTP layer raises (HTTPClientError) on every send for
    /// this client's configuration, e.g. a `proxies` that is not a dict:
    /// the client is created, requests are prepared and signed, none is sent.
    pub send_error: Option<String>,
    /// The same, raised once the request has been sent (urllib3 arms the
    /// read timeout after writing the request: a NaN one fails there).
    pub read_error: Option<String>,
    pub endpoint: ClientEndpointConfig,
    pub endpoint_extras: ClientEndpointExtras,
    pub credentials: Option<CredentialSource>,
    pub signature_version: SignatureVersion,
    /// `Config(signature_version=...)` as given: botocore then signs with
    /// the endpoint's first auth scheme of that family, or with the client's
    /// region and `s3` when it has none (`s3v4` does not match
    /// `sigv4-s3express`: see [`crate::s3express`]). `None`: the first scheme.
    pub requested_signature_version: Option<String>,
    /// `sigv4a_signing_region_set` (Config, environment, config file): the
    /// region set of SigV4a-signed calls, over the endpoint rules' one.
    pub sigv4a_signing_region_set: Option<String>,
    /// Settings that only `client.meta.config` shows (botocore's config
    /// store values of `disable_host_prefix_injection`, `max_attempts`,
    /// ...), as found in the environment or config file.
    pub reported_settings: Vec<(&'static str, Option<String>)>,
    /// botocore's config-store `s3` variable (the profile's `s3` block with
    /// the known keys from the environment and top-level keys), which
    /// `client.meta.config.s3` starts from.
    pub s3_config_store: Option<Vec<(String, String)>>,
    /// Send Content-MD5 and no flexible checksum, as botocore < 1.36 did.
    pub legacy_content_md5: bool,
    /// A `defaults_mode` other than `legacy` set the defaults.
    pub smart_defaults: bool,
    /// `s3.payload_signing_enabled`; only an explicit `False` changes anything.
    pub payload_signing_enabled: Option<bool>,
    /// `Config(parameter_validation=...)` / the profile's
    /// `parameter_validation`; off, input goes to the serializer unchecked
    /// ([`crate::model::validate::validate_unchecked`]).
    pub parameter_validation: bool,
    pub user_agent: String,
    pub transport: TransportOptions,
    pub retry_mode: RetryMode,
    /// Total attempts, first one included.
    pub max_attempts: u32,
    /// Resolved `request_checksum_calculation` / `response_checksum_validation`.
    pub request_checksum_calculation: String,
    pub response_checksum_validation: String,
}

/// botocore's per-call retries context: what `amz-sdk-invocation-id` and
/// `amz-sdk-request` say on each attempt.
#[derive(Debug, Clone)]
pub struct AttemptInfo {
    /// One id for every attempt of a call.
    pub invocation_id: String,
    pub attempt: u32,
    /// `ttl=` once a response with a Date header was seen: when this attempt
    /// times out, in the server's clock.
    pub ttl: Option<String>,
    /// `max=`: from the first attempt in standard/adaptive modes (botocore
    /// 1.44's `MaxAttemptsSeeder`), from the second in legacy mode.
    pub max: Option<u32>,
}

impl AttemptInfo {
    fn sdk_request_header(&self) -> String {
        let mut parts = Vec::with_capacity(3);
        if let Some(ttl) = &self.ttl {
            parts.push(format!("ttl={ttl}"));
        }
        parts.push(format!("attempt={}", self.attempt));
        if let Some(max) = self.max {
            parts.push(format!("max={max}"));
        }
        parts.join("; ")
    }
}

/// botocore's `_calculate_ttl`: local now + read timeout + (server Date −
/// local receipt time), as `%Y%m%dT%H%M%SZ`.
fn retry_ttl(date_header: &str, read_timeout: std::time::Duration) -> Option<String> {
    let server = httpdate::parse_http_date(date_header).ok()?;
    let received = SystemTime::now();
    let ttl = match server.duration_since(received) {
        Ok(ahead) => received + read_timeout + ahead,
        Err(behind) => received + read_timeout - behind.duration(),
    };
    let secs = ttl.duration_since(std::time::UNIX_EPOCH).ok()?.as_secs() as i64;
    Some(format_compact_utc(secs))
}

/// `%Y%m%dT%H%M%SZ` for a Unix time.
pub(crate) fn format_compact_utc(secs: i64) -> String {
    let (year, month, day, hour, minute, second) = utc_fields(secs);
    format!("{year:04}{month:02}{day:02}T{hour:02}{minute:02}{second:02}Z")
}

/// (year, month, day, hour, minute, second) in UTC for a Unix time (Howard
/// Hinnant's civil-from-days).
pub(crate) fn utc_fields(secs: i64) -> (i64, i64, i64, i64, i64, i64) {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day, rem / 3600, (rem % 3600) / 60, rem % 60)
}

/// A credential holding CR or LF (a session token read from a file with a
/// continuation line, say) makes a header HTTP cannot carry. The validator
/// refuses such parameters before signing; the signer's own headers are
/// checked here. botocore's http.client raises `ValueError('Invalid header
/// value ...')`, which botocore wraps in HTTPClientError (retried by its
/// standard and adaptive modes, not by legacy);
/// fastboto raises that class too, but never shows the value: it is a
/// credential.
fn refuse_unsendable_credential_headers(request: &HttpRequest) -> Result<()> {
    match request
        .headers
        .iter()
        .find(|(_, v)| v.contains(['\r', '\n']))
    {
        None => Ok(()),
        Some((name, _)) => Err(http_client_error(&format!(
            "Invalid header value for {name} (not shown: it holds a credential with a line break)"
        ))),
    }
}

/// botocore's wrapping of an exception its HTTP session did not expect.
fn http_client_error(error: &str) -> Error {
    Error::Botocore {
        class: "HTTPClientError",
        message: format!("An HTTP Client raised an unhandled exception: {error}"),
        kwargs: vec![("error", error.to_string())],
    }
}

/// botocore's rate-limiter clock (`time.time()`).
fn epoch_seconds() -> f64 {
    SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0)
}

/// A validated, serialized request that still needs a signature (each
/// attempt is signed afresh).
#[derive(Debug, Clone)]
pub struct PreparedCall {
    pub operation: &'static Operation,
    pub request: HttpRequest,
    pub scope: SigningScope,
    /// Set when the endpoint's auth scheme is SigV4a (and SigV4 signing is
    /// configured): the call is signed for this region set instead of `scope`.
    pub sigv4a: Option<RegionSetScope>,
    /// S3's SigV4/SigV4a signer or botocore's generic one.
    pub signer: Signer,
    /// botocore's HmacV1 canonical resource (`/bucket/?policy`).
    pub hmac_v1_resource: String,
    pub bucket: Option<String>,
    /// Signed with S3 Express session credentials ([`crate::s3express`]).
    pub session_auth: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Purpose {
    Send,
    Stub,
}

pub struct Client {
    pub options: ClientOptions,
    transport: Transport,
    /// Buckets found in another region by a redirect (botocore's
    /// S3RegionRedirectorv2 cache): later calls go there directly.
    bucket_regions: std::sync::Mutex<std::collections::HashMap<String, String>>,
    retry_quota: retry::RetryQuota,
    /// The adaptive retry mode's client-side rate limiter.
    rate_limiter: Option<crate::rate_limit::RateLimiter>,
    endpoint_cache: std::sync::Mutex<EndpointCache>,
    /// This client's share of the S3 Express identity cache.
    pub(crate) s3express_id: u64,
}

/// (operation name, bucket, redirect region): the operation fixes its static
/// context parameters and botocore's per-operation customizations.
type EndpointCache = std::collections::HashMap<
    (&'static str, Option<String>, Option<String>),
    endpoint::ResolvedEndpoint,
>;
/// Scripts touch many buckets; the cache only has to keep the hot ones.
const ENDPOINT_CACHE_SIZE: usize = 4096;

/// botocore's `validate_bucket_name` handler, run before the full
/// validation and reported on its own, as botocore does.
const VALID_S3_ARN: &str = r"^arn:(aws).*:(s3|s3-object-lambda):[a-z\-0-9]*:[0-9]{12}:accesspoint[/:][a-zA-Z0-9\-.]{1,63}$|^arn:(aws).*:s3-outposts:[a-z\-0-9]+:[0-9]{12}:outpost[/:][a-zA-Z0-9\-]{1,63}[/:]accesspoint[/:][a-zA-Z0-9\-]{1,63}$";
const VALID_BUCKET: &str = r"^[a-zA-Z0-9.\-_]{1,255}$";

fn python_search(pattern: &regex_lite::Regex, text: &str) -> bool {
    // Python's `$` also matches just before a final newline.
    pattern.is_match(text) || text.strip_suffix('\n').is_some_and(|t| pattern.is_match(t))
}

fn is_valid_bucket_name(bucket: &str) -> bool {
    use std::sync::OnceLock;
    static PATTERNS: OnceLock<(regex_lite::Regex, regex_lite::Regex)> = OnceLock::new();
    let (valid_bucket, valid_arn) = PATTERNS.get_or_init(|| {
        (
            regex_lite::Regex::new(VALID_BUCKET).expect("static regex"),
            regex_lite::Regex::new(VALID_S3_ARN).expect("static regex"),
        )
    });
    python_search(valid_bucket, bucket) || python_search(valid_arn, bucket)
}

fn invalid_bucket_name(shown: &str) -> Error {
    Error::ParamValidation(format!(
        "Invalid bucket name \"{shown}\": Bucket name must match the regex \"{VALID_BUCKET}\" \
         or be an ARN matching the regex \"{VALID_S3_ARN}\""
    ))
}

/// botocore's `_urljoin` for a request URI whose path is empty after the
/// bucket was removed (`?policy`, `?acl`).
fn join_url(endpoint_url: &str, path_and_query: &str) -> String {
    let after_scheme = endpoint_url.find("://").map(|i| i + 3).unwrap_or(0);
    let has_path = endpoint_url[after_scheme..].contains('/');
    let mut url = endpoint_url.to_string();
    if !has_path {
        url.push('/');
    }
    url.push_str(path_and_query);
    url
}

/// botocore's `percent_encode` for URI labels: everything but unreserved characters.
const URI_LABEL: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// botocore's `_does_botocore_authname_match_ruleset_authname`: a
/// configured `signature_version` (`s3v4`, `v4`, `s3v4a`) names the ruleset's
/// scheme without its `sig` prefix, `s3` prefix and `-suffix`.
fn auth_name_matches(requested: &str, ruleset_name: &str) -> bool {
    let ruleset_name = ruleset_name.strip_prefix("sig").unwrap_or(ruleset_name);
    let requested = requested.split('-').next().unwrap_or("");
    let requested = match requested.strip_prefix("s3") {
        Some(rest) if !rest.is_empty() => rest,
        _ => requested,
    };
    requested == ruleset_name
}

fn is_dot_segment_in(url: &str, bucket: &str) -> bool {
    (bucket == "." || bucket == "..")
        && url
            .split_once("://")
            .and_then(|(_, rest)| rest.split_once('/'))
            .is_some_and(|(_, path)| path.split('/').any(|segment| segment == bucket))
}

fn invocation_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

impl Client {
    pub fn new(options: ClientOptions) -> Client {
        let rate_limiter = (options.retry_mode == RetryMode::Adaptive)
            .then(|| crate::rate_limit::RateLimiter::new(epoch_seconds()));
        let transport = Transport::new(options.transport.clone());
        Client {
            options,
            transport,
            bucket_regions: Default::default(),
            retry_quota: Default::default(),
            rate_limiter,
            endpoint_cache: Default::default(),
            s3express_id: crate::s3express::next_client_id(),
        }
    }

    pub fn close(&self) {
        self.transport.close();
    }

    /// Validation, endpoint resolution and serialization: everything that
    /// reads user input. No network.
    pub fn prepare<I: Input>(&self, op: &'static Operation, params: &I) -> Result<PreparedCall> {
        self.build(op, params, Purpose::Send)
    }

    /// What botocore checks of a call before a `Stubber` answers it: its
    /// validation, endpoint resolution, serialization and checksum step,
    /// but nothing of signing and sending, which a stubbed call never
    /// reaches (so neither credentials nor sendable header values needed).
    pub fn check_stubbed<I: Input>(&self, op: &'static Operation, params: &I) -> Result<()> {
        self.build(op, params, Purpose::Stub).map(|_| ())
    }

    fn build<I: Input>(
        &self,
        op: &'static Operation,
        params: &I,
        purpose: Purpose,
    ) -> Result<PreparedCall> {
        let mut bucket: Option<String> = None;
        let mut bucket_is_str = true;
        if params.kind() == InputKind::Dict {
            for (key, is_str, value) in params.dict_items() {
                if is_str && key == "Bucket" {
                    match value.as_text() {
                        Some(text) if value.kind() == InputKind::Str => {
                            if !crate::fork::critical(|| is_valid_bucket_name(&text)) {
                                // botocore's f-string quotes str(Bucket); that
                                // may run a subclass's __str__, so not under
                                // the fork guard.
                                return Err(invalid_bucket_name(&value.display()));
                            }
                            bucket = Some(text.into_owned());
                        }
                        _ => bucket_is_str = false,
                    }
                }
            }
        }
        // A non-string Bucket is a TypeError deep in botocore; we report it
        // with the rest of the validation problems instead.
        let validate = || {
            let checked = match self.options.parameter_validation {
                true => validate(op.input, params),
                false => validate_unchecked(op.input, params),
            };
            checked.map_err(|e| Error::ParamValidation(e.join("\n")))
        };
        let validated = if bucket_is_str {
            None
        } else {
            Some(validate()?)
        };
        // Not under the fork guard while Python objects are read above: user
        // code (a __str__) may run there and hand the GIL to a forking thread.
        let resolved = crate::fork::critical(|| self.resolve_endpoint(op, bucket.as_deref()))?;
        let validated = match validated {
            Some(v) => v,
            None => validate()?,
        };
        // What botocore's serializer could not encode fails before anything
        // else below; the rest only once the checksum is settled.
        if let Some(report) = validated.unsendable_at(Stage::Serializing) {
            return Err(Error::ParamValidation(report));
        }
        let input = &validated.value;
        if let Some(name) = bucket
            .as_deref()
            .filter(|b| purpose == Purpose::Send && is_dot_segment_in(&resolved.url, b))
        {
            // reqwest (the `url` crate) removes `.`/`..` path segments, so the
            // request botocore sends for these names cannot be sent; S3 would
            // reject the name anyway.
            return Err(Error::ParamValidation(format!(
                "Invalid bucket name \"{name}\": a bucket named \".\" or \"..\" cannot be sent \
                 path-style (URL normalization would remove it)"
            )));
        }
        let serialized = serialize::serialize(op, input);
        let mut headers = serialized.headers;
        for (name, values) in &resolved.headers {
            headers.push((name.clone(), values.join(",")));
        }
        let s3express_backend = resolved
            .properties_json
            .get("backend")
            .and_then(serde_json::Value::as_str)
            == Some("S3Express");
        self.add_checksum_headers(
            op,
            validated.checksum_algorithm.as_deref(),
            s3express_backend,
            &serialized.body,
            &mut headers,
        )?;
        if purpose == Purpose::Send {
            if let Some(report) = validated.unsendable_at(Stage::Sending) {
                return Err(Error::ParamValidation(report));
            }
        }
        let session_auth = self.session_auth(&resolved);
        let (scope, sigv4a, signer) = self.signing_for(&resolved);
        let encoded_bucket: String =
            percent_encoding::utf8_percent_encode(bucket.as_deref().unwrap_or(""), URI_LABEL)
                .collect();
        // botocore's `remove_arn_from_signing_path`: an ARN's host names the
        // bucket, so HmacV1 signs the path without it.
        let hmac_v1_resource = match bucket.as_deref() {
            Some(b) if b.starts_with("arn:") && b.split(':').count() >= 6 => {
                format!("/{}", serialized.path_and_query)
            }
            _ => format!("/{encoded_bucket}/{}", serialized.path_and_query),
        };
        Ok(PreparedCall {
            bucket,
            hmac_v1_resource,
            operation: op,
            request: HttpRequest {
                method: serialized.method,
                url: join_url(&resolved.url, &serialized.path_and_query),
                headers,
                body: serialized.body,
            },
            scope,
            sigv4a,
            signer,
            session_auth,
        })
    }

    /// What botocore[crt] signs a call to `resolved` with under SigV4
    /// (`auth_schemes_to_signing_ctx`, then the `choose-signer` handlers):
    /// the first auth scheme, or with a configured `signature_version` the
    /// first of its family, with S3's signer. With none of that family
    /// (`s3v4`/`v4` for a SigV4a-only MRAP, `v4a` for a plain bucket,
    /// `v4` on an S3 Express zonal endpoint) botocore signs as configured
    /// for the client's signing region and `s3`: `v4`/`v4a` with its
    /// generic signer, `v4a` for the configured region set else `*`. A
    /// SigV4a scheme signs for the configured `sigv4a_signing_region_set`,
    /// else the rules' region set, else `*`.
    fn signing_for(
        &self,
        resolved: &endpoint::ResolvedEndpoint,
    ) -> (SigningScope, Option<RegionSetScope>, Signer) {
        let legacy = SigningScope {
            region: self.options.signing_region.clone(),
            service: "s3".into(),
        };
        let configured_region_set = || {
            self.options
                .sigv4a_signing_region_set
                .clone()
                .filter(|r| !r.is_empty())
        };
        let scheme = match &self.options.requested_signature_version {
            None => resolved.auth_schemes.first(),
            Some(requested) => resolved
                .auth_schemes
                .iter()
                .find(|s| auth_name_matches(requested, &s.name)),
        };
        let requested = self.options.requested_signature_version.as_deref();
        let Some(auth) = scheme else {
            return match requested {
                Some("s3v4a") => {
                    let sigv4a = RegionSetScope {
                        region_set: legacy.region.clone(),
                        service: legacy.service.clone(),
                    };
                    (legacy, Some(sigv4a), Signer::S3)
                }
                Some("v4a") => {
                    // `_set_sigv4a_signing_context` with no signing context.
                    let sigv4a = RegionSetScope {
                        region_set: configured_region_set().unwrap_or_else(|| "*".into()),
                        service: legacy.service.clone(),
                    };
                    (legacy, Some(sigv4a), Signer::Generic)
                }
                Some("v4") => (legacy, None, Signer::Generic),
                _ => (legacy, None, Signer::S3),
            };
        };
        // botocore's signing context: signingRegion, else the region set joined.
        let region = auth.signing_region.clone().or_else(|| {
            (!auth.signing_region_set.is_empty()).then(|| auth.signing_region_set.join(","))
        });
        if auth.name == "sigv4a" {
            let region_set = if requested == Some("s3v4a") {
                // Named as botocore's signer itself: `set_operation_specific_signer`,
                // which applies the configured region set, lets it through as is.
                region.unwrap_or_else(|| self.options.region.clone())
            } else {
                configured_region_set()
                    .or(region.filter(|r| !r.is_empty()))
                    .unwrap_or_else(|| "*".into())
            };
            let sigv4a = RegionSetScope {
                region_set,
                service: auth.signing_name.clone(),
            };
            return (legacy, Some(sigv4a), Signer::S3);
        }
        let scope = SigningScope {
            region: region.unwrap_or_else(|| self.options.region.clone()),
            service: auth.signing_name.clone(),
        };
        (scope, None, Signer::S3)
    }

    /// Whether a call to `resolved` is signed with S3 Express session
    /// credentials: the rules ask for `sigv4-s3express` and the client signs
    /// with SigV4 it did not ask for by name.
    fn session_auth(&self, resolved: &endpoint::ResolvedEndpoint) -> bool {
        let express = resolved
            .auth_schemes
            .first()
            .is_some_and(|a| a.name == crate::s3express::AUTH_SCHEME);
        express
            && self.options.signature_version == SignatureVersion::V4
            && self.options.requested_signature_version.is_none()
    }

    fn resolve_endpoint(
        &self,
        op: &'static Operation,
        bucket: Option<&str>,
    ) -> Result<endpoint::ResolvedEndpoint> {
        let cached_region = bucket.and_then(|b| {
            let regions = self
                .bucket_regions
                .lock()
                .unwrap_or_else(|e| e.into_inner());
            if regions.is_empty() {
                None
            } else {
                regions.get(b).cloned()
            }
        });
        // The endpoint depends on the operation (its static context
        // parameters, and botocore's per-operation customizations), the
        // bucket and its (redirect) region.
        let key = (op.name, bucket.map(str::to_string), cached_region.clone());
        if let Some(hit) = self
            .endpoint_cache
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&key)
        {
            return Ok(hit.clone());
        }
        let redirected;
        let config = match cached_region {
            Some(region) => {
                redirected = ClientEndpointConfig {
                    region: Some(region),
                    ..self.options.endpoint.clone()
                };
                &redirected
            }
            None => &self.options.endpoint,
        };
        let resolved = endpoint::resolve_bucket_operation(
            config,
            &self.options.endpoint_extras,
            op.name,
            bucket.unwrap_or(""),
        )
        .map_err(endpoint::to_client_error)?;
        let mut cache = self
            .endpoint_cache
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if cache.len() >= ENDPOINT_CACHE_SIZE {
            cache.clear();
        }
        cache.insert(key, resolved.clone());
        Ok(resolved)
    }

    /// botocore ≥ 1.36's flexible checksums: the requested algorithm, or
    /// CRC32 when the operation requires a checksum.
    fn add_checksum_headers(
        &self,
        op: &Operation,
        requested: Option<&str>,
        s3express_backend: bool,
        body: &[u8],
        headers: &mut Vec<(String, String)>,
    ) -> Result<()> {
        let requested = requested.filter(|_| op.request_algorithm_member.is_some());
        let algorithm = match requested {
            Some(name) => {
                Some(
                    Algorithm::from_name(name).ok_or_else(|| Error::FlexibleChecksum {
                        error_msg: format!(
                            "Unsupported checksum algorithm: {}",
                            name.to_lowercase()
                        ),
                    })?,
                )
            }
            None if op.request_checksum_required && self.options.legacy_content_md5 => {
                // botocore 1.35's `conditionally_calculate_md5`: not over a
                // checksum already there, nor to S3 Express (no MD5 there).
                let has_checksum = headers.iter().any(|(k, _)| {
                    k.eq_ignore_ascii_case("Content-MD5")
                        || k.get(..15)
                            .is_some_and(|p| p.eq_ignore_ascii_case("x-amz-checksum-"))
                });
                if !has_checksum && !s3express_backend {
                    headers.push(("Content-MD5".into(), checksum::content_md5(body)));
                }
                None
            }
            None if op.request_checksum_required => {
                headers.push(("x-amz-sdk-checksum-algorithm".into(), "CRC32".into()));
                Some(Algorithm::Crc32)
            }
            None => None,
        };
        if let Some(algorithm) = algorithm {
            headers.push((algorithm.header_name().into(), algorithm.checksum_b64(body)));
        }
        Ok(())
    }

    /// Signs one attempt of a prepared call (outside any runtime: temporary
    /// credentials due for a refresh are fetched on this thread).
    pub fn sign(
        &self,
        call: &PreparedCall,
        attempt: &AttemptInfo,
        time: SystemTime,
    ) -> Result<HttpRequest> {
        if call.session_auth {
            // prepare_request: a CreateSession (sent now, unless cached)
            // provides the session credentials.
            let lane = Lane::current_thread();
            let session = crate::transport::block_on_local(self.s3express_identity(call, lane, 0))?;
            return self.sign_with(call, attempt, time, Some(&session));
        }
        match &self.options.credentials {
            Some(CredentialSource::Refreshable(_)) if self.signs_with_credentials() => {
                let source = self.options.credentials.as_ref().expect("matched");
                let fresh = source.frozen_blocking()?;
                self.sign_with(call, attempt, time, Some(&fresh))
            }
            Some(CredentialSource::Static(c)) => self.sign_with(call, attempt, time, Some(c)),
            _ => self.sign_with(call, attempt, time, None),
        }
    }

    /// Whether signing reads credentials: an anonymous client does not,
    /// nor one whose signature version botocore's signer refuses before
    /// reading them (`get_auth_instance`).
    fn signs_with_credentials(&self) -> bool {
        matches!(
            self.options.signature_version,
            SignatureVersion::V4 | SignatureVersion::HmacV1
        )
    }

    fn unknown_signature_version(&self) -> Error {
        Error::UnknownSignatureVersion {
            signature_version: self
                .options
                .requested_signature_version
                .clone()
                .unwrap_or_default(),
        }
    }

    fn sign_with(
        &self,
        call: &PreparedCall,
        attempt: &AttemptInfo,
        time: SystemTime,
        credentials: Option<&Credentials>,
    ) -> Result<HttpRequest> {
        let mut request = call.request.clone();
        match self.options.signature_version {
            SignatureVersion::Unknown => return Err(self.unknown_signature_version()),
            SignatureVersion::Unsigned => {}
            SignatureVersion::HmacV1 => {
                let credentials = credentials.ok_or(Error::NoCredentials)?;
                signing::sign_hmac_v1(&mut request, credentials, &call.hmac_v1_resource, time)?;
            }
            SignatureVersion::V4 => {
                let credentials = credentials.ok_or(Error::NoCredentials)?;
                // `s3.payload_signing_enabled` is S3's signers' setting only.
                let payload = match self.options.payload_signing_enabled {
                    Some(false) if call.signer == Signer::S3 => PayloadSigning::Unsigned,
                    _ => PayloadSigning::Signed,
                };
                match &call.sigv4a {
                    Some(scope) => signing_v4a::sign_v4a(
                        &mut request,
                        credentials,
                        scope,
                        time,
                        payload,
                        call.signer,
                    )?,
                    None if call.session_auth => crate::s3express::sign(
                        &mut request,
                        credentials,
                        &call.scope,
                        time,
                        payload,
                    )?,
                    None => signing::sign_v4(
                        &mut request,
                        credentials,
                        &call.scope,
                        time,
                        payload,
                        call.signer,
                    )?,
                }
            }
        }
        refuse_unsendable_credential_headers(&request)?;
        request
            .headers
            .push(("User-Agent".into(), self.options.user_agent.clone()));
        request.headers.push((
            "amz-sdk-invocation-id".into(),
            attempt.invocation_id.clone(),
        ));
        request
            .headers
            .push(("amz-sdk-request".into(), attempt.sdk_request_header()));
        Ok(request)
    }

    /// The first attempt's retry context (a fresh invocation id).
    pub fn first_attempt(&self) -> AttemptInfo {
        AttemptInfo {
            invocation_id: invocation_id(),
            attempt: 1,
            ttl: None,
            max: (self.options.retry_mode != RetryMode::Legacy)
                .then(|| self.options.max_attempts.max(1)),
        }
    }

    /// botocore's `S3RegionRedirectorv2.redirect_from_error` up to
    /// `get_bucket_region`: `None` when the outcome is not a redirect-like
    /// error, `Some(None)` when it is but names no region (the redirector
    /// then asks HeadBucket), `Some(Some(region))` when the
    /// `x-amz-bucket-region` header or the error body's `Region` names one.
    fn redirect_hint(
        &self,
        call: &PreparedCall,
        outcome: &Result<Document>,
    ) -> Option<Option<String>> {
        let Err(Error::Service(e)) = outcome else {
            return None;
        };
        let bucket = call.bucket.as_deref()?;
        if bucket.starts_with("arn:") {
            return None;
        }
        let code = e.code();
        let region_header = e
            .metadata
            .http_headers
            .iter()
            .find(|(k, _)| k == "x-amz-bucket-region")
            .map(|(_, v)| v.clone());
        let is_head_bucket = call.operation.name == head_bucket::OPERATION.name;
        let redirect =
            (is_head_bucket && (code == "301" || code == "400") && region_header.is_some())
                || (code == "AuthorizationHeaderMalformed" && e.error_field("Region").is_some())
                || matches!(e.metadata.http_status_code, 301 | 302 | 307)
                || code == "PermanentRedirect"
                || code == "IllegalLocationConstraintException";
        if !redirect {
            return None;
        }
        // `elif r := error.get('Region')`: an empty or nested Region is no hint.
        let region_in_body = || match e.error_field("Region") {
            Some(Document::Str(s)) if !s.is_empty() => Some(s.clone()),
            _ => None,
        };
        Some(region_header.or_else(region_in_body))
    }

    /// The last step of botocore's `get_bucket_region`: HEAD the bucket
    /// (a full call of its own, redirects and retries included) and take
    /// `x-amz-bucket-region` from its response, or from the ClientError it
    /// raised; any other error escapes to the caller.
    fn head_bucket_region<'a>(
        &'a self,
        bucket: &'a str,
        lane: Lane,
        depth: u32,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<Option<String>>> + Send + 'a>>
    {
        Box::pin(async move {
            if depth >= MAX_HEAD_BUCKET_DEPTH {
                return Err(Error::RedirectRecursion);
            }
            let input = serde_json::json!({ "Bucket": bucket });
            let head = self.prepare(&head_bucket::OPERATION, &input)?;
            let headers = match self.execute_at(&head, lane, depth + 1).await {
                Ok(document) => response_headers(&document),
                Err(Error::Service(e)) => e.metadata.http_headers,
                Err(other) => return Err(other),
            };
            Ok(headers
                .into_iter()
                .find(|(k, _)| k == "x-amz-bucket-region")
                .map(|(_, v)| v))
        })
    }

    /// The same call aimed at the bucket's region: new host and signing
    /// scope, same path and query (botocore's `set_request_url`).
    fn redirected(&self, call: &PreparedCall, region: String) -> Result<PreparedCall> {
        let bucket = call.bucket.clone().unwrap_or_default();
        self.bucket_regions
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(bucket.clone(), region);
        let resolved = self.resolve_endpoint(call.operation, Some(&bucket))?;
        let mut next = call.clone();
        next.request.url = splice_netloc(&call.request.url, &resolved.url);
        if !resolved.auth_schemes.is_empty() {
            (next.scope, next.sigv4a, next.signer) = self.signing_for(&resolved);
        }
        Ok(next)
    }

    /// Sends a prepared call, retrying as botocore's retry mode would.
    pub async fn execute(&self, call: &PreparedCall, lane: Lane) -> Result<Document> {
        self.execute_at(call, lane, 0).await
    }

    /// `execute` for a call made `depth` HeadBucket levels deep by the
    /// region redirector.
    pub(crate) async fn execute_at(
        &self,
        call: &PreparedCall,
        lane: Lane,
        depth: u32,
    ) -> Result<Document> {
        let max_attempts = self.options.max_attempts.max(1);
        let modeled_errors = call.operation.modeled_errors;
        let mut attempt = 1;
        let mut redirected_call: Option<PreparedCall> = None;
        let mut quota_held: Option<u32> = None;
        let mut info = self.first_attempt();
        loop {
            let current = redirected_call.as_ref().unwrap_or(call);
            info.attempt = attempt;
            if let Some(limiter) = &self.rate_limiter {
                // botocore's `before-send` token: waits only once S3 has
                // throttled this client.
                while let Err(wait) = crate::fork::critical(|| limiter.before_send(epoch_seconds()))
                {
                    tokio::time::sleep(Duration::from_secs_f64(wait.clamp(0.0, 60.0))).await;
                }
            }
            // Static credentials are borrowed as they are; temporary ones
            // are refreshed here when due, on this call's runtime.
            let fresh;
            let credentials = match &self.options.credentials {
                // S3 Express: the session's, from CreateSession or the cache;
                // its failure ends the call (botocore raises it while signing).
                _ if current.session_auth => {
                    fresh = self.s3express_identity(current, lane, depth).await?;
                    Some(&*fresh)
                }
                Some(CredentialSource::Static(c)) => Some(c),
                Some(CredentialSource::Refreshable(r)) if self.signs_with_credentials() => {
                    fresh = r.frozen(lane).await?;
                    Some(&*fresh)
                }
                _ => None,
            };
            let signed = self.sign_with(current, &info, SystemTime::now(), credentials);
            // botocore's HTTP layer raises HTTPClientError for what it cannot
            // send; its retry handlers see it as any other attempt's error.
            let sent = match (signed, &self.options.send_error) {
                (
                    Err(
                        e @ Error::Botocore {
                            class: "HTTPClientError",
                            ..
                        },
                    ),
                    _,
                ) => Err(e),
                (Err(e), _) => return Err(e),
                (Ok(_), Some(error)) => Err(http_client_error(error)),
                (Ok(request), None) => match self.transport.send(&request, lane).await {
                    // Sent, and then the answer cannot be read.
                    Ok(_) if self.options.read_error.is_some() => Err(http_client_error(
                        self.options.read_error.as_deref().unwrap_or_default(),
                    )),
                    sent => sent,
                },
            };
            let mut outcome = match sent {
                Ok(response) => {
                    if let Some(date) = response.header("date") {
                        info.ttl = retry_ttl(date, self.options.transport.read_timeout)
                            .or(info.ttl.take());
                    }
                    parse::parse_response(call.operation, &response, attempt - 1)
                }
                Err(e) => Err(e),
            };
            if let Err(Error::PayloadDecode { .. }) = outcome {
                // Raised by botocore's parser, before any retry handler sees
                // the response.
                return outcome;
            }
            // Drives the adaptive limiter, the quota's cost and the backoff.
            let throttling = retry::is_throttle(&outcome, modeled_errors);
            if let Some(limiter) = &self.rate_limiter {
                crate::fork::critical(|| limiter.after_attempt(throttling, epoch_seconds()));
            }
            // Legacy mode's handler records the maximum once it has looked
            // at an attempt, so there `max=` appears from the second attempt on.
            info.max = Some(max_attempts);
            if let (None, Some(hint)) = (&redirected_call, self.redirect_hint(current, &outcome)) {
                let region = match (hint, current.bucket.as_deref()) {
                    (Some(region), _) => Some(region),
                    (None, Some(bucket)) => self.head_bucket_region(bucket, lane, depth).await?,
                    (None, None) => None,
                };
                if let Some(region) = region {
                    // botocore's `validate_region_name`, whatever the source.
                    crate::settings::validate_region_name(&region)?;
                    // Sent once more, straight away, and never redirected again.
                    redirected_call =
                        Some(crate::fork::critical(|| self.redirected(current, region))?);
                    attempt += 1;
                    continue;
                }
            }
            let mode = self.options.retry_mode;
            if mode != RetryMode::Legacy && attempt >= max_attempts {
                // botocore's standard MaxAttemptsChecker runs first and flags
                // any response at the last attempt, successes included.
                mark_max_attempts_reached(&mut outcome);
            }
            if !retry::is_retryable(mode, &outcome, modeled_errors) {
                if let (Some(cost), true) = (quota_held, outcome.is_ok()) {
                    crate::fork::critical(|| self.retry_quota.release(cost));
                } else if outcome.is_ok() && mode != RetryMode::Legacy {
                    crate::fork::critical(|| self.retry_quota.release(1));
                }
                return outcome;
            }
            if attempt >= max_attempts {
                mark_max_attempts_reached(&mut outcome);
                return outcome;
            }
            if mode != RetryMode::Legacy {
                match crate::fork::critical(|| self.retry_quota.acquire(throttling)) {
                    Some(cost) => quota_held = Some(cost),
                    None => {
                        if let Err(Error::Service(e)) = &mut outcome {
                            e.metadata.retry_quota_reached = true;
                        }
                        return outcome;
                    }
                }
            }
            tokio::time::sleep(retry::backoff(mode, attempt, throttling, &outcome)).await;
            attempt += 1;
        }
    }
}

/// How deep HeadBucket calls of the region redirector may nest (a HEAD
/// redirected without a region asks HEAD again). botocore has no limit of
/// its own and ends in Python's RecursionError, after some 80 levels from a
/// top-level script; fastboto raises RecursionError sooner.
const MAX_HEAD_BUCKET_DEPTH: u32 = 10;

/// `ResponseMetadata.HTTPHeaders` of a parsed success.
fn response_headers(document: &Document) -> Vec<(String, String)> {
    let field = |doc: &Document, key: &str| match doc {
        Document::Map(fields) => fields
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone()),
        _ => None,
    };
    match field(document, "ResponseMetadata").and_then(|meta| field(&meta, "HTTPHeaders")) {
        Some(Document::Map(headers)) => headers
            .into_iter()
            .filter_map(|(k, v)| match v {
                Document::Str(v) => Some((k, v)),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn mark_max_attempts_reached(outcome: &mut Result<Document>) {
    match outcome {
        Err(Error::Service(e)) => e.metadata.max_attempts_reached = true,
        Ok(Document::Map(fields)) => {
            if let Some((_, Document::Map(meta))) =
                fields.iter_mut().find(|(k, _)| k == "ResponseMetadata")
            {
                if !meta.iter().any(|(k, _)| k == "MaxAttemptsReached") {
                    let at = meta
                        .iter()
                        .position(|(k, _)| k == "RetryAttempts")
                        .unwrap_or(meta.len());
                    meta.insert(at, ("MaxAttemptsReached".to_string(), Document::Bool(true)));
                }
            }
        }
        _ => {}
    }
}

/// Scheme, host and port from `new_endpoint`; path and query from `old_url`.
fn splice_netloc(old_url: &str, new_endpoint: &str) -> String {
    fn split(url: &str) -> (&str, &str) {
        let start = url.find("://").map(|i| i + 3).unwrap_or(0);
        match url[start..].find(['/', '?']) {
            Some(i) => url.split_at(start + i),
            None => (url, ""),
        }
    }
    let (old_origin, path) = split(old_url);
    let (new_origin, _) = split(new_endpoint);
    let scheme = old_origin.split("://").next().unwrap_or("https");
    let host = new_origin.split("://").nth(1).unwrap_or(new_origin);
    format!("{scheme}://{host}{path}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_credential_with_a_line_break_is_an_http_client_error_that_hides_it() {
        let mut request = HttpRequest {
            method: "GET",
            url: "https://b.s3.amazonaws.com/?policy".into(),
            headers: vec![(
                "X-Amz-Security-Token".into(),
                "secret\nX-Injected: 1".into(),
            )],
            body: vec![],
        };
        let err = refuse_unsendable_credential_headers(&request).unwrap_err();
        assert_eq!(err.class_name(), "HTTPClientError");
        let shown = err.to_string();
        assert!(
            shown.contains("X-Amz-Security-Token") && !shown.contains("secret"),
            "{shown}"
        );
        request.headers[0].1 = "secret\r".into();
        assert!(refuse_unsendable_credential_headers(&request).is_err());
        request.headers[0].1 = "fine\tvalue".into();
        assert!(refuse_unsendable_credential_headers(&request).is_ok());
    }

    #[test]
    fn bucket_names_follow_botocore_regexes() {
        assert!(is_valid_bucket_name("a"));
        assert!(is_valid_bucket_name(&"a".repeat(255)));
        assert!(!is_valid_bucket_name(&"a".repeat(256)));
        assert!(is_valid_bucket_name("a_b.C-d"));
        assert!(
            is_valid_bucket_name("abc\n"),
            "Python's $ matches before a final newline"
        );
        assert!(!is_valid_bucket_name("a/b"));
        assert!(!is_valid_bucket_name(""));
        assert!(is_valid_bucket_name(
            "arn:aws:s3:us-west-2:123456789012:accesspoint:myendpoint"
        ));
    }

    // The examples of botocore's `_does_botocore_authname_match_ruleset_authname`.
    #[test]
    fn auth_names_match_as_botocore() {
        for (requested, ruleset) in [
            ("v4", "sigv4"),
            ("v4", "v4"),
            ("s3v4", "sigv4"),
            ("s3v7", "sigv7"),
            ("s3v4a", "sigv4a"),
            ("v4a", "sigv4a"),
            ("s3v4-query", "sigv4"),
        ] {
            assert!(
                auth_name_matches(requested, ruleset),
                "{requested} {ruleset}"
            );
        }
        for (requested, ruleset) in [
            ("v4a", "sigv4"),
            ("s3", "sigv4"),
            ("s3-presign-post", "sigv4"),
            ("s3v4", "sigv4a"),
            ("s3v4", "sigv4-s3express"),
        ] {
            assert!(
                !auth_name_matches(requested, ruleset),
                "{requested} {ruleset}"
            );
        }
    }

    #[test]
    fn compact_utc_formatting() {
        assert_eq!(format_compact_utc(0), "19700101T000000Z");
        assert_eq!(format_compact_utc(1_795_460_871), "20261123T190751Z");
        assert_eq!(format_compact_utc(951_782_400), "20000229T000000Z");
    }

    #[test]
    fn urljoin_matches_botocore() {
        assert_eq!(
            join_url("https://b.s3.us-west-2.amazonaws.com", "?policy"),
            "https://b.s3.us-west-2.amazonaws.com/?policy"
        );
        assert_eq!(
            join_url("https://s3.amazonaws.com/a_b", "?policy"),
            "https://s3.amazonaws.com/a_b?policy"
        );
    }
}
