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

fn is_timeout(e: &Error) -> bool {
    matches!(e, Error::ReadTimeout { .. } | Error::ConnectTimeout { .. })
}

/// Whether a throttling error answered (drives the adaptive rate limiter).
pub fn is_throttle(outcome: &Result<Document, Error>) -> bool {
    match outcome {
        Err(Error::Service(e)) => THROTTLED_CODES.contains(&e.code().as_str()),
        _ => false,
    }
}

pub fn is_retryable(mode: RetryMode, outcome: &Result<Document, Error>) -> bool {
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
                || THROTTLED_CODES.contains(&code.as_str())
        }
    }
}

/// The wait before attempt `attempt + 1`.
pub fn backoff(mode: RetryMode, attempt: u32) -> Duration {
    let jitter = random_unit();
    let exponent = 2f64.powi(attempt as i32 - 1);
    let seconds = match mode {
        RetryMode::Legacy => jitter * exponent,
        RetryMode::Standard | RetryMode::Adaptive => jitter * exponent.min(20.0),
    };
    Duration::from_secs_f64(seconds)
}

fn random_unit() -> f64 {
    (uuid::Uuid::new_v4().as_u128() >> 75) as f64 / (1u64 << 53) as f64
}

/// botocore's RetryQuota (standard and adaptive modes): 500 tokens shared
/// by a client; a retry costs 5 (10 after a timeout); a success returns
/// what its last retry took, or 1 when it needed none.
#[derive(Debug)]
pub struct RetryQuota {
    available: Mutex<u32>,
}

pub const INITIAL_RETRY_TOKENS: u32 = 500;

impl Default for RetryQuota {
    fn default() -> Self {
        RetryQuota {
            available: Mutex::new(INITIAL_RETRY_TOKENS),
        }
    }
}

impl RetryQuota {
    /// Takes the cost of retrying after `error`; `None` when the quota is spent.
    pub fn acquire(&self, error: &Error) -> Option<u32> {
        let cost = if is_timeout(error) { 10 } else { 5 };
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

    fn service(status: u16, code: &str) -> Result<Document, Error> {
        Err(Error::Service(Box::new(ServiceError {
            parsed: vec![(
                "Error".into(),
                Document::Map(vec![("Code".into(), Document::Str(code.into()))]),
            )],
            metadata: ResponseMetadata {
                http_status_code: status,
                ..Default::default()
            },
            operation_name: "PutBucketPolicy",
        })))
    }

    #[test]
    fn legacy_and_standard_retry_sets_differ_as_botocore() {
        assert!(is_retryable(RetryMode::Legacy, &service(503, "SlowDown")));
        assert!(is_retryable(RetryMode::Standard, &service(503, "SlowDown")));
        assert!(is_retryable(
            RetryMode::Legacy,
            &service(429, "TooManyRequests")
        ));
        assert!(!is_retryable(
            RetryMode::Standard,
            &service(429, "TooManyRequests")
        ));
        assert!(is_retryable(RetryMode::Legacy, &service(400, "BadDigest")));
        assert!(!is_retryable(
            RetryMode::Standard,
            &service(400, "BadDigest")
        ));
        assert!(is_retryable(RetryMode::Standard, &service(400, "SlowDown")));
        assert!(!is_retryable(
            RetryMode::Legacy,
            &service(400, "MalformedPolicy")
        ));
        assert!(is_retryable(RetryMode::Legacy, &service(400, "Throttling")));
        assert!(!is_retryable(
            RetryMode::Legacy,
            &service(409, "Throttling")
        ));
        assert!(!is_retryable(
            RetryMode::Standard,
            &service(400, "MalformedPolicy")
        ));
        let refused = Err(Error::EndpointConnection {
            endpoint_url: "u".into(),
            error: "e".into(),
        });
        assert!(is_retryable(RetryMode::Legacy, &refused));
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
        assert!(!is_retryable(RetryMode::Legacy, &unhandled()));
        assert!(is_retryable(RetryMode::Standard, &unhandled()));
        assert!(is_retryable(RetryMode::Adaptive, &unhandled()));
        let other = Err(Error::Botocore {
            class: "UnknownSignatureVersionError",
            message: "m".into(),
            kwargs: vec![],
        });
        assert!(!is_retryable(RetryMode::Standard, &other));
    }

    #[test]
    fn quota_runs_out_and_refills() {
        let quota = RetryQuota::default();
        let err = Error::ConnectionClosed {
            endpoint_url: "u".into(),
        };
        for _ in 0..100 {
            assert_eq!(quota.acquire(&err), Some(5));
        }
        assert_eq!(quota.acquire(&err), None);
        quota.release(5);
        assert_eq!(quota.acquire(&err), Some(5));
    }

    #[test]
    fn backoff_is_bounded() {
        for attempt in 1..10 {
            assert!(backoff(RetryMode::Standard, attempt) <= Duration::from_secs(20));
            assert!(backoff(RetryMode::Legacy, attempt) <= Duration::from_secs(1 << (attempt - 1)));
        }
    }
}
