//! What a call returns: botocore-shaped output documents and `ResponseMetadata`.

/// A JSON-like value that the binding turns into Python dicts/lists.
#[derive(Debug, Clone, PartialEq)]
pub enum Document {
    Null,
    Str(String),
    Bool(bool),
    Int(i64),
    List(Vec<Document>),
    /// Insertion-ordered, as botocore's dicts.
    Map(Vec<(String, Document)>),
}

/// botocore's `ResponseMetadata`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ResponseMetadata {
    pub request_id: Option<String>,
    pub host_id: Option<String>,
    pub http_status_code: u16,
    /// Lower-cased names, in the order received; repeated headers joined with ", ".
    pub http_headers: Vec<(String, String)>,
    pub retry_attempts: u32,
    /// Set when retries ran out on a retryable outcome (botocore's
    /// `MaxAttemptsReached`).
    pub max_attempts_reached: bool,
    /// Standard/adaptive retries stopped by the retry quota.
    pub retry_quota_reached: bool,
}

impl ResponseMetadata {
    pub fn to_document(&self) -> Document {
        let mut map = Vec::with_capacity(5);
        if let Some(id) = &self.request_id {
            map.push(("RequestId".to_string(), Document::Str(id.clone())));
        }
        if let Some(id) = &self.host_id {
            map.push(("HostId".to_string(), Document::Str(id.clone())));
        }
        map.push((
            "HTTPStatusCode".to_string(),
            Document::Int(self.http_status_code as i64),
        ));
        map.push((
            "HTTPHeaders".to_string(),
            Document::Map(
                self.http_headers
                    .iter()
                    .map(|(k, v)| (k.clone(), Document::Str(v.clone())))
                    .collect(),
            ),
        ));
        if self.max_attempts_reached {
            map.push(("MaxAttemptsReached".to_string(), Document::Bool(true)));
        }
        if self.retry_quota_reached {
            map.push(("RetryQuotaReached".to_string(), Document::Bool(true)));
        }
        map.push((
            "RetryAttempts".to_string(),
            Document::Int(self.retry_attempts as i64),
        ));
        Document::Map(map)
    }
}

/// Python's `http.client.responses`, which botocore uses for the Message of
/// errors without a parsable body.
pub fn reason_phrase(status: u16) -> &'static str {
    match status {
        100 => "Continue",
        101 => "Switching Protocols",
        102 => "Processing",
        103 => "Early Hints",
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        203 => "Non-Authoritative Information",
        204 => "No Content",
        205 => "Reset Content",
        206 => "Partial Content",
        207 => "Multi-Status",
        208 => "Already Reported",
        226 => "IM Used",
        300 => "Multiple Choices",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        304 => "Not Modified",
        305 => "Use Proxy",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        402 => "Payment Required",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        407 => "Proxy Authentication Required",
        408 => "Request Timeout",
        409 => "Conflict",
        410 => "Gone",
        411 => "Length Required",
        412 => "Precondition Failed",
        413 => "Request Entity Too Large",
        414 => "Request-URI Too Long",
        415 => "Unsupported Media Type",
        416 => "Requested Range Not Satisfiable",
        417 => "Expectation Failed",
        418 => "I'm a Teapot",
        421 => "Misdirected Request",
        422 => "Unprocessable Entity",
        423 => "Locked",
        424 => "Failed Dependency",
        425 => "Too Early",
        426 => "Upgrade Required",
        428 => "Precondition Required",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        451 => "Unavailable For Legal Reasons",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        505 => "HTTP Version Not Supported",
        506 => "Variant Also Negotiates",
        507 => "Insufficient Storage",
        508 => "Loop Detected",
        510 => "Not Extended",
        511 => "Network Authentication Required",
        _ => "",
    }
}
