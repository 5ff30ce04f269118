//! botocore's retry modes: which outcomes are retried, how long to wait, and
//! (standard/adaptive) the client-wide retry quota.

use std::sync::Mutex;
use std::time::Duration;

use crate::error::Error;
use crate::response::Document;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryMode {
    Legacy,
    Standard,
    Adaptive,
}

impl RetryMode {
    pub fn name(self) -> &'static str {
        match self {
            RetryMode::Legacy => "legacy",
            RetryMode::Standard => "standard",
            RetryMode::Adaptive => "adaptive",
        }
    }
}

/// `retries/standard.py`'s throttling codes.
const THROTTLED_CODES: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
];
const TRANSIENT_CODES: &[&str] = &[
    "RequestTimeout",
    "RequestTimeoutException",
    "PriorRequestNotComplete",
];

/// The legacy `_retry.json` throttling codes (`__default__` policies).
const LEGACY_THROTTLED_CODES: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "ProvisionedThroughputExceededException",
];

fn is_connection_error(e: &Error) -> bool {
    matches!(
        e,
        Error::EndpointConnection { .. }
            | Error::ConnectionClosed { .. }
            | Error::ReadTimeout { .. }
            | Error::ConnectTimeout { .. }
            | Error::ProxyConnection { .. }
            | Error::Ssl { .. }
    )
}

/// botocore's `ThrottlingErrorDetector`: a throttling code, or (1.44's
/// `ThrottlingStatusCodeChecker`) an HTTP 429 whose code is none of the
/// operation's modeled errors. S3's models mark no error as retryable, so
/// the modeled-retryable branch never decides. Drives the adaptive rate
/// limiter, the backoff scale and the retry quota's cost.
pub fn is_throttle(outcome: &Result<Document, Error>, modeled_errors: &[&str]) -> bool {
    match outcome {
        Err(Error::Service(e)) => {
            let code = e.code();
            THROTTLED_CODES.contains(&code.as_str())
                || (e.metadata.http_status_code == 429 && !modeled_errors.contains(&code.as_str()))
        }
        _ => false,
    }
}

/// Whether the retry mode retries `outcome` (attempts left aside).
/// `modeled_errors` are the operation's modeled error codes.
pub fn is_retryable(
    mode: RetryMode,
    outcome: &Result<Document, Error>,
    modeled_errors: &[&str],
) -> bool {
    let error = match outcome {
        Ok(_) => return false,
        Err(e) => e,
    };
    if is_connection_error(error) {
        return true;
    }
    if let Error::Botocore {
        class: "HTTPClientError",
        ..
    } = error
    {
        // Standard's TransientRetryableChecker retries any HTTPClientError;
        // legacy's `_retry.json` names connection errors only.
        return mode != RetryMode::Legacy;
    }
    let Error::Service(e) = error else {
        return false;
    };
    let status = e.metadata.http_status_code;
    let code = e.code();
    match mode {
        RetryMode::Legacy => {
            // `_retry.json`: every code-based policy also requires a 400.
            matches!(status, 500 | 502 | 503 | 504 | 509 | 429)
                || (status == 400
                    && (LEGACY_THROTTLED_CODES.contains(&code.as_str())
                        || code == "RequestTimeout"
                        || code == "BadDigest"))
        }
        RetryMode::Standard | RetryMode::Adaptive => {
            matches!(status, 500 | 502 | 503 | 504)
                || TRANSIENT_CODES.contains(&code.as_str())
                || is_throttle(outcome, modeled_errors)
        }
    }
}

/// Standard mode's `ExponentialBackoff` base scales (seconds).
const THROTTLING_BASE_SCALE: f64 = 1.0;
const NON_THROTTLING_BASE_SCALE: f64 = 0.05;
const MAX_BACKOFF: f64 = 20.0;
/// How far past the computed delay `x-amz-retry-after` may push it.
const RETRY_AFTER_MAX_ADDITIONAL: f64 = 5.0;

/// The wait before attempt `attempt + 1`, after `outcome` (`throttling`:
/// what [`is_throttle`] says of it).
pub fn backoff(
    mode: RetryMode,
    attempt: u32,
    throttling: bool,
    outcome: &Result<Document, Error>,
) -> Duration {
    let jitter = random_unit();
    let exponent = 2f64.powi(attempt as i32 - 1);
    let seconds = match mode {
        // `_retry.json`'s `rand * 2 ** (attempts - 1)`, uncapped.
        RetryMode::Legacy => jitter * exponent,
        RetryMode::Standard | RetryMode::Adaptive => {
            let scale = if throttling {
                THROTTLING_BASE_SCALE
            } else {
                NON_THROTTLING_BASE_SCALE
            };
            let t_i = jitter * (scale * exponent).min(MAX_BACKOFF);
            match retry_after_seconds(outcome) {
                Some(after) => t_i.max(after.min(RETRY_AFTER_MAX_ADDITIONAL + t_i)),
                None => t_i,
            }
        }
    };
    Duration::from_secs_f64(seconds)
}

/// An error response's `x-amz-retry-after` (milliseconds) in seconds, read
/// as botocore's `int(value) / 1000.0`: Python's int syntax (surrounding
/// whitespace, a sign, `_` between digits); negative, unparsable or
/// float-overflowing values are ignored.
fn retry_after_seconds(outcome: &Result<Document, Error>) -> Option<f64> {
    let Err(Error::Service(e)) = outcome else {
        return None;
    };
    let (_, value) = e
        .metadata
        .http_headers
        .iter()
        .find(|(name, _)| name == "x-amz-retry-after")?;
    let text = crate::config_file::py_strip(value);
    let (negative, digits) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let valid = !digits.is_empty()
        && !digits.starts_with('_')
        && !digits.ends_with('_')
        && !digits.contains("__")
        && digits.bytes().all(|b| b.is_ascii_digit() || b == b'_');
    if !valid {
        return None;
    }
    let milliseconds: f64 = digits.replace('_', "").parse().ok()?;
    if !milliseconds.is_finite() || (negative && milliseconds != 0.0) {
        return None;
    }
    Some(milliseconds / 1000.0)
}

fn random_unit() -> f64 {
    (uuid::Uuid::new_v4().as_u128() >> 75) as f64 / (1u64 << 53) as f64
}

/// botocore's RetryQuota (standard and adaptive modes): 500 tokens shared
/// by a client; a retry costs 14, or 5 after a throttling error (botocore
/// 1.44); a success returns what its last retry took, or 1 when it needed
/// none.
#[derive(Debug)]
pub struct RetryQuota {
    available: Mutex<u32>,
}

pub const INITIAL_RETRY_TOKENS: u32 = 500;
const RETRY_COST: u32 = 14;
const THROTTLING_RETRY_COST: u32 = 5;

impl Default for RetryQuota {
    fn default() -> Self {
        RetryQuota {
            available: Mutex::new(INITIAL_RETRY_TOKENS),
        }
    }
}

impl RetryQuota {
    /// Takes the cost of retrying after a (throttling or other) error;
    /// `None` when the quota is spent.
    pub fn acquire(&self, throttling: bool) -> Option<u32> {
        let cost = if throttling {
            THROTTLING_RETRY_COST
        } else {
            RETRY_COST
        };
        let mut available = self.available.lock().unwrap_or_else(|e| e.into_inner());
        if *available < cost {
            return None;
        }
        *available -= cost;
        Some(cost)
    }

    pub fn release(&self, amount: u32) {
        let mut available = self.available.lock().unwrap_or_else(|e| e.into_inner());
        *available = (*available + amount).min(INITIAL_RETRY_TOKENS);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ServiceError;
    use crate::response::ResponseMetadata;

    fn service_with(status: u16, code: &str, headers: &[(&str, &str)]) -> Result<Document, Error> {
        Err(Error::Service(Box::new(ServiceError {
            parsed: vec![(
                "Error".into(),
                Document::Map(vec![("Code".into(), Document::Str(code.into()))]),
            )],
            metadata: ResponseMetadata {
                http_status_code: status,
                http_headers: headers
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
                ..Default::default()
            },
            operation_name: "PutBucketPolicy",
        })))
    }

    fn service(status: u16, code: &str) -> Result<Document, Error> {
        service_with(status, code, &[])
    }

    #[test]
    fn legacy_and_standard_retry_sets_differ_as_botocore() {
        let retried = |mode, outcome: Result<Document, Error>| is_retryable(mode, &outcome, &[]);
        assert!(retried(RetryMode::Legacy, service(503, "SlowDown")));
        assert!(retried(RetryMode::Standard, service(503, "SlowDown")));
        assert!(retried(RetryMode::Legacy, service(429, "TooManyRequests")));
        assert!(retried(RetryMode::Legacy, service(400, "BadDigest")));
        assert!(!retried(RetryMode::Standard, service(400, "BadDigest")));
        assert!(retried(RetryMode::Standard, service(400, "SlowDown")));
        assert!(!retried(RetryMode::Legacy, service(400, "MalformedPolicy")));
        assert!(retried(RetryMode::Legacy, service(400, "Throttling")));
        assert!(!retried(RetryMode::Legacy, service(409, "Throttling")));
        assert!(!retried(
            RetryMode::Standard,
            service(400, "MalformedPolicy")
        ));
        let refused = Err(Error::EndpointConnection {
            endpoint_url: "u".into(),
            error: "e".into(),
        });
        assert!(retried(RetryMode::Legacy, refused));
    }

    #[test]
    fn an_unmodeled_429_is_a_throttle_in_standard_mode() {
        // botocore 1.44's ThrottlingStatusCodeChecker.
        let too_many = service(429, "TooManyRequests");
        assert!(is_retryable(RetryMode::Standard, &too_many, &[]));
        assert!(is_retryable(RetryMode::Adaptive, &too_many, &[]));
        assert!(is_throttle(&too_many, &[]));
        let empty_body = service(429, "429");
        assert!(is_throttle(&empty_body, &["NoSuchBucket"]));
        // A code the operation models leaves the decision to the model.
        let modeled = service(429, "NoSuchBucket");
        assert!(!is_retryable(
            RetryMode::Standard,
            &modeled,
            &["NoSuchBucket"]
        ));
        assert!(!is_throttle(&modeled, &["NoSuchBucket"]));
        assert!(is_throttle(&modeled, &[]));
        // Throttling codes are throttles at any status; 5xx alone is not.
        assert!(is_throttle(&service(503, "SlowDown"), &[]));
        assert!(!is_throttle(&service(503, "ServiceUnavailable"), &[]));
    }

    #[test]
    fn http_client_errors_are_transient_only_outside_legacy_mode() {
        let unhandled = || {
            Err(Error::Botocore {
                class: "HTTPClientError",
                message: "An HTTP Client raised an unhandled exception: x".into(),
                kwargs: vec![("error", "x".into())],
            })
        };
        assert!(!is_retryable(RetryMode::Legacy, &unhandled(), &[]));
        assert!(is_retryable(RetryMode::Standard, &unhandled(), &[]));
        assert!(is_retryable(RetryMode::Adaptive, &unhandled(), &[]));
        let other = Err(Error::Botocore {
            class: "UnknownSignatureVersionError",
            message: "m".into(),
            kwargs: vec![],
        });
        assert!(!is_retryable(RetryMode::Standard, &other, &[]));
    }

    #[test]
    fn quota_costs_14_or_5_when_throttled_and_refills() {
        let quota = RetryQuota::default();
        for _ in 0..35 {
            assert_eq!(quota.acquire(false), Some(14));
        }
        // 500 - 35 * 14 = 10 left: no room for 14, room for two throttles.
        assert_eq!(quota.acquire(false), None);
        assert_eq!(quota.acquire(true), Some(5));
        assert_eq!(quota.acquire(true), Some(5));
        assert_eq!(quota.acquire(true), None);
        quota.release(14);
        assert_eq!(quota.acquire(false), Some(14));
    }

    #[test]
    fn backoff_scales_by_throttling_and_is_bounded() {
        let other = service(500, "InternalError");
        let throttled = service(503, "SlowDown");
        for attempt in 1..10 {
            let cap = |scale: f64| {
                Duration::from_secs_f64((scale * 2f64.powi(attempt as i32 - 1)).min(20.0))
            };
            assert!(backoff(RetryMode::Standard, attempt, false, &other) <= cap(0.05));
            assert!(backoff(RetryMode::Adaptive, attempt, true, &throttled) <= cap(1.0));
            assert!(
                backoff(RetryMode::Legacy, attempt, false, &other)
                    <= Duration::from_secs(1 << (attempt - 1))
            );
        }
    }

    #[test]
    fn retry_after_raises_the_delay_up_to_five_seconds_more() {
        let wait = |value: &str| {
            let outcome = service_with(500, "InternalError", &[("x-amz-retry-after", value)]);
            backoff(RetryMode::Standard, 1, false, &outcome).as_secs_f64()
        };
        // t_1 <= 0.05 s, so the header decides (within t_1).
        let two = wait("2000");
        assert!((2.0..=2.05).contains(&two), "{two}");
        assert!((2.0..=2.05).contains(&wait(" +2_000\t")));
        let capped = wait("60000");
        assert!((5.0..=5.05).contains(&capped), "{capped}");
        // Ignored: negative, not an int, a float overflow, `__`.
        for ignored in ["-5", "1.5", "abc", "", "2__000", "_2", &"9".repeat(400)] {
            assert!(wait(ignored) <= 0.05, "{ignored:?}");
        }
        // Legacy mode never reads it.
        let outcome = service_with(500, "InternalError", &[("x-amz-retry-after", "60000")]);
        assert!(backoff(RetryMode::Legacy, 1, false, &outcome) <= Duration::from_secs(1));
    }
}
