//! The rest-xml protocol as botocore's RestXMLSerializer / RestXMLParser
//! apply it to S3: validated input → HTTP request parts, and HTTP response →
//! output document or error.

pub mod parse;
pub mod serialize;
pub mod xml;

/// An HTTP request as fastboto sends it. Header names keep botocore's
/// spelling; values are already strings.
#[derive(Debug, Clone, PartialEq)]
pub struct HttpRequest {
    pub method: &'static str,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl HttpRequest {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// An HTTP response as received.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct HttpResponse {
    pub status: u16,
    /// Lower-cased names in arrival order; repeated headers joined with ", ".
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl HttpResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}
