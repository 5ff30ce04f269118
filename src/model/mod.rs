//! Operation models: static shape descriptions (as botocore's service model
//! JSON, only the parts we use), the validated value tree, the `Input` trait
//! through which the binding layer hands over user arguments, and the
//! validator that turns one into the other with botocore's messages.

pub mod input;
pub mod shape;
pub mod text;
pub mod validate;
pub mod value;

pub use input::{Input, InputKind};
pub use shape::{Location, Member, Operation, Payload, Shape, ShapeKind, XmlNamespace};
pub use value::Value;
