//! HTTP for the credential providers: the core's own transport (pooled
//! reqwest on the calling lane's runtime), one per fetcher, with the
//! fetcher's timeouts.

use std::time::Duration;

use crate::error::Error;
use crate::transport::{Transport, TransportOptions};

/// A transport whose connect and read timeouts are both `timeout`, as
/// `URLLib3Session(timeout=...)`; `no_proxy` ignores the environment's
/// proxies (a session created without `proxies=`).
pub fn metadata_transport(timeout: Duration, no_proxy: bool) -> Transport {
    Transport::new(TransportOptions {
        connect_timeout: timeout,
        read_timeout: timeout,
        max_pool_connections: 1,
        no_proxy,
        ..TransportOptions::default()
    })
}

/// The `str()` of the botocore exception a failed send raised.
pub fn retryable_error(e: &Error) -> String {
    e.to_string()
}

/// What Python's `open()` raises for `path`.
pub fn os_error(e: &std::io::Error, path: &str) -> Error {
    let class = match e.kind() {
        std::io::ErrorKind::NotFound => "FileNotFoundError",
        std::io::ErrorKind::PermissionDenied => "PermissionError",
        _ if e.raw_os_error() == Some(libc::EISDIR) => "IsADirectoryError",
        _ => "OSError",
    };
    Error::Builtin {
        class,
        message: super::process::os_error_message(e, path),
    }
}
