//! Static shape descriptions. Operation modules declare their shapes as
//! `static` items so that a call never builds or looks up a model at run time.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// Serialized into the body (or is the payload).
    Body,
    Uri,
    Header,
    QueryString,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct XmlNamespace {
    pub prefix: Option<&'static str>,
    pub uri: &'static str,
}

#[derive(Debug)]
pub enum ShapeKind {
    String,
    Boolean,
    Integer,
    Long,
    Blob,
    List {
        member: &'static Shape,
        /// The element name of each item (`locationName` of the list's member).
        member_name: Option<&'static str>,
        flattened: bool,
    },
    Structure {
        members: &'static [Member],
        required: &'static [&'static str],
    },
}

#[derive(Debug)]
pub struct Shape {
    pub name: &'static str,
    pub kind: ShapeKind,
    /// `min` length/value constraint, validated as botocore does.
    pub min: Option<i64>,
}

#[derive(Debug)]
pub struct Member {
    pub name: &'static str,
    pub shape: &'static Shape,
    pub location: Location,
    /// Header name, query key, URI label or XML element/attribute name.
    pub location_name: Option<&'static str>,
    pub xml_attribute: bool,
    pub xml_namespace: Option<XmlNamespace>,
}

impl Member {
    pub const fn body(name: &'static str, shape: &'static Shape) -> Member {
        Member {
            name,
            shape,
            location: Location::Body,
            location_name: None,
            xml_attribute: false,
            xml_namespace: None,
        }
    }

    pub const fn header(name: &'static str, header: &'static str, shape: &'static Shape) -> Member {
        Member {
            name,
            shape,
            location: Location::Header,
            location_name: Some(header),
            xml_attribute: false,
            xml_namespace: None,
        }
    }

    pub const fn uri(name: &'static str, label: &'static str, shape: &'static Shape) -> Member {
        Member {
            name,
            shape,
            location: Location::Uri,
            location_name: Some(label),
            xml_attribute: false,
            xml_namespace: None,
        }
    }

    pub const fn named(mut self, location_name: &'static str) -> Member {
        self.location_name = Some(location_name);
        self
    }

    pub const fn attribute(mut self) -> Member {
        self.xml_attribute = true;
        self
    }

    pub const fn namespaced(mut self, ns: XmlNamespace) -> Member {
        self.xml_namespace = Some(ns);
        self
    }

    /// The element name this member uses in XML.
    pub fn xml_name(&self) -> &'static str {
        self.location_name.unwrap_or(self.name)
    }
}

impl Shape {
    pub const fn string(name: &'static str) -> Shape {
        Shape {
            name,
            kind: ShapeKind::String,
            min: None,
        }
    }

    pub const fn boolean(name: &'static str) -> Shape {
        Shape {
            name,
            kind: ShapeKind::Boolean,
            min: None,
        }
    }

    pub const fn structure(
        name: &'static str,
        members: &'static [Member],
        required: &'static [&'static str],
    ) -> Shape {
        Shape {
            name,
            kind: ShapeKind::Structure { members, required },
            min: None,
        }
    }

    pub fn members(&self) -> &'static [Member] {
        match self.kind {
            ShapeKind::Structure { members, .. } => members,
            _ => &[],
        }
    }

    pub fn member_index(&self, name: &str) -> Option<usize> {
        self.members().iter().position(|m| m.name == name)
    }

    /// botocore's list of Python types accepted for this shape, as printed
    /// in "valid types: ...".
    pub fn valid_types(&self) -> &'static str {
        match self.kind {
            ShapeKind::String => "<class 'str'>",
            ShapeKind::Boolean => "<class 'bool'>",
            ShapeKind::Integer | ShapeKind::Long => "<class 'int'>",
            ShapeKind::Blob => "<class 'bytes'>, <class 'bytearray'>, file-like object",
            ShapeKind::List { .. } => "<class 'list'>, <class 'tuple'>",
            ShapeKind::Structure { .. } => "<class 'dict'>",
        }
    }
}

/// How the body of a request or response is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Payload {
    /// No body members.
    None,
    /// One member is the whole body (a string as UTF-8, or a structure as XML).
    Member(&'static str),
}

/// An operation as the S3 model describes it.
#[derive(Debug)]
pub struct Operation {
    pub name: &'static str,
    /// The boto3 method name.
    pub python_name: &'static str,
    pub method: &'static str,
    /// The request URI after botocore strips `/{Bucket}` (the endpoint
    /// rules put the bucket into the URL): e.g. `?policy`.
    pub request_uri: &'static str,
    pub input: &'static Shape,
    pub input_payload: Payload,
    pub output: Option<&'static Shape>,
    pub output_payload: Payload,
    /// `httpChecksum.requestChecksumRequired`.
    pub request_checksum_required: bool,
    /// `httpChecksum.requestAlgorithmMember`.
    pub request_algorithm_member: Option<&'static str>,
    /// Static context parameters for the endpoint rules.
    pub use_s3_express_control_endpoint: bool,
    /// The codes of the operation's modeled errors (its `errors` shapes):
    /// standard retries take a 429 as throttling only for other codes.
    pub modeled_errors: &'static [&'static str],
}
