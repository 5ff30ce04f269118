//! A Python callable as the core's in-process [`Responder`] (moto's
//! `mock_aws`, see `python/fastboto/_moto.py`).

use std::cell::RefCell;
use std::rc::Rc;

use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyList};

use crate::error::{Error, Result};
use crate::intercept::{with_responder, Responder};
use crate::protocol::{HttpRequest, HttpResponse};

struct PythonResponder {
    callable: Py<PyAny>,
    /// The first exception the callable raised: the call ends with it.
    raised: RefCell<Option<PyErr>>,
}

impl Responder for PythonResponder {
    fn respond(&self, request: &HttpRequest) -> Result<Option<HttpResponse>> {
        Python::attach(|py| {
            let answer = self.ask(py, request).and_then(|answer| {
                if answer.is_none() {
                    return Ok(None);
                }
                let (status, headers, body): (u16, Vec<(String, String)>, Vec<u8>) =
                    answer.extract()?;
                Ok(Some(HttpResponse {
                    status,
                    headers: lower_cased_and_joined(headers),
                    body,
                }))
            });
            answer.map_err(|e| {
                self.raised.borrow_mut().get_or_insert(e);
                // Not retried: nothing classifies an internal error as transient.
                Error::Internal("the in-process responder raised an exception".into())
            })
        })
    }
}

impl PythonResponder {
    fn ask<'py>(&self, py: Python<'py>, request: &HttpRequest) -> PyResult<Bound<'py, PyAny>> {
        let headers = PyList::empty(py);
        for (name, value) in &request.headers {
            headers.append((name, value))?;
        }
        self.callable.bind(py).call1((
            request.method,
            request.url.as_str(),
            headers,
            PyBytes::new(py, &request.body),
        ))
    }
}

/// As the transport reports headers: names lower-cased, a repeated header's
/// values joined with ", ".
fn lower_cased_and_joined(headers: Vec<(String, String)>) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::with_capacity(headers.len());
    for (name, value) in headers {
        let name = name.to_ascii_lowercase();
        match out.iter_mut().find(|(k, _)| *k == name) {
            Some((_, existing)) => {
                existing.push_str(", ");
                existing.push_str(&value);
            }
            None => out.push((name, value)),
        }
    }
    out
}

/// Runs `f` (without the GIL) with `callable` answering this thread's
/// requests; also returns the exception the callable raised, if any.
pub(super) fn with_python_responder<R>(
    callable: Py<PyAny>,
    f: impl FnOnce() -> R,
) -> (R, Option<PyErr>) {
    let responder = Rc::new(PythonResponder {
        callable,
        raised: RefCell::new(None),
    });
    let outcome = with_responder(responder.clone(), f);
    let raised = responder.raised.borrow_mut().take();
    (outcome, raised)
}
