//! What the validator needs to know about a user-supplied value. The binding
//! layer implements this directly on Python objects, so arguments are read
//! in place; `serde_json::Value` implements it for Rust-side tests.

use std::borrow::Cow;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    /// `str` (or a subclass).
    Str,
    /// `bool`. Also an `int` for botocore (isinstance(True, int)).
    Bool,
    Int,
    Float,
    /// `bytes` or `bytearray`.
    Bytes,
    /// A file-like object (has `read`).
    FileLike,
    /// `list` or `tuple`.
    List,
    Dict,
    None,
    Other,
}

pub trait Input: Sized {
    fn kind(&self) -> InputKind;
    /// The text of a `Str` input, lone surrogates escaped (`model::text`).
    fn as_text(&self) -> Option<Cow<'_, str>>;
    /// Whether a `Str` input holds lone surrogates (no UTF-8 form).
    fn has_lone_surrogates(&self) -> bool {
        false
    }
    fn as_bool(&self) -> Option<bool>;
    /// An `Int` (or `Bool`) input that fits in 64 bits.
    fn as_i64(&self) -> Option<i64>;
    fn as_bytes(&self) -> Option<Vec<u8>>;
    /// Items of a `List` input; `Err` (with the reason) when iterating it
    /// fails, e.g. a list subclass whose `__iter__` raises.
    fn list_items(&self) -> Result<Vec<Self>, String>;
    /// Entries of a `Dict` input: `str(key)`, whether the key is a `str`, value.
    fn dict_items(&self) -> Vec<(String, bool, Self)>;
    /// `str(value)` in Python, for error messages (lone surrogates escaped).
    fn display(&self) -> String;
    /// The text botocore sends for a `Str` input in a header or as XML
    /// element text: `str(value)`, which differs from the value for a `str`
    /// subclass with its own `__str__` (a `(str, Enum)` member).
    fn as_sent_text(&self) -> Option<Cow<'_, str>> {
        self.as_text()
    }
    /// `str(type(value))` in Python, e.g. `<class 'int'>`.
    fn type_repr(&self) -> String;
}

fn python_float_str(f: f64) -> String {
    if f.is_finite() && f == f.trunc() && f.abs() < 1e16 {
        format!("{f:.1}")
    } else {
        format!("{f}")
    }
}

impl Input for serde_json::Value {
    fn kind(&self) -> InputKind {
        use serde_json::Value as J;
        match self {
            J::Null => InputKind::None,
            J::Bool(_) => InputKind::Bool,
            J::Number(n) if n.is_i64() || n.is_u64() => InputKind::Int,
            J::Number(_) => InputKind::Float,
            J::String(_) => InputKind::Str,
            J::Array(_) => InputKind::List,
            J::Object(_) => InputKind::Dict,
        }
    }

    fn as_text(&self) -> Option<Cow<'_, str>> {
        self.as_str().map(Cow::Borrowed)
    }

    fn as_bool(&self) -> Option<bool> {
        serde_json::Value::as_bool(self)
    }

    fn as_i64(&self) -> Option<i64> {
        match self {
            serde_json::Value::Bool(b) => Some(*b as i64),
            _ => serde_json::Value::as_i64(self),
        }
    }

    fn as_bytes(&self) -> Option<Vec<u8>> {
        None
    }

    fn list_items(&self) -> Result<Vec<Self>, String> {
        Ok(self.as_array().cloned().unwrap_or_default())
    }

    fn dict_items(&self) -> Vec<(String, bool, Self)> {
        self.as_object()
            .map(|m| {
                m.iter()
                    .map(|(k, v)| (k.clone(), true, v.clone()))
                    .collect()
            })
            .unwrap_or_default()
    }

    fn display(&self) -> String {
        use serde_json::Value as J;
        match self {
            J::Null => "None".into(),
            J::Bool(true) => "True".into(),
            J::Bool(false) => "False".into(),
            J::Number(n) => match n.as_f64() {
                Some(f) if !(n.is_i64() || n.is_u64()) => python_float_str(f),
                _ => n.to_string(),
            },
            J::String(s) => s.clone(),
            other => other.to_string(),
        }
    }

    fn type_repr(&self) -> String {
        let name = match self.kind() {
            InputKind::None => "NoneType",
            InputKind::Bool => "bool",
            InputKind::Int => "int",
            InputKind::Float => "float",
            InputKind::Str => "str",
            InputKind::List => "list",
            InputKind::Dict => "dict",
            _ => "object",
        };
        format!("<class '{name}'>")
    }
}
