//! Responses → output documents or `ServiceError`s, as botocore's
//! RestXMLParser does for S3.

use crate::error::{Error, ServiceError};
use crate::model::shape::{Location, Operation, Payload, Shape, ShapeKind};
use crate::response::{reason_phrase, Document, ResponseMetadata};

use super::xml::{self, Node};
use super::HttpResponse;

/// botocore's `_populate_response_metadata` plus the status and headers
/// `parse()` adds.
fn metadata(resp: &HttpResponse, retry_attempts: u32) -> ResponseMetadata {
    let mut meta = ResponseMetadata {
        http_status_code: resp.status,
        http_headers: resp.headers.clone(),
        retry_attempts,
        ..ResponseMetadata::default()
    };
    if let Some(id) = resp.header("x-amzn-requestid") {
        meta.request_id = Some(id.to_string());
    } else if let Some(id) = resp.header("x-amz-request-id") {
        meta.request_id = Some(id.to_string());
        meta.host_id = Some(resp.header("x-amz-id-2").unwrap_or("").to_string());
    }
    meta
}

/// Parses a response: `Ok(output)` for status < 300, `Err(Error::Service)`
/// otherwise.
pub fn parse_response(
    op: &Operation,
    resp: &HttpResponse,
    retry_attempts: u32,
) -> Result<Document, Error> {
    if resp.status >= 300 {
        return Err(Error::Service(Box::new(parse_error(
            op,
            resp,
            retry_attempts,
        ))));
    }
    if looks_like_200_error(op, resp) {
        // botocore's `_handle_200_error`: S3 can answer 200 with an error
        // document, or a body cut short; both count as a 500 (and are retried).
        let as_500 = HttpResponse {
            status: 500,
            ..resp.clone()
        };
        return Err(Error::Service(Box::new(parse_error(
            op,
            &as_500,
            retry_attempts,
        ))));
    }
    let meta = metadata(resp, retry_attempts);
    let mut out = vec![("ResponseMetadata".to_string(), meta.to_document())];
    if let Some(shape) = op.output {
        parse_output(op, shape, resp, &mut out)?;
    }
    Ok(Document::Map(out))
}

fn looks_like_200_error(op: &Operation, resp: &HttpResponse) -> bool {
    let Some(output) = op.output else {
        return false;
    };
    if let Payload::Member(name) = op.output_payload {
        let payload_is_text = output
            .members()
            .iter()
            .any(|m| m.name == name && matches!(m.shape.kind, ShapeKind::String | ShapeKind::Blob));
        if payload_is_text {
            return false;
        }
    }
    if resp.status != 200 || resp.body.is_empty() {
        return false;
    }
    match xml::parse(&resp.body) {
        Err(_) => true,
        // `root.tag == 'Error'`: a namespaced `{uri}Error` is not.
        Ok(root) => root.name == "Error" && !root.namespaced,
    }
}

fn parse_output(
    op: &Operation,
    shape: &Shape,
    resp: &HttpResponse,
    out: &mut Vec<(String, Document)>,
) -> Result<(), Error> {
    for member in shape.members() {
        if member.location == Location::Header {
            if let Some(v) = member
                .location_name
                .and_then(|h| resp.header(&h.to_ascii_lowercase()))
            {
                out.push((member.name.to_string(), header_value(member.shape, v)));
            }
        }
    }
    match op.output_payload {
        Payload::Member(name) => {
            let Some(member) = shape.members().iter().find(|m| m.name == name) else {
                return Ok(());
            };
            match member.shape.kind {
                // botocore decodes a text payload with `body.decode("utf-8")`
                // and lets a UnicodeDecodeError escape the call.
                ShapeKind::String | ShapeKind::Blob => match std::str::from_utf8(&resp.body) {
                    Ok(text) => out.push((name.to_string(), Document::Str(text.to_string()))),
                    Err(_) => {
                        return Err(Error::PayloadDecode {
                            body: resp.body.clone(),
                        })
                    }
                },
                // botocore's `_initial_body_parse` makes an empty body an
                // empty element: the payload structure is then `{}`.
                _ if resp.body.is_empty() => {
                    out.push((name.to_string(), Document::Map(Vec::new())));
                }
                _ => {
                    if let Ok(root) = xml::parse(&resp.body) {
                        out.push((name.to_string(), parse_node(member.shape, &root)));
                    }
                }
            }
        }
        Payload::None => {
            if resp.body.is_empty() {
                return Ok(());
            }
            if let Ok(root) = xml::parse(&resp.body) {
                if let Document::Map(fields) = parse_node(shape, &root) {
                    out.extend(fields);
                }
            }
        }
    }
    Ok(())
}

/// botocore's `_parse_shape` over a header's text: `== 'true'` for a
/// boolean, the text as it is for a string.
fn header_value(shape: &Shape, text: &str) -> Document {
    match shape.kind {
        ShapeKind::Boolean => Document::Bool(text == "true"),
        _ => Document::Str(text.to_string()),
    }
}

/// botocore's shape-directed `_parse_shape` over an element.
fn parse_node(shape: &Shape, node: &Node) -> Document {
    match &shape.kind {
        ShapeKind::Structure { members, .. } => {
            let mut fields = Vec::new();
            for member in members.iter() {
                if member.location != Location::Body {
                    continue;
                }
                let name = member.xml_name();
                if member.xml_attribute {
                    // botocore matches namespaced attributes only (`{uri}type`
                    // becomes `xsi:type`); a bare `type` is not the member.
                    let local = name.rsplit(':').next().unwrap_or(name);
                    let found = node
                        .attrs
                        .iter()
                        .find(|(k, _)| k.split_once(':').is_some_and(|(_, l)| l == local));
                    if let Some((_, v)) = found {
                        fields.push((member.name.to_string(), Document::Str(v.clone())));
                    }
                    continue;
                }
                if let ShapeKind::List {
                    member: item,
                    flattened: true,
                    ..
                } = &member.shape.kind
                {
                    let items: Vec<Document> = node
                        .children
                        .iter()
                        .filter(|c| c.name == name)
                        .map(|c| parse_node(item, c))
                        .collect();
                    if !items.is_empty() {
                        fields.push((member.name.to_string(), Document::List(items)));
                    }
                    continue;
                }
                if let Some(child) = node.child(name) {
                    fields.push((member.name.to_string(), parse_node(member.shape, child)));
                }
            }
            Document::Map(fields)
        }
        // botocore's `_handle_list` takes every child, whatever its name.
        ShapeKind::List { member, .. } => Document::List(
            node.children
                .iter()
                .map(|c| parse_node(member, c))
                .collect(),
        ),
        ShapeKind::Boolean => Document::Bool(node.text.as_deref() == Some("true")),
        ShapeKind::Integer | ShapeKind::Long => Document::Int(
            node.text
                .as_deref()
                .unwrap_or("")
                .trim()
                .parse()
                .unwrap_or(0),
        ),
        ShapeKind::String | ShapeKind::Blob => Document::Str(node.text.clone().unwrap_or_default()),
    }
}

/// botocore's `_build_name_to_xml_node` + `_replace_nodes`: children by tag,
/// leaves as their text (None when empty), nested elements as dicts; a tag
/// repeated under one parent collapses to the first one's children.
fn generic_dict(node: &Node) -> Vec<(String, Document)> {
    let mut groups: Vec<(String, Vec<&Node>)> = Vec::new();
    for child in &node.children {
        match groups.iter_mut().find(|(k, _)| *k == child.name) {
            Some((_, nodes)) => nodes.push(child),
            None => groups.push((child.name.clone(), vec![child])),
        }
    }
    groups
        .into_iter()
        .map(|(name, nodes)| {
            let value = if nodes.len() > 1 {
                Document::Map(generic_dict(nodes[0]))
            } else if nodes[0].children.is_empty() {
                nodes[0]
                    .text
                    .clone()
                    .map(Document::Str)
                    .unwrap_or(Document::Null)
            } else {
                Document::Map(generic_dict(nodes[0]))
            };
            (name, value)
        })
        .collect()
}

fn take(fields: &mut Vec<(String, Document)>, key: &str) -> Option<Document> {
    let index = fields.iter().position(|(k, _)| k == key)?;
    Some(fields.remove(index).1)
}

/// botocore's `merge_dicts(default, parsed)`.
fn merge(into: &mut Vec<(String, Document)>, from: Vec<(String, Document)>) {
    for (key, value) in from {
        match (into.iter_mut().find(|(k, _)| *k == key), value) {
            (Some((_, Document::Map(existing))), Document::Map(inner)) => merge(existing, inner),
            (Some(slot), value) => slot.1 = value,
            (None, value) => into.push((key, value)),
        }
    }
}

fn status_error(resp: &HttpResponse) -> Vec<(String, Document)> {
    vec![(
        "Error".to_string(),
        Document::Map(vec![
            ("Code".to_string(), Document::Str(resp.status.to_string())),
            (
                "Message".to_string(),
                Document::Str(reason_phrase(resp.status).to_string()),
            ),
        ]),
    )]
}

pub fn parse_error(op: &Operation, resp: &HttpResponse, retry_attempts: u32) -> ServiceError {
    let bare_meta = ResponseMetadata {
        http_status_code: resp.status,
        http_headers: resp.headers.clone(),
        retry_attempts,
        ..ResponseMetadata::default()
    };
    let service_error = |parsed, metadata| ServiceError {
        parsed,
        metadata,
        operation_name: op.name,
    };
    let trimmed = resp.body.trim_ascii();
    if resp.status >= 500 && (trimmed.is_empty() || trimmed.starts_with(b"<html>")) {
        return service_error(status_error(resp), bare_meta);
    }
    let from_status = || {
        let meta = ResponseMetadata {
            request_id: Some(resp.header("x-amz-request-id").unwrap_or("").to_string()),
            host_id: Some(resp.header("x-amz-id-2").unwrap_or("").to_string()),
            ..bare_meta.clone()
        };
        service_error(status_error(resp), meta)
    };
    if resp.body.is_empty() {
        return from_status();
    }
    let Ok(root) = xml::parse(&resp.body) else {
        return from_status();
    };
    let mut parsed = generic_dict(&root);
    // botocore compares ElementTree's tag, so `<Error xmlns="...">` (tag
    // `{uri}Error`) takes the generic rest-xml branch below: empty Code and
    // Message under Error, the children at the top level.
    if root.name == "Error" && !root.namespaced {
        take(&mut parsed, "RequestId");
        take(&mut parsed, "HostId");
        return service_error(
            vec![("Error".to_string(), Document::Map(parsed))],
            metadata(resp, retry_attempts),
        );
    }
    let mut meta = bare_meta;
    if let Some(id) = take(&mut parsed, "RequestId") {
        meta.request_id = match id {
            Document::Str(s) => Some(s),
            _ => None,
        };
    }
    let mut out = vec![(
        "Error".to_string(),
        Document::Map(vec![
            ("Message".to_string(), Document::Str(String::new())),
            ("Code".to_string(), Document::Str(String::new())),
        ]),
    )];
    merge(&mut out, parsed);
    service_error(out, meta)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::get_bucket_policy::OPERATION as GET_POLICY;

    fn response(status: u16, body: &[u8]) -> HttpResponse {
        HttpResponse {
            status,
            headers: vec![],
            body: body.to_vec(),
        }
    }

    #[test]
    fn namespaced_error_root_is_not_an_s3_error() {
        // botocore: root.tag is `{uri}Error`, so the generic rest-xml branch.
        let body = br#"<Error xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Code>AccessDenied</Code><Message>m</Message><RequestId>r1</RequestId></Error>"#;
        let e = parse_error(&GET_POLICY, &response(403, body), 0);
        let s = |v: &str| Document::Str(v.to_string());
        assert_eq!(
            e.parsed,
            vec![
                (
                    "Error".to_string(),
                    Document::Map(vec![
                        ("Message".to_string(), s("")),
                        ("Code".to_string(), s(""))
                    ])
                ),
                ("Code".to_string(), s("AccessDenied")),
                ("Message".to_string(), s("m")),
            ]
        );
        assert_eq!(e.metadata.request_id.as_deref(), Some("r1"));
        assert_eq!(e.code(), "");
    }

    #[test]
    fn non_utf8_policy_is_a_decode_error() {
        let outcome = parse_response(&GET_POLICY, &response(200, b"{\"a\":\"caf\xe9\"}"), 0);
        assert!(matches!(outcome, Err(Error::PayloadDecode { .. })));
        let ok = parse_response(
            &GET_POLICY,
            &response(200, "{\"a\":\"café\"}".as_bytes()),
            0,
        );
        assert!(ok.is_ok());
    }
}
