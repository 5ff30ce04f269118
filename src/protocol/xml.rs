//! XML in and out. Writing mirrors botocore's use of ElementTree (element
//! order = the caller's key order, `xmlns` on namespaced members, attributes
//! from `xmlAttribute` members, ElementTree's escaping and `<a />` for empty
//! elements). Reading builds a small element tree with ElementTree's notion
//! of `.text` (the text before the first child).

use quick_xml::events::Event;
use quick_xml::Reader;

use crate::model::shape::{Member, Shape, ShapeKind};
use crate::model::Value;

/// ElementTree's `_escape_cdata`.
fn escape_text(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
}

/// ElementTree's `_escape_attrib`.
fn escape_attr(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\r' => out.push_str("&#13;"),
            '\n' => out.push_str("&#10;"),
            '\t' => out.push_str("&#09;"),
            c => out.push(c),
        }
    }
}

struct Element {
    name: String,
    attrs: Vec<(String, String)>,
    text: Option<String>,
    children: Vec<Element>,
}

impl Element {
    fn new(name: &str) -> Element {
        Element {
            name: name.to_string(),
            attrs: Vec::new(),
            text: None,
            children: Vec::new(),
        }
    }

    fn write(&self, out: &mut String) {
        out.push('<');
        out.push_str(&self.name);
        for (k, v) in &self.attrs {
            out.push(' ');
            out.push_str(k);
            out.push_str("=\"");
            escape_attr(v, out);
            out.push('"');
        }
        let text = self.text.as_deref().unwrap_or("");
        if text.is_empty() && self.children.is_empty() {
            out.push_str(" />");
            return;
        }
        out.push('>');
        escape_text(text, out);
        for child in &self.children {
            child.write(out);
        }
        out.push_str("</");
        out.push_str(&self.name);
        out.push('>');
    }
}

fn scalar_text(value: &Value) -> String {
    match value {
        Value::Str(s) => s.clone(),
        Value::Bool(b) => if *b { "true" } else { "false" }.to_string(),
        Value::Int(n) => n.to_string(),
        Value::Blob(b) => {
            use base64::Engine;
            base64::engine::general_purpose::STANDARD.encode(b)
        }
        Value::List(_) | Value::Struct(_) => String::new(),
    }
}

fn add_namespace(member: Option<&Member>, element: &mut Element) {
    if let Some(ns) = member.and_then(|m| m.xml_namespace) {
        let name = match ns.prefix {
            Some(prefix) => format!("xmlns:{prefix}"),
            None => "xmlns".to_string(),
        };
        element.attrs.push((name, ns.uri.to_string()));
    }
}

fn serialize_into(
    parent: &mut Element,
    member: Option<&Member>,
    shape: &Shape,
    value: &Value,
    name: &str,
) {
    match (&shape.kind, value) {
        (ShapeKind::Structure { members, .. }, Value::Struct(fields)) => {
            let mut node = Element::new(name);
            add_namespace(member, &mut node);
            for (index, field) in fields {
                let child = &members[*index];
                if child.xml_attribute {
                    node.attrs
                        .push((child.xml_name().to_string(), scalar_text(field)));
                } else {
                    serialize_into(&mut node, Some(child), child.shape, field, child.xml_name());
                }
            }
            parent.children.push(node);
        }
        (
            ShapeKind::List {
                member: item_shape,
                member_name,
                flattened,
            },
            Value::List(items),
        ) => {
            let item_name = if *flattened {
                name
            } else {
                member_name.unwrap_or("member")
            };
            if *flattened {
                for item in items {
                    serialize_into(parent, None, item_shape, item, item_name);
                }
            } else {
                let mut node = Element::new(name);
                for item in items {
                    serialize_into(&mut node, None, item_shape, item, item_name);
                }
                parent.children.push(node);
            }
        }
        (_, v) => {
            let mut node = Element::new(name);
            add_namespace(member, &mut node);
            node.text = Some(scalar_text(v));
            parent.children.push(node);
        }
    }
}

/// The XML body for a structure payload member, UTF-8 encoded, no declaration
/// (as ElementTree.tostring(encoding="utf-8") gives).
pub fn write_payload(member: &Member, value: &Value) -> Vec<u8> {
    let mut root = Element::new("");
    serialize_into(
        &mut root,
        Some(member),
        member.shape,
        value,
        member.xml_name(),
    );
    let mut out = String::new();
    if let Some(node) = root.children.first() {
        node.write(&mut out);
    }
    out.into_bytes()
}

/// A parsed XML element. Names are local names (namespace prefix removed),
/// as botocore's `_node_tag` strips `{uri}`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Node {
    pub name: String,
    /// Attributes with their qualified names as written (`xsi:type`).
    pub attrs: Vec<(String, String)>,
    /// ElementTree's `.text`: text before the first child, or None.
    pub text: Option<String>,
    pub children: Vec<Node>,
    /// Whether the element is in a namespace (a prefix, or a default
    /// `xmlns="..."` in scope): ElementTree's tag is then `{uri}name`, which
    /// botocore compares with `'Error'` as it stands.
    pub namespaced: bool,
}

impl Node {
    pub fn child(&self, name: &str) -> Option<&Node> {
        self.children.iter().find(|c| c.name == name)
    }
}

fn local_name(qname: &str) -> String {
    match qname.rsplit_once(':') {
        Some((_, local)) => local.to_string(),
        None => qname.to_string(),
    }
}

/// Parses a document into its root element; `Err` where ElementTree would
/// raise a ParseError.
/// Characters XML 1.0 allows in a document (expat rejects the rest).
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Whether `name`'s prefix (if any) is declared in scope, as expat's
/// namespace processing (ElementTree's) requires.
fn prefix_declared(name: &str, scopes: &[(Vec<String>, Option<bool>)]) -> bool {
    match name.split_once(':') {
        None => true,
        Some(("xml", _)) | Some(("xmlns", _)) => true,
        Some((prefix, _)) => scopes.iter().any(|(s, _)| s.iter().any(|p| p == prefix)),
    }
}

pub fn parse(doc: &[u8]) -> Result<Node, String> {
    // ElementTree is fed UTF-8 explicitly: other encodings and stray bytes
    // are parse errors there.
    let text = std::str::from_utf8(doc).map_err(|e| e.to_string())?;
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let doc = text.as_bytes();
    if let Some(c) = text.chars().find(|c| !is_xml_char(*c)) {
        return Err(format!("not well-formed (invalid token {:?})", c));
    }
    if text.find("<?xml").is_some_and(|at| at > 0) {
        return Err("XML or text declaration not at start of entity".into());
    }
    let mut reader = Reader::from_reader(doc);
    reader.config_mut().check_end_names = true;
    let mut stack: Vec<Node> = Vec::new();
    let mut root: Option<Node> = None;
    let mut buf = Vec::new();
    // Per open element: the prefixes it declares, and its default namespace
    // declaration (`Some(true)` for `xmlns="uri"`, `Some(false)` for `xmlns=""`).
    let mut scopes: Vec<(Vec<String>, Option<bool>)> = Vec::new();

    fn start_node(
        e: &quick_xml::events::BytesStart<'_>,
        scopes: &mut Vec<(Vec<String>, Option<bool>)>,
    ) -> Result<Node, String> {
        let mut declared = Vec::new();
        let mut default_ns = None;
        let mut attrs = Vec::new();
        for attr in e.attributes() {
            let attr = attr.map_err(|e| e.to_string())?;
            let key = attr.key.as_ref().to_string();
            if let Some(prefix) = key.strip_prefix("xmlns:") {
                declared.push(prefix.to_string());
                continue;
            }
            if key == "xmlns" {
                default_ns = Some(!attr.value.is_empty());
                continue;
            }
            if attr.value.as_ref().contains('<') {
                return Err("not well-formed ('<' in an attribute value)".into());
            }
            attrs.push(attr);
        }
        scopes.push((declared, default_ns));
        let qname = e.name().as_ref().to_string();
        if !prefix_declared(&qname, scopes) {
            return Err(format!("unbound prefix in {qname}"));
        }
        let namespaced =
            qname.contains(':') || scopes.iter().rev().find_map(|(_, d)| *d).unwrap_or(false);
        let mut node = Node {
            name: local_name(&qname),
            namespaced,
            ..Node::default()
        };
        for attr in attrs {
            let key = attr.key.as_ref().to_string();
            if !prefix_declared(&key, scopes) {
                return Err(format!("unbound prefix in {key}"));
            }
            let value = attr
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map_err(|e| e.to_string())?
                .into_owned();
            node.attrs.push((key, value));
        }
        Ok(node)
    }

    fn push_text(stack: &mut [Node], text: &str) {
        if let Some(top) = stack.last_mut() {
            if top.children.is_empty() {
                top.text.get_or_insert_with(String::new).push_str(text);
            }
        }
    }

    loop {
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| e.to_string())?;
        match event {
            Event::Start(e) => {
                if root.is_some() {
                    return Err("junk after document element".into());
                }
                stack.push(start_node(&e, &mut scopes)?);
            }
            Event::Empty(e) => {
                if root.is_some() {
                    return Err("junk after document element".into());
                }
                let node = start_node(&e, &mut scopes)?;
                scopes.pop();
                match stack.last_mut() {
                    Some(parent) => parent.children.push(node),
                    None => root = Some(node),
                }
            }
            Event::End(_) => {
                scopes.pop();
                let node = stack.pop().ok_or("unexpected end tag")?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(node),
                    None => root = Some(node),
                }
            }
            Event::Text(t) => {
                // References arrive as separate GeneralRef events, so this
                // is literal text; xml10_content applies expat's EOL rules.
                let text = t.xml10_content();
                if stack.is_empty() {
                    if !text.trim().is_empty() {
                        return Err("text outside the document element".into());
                    }
                    buf.clear();
                    continue;
                }
                push_text(&mut stack, &text);
            }
            Event::GeneralRef(r) => {
                let name = r.into_inner();
                let resolved = match name.as_ref() {
                    "amp" => "&".to_string(),
                    "lt" => "<".to_string(),
                    "gt" => ">".to_string(),
                    "quot" => "\"".to_string(),
                    "apos" => "'".to_string(),
                    other => {
                        let code = if let Some(hex) = other.strip_prefix("#x") {
                            u32::from_str_radix(hex, 16).ok()
                        } else if let Some(dec) = other.strip_prefix('#') {
                            dec.parse().ok()
                        } else {
                            None
                        };
                        match code.and_then(char::from_u32).filter(|c| is_xml_char(*c)) {
                            Some(c) => c.to_string(),
                            None => return Err(format!("undefined entity &{other};")),
                        }
                    }
                };
                if stack.is_empty() {
                    return Err("reference outside the document element".into());
                }
                push_text(&mut stack, &resolved);
            }
            Event::CData(t) => {
                push_text(&mut stack, &t.xml10_content());
            }
            Event::Eof => break,
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) | Event::DocType(_) => {}
        }
        buf.clear();
    }
    if !stack.is_empty() {
        return Err("no element found".into());
    }
    root.ok_or_else(|| "no element found".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_text_before_first_child_and_entities() {
        let root = parse(
            b"<?xml version=\"1.0\"?><Error><Code>NoSuchBucket</Code>\
              <Message>a &amp; b &#233;</Message><Empty/></Error>",
        )
        .unwrap();
        assert_eq!(root.name, "Error");
        assert_eq!(
            root.child("Code").unwrap().text.as_deref(),
            Some("NoSuchBucket")
        );
        assert_eq!(
            root.child("Message").unwrap().text.as_deref(),
            Some("a & b \u{e9}")
        );
        assert_eq!(root.child("Empty").unwrap().text, None);
    }

    #[test]
    fn rejects_what_elementtree_rejects() {
        assert!(parse(b"").is_err());
        assert!(parse(b"<html><body>oops</html>").is_err());
        assert!(parse(b"Forbidden").is_err());
        assert!(parse(b"<a/><b/>").is_err());
        assert!(parse(b"<a>&#0;</a>").is_err());
        assert!(parse(b"<a>\x01</a>").is_err());
        assert!(
            parse(b"<a>caf\xe9</a>").is_err(),
            "Latin-1 bytes are not UTF-8"
        );
        assert!(parse(b" <?xml version=\"1.0\"?><a/>").is_err());
        assert!(parse(b"<p:a/>").is_err(), "undeclared prefix");
        assert!(
            parse(b"<a x=\"1\" x=\"2\"/>").is_err(),
            "duplicate attribute"
        );
        assert!(parse(b"<a x=\"<\"/>").is_err());
        assert!(parse(b"<a>a & b</a>").is_err());
        assert!(parse(b"<p:a xmlns:p=\"u\"><p:b/></p:a>").is_ok());
    }

    #[test]
    fn records_whether_an_element_is_in_a_namespace() {
        let root = parse(b"<Error xmlns=\"urn:s3\"><Code>c</Code><In xmlns=\"\"><X/></In></Error>")
            .unwrap();
        assert_eq!(root.name, "Error");
        assert!(root.namespaced);
        assert!(root.child("Code").unwrap().namespaced);
        let inner = root.child("In").unwrap();
        assert!(!inner.namespaced, "xmlns=\"\" undeclares the default");
        assert!(!inner.child("X").unwrap().namespaced);
        assert!(!parse(b"<Error><Code/></Error>").unwrap().namespaced);
        assert!(parse(b"<p:Error xmlns:p=\"u\"/>").unwrap().namespaced);
    }

    #[test]
    fn strips_namespace_prefixes_from_tags() {
        let root = parse(
            b"<x:Root xmlns:x=\"urn:x\" xmlns:xsi=\"urn:xsi\"><x:Item xsi:type=\"T\">v</x:Item></x:Root>",
        )
        .unwrap();
        assert_eq!(root.name, "Root");
        let item = root.child("Item").unwrap();
        assert_eq!(item.attrs, vec![("xsi:type".to_string(), "T".to_string())]);
    }
}
