//! Core values → Python objects.

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

use crate::response::Document;

pub fn document_to_py<'py>(py: Python<'py>, doc: &Document) -> PyResult<Bound<'py, PyAny>> {
    Ok(match doc {
        Document::Null => py.None().into_bound(py),
        Document::Str(s) => s.into_pyobject(py)?.into_any(),
        Document::Bool(b) => b.into_pyobject(py)?.to_owned().into_any(),
        Document::Int(n) => n.into_pyobject(py)?.into_any(),
        Document::List(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(document_to_py(py, item)?)?;
            }
            list.into_any()
        }
        Document::Map(fields) => {
            let dict = PyDict::new(py);
            for (k, v) in fields {
                dict.set_item(k, document_to_py(py, v)?)?;
            }
            dict.into_any()
        }
    })
}
