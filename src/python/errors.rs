//! Core errors → the exceptions of `fastboto.exceptions` (which subclass
//! botocore's when botocore is installed). The Python module builds the
//! instances so that messages and attributes come from one place.

use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyDict;

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
    let kwargs = PyDict::new(py);
    for (k, v) in error.kwargs() {
        kwargs.set_item(k, v)?;
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

/// A panic inside the core must reach Python as an exception, never abort.
pub fn panic_to_pyerr(payload: Box<dyn std::any::Any + Send>) -> PyErr {
    let msg = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into());
    PyRuntimeError::new_err(format!("fastboto internal error: {msg}"))
}
