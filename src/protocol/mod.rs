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

/// The Host header for a URL: its authority without a default port.
pub fn host_header(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next()?;
    let authority = authority
        .rsplit_once('@')
        .map(|(_, a)| a)
        .unwrap_or(authority);
    let default_port = match scheme {
        "https" => ":443",
        "http" => ":80",
        _ => "",
    };
    Some(
        authority
            .strip_suffix(default_port)
            .unwrap_or(authority)
            .to_string(),
    )
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
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}
