//! Serializing a validated input into the parts of an HTTP request.

use crate::model::shape::{Location, Operation, Payload, ShapeKind};
use crate::model::Value;

use super::xml;

/// The operation-specific parts of a request; the client adds the endpoint,
/// checksums and signature.
#[derive(Debug, Clone, PartialEq)]
pub struct SerializedRequest {
    pub method: &'static str,
    /// Path and query to append to the endpoint URL, e.g. `?policy`.
    pub path_and_query: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::Str(s) => Some(s.clone()),
        Value::Bool(b) => Some(if *b { "true" } else { "false" }.to_string()),
        Value::Int(n) => Some(n.to_string()),
        _ => None,
    }
}

pub fn serialize(op: &Operation, input: &Value) -> SerializedRequest {
    let members = op.input.members();
    let fields: &[(usize, Value)] = match input {
        Value::Struct(fields) => fields,
        _ => &[],
    };
    let mut headers = Vec::new();
    let mut body = Vec::new();
    for (index, value) in fields {
        let member = &members[*index];
        match member.location {
            Location::Header => {
                if let Some(text) = scalar_text(value) {
                    headers.push((
                        member.location_name.unwrap_or(member.name).to_string(),
                        text,
                    ));
                }
            }
            // The only URI member of S3's bucket operations is the bucket,
            // which the endpoint rules place into the URL.
            Location::Uri | Location::QueryString => {}
            Location::Body => {
                if op.input_payload != Payload::Member(member.name) {
                    continue;
                }
                body = match (&member.shape.kind, value) {
                    (ShapeKind::String, Value::Str(s)) => s.as_bytes().to_vec(),
                    // bytes for a string payload, which only unchecked
                    // input (parameter_validation off) gets through.
                    (ShapeKind::String, Value::Blob(b)) => b.clone(),
                    (ShapeKind::Blob, Value::Blob(b)) => b.clone(),
                    (ShapeKind::Structure { .. }, v) => xml::write_payload(member, v),
                    _ => Vec::new(),
                };
            }
        }
    }
    SerializedRequest {
        method: op.method,
        path_and_query: op.request_uri.to_string(),
        headers,
        body,
    }
}
