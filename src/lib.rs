//! fastboto's core: everything needed to turn boto3-style keyword arguments
//! into a signed S3 request and its response into boto3-style results,
//! without any knowledge of Python. The binding layer lives in `python/`
//! behind the `python` feature.

pub mod checksum;
pub mod client;
pub mod config_file;
pub mod credentials;
pub mod endpoint;
pub mod error;
pub mod fork;
pub mod intercept;
pub mod model;
pub mod ops;
pub mod panic_guard;
pub mod protocol;
pub mod rate_limit;
pub mod response;
pub mod retry;
pub mod s3express;
pub mod settings;
pub mod signing;
pub mod signing_v4a;
pub mod tls;
pub mod transport;

#[cfg(feature = "python")]
mod python;

pub use error::{Error, Result};
