//! The core's error type. Every variant maps one-to-one onto a botocore
//! exception class (the binding layer does the mapping), so the messages
//! here are botocore's `fmt` strings filled in.

use std::fmt;

/// An error S3 (or whatever answered) returned: becomes `ClientError`.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceError {
    /// The parsed error response less `ResponseMetadata`, as botocore builds
    /// it: `{"Error": {"Code": ..., "Message": ..., ...}, ...}`.
    pub parsed: Vec<(String, crate::response::Document)>,
    pub metadata: crate::response::ResponseMetadata,
    pub operation_name: &'static str,
}

impl ServiceError {
    pub fn error_field(&self, name: &str) -> Option<&crate::response::Document> {
        use crate::response::Document;
        self.parsed
            .iter()
            .find(|(k, _)| k == "Error")
            .and_then(|(_, v)| match v {
                Document::Map(fields) => fields.iter().find(|(k, _)| k == name).map(|(_, v)| v),
                _ => None,
            })
    }

    /// `Error.Code` as botocore's ClientError prints it (`Unknown` if absent).
    pub fn code(&self) -> String {
        use crate::response::Document;
        match self.error_field("Code") {
            Some(Document::Str(s)) => s.clone(),
            Some(Document::Null) => "None".into(),
            Some(_) => "Unknown".into(),
            None => "Unknown".into(),
        }
    }

    pub fn message(&self) -> String {
        use crate::response::Document;
        match self.error_field("Message") {
            Some(Document::Str(s)) => s.clone(),
            Some(Document::Null) => "None".into(),
            _ => "Unknown".into(),
        }
    }
}

/// botocore's `defaults_mode` values, in its order.
pub const DEFAULTS_MODES: [&str; 6] = [
    "legacy",
    "auto",
    "standard",
    "in-region",
    "cross-region",
    "mobile",
];

#[derive(Debug, Clone, PartialEq)]
pub enum Error {
    /// botocore `ParamValidationError`; the payload is the full report
    /// (the lines after "Parameter validation failed:").
    ParamValidation(String),
    NoCredentials,
    PartialCredentials {
        provider: String,
        cred_var: String,
    },
    ProfileNotFound {
        profile: String,
    },
    ConfigParse {
        path: String,
    },
    CredentialRetrieval {
        provider: String,
        error_msg: String,
    },
    NoRegion,
    UnknownService {
        service_name: String,
        known_service_names: String,
    },
    EndpointResolution {
        msg: String,
    },
    InvalidEndpointUrl {
        msg: String,
    },
    FlexibleChecksum {
        error_msg: String,
    },
    InvalidChecksumConfig {
        config_key: String,
        config_value: String,
        valid_options: String,
    },
    UnknownSignatureVersion {
        signature_version: String,
    },
    InvalidConfig {
        error_msg: String,
    },
    InvalidRegion {
        region_name: String,
    },
    InvalidRetryMode {
        provided_retry_mode: String,
    },
    InvalidDefaultsMode {
        mode: String,
    },
    InvalidS3AddressingStyle {
        style: String,
    },
    InvalidS3UsEast1RegionalEndpoint {
        value: String,
    },
    InvalidMaxRetryAttempts {
        provided: String,
        min_value: u32,
    },
    UnsupportedSignatureVersion {
        signature_version: String,
    },
    InvalidProxy {
        proxy_url: String,
        error: String,
    },
    InvalidCaBundle {
        path: String,
        error: String,
    },
    Ssl {
        endpoint_url: String,
        error: String,
    },
    EndpointConnection {
        endpoint_url: String,
        error: String,
    },
    ConnectTimeout {
        endpoint_url: String,
        error: String,
    },
    /// botocore `ProxyConnectionError`; `proxy_url` is masked
    /// (`mask_proxy_url`).
    ProxyConnection {
        proxy_url: String,
        error: String,
    },
    ReadTimeout {
        endpoint_url: String,
        error: String,
    },
    ConnectionClosed {
        endpoint_url: String,
    },
    Service(Box<ServiceError>),
    /// A text payload (GetBucketPolicy's policy) that is not UTF-8: botocore
    /// decodes it with `bytes.decode("utf-8")` and lets the
    /// `UnicodeDecodeError` escape; the binding raises that same exception
    /// from these bytes.
    PayloadDecode {
        body: Vec<u8>,
    },
    /// The region redirector's HeadBucket kept being redirected without a
    /// region: botocore recurses until Python's `RecursionError`; fastboto
    /// stops after a few levels and raises that same exception type.
    RedirectRecursion,
    /// botocore's EndpointVariantError: the legacy endpoint data has no
    /// FIPS/dualstack variant for the region (raised at client creation).
    EndpointVariant {
        /// botocore's tag list, in its order (`dualstack`, `fips`).
        tags: Vec<&'static str>,
        error_msg: String,
    },
    /// A botocore exception class without a variant of its own (the
    /// credential providers' `InfiniteLoopConfigError`,
    /// `UnauthorizedSSOTokenError`, ...): its name, the keyword arguments
    /// it is built with and the message its `fmt` makes of them.
    Botocore {
        class: &'static str,
        kwargs: Vec<(&'static str, String)>,
        message: String,
    },
    /// `credential_process` printed something that is not JSON: botocore's
    /// `json.loads` raises JSONDecodeError, which the binding rebuilds from
    /// the output (never shown: it may hold credentials).
    ProcessOutputNotJson {
        output: HiddenText,
    },
    /// A Python built-in exception botocore lets escape (`ValueError`,
    /// `KeyError`, `RuntimeError`), with its `str()`.
    Builtin {
        class: &'static str,
        message: String,
    },
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
            Error::EndpointResolution { msg } => {
                crate::endpoint::translate_rule_error(msg).class_name
            }
            Error::InvalidEndpointUrl { .. } => "InvalidEndpointConfigurationError",
            Error::FlexibleChecksum { .. } => "FlexibleChecksumError",
            Error::InvalidChecksumConfig { .. } => "InvalidChecksumConfigError",
            Error::UnknownSignatureVersion { .. } => "UnknownSignatureVersionError",
            Error::InvalidConfig { .. } => "InvalidConfigError",
            Error::InvalidRegion { .. } => "InvalidRegionError",
            Error::InvalidRetryMode { .. } => "InvalidRetryModeError",
            Error::InvalidDefaultsMode { .. } => "InvalidDefaultsMode",
            Error::InvalidS3AddressingStyle { .. } => "InvalidS3AddressingStyleError",
            Error::InvalidS3UsEast1RegionalEndpoint { .. } => {
                "InvalidS3UsEast1RegionalEndpointConfigError"
            }
            Error::InvalidMaxRetryAttempts { .. } => "InvalidMaxRetryAttemptsError",
            Error::UnsupportedSignatureVersion { .. } => "UnsupportedSignatureVersionError",
            Error::InvalidProxy { .. } => "InvalidConfigError",
            Error::InvalidCaBundle { .. } | Error::Ssl { .. } => "SSLError",
            Error::EndpointConnection { .. } => "EndpointConnectionError",
            Error::ConnectTimeout { .. } => "ConnectTimeoutError",
            Error::ProxyConnection { .. } => "ProxyConnectionError",
            Error::ReadTimeout { .. } => "ReadTimeoutError",
            Error::ConnectionClosed { .. } => "ConnectionClosedError",
            Error::Service(_) => "ClientError",
            Error::PayloadDecode { .. } => "UnicodeDecodeError",
            Error::RedirectRecursion => "RecursionError",
            Error::EndpointVariant { .. } => "EndpointVariantError",
            Error::Botocore { class, .. } | Error::Builtin { class, .. } => class,
            Error::ProcessOutputNotJson { .. } => "JSONDecodeError",
            Error::Internal(_) => "FastbotoInternalError",
        }
    }

    /// The keyword arguments botocore's exception class is constructed with,
    /// so the Python exception carries the same attributes.
    pub fn kwargs(&self) -> Vec<(&'static str, String)> {
        match self {
            Error::ParamValidation(report) => vec![("report", report.clone())],
            Error::PartialCredentials { provider, cred_var } => {
                vec![
                    ("provider", provider.clone()),
                    ("cred_var", cred_var.clone()),
                ]
            }
            Error::ProfileNotFound { profile } => vec![("profile", profile.clone())],
            Error::ConfigParse { path } => vec![("path", path.clone())],
            Error::CredentialRetrieval {
                provider,
                error_msg,
            } => {
                vec![
                    ("provider", provider.clone()),
                    ("error_msg", error_msg.clone()),
                ]
            }
            Error::UnknownService {
                service_name,
                known_service_names,
            } => vec![
                ("service_name", service_name.clone()),
                ("known_service_names", known_service_names.clone()),
            ],
            Error::EndpointResolution { msg } => crate::endpoint::translate_rule_error(msg).kwargs,
            Error::InvalidEndpointUrl { msg } => vec![("msg", msg.clone())],
            Error::FlexibleChecksum { error_msg } | Error::InvalidConfig { error_msg } => {
                vec![("error_msg", error_msg.clone())]
            }
            Error::InvalidProxy { .. } => vec![("error_msg", self.to_string())],
            Error::InvalidCaBundle {
                path: endpoint_url,
                error,
            }
            | Error::Ssl {
                endpoint_url,
                error,
            } => {
                vec![
                    ("endpoint_url", endpoint_url.clone()),
                    ("error", error.clone()),
                ]
            }
            Error::InvalidChecksumConfig {
                config_key,
                config_value,
                valid_options,
            } => vec![
                ("config_key", config_key.clone()),
                ("config_value", config_value.clone()),
                ("valid_options", valid_options.clone()),
            ],
            Error::UnknownSignatureVersion { signature_version }
            | Error::UnsupportedSignatureVersion { signature_version } => {
                vec![("signature_version", signature_version.clone())]
            }
            Error::EndpointConnection {
                endpoint_url,
                error,
            }
            | Error::ConnectTimeout {
                endpoint_url,
                error,
            }
            | Error::ReadTimeout {
                endpoint_url,
                error,
            } => {
                vec![
                    ("endpoint_url", endpoint_url.clone()),
                    ("error", error.clone()),
                ]
            }
            Error::ConnectionClosed { endpoint_url } => {
                vec![("endpoint_url", endpoint_url.clone())]
            }
            Error::ProxyConnection { proxy_url, error } => {
                vec![("proxy_url", proxy_url.clone()), ("error", error.clone())]
            }
            Error::InvalidRegion { region_name } => vec![("region_name", region_name.clone())],
            Error::InvalidRetryMode {
                provided_retry_mode,
            } => vec![
                ("provided_retry_mode", provided_retry_mode.clone()),
                (
                    "valid_modes",
                    "('legacy', 'standard', 'adaptive')".to_string(),
                ),
            ],
            Error::InvalidS3AddressingStyle { style } => {
                vec![("s3_addressing_style", style.clone())]
            }
            Error::InvalidS3UsEast1RegionalEndpoint { value } => {
                vec![("s3_us_east_1_regional_endpoint_config", value.clone())]
            }
            Error::InvalidDefaultsMode { mode } => vec![
                ("mode", mode.clone()),
                ("valid_modes", DEFAULTS_MODES.join(", ")),
            ],
            Error::InvalidMaxRetryAttempts {
                provided,
                min_value,
            } => vec![
                ("provided_max_attempts", provided.clone()),
                ("min_value", min_value.to_string()),
            ],
            Error::Internal(msg) => vec![("msg", msg.clone())],
            // The binding passes `tags` on as a list.
            Error::EndpointVariant { tags, error_msg } => {
                vec![("tags", tags.join(",")), ("error_msg", error_msg.clone())]
            }
            Error::RedirectRecursion => vec![("msg", self.to_string())],
            Error::PayloadDecode { .. } => vec![],
            Error::Botocore { kwargs, .. } => kwargs.clone(),
            Error::Builtin { message, .. } => vec![("msg", message.clone())],
            Error::ProcessOutputNotJson { output } => vec![("doc", output.0.clone())],
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
            Error::EndpointResolution { msg } => {
                f.write_str(&crate::endpoint::translate_rule_error(msg).message)
            }
            Error::InvalidEndpointUrl { msg } => f.write_str(msg),
            Error::FlexibleChecksum { error_msg } | Error::InvalidConfig { error_msg } => {
                f.write_str(error_msg)
            }
            Error::InvalidCaBundle { path: endpoint_url, error } | Error::Ssl { endpoint_url, error } => {
                write!(f, "SSL validation failed for {endpoint_url} {error}")
            }
            Error::InvalidProxy { proxy_url, error } => {
                write!(f, "Invalid proxy URL {proxy_url:?}: {error}")
            }
            Error::InvalidChecksumConfig { config_key, config_value, valid_options } => write!(
                f,
                "Unsupported configuration value for {config_key}. Expected one of {valid_options} but got {config_value}."
            ),
            Error::UnknownSignatureVersion { signature_version } => {
                write!(f, "Unknown Signature Version: {signature_version}.")
            }
            Error::UnsupportedSignatureVersion { signature_version } => {
                write!(f, "Signature version(s) are not supported: {signature_version}")
            }
            Error::InvalidRetryMode { provided_retry_mode } => write!(
                f,
                "Invalid value provided to \"mode\": \"{provided_retry_mode}\" must be one of: \
                 ('legacy', 'standard', 'adaptive')"
            ),
            Error::InvalidS3AddressingStyle { style } => write!(
                f,
                "S3 addressing style {style} is invalid. Valid options are: 'auto', 'virtual', and 'path'"
            ),
            Error::InvalidS3UsEast1RegionalEndpoint { value } => write!(
                f,
                "S3 us-east-1 regional endpoint option {value} is invalid. Valid options are: \"legacy\", \"regional\""
            ),
            Error::InvalidDefaultsMode { mode } => write!(
                f,
                "Client configured with invalid defaults mode: {mode}. Valid defaults modes \
                 include: {}.",
                DEFAULTS_MODES.join(", ")
            ),
            Error::InvalidMaxRetryAttempts { provided, min_value } => write!(
                f,
                "Value provided to \"max_attempts\": {provided} must be an integer greater than or \
                 equal to {min_value}."
            ),
            Error::InvalidRegion { region_name } => {
                write!(f, "Provided region_name '{region_name}' doesn't match a supported format.")
            }
            Error::EndpointConnection { endpoint_url, .. } => {
                write!(f, "Could not connect to the endpoint URL: \"{endpoint_url}\"")
            }
            Error::ConnectTimeout { endpoint_url, .. } => {
                write!(f, "Connect timeout on endpoint URL: \"{endpoint_url}\"")
            }
            Error::ReadTimeout { endpoint_url, .. } => {
                write!(f, "Read timeout on endpoint URL: \"{endpoint_url}\"")
            }
            Error::ProxyConnection { proxy_url, .. } => {
                write!(f, "Failed to connect to proxy URL: \"{proxy_url}\"")
            }
            Error::ConnectionClosed { endpoint_url } => write!(
                f,
                "Connection was closed before we received a valid response from endpoint URL: \"{endpoint_url}\"."
            ),
            Error::Service(e) => {
                let retry_info = if e.metadata.retry_attempts > 0 {
                    format!(" (reached max retries: {})", e.metadata.retry_attempts)
                } else {
                    String::new()
                };
                write!(
                    f,
                    "An error occurred ({}) when calling the {} operation{retry_info}: {}",
                    e.code(),
                    e.operation_name,
                    e.message()
                )
            }
            Error::PayloadDecode { body } => write!(
                f,
                "'utf-8' codec can't decode the {}-byte payload",
                body.len()
            ),
            Error::RedirectRecursion => f.write_str("maximum recursion depth exceeded"),
            Error::EndpointVariant { tags, .. } => {
                let quoted: Vec<String> = tags.iter().map(|t| format!("'{t}'")).collect();
                write!(
                    f,
                    "Unable to construct a modeled endpoint with the following variant(s) [{}]: ",
                    quoted.join(", ")
                )
            }
            Error::Botocore { message, .. } | Error::Builtin { message, .. } => {
                f.write_str(message)
            }
            Error::ProcessOutputNotJson { .. } => {
                f.write_str("credential_process printed something that is not JSON")
            }
            Error::Internal(msg) => write!(f, "fastboto internal error: {msg}"),
        }
    }
}

impl std::error::Error for Error {}

/// Text that may hold credentials: carried to the binding, never formatted.
#[derive(Clone, PartialEq, Eq)]
pub struct HiddenText(pub String);

impl fmt::Debug for HiddenText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<hidden>")
    }
}

pub type Result<T> = std::result::Result<T, Error>;
