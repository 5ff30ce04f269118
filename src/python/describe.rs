//! The operation table as plain data, for the typed stub generator
//! (tools/gen_stubs.py), `inspect.signature` and `help()` of the methods.

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

use crate::model::shape::Payload;
use crate::model::{Location, Operation, Shape, ShapeKind};

fn shape<'py>(py: Python<'py>, shape: &Shape) -> PyResult<Bound<'py, PyDict>> {
    let out = PyDict::new(py);
    out.set_item("name", shape.name)?;
    match &shape.kind {
        ShapeKind::String => out.set_item("type", "string")?,
        ShapeKind::Boolean => out.set_item("type", "boolean")?,
        ShapeKind::Integer => out.set_item("type", "integer")?,
        ShapeKind::Long => out.set_item("type", "long")?,
        ShapeKind::Blob => out.set_item("type", "blob")?,
        ShapeKind::List { member, .. } => {
            out.set_item("type", "list")?;
            out.set_item("member", self::shape(py, member)?)?;
        }
        ShapeKind::Structure { members, required } => {
            out.set_item("type", "structure")?;
            let list = PyList::empty(py);
            for m in members.iter() {
                let entry = PyDict::new(py);
                entry.set_item("name", m.name)?;
                entry.set_item("required", required.contains(&m.name))?;
                entry.set_item(
                    "location",
                    match m.location {
                        Location::Body => "body",
                        Location::Uri => "uri",
                        Location::Header => "header",
                        Location::QueryString => "querystring",
                    },
                )?;
                entry.set_item("shape", self::shape(py, m.shape)?)?;
                list.append(entry)?;
            }
            out.set_item("members", list)?;
        }
    }
    Ok(out)
}

fn operation<'py>(py: Python<'py>, op: &Operation) -> PyResult<Bound<'py, PyDict>> {
    let out = PyDict::new(py);
    out.set_item("method", op.python_name)?;
    out.set_item("api", op.name)?;
    out.set_item(
        "http",
        format!("{} /{{Bucket}}{}", op.method, op.request_uri),
    )?;
    out.set_item("input", shape(py, op.input)?)?;
    match op.output {
        Some(output) => out.set_item("output", shape(py, output)?)?,
        None => out.set_item("output", py.None())?,
    }
    if let Payload::Member(name) = op.output_payload {
        out.set_item("output_payload", name)?;
    }
    out.set_item("errors", op.modeled_errors.to_vec())?;
    Ok(out)
}

/// Every native operation, described (`ops::ALL`'s order).
#[pyfunction]
pub fn describe_operations(py: Python<'_>) -> PyResult<Bound<'_, PyList>> {
    let list = PyList::empty(py);
    for op in crate::ops::ALL {
        list.append(operation(py, op)?)?;
    }
    Ok(list)
}
