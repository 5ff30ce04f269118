//! A session's credentials as Python sees them: the cache a `Session` and
//! its clients share, and a handle on one source that `get_credentials()`
//! wraps (refreshing temporary credentials when read, as botocore's
//! `RefreshableCredentials` properties do).

use std::panic::AssertUnwindSafe;
use std::sync::Arc;

use pyo3::prelude::*;
use pyo3::types::PyDict;

use super::errors::{panic_to_pyerr, to_pyerr};
use super::extract_session_args;
use crate::credentials::refresh::CredentialSource;
use crate::panic_guard::catch_unwind;
use crate::settings::{self, SessionCredentials};

/// One per `fastboto.Session`; passed to every client it creates.
#[pyclass(module = "fastboto._core", frozen)]
pub struct CredentialCache {
    pub(super) inner: Arc<SessionCredentials>,
}

#[pymethods]
impl CredentialCache {
    #[new]
    fn new() -> Self {
        CredentialCache {
            inner: Arc::default(),
        }
    }

    /// `Session.get_credentials()`: the session's source (found now if not
    /// yet), or None when the chain finds nothing.
    fn get(
        &self,
        py: Python<'_>,
        options: Bound<'_, PyDict>,
    ) -> PyResult<Option<CredentialHandle>> {
        let args = extract_session_args(&options)?;
        let cache = &self.inner;
        let outcome = py.detach(|| {
            catch_unwind(AssertUnwindSafe(|| {
                settings::session_credentials(&args, cache)
            }))
        });
        match outcome {
            Ok(Ok(source)) => Ok(source.map(|source| CredentialHandle { source })),
            Ok(Err(e)) => Err(to_pyerr(py, e)),
            Err(payload) => Err(panic_to_pyerr(payload)),
        }
    }
}

/// Never shows a secret: its repr is the default one.
#[pyclass(module = "fastboto._core", frozen)]
pub struct CredentialHandle {
    source: CredentialSource,
}

#[pymethods]
impl CredentialHandle {
    #[getter]
    fn method(&self) -> &str {
        self.source.method()
    }

    /// Whether reading the credentials may fetch new ones.
    #[getter]
    fn refreshable(&self) -> bool {
        matches!(self.source, CredentialSource::Refreshable(_))
    }

    /// `get_frozen_credentials()`: (access_key, secret_key, token,
    /// account_id), refreshed first when due (without the GIL: a refresh
    /// may run a process or go to the network).
    fn frozen(&self, py: Python<'_>) -> PyResult<(String, String, Option<String>, Option<String>)> {
        let source = &self.source;
        let outcome = py.detach(|| catch_unwind(AssertUnwindSafe(|| source.frozen_blocking())));
        match outcome {
            Ok(Ok(c)) => Ok((c.access_key, c.secret_key, c.token, c.account_id)),
            Ok(Err(e)) => Err(to_pyerr(py, e)),
            Err(payload) => Err(panic_to_pyerr(payload)),
        }
    }
}
