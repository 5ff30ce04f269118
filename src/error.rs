//! The core's error type. Every variant maps one-to-one onto a botocore
//! exception class (the binding layer does the mapping), so the messages
//! here are botocore's `fmt` strings filled in.

use std::fmt;

/// An error S3 (or whatever answered) returned: becomes `ClientError`.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceError {
    /// `Error.Code` — the XML `<Code>`, or the HTTP status when the body
    /// was not an S3 error document.
    pub code: String,
    pub message: String,
    /// Other children of `<Error>` in document order (`BucketName`, `RequestId`, ...),
    /// as botocore keeps them in `response["Error"]`.
    pub extra: Vec<(String, String)>,
    pub metadata: crate::response::ResponseMetadata,
    pub operation_name: &'static str,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Error {
    /// botocore `ParamValidationError`; the payload is the full report
    /// (the lines after "Parameter validation failed:").
    ParamValidation(String),
    NoCredentials,
    PartialCredentials { provider: String, cred_var: String },
    ProfileNotFound { profile: String },
    ConfigParse { path: String },
    CredentialRetrieval { provider: String, error_msg: String },
    NoRegion,
    UnknownService { service_name: String, known_service_names: String },
    EndpointResolution { msg: String },
    InvalidEndpointUrl { msg: String },
    FlexibleChecksum { error_msg: String },
    EndpointConnection { endpoint_url: String, error: String },
    ConnectTimeout { endpoint_url: String, error: String },
    ReadTimeout { endpoint_url: String, error: String },
    ConnectionClosed { endpoint_url: String },
    Service(Box<ServiceError>),
    /// A bug in fastboto, surfaced instead of a panic.
    Internal(String),
}

impl Error {
    /// The botocore exception class name this error becomes in Python.
    pub fn class_name(&self) -> &'static str {
        match self {
            Error::ParamValidation(_) => "ParamValidationError",
            Error::NoCredentials => "NoCredentialsError",
            Error::PartialCredentials { .. } => "PartialCredentialsError",
            Error::ProfileNotFound { .. } => "ProfileNotFound",
            Error::ConfigParse { .. } => "ConfigParseError",
            Error::CredentialRetrieval { .. } => "CredentialRetrievalError",
            Error::NoRegion => "NoRegionError",
            Error::UnknownService { .. } => "UnknownServiceError",
            Error::EndpointResolution { .. } => "EndpointResolutionError",
            Error::InvalidEndpointUrl { .. } => "InvalidEndpointConfigurationError",
            Error::FlexibleChecksum { .. } => "FlexibleChecksumError",
            Error::EndpointConnection { .. } => "EndpointConnectionError",
            Error::ConnectTimeout { .. } => "ConnectTimeoutError",
            Error::ReadTimeout { .. } => "ReadTimeoutError",
            Error::ConnectionClosed { .. } => "ConnectionClosedError",
            Error::Service(_) => "ClientError",
            Error::Internal(_) => "FastbotoInternalError",
        }
    }

    /// The keyword arguments botocore's exception class is constructed with,
    /// so the Python exception carries the same attributes.
    pub fn kwargs(&self) -> Vec<(&'static str, String)> {
        match self {
            Error::ParamValidation(report) => vec![("report", report.clone())],
            Error::PartialCredentials { provider, cred_var } => {
                vec![("provider", provider.clone()), ("cred_var", cred_var.clone())]
            }
            Error::ProfileNotFound { profile } => vec![("profile", profile.clone())],
            Error::ConfigParse { path } => vec![("path", path.clone())],
            Error::CredentialRetrieval { provider, error_msg } => {
                vec![("provider", provider.clone()), ("error_msg", error_msg.clone())]
            }
            Error::UnknownService { service_name, known_service_names } => vec![
                ("service_name", service_name.clone()),
                ("known_service_names", known_service_names.clone()),
            ],
            Error::EndpointResolution { msg } | Error::InvalidEndpointUrl { msg } => {
                vec![("msg", msg.clone())]
            }
            Error::FlexibleChecksum { error_msg } => vec![("error_msg", error_msg.clone())],
            Error::EndpointConnection { endpoint_url, error }
            | Error::ConnectTimeout { endpoint_url, error }
            | Error::ReadTimeout { endpoint_url, error } => {
                vec![("endpoint_url", endpoint_url.clone()), ("error", error.clone())]
            }
            Error::ConnectionClosed { endpoint_url } => vec![("endpoint_url", endpoint_url.clone())],
            Error::Internal(msg) => vec![("msg", msg.clone())],
            Error::NoCredentials | Error::NoRegion | Error::Service(_) => vec![],
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::ParamValidation(report) => write!(f, "Parameter validation failed:\n{report}"),
            Error::NoCredentials => f.write_str("Unable to locate credentials"),
            Error::PartialCredentials { provider, cred_var } => {
                write!(f, "Partial credentials found in {provider}, missing: {cred_var}")
            }
            Error::ProfileNotFound { profile } => {
                write!(f, "The config profile ({profile}) could not be found")
            }
            Error::ConfigParse { path } => write!(f, "Unable to parse config file: {path}"),
            Error::CredentialRetrieval { provider, error_msg } => {
                write!(f, "Error when retrieving credentials from {provider}: {error_msg}")
            }
            Error::NoRegion => f.write_str("You must specify a region."),
            Error::UnknownService { service_name, known_service_names } => write!(
                f,
                "Unknown service: '{service_name}'. Valid service names are: {known_service_names}"
            ),
            Error::EndpointResolution { msg } => f.write_str(msg),
            Error::InvalidEndpointUrl { msg } => f.write_str(msg),
            Error::FlexibleChecksum { error_msg } => f.write_str(error_msg),
            Error::EndpointConnection { endpoint_url, .. } => {
                write!(f, "Could not connect to the endpoint URL: \"{endpoint_url}\"")
            }
            Error::ConnectTimeout { endpoint_url, .. } => {
                write!(f, "Connect timeout on endpoint URL: \"{endpoint_url}\"")
            }
            Error::ReadTimeout { endpoint_url, .. } => {
                write!(f, "Read timeout on endpoint URL: \"{endpoint_url}\"")
            }
            Error::ConnectionClosed { endpoint_url } => write!(
                f,
                "Connection was closed before we received a valid response from endpoint URL: \"{endpoint_url}\"."
            ),
            Error::Service(e) => write!(
                f,
                "An error occurred ({}) when calling the {} operation: {}",
                e.code, e.operation_name, e.message
            ),
            Error::Internal(msg) => write!(f, "fastboto internal error: {msg}"),
        }
    }
}

impl std::error::Error for Error {}

pub type Result<T> = std::result::Result<T, Error>;
