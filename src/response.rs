//! (being written)

/// botocore's `ResponseMetadata`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ResponseMetadata {
    pub request_id: Option<String>,
    pub host_id: Option<String>,
    pub http_status_code: u16,
    /// Lower-cased names, in the order received; repeated headers joined with ", ".
    pub http_headers: Vec<(String, String)>,
    pub retry_attempts: u32,
}
