//! The validated, owned form of user input: what serializers read.

use super::shape::Shape;

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Str(String),
    Bool(bool),
    Int(i64),
    Blob(Vec<u8>),
    List(Vec<Value>),
    /// (index into the shape's member list, value), in the caller's order:
    /// botocore serializes XML children in the order the user gave them.
    Struct(Vec<(usize, Value)>),
}

impl Value {
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// A structure member by name (shape-checked lookup).
    pub fn member<'a>(&'a self, shape: &Shape, name: &str) -> Option<&'a Value> {
        match self {
            Value::Struct(fields) => {
                let index = shape.member_index(name)?;
                fields.iter().find(|(i, _)| *i == index).map(|(_, v)| v)
            }
            _ => None,
        }
    }
}
