//! The asyncio bridge. Calls run on the shared runtime; finished ones are
//! queued here and the event loop is woken through a socket it watches
//! (`loop.add_reader`), once per batch rather than once per call. Tokio
//! threads never touch Python: results become Python objects in `drain()`,
//! on the event loop's thread. (pyo3-async-runtimes' bridge takes the GIL
//! on runtime threads, which can abort the process when that happens during
//! interpreter shutdown, and costs a cross-thread wake-up per call.)

use std::io::{Read, Write};
use std::os::fd::AsRawFd;
use std::os::unix::net::UnixStream;
use std::sync::{Arc, Mutex};

use pyo3::prelude::*;
use pyo3::types::PyList;

use super::convert::document_to_py;
use super::errors::to_pyerr;
use crate::error::Error;
use crate::response::Document;

pub struct Completions {
    done: Mutex<Vec<(u64, Result<Document, Error>)>>,
    wake: UnixStream,
}

impl Completions {
    /// Called on a runtime thread when a call finishes.
    pub fn push(&self, ticket: u64, outcome: Result<Document, Error>) {
        let was_empty = {
            let mut done = self.done.lock().unwrap_or_else(|e| e.into_inner());
            let was_empty = done.is_empty();
            done.push((ticket, outcome));
            was_empty
        };
        if was_empty {
            // A full socket buffer means a wake-up is already pending.
            let _ = (&self.wake).write(b"!");
        }
    }
}

#[pyclass(module = "fastboto._core", frozen)]
pub struct AsyncBridge {
    pub completions: Arc<Completions>,
    readable: UnixStream,
}

#[pymethods]
impl AsyncBridge {
    #[new]
    fn new() -> PyResult<Self> {
        let (readable, wake) = UnixStream::pair()?;
        readable.set_nonblocking(true)?;
        wake.set_nonblocking(true)?;
        Ok(AsyncBridge {
            completions: Arc::new(Completions {
                done: Mutex::new(Vec::new()),
                wake,
            }),
            readable,
        })
    }

    /// The descriptor the event loop watches.
    fn fileno(&self) -> i32 {
        self.readable.as_raw_fd()
    }

    /// Finished calls as `(ticket, ok, result-or-exception)`, on the loop thread.
    fn drain<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let mut sink = [0u8; 256];
        while let Ok(n) = (&self.readable).read(&mut sink) {
            if n == 0 {
                break;
            }
        }
        let done = std::mem::take(
            &mut *self
                .completions
                .done
                .lock()
                .unwrap_or_else(|e| e.into_inner()),
        );
        let out = PyList::empty(py);
        for (ticket, outcome) in done {
            match outcome {
                Ok(doc) => out.append((ticket, true, document_to_py(py, &doc)?))?,
                Err(e) => out.append((ticket, false, to_pyerr(py, e).into_value(py)))?,
            }
        }
        Ok(out)
    }
}
