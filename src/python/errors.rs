//! Core errors → the exceptions of `fastboto.exceptions` (which subclass
//! botocore's when botocore is installed). The Python module builds the
//! instances so that messages and attributes come from one place.

use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBytes, PyDict, PyString};

use super::convert::document_to_py;
use crate::error::Error;
use crate::response::Document;

static FACTORY: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

fn factory(py: Python<'_>) -> PyResult<&Bound<'_, PyAny>> {
    FACTORY
        .get_or_try_init(py, || {
            Ok::<_, PyErr>(
                py.import("fastboto.exceptions")?
                    .getattr("_from_core")?
                    .unbind(),
            )
        })
        .map(|f| f.bind(py))
}

pub fn to_pyerr(py: Python<'_>, error: Error) -> PyErr {
    match build(py, &error) {
        Ok(exc) => PyErr::from_value(exc),
        Err(e) => e,
    }
}

fn build<'py>(py: Python<'py>, error: &Error) -> PyResult<Bound<'py, PyAny>> {
    if let Error::PayloadDecode { body } = error {
        // botocore's parser runs `body.decode("utf-8")`: the same call gives
        // the same UnicodeDecodeError (positions, reason).
        return match PyBytes::new(py, body).call_method1("decode", ("utf-8",)) {
            Err(decode_error) => Ok(decode_error.into_value(py).into_bound(py).into_any()),
            Ok(_) => Err(PyRuntimeError::new_err(
                "fastboto internal error: payload reported as not UTF-8 decodes",
            )),
        };
    }
    let kwargs = PyDict::new(py);
    for (k, v) in error.kwargs() {
        kwargs.set_item(k, python_text(py, &v)?)?;
    }
    let (response, operation) = match error {
        Error::Service(service) => {
            let mut parsed = service.parsed.clone();
            parsed.push((
                "ResponseMetadata".to_string(),
                service.metadata.to_document(),
            ));
            (
                document_to_py(py, &Document::Map(parsed))?,
                service.operation_name,
            )
        }
        _ => (py.None().into_bound(py), ""),
    };
    factory(py)?.call1((error.class_name(), kwargs, response, operation))
}

/// Message text as Python text: a value quoted from user input keeps its
/// lone surrogates, as botocore's message would (`model::text`).
fn python_text<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyString>> {
    match crate::model::text::to_generalized_utf8(text) {
        None => Ok(PyString::new(py, text)),
        Some(bytes) => PyString::from_encoded_object(
            PyBytes::new(py, &bytes).as_any(),
            Some(c"utf-8"),
            Some(c"surrogatepass"),
        ),
    }
}

/// A panic inside the core must reach Python as an exception, never abort.
pub fn panic_to_pyerr(payload: Box<dyn std::any::Any + Send>) -> PyErr {
    let msg = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into());
    PyRuntimeError::new_err(format!("fastboto internal error: {msg}"))
}
