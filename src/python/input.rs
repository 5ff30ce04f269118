//! The core's `Input` trait on Python objects: arguments are validated in
//! place, and `str()`/`type()` are only called to word an error.

use std::borrow::Cow;

use pyo3::prelude::*;
use pyo3::types::{
    PyBool, PyByteArray, PyBytes, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple,
};

use crate::model::text::from_generalized_utf8;
use crate::model::{Input, InputKind};

/// A str's text; lone surrogates (which have no UTF-8 form) escaped as
/// `model::text` describes.
fn str_text<'a>(s: &'a Bound<'_, PyString>) -> Option<Cow<'a, str>> {
    match s.to_cow() {
        Ok(text) => Some(text),
        Err(_) => {
            let bytes = s.call_method1("encode", ("utf-8", "surrogatepass")).ok()?;
            let bytes = bytes.cast::<PyBytes>().ok()?;
            Some(Cow::Owned(from_generalized_utf8(bytes.as_bytes())))
        }
    }
}

#[derive(Clone)]
pub struct PyInput<'py>(pub Bound<'py, PyAny>);

impl PyInput<'_> {
    /// Python's `not value` (a failing `__bool__` counts as truthy).
    pub fn is_falsy(&self) -> bool {
        matches!(self.0.is_truthy(), Ok(false))
    }
}

impl Input for PyInput<'_> {
    fn kind(&self) -> InputKind {
        let obj = &self.0;
        if obj.is_instance_of::<PyString>() {
            InputKind::Str
        } else if obj.is_instance_of::<PyBool>() {
            InputKind::Bool
        } else if obj.is_instance_of::<PyInt>() {
            InputKind::Int
        } else if obj.is_instance_of::<PyFloat>() {
            InputKind::Float
        } else if obj.is_instance_of::<PyBytes>() || obj.is_instance_of::<PyByteArray>() {
            InputKind::Bytes
        } else if obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>() {
            InputKind::List
        } else if obj.is_instance_of::<PyDict>() {
            InputKind::Dict
        } else if obj.is_none() {
            InputKind::None
        } else if obj.hasattr("read").unwrap_or(false) {
            InputKind::FileLike
        } else {
            InputKind::Other
        }
    }

    fn as_text(&self) -> Option<Cow<'_, str>> {
        str_text(self.0.cast::<PyString>().ok()?)
    }

    fn has_lone_surrogates(&self) -> bool {
        self.0.cast::<PyString>().is_ok_and(|s| s.to_cow().is_err())
    }

    fn as_bool(&self) -> Option<bool> {
        self.0.cast::<PyBool>().ok().map(|b| b.is_true())
    }

    fn as_i64(&self) -> Option<i64> {
        self.0.extract::<i64>().ok()
    }

    fn as_bytes(&self) -> Option<Vec<u8>> {
        if let Ok(b) = self.0.cast::<PyBytes>() {
            return Some(b.as_bytes().to_vec());
        }
        self.0.cast::<PyByteArray>().ok().map(|b| b.to_vec())
    }

    fn list_items(&self) -> Result<Vec<Self>, String> {
        // Iterated as botocore does (a subclass's __iter__ is honoured); an
        // item that cannot be produced must never be silently skipped.
        let py = self.0.py();
        let describe = |e: PyErr| {
            let name = e
                .get_type(py)
                .name()
                .map(|n| n.to_string())
                .unwrap_or_default();
            format!("{name}: {}", e.value(py))
        };
        let mut items = Vec::new();
        for item in self.0.try_iter().map_err(describe)? {
            items.push(PyInput(item.map_err(describe)?));
        }
        Ok(items)
    }

    fn dict_items(&self) -> Vec<(String, bool, Self)> {
        let Ok(dict) = self.0.cast::<PyDict>() else {
            return Vec::new();
        };
        dict.iter()
            .map(|(k, v)| {
                let is_str = k.is_instance_of::<PyString>();
                let key = PyInput(k).display();
                (key, is_str, PyInput(v))
            })
            .collect()
    }

    fn as_sent_text(&self) -> Option<Cow<'_, str>> {
        if self.0.is_exact_instance_of::<PyString>() {
            return self.as_text();
        }
        let shown = self.0.str().ok()?;
        str_text(&shown).map(|t| Cow::Owned(t.into_owned()))
    }

    fn display(&self) -> String {
        match self.0.str() {
            Ok(s) => str_text(&s).map(Cow::into_owned).unwrap_or_default(),
            Err(_) => "<unprintable object>".to_string(),
        }
    }

    fn type_repr(&self) -> String {
        match self.0.get_type().str() {
            Ok(s) => s.to_string_lossy().into_owned(),
            Err(_) => "<class 'object'>".to_string(),
        }
    }
}
