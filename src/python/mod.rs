//! The binding layer: the only place that knows about Python. It converts
//! keyword arguments in (through `PyInput`), results and errors out, and
//! releases the GIL around network I/O.

mod aio;
mod bridge;
mod convert;
mod credentials;
mod describe;
mod errors;
mod input;
mod responder;

// Buffers are allocated on the calling thread and freed on the runtime's
// workers (and the reverse); glibc's arenas made that 10-20% of a call.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyTuple};

use crate::client::{Client, PreparedCall};
use crate::endpoint;
use crate::error::Error;
use crate::ops;
use crate::panic_guard::catch_unwind;
use crate::settings::{self, ClientArgs, SessionArgs};
use crate::transport::{block_on_local, Lane};

use convert::document_to_py;
use errors::{panic_to_pyerr, to_pyerr};
use input::PyInput;

/// Runs core code that reads Python objects, turning a panic into an
/// ordinary exception.
fn guarded<T>(py: Python<'_>, f: impl FnOnce() -> Result<T, Error>) -> PyResult<T> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(to_pyerr(py, e)),
        Err(payload) => Err(panic_to_pyerr(payload)),
    }
}

fn lookup(op_name: &str) -> PyResult<&'static crate::model::Operation> {
    ops::find(op_name).ok_or_else(|| PyValueError::new_err(format!("Unknown operation: {op_name}")))
}

fn empty_kwargs<'py>(py: Python<'py>, kwargs: Option<Bound<'py, PyDict>>) -> PyInput<'py> {
    PyInput(
        kwargs
            .map(|k| k.into_any())
            .unwrap_or_else(|| PyDict::new(py).into_any()),
    )
}

/// How often a call blocked on the network looks for Ctrl-C.
const SIGNAL_CHECK_INTERVAL: Duration = Duration::from_millis(50);

#[pyclass(module = "fastboto._core", frozen)]
struct CoreClient {
    inner: Arc<Client>,
}

#[pymethods]
impl CoreClient {
    #[new]
    fn new(py: Python<'_>, options: Bound<'_, PyDict>) -> PyResult<Self> {
        let args: ClientArgs = extract_client_args(&options)?;
        // The credential chain may wait on the network (container, IMDS):
        // without the GIL. resolve_client enters fork::critical itself.
        let outcome =
            py.detach(|| catch_unwind(AssertUnwindSafe(|| settings::resolve_client(args))));
        let options = match outcome {
            Ok(Ok(options)) => options,
            Ok(Err(e)) => return Err(to_pyerr(py, e)),
            Err(payload) => return Err(panic_to_pyerr(payload)),
        };
        Ok(CoreClient {
            inner: Arc::new(Client::new(options)),
        })
    }

    #[getter]
    fn region_name(&self) -> String {
        self.inner.options.region.clone()
    }

    #[getter]
    fn partition(&self) -> Option<String> {
        self.inner.options.partition.clone()
    }

    #[getter]
    fn endpoint_url(&self) -> String {
        settings::display_endpoint_url(&self.inner.options)
    }

    /// Resolved settings botocore reports on `client.meta.config`.
    fn resolved_config<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let o = &self.inner.options;
        let out = PyDict::new(py);
        out.set_item("region_name", &o.region)?;
        out.set_item("retry_mode", o.retry_mode.name())?;
        out.set_item(
            "request_checksum_calculation",
            &o.request_checksum_calculation,
        )?;
        out.set_item(
            "response_checksum_validation",
            &o.response_checksum_validation,
        )?;
        out.set_item("user_agent", &o.user_agent)?;
        out.set_item("smart_defaults", o.smart_defaults)?;
        out.set_item("connect_timeout", o.transport.connect_timeout.as_secs_f64())?;
        let (dualstack, fips) =
            crate::endpoint::legacy_variant_tags(&o.endpoint, &o.endpoint_extras);
        out.set_item("variant_dualstack", dualstack)?;
        out.set_item("variant_fips", fips)?;
        out.set_item(
            "s3_disable_express_session_auth",
            o.endpoint_extras
                .s3_disable_express_session_auth
                .unwrap_or(false),
        )?;
        let settings = PyDict::new(py);
        for (name, value) in &o.reported_settings {
            settings.set_item(name, value)?;
        }
        out.set_item("settings", settings)?;
        match &o.s3_config_store {
            Some(pairs) => {
                let s3 = PyDict::new(py);
                for (key, value) in pairs {
                    s3.set_item(key, value)?;
                }
                out.set_item("s3_config_store", s3)?;
            }
            None => out.set_item("s3_config_store", py.None())?,
        }
        Ok(out)
    }

    /// Validates, signs and sends one call; returns botocore's result dict.
    #[pyo3(signature = (op_name, /, **kwargs))]
    fn call(
        &self,
        py: Python<'_>,
        op_name: &str,
        kwargs: Option<Bound<'_, PyDict>>,
    ) -> PyResult<Py<PyAny>> {
        let op = lookup(op_name)?;
        let input = empty_kwargs(py, kwargs);
        let prepared = guarded(py, || self.inner.prepare(op, &input))?;
        let client = self.inner.clone();
        let outcome = py.detach(move || {
            catch_unwind(AssertUnwindSafe(|| run_interruptibly(&client, &prepared)))
        });
        call_result(py, outcome)
    }

    /// `call` with `responder(method, url, [(name, value)], body)` asked
    /// first for every request the call sends: it returns `(status,
    /// [(name, value)], body)`, or `None` to let the request go to the
    /// network (moto's `mock_aws`, through `fastboto._moto`). An exception
    /// it raises ends the call as it is.
    #[pyo3(signature = (responder, op_name, /, **kwargs))]
    fn call_with_responder(
        &self,
        py: Python<'_>,
        responder: Py<PyAny>,
        op_name: &str,
        kwargs: Option<Bound<'_, PyDict>>,
    ) -> PyResult<Py<PyAny>> {
        let op = lookup(op_name)?;
        let input = empty_kwargs(py, kwargs);
        let prepared = guarded(py, || self.inner.prepare(op, &input))?;
        let client = self.inner.clone();
        let (outcome, raised) = py.detach(move || {
            responder::with_python_responder(responder, || {
                catch_unwind(AssertUnwindSafe(|| run_interruptibly(&client, &prepared)))
            })
        });
        if let Some(e) = raised {
            return Err(e);
        }
        call_result(py, outcome)
    }

    /// The coroutine flavour of `call`: validation errors are raised here,
    /// the rest when the returned awaitable completes.
    #[pyo3(signature = (op_name, /, **kwargs))]
    fn call_async<'py>(
        &self,
        py: Python<'py>,
        op_name: &str,
        kwargs: Option<Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let op = lookup(op_name)?;
        let input = empty_kwargs(py, kwargs);
        let prepared = guarded(py, || self.inner.prepare(op, &input))?;
        let client = self.inner.clone();
        pyo3_async_runtimes::generic::future_into_py::<aio::SharedRuntime, _, Py<PyAny>>(
            py,
            async move {
                let outcome = client.execute(&prepared, Lane::Shared).await;
                Python::attach(|py| match outcome {
                    Ok(doc) => Ok(document_to_py(py, &doc)?.unbind()),
                    Err(e) => Err(to_pyerr(py, e)),
                })
            },
        )
    }

    /// Starts a call for the asyncio bridge; its outcome arrives through
    /// `bridge.drain()` under `ticket`. Validation errors are raised here.
    #[pyo3(signature = (bridge, ticket, op_name, /, **kwargs))]
    fn submit<'py>(
        &self,
        py: Python<'py>,
        bridge: &Bound<'py, bridge::AsyncBridge>,
        ticket: u64,
        op_name: &str,
        kwargs: Option<Bound<'py, PyDict>>,
    ) -> PyResult<()> {
        let op = lookup(op_name)?;
        let input = empty_kwargs(py, kwargs);
        let prepared = guarded(py, || self.inner.prepare(op, &input))?;
        let client = self.inner.clone();
        let completions = bridge.get().completions.clone();
        crate::transport::runtime().spawn(async move {
            let call = client.execute(&prepared, Lane::Shared);
            let outcome = match futures_catch_unwind(call).await {
                Ok(outcome) => outcome,
                Err(msg) => Err(Error::Internal(msg)),
            };
            completions.push(ticket, outcome);
        });
        Ok(())
    }

    /// The signed request for the first attempt, without sending it:
    /// (method, url, [(name, value)], body).
    #[pyo3(signature = (op_name, /, **kwargs))]
    fn prepare<'py>(
        &self,
        py: Python<'py>,
        op_name: &str,
        kwargs: Option<Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyTuple>> {
        let op = lookup(op_name)?;
        let input = empty_kwargs(py, kwargs);
        let prepared: PreparedCall = guarded(py, || self.inner.prepare(op, &input))?;
        // Signing may fetch temporary credentials first: without the GIL.
        let client = self.inner.clone();
        let outcome = py.detach(move || {
            catch_unwind(AssertUnwindSafe(|| {
                client.sign(&prepared, &client.first_attempt(), SystemTime::now())
            }))
        });
        let request = match outcome {
            Ok(Ok(request)) => request,
            Ok(Err(e)) => return Err(to_pyerr(py, e)),
            Err(payload) => return Err(panic_to_pyerr(payload)),
        };
        request_tuple(py, &request)
    }

    /// The signed S3 Express CreateSession request a call would send first
    /// (when its bucket has no cached session), not sent; `None` when the
    /// call is not signed with session auth. For endpoint tests.
    #[pyo3(signature = (op_name, /, **kwargs))]
    fn prepare_create_session<'py>(
        &self,
        py: Python<'py>,
        op_name: &str,
        kwargs: Option<Bound<'py, PyDict>>,
    ) -> PyResult<Option<Bound<'py, PyTuple>>> {
        let op = lookup(op_name)?;
        let input = empty_kwargs(py, kwargs);
        let prepared: PreparedCall = guarded(py, || self.inner.prepare(op, &input))?;
        let client = self.inner.clone();
        let outcome = py.detach(move || {
            catch_unwind(AssertUnwindSafe(|| {
                client.prepare_create_session(&prepared)
            }))
        });
        match outcome {
            Ok(Ok(Some(request))) => request_tuple(py, &request).map(Some),
            Ok(Ok(None)) => Ok(None),
            Ok(Err(e)) => Err(to_pyerr(py, e)),
            Err(payload) => Err(panic_to_pyerr(payload)),
        }
    }

    /// botocore's checks before a Stubber answers a call (`fastboto.stub`):
    /// raises what botocore would raise there, sends and signs nothing.
    #[pyo3(signature = (op_name, /, **kwargs))]
    fn check_stubbed(
        &self,
        py: Python<'_>,
        op_name: &str,
        kwargs: Option<Bound<'_, PyDict>>,
    ) -> PyResult<()> {
        let op = lookup(op_name)?;
        let input = empty_kwargs(py, kwargs);
        guarded(py, || self.inner.check_stubbed(op, &input))
    }

    fn close(&self, py: Python<'_>) {
        // Other threads' runtimes may be driven here (see Transport::close).
        py.detach(|| self.inner.close());
    }
}

/// (method, url, [(name, value)], body) of a signed request, as
/// `PreparedRequest` shows it.
fn request_tuple<'py>(
    py: Python<'py>,
    request: &crate::protocol::HttpRequest,
) -> PyResult<Bound<'py, PyTuple>> {
    let headers = PyList::empty(py);
    // The HTTP client adds Host on the wire; it is signed, so a prepared
    // request shows it too.
    if let Some(host) = crate::protocol::host_header(&request.url) {
        headers.append(("host", host))?;
    }
    for (k, v) in &request.headers {
        headers.append((k, v))?;
    }
    if let Some(length) = crate::transport::content_length(request) {
        headers.append(("Content-Length", length.to_string()))?;
    }
    PyTuple::new(
        py,
        [
            request.method.into_pyobject(py)?.into_any(),
            request.url.as_str().into_pyobject(py)?.into_any(),
            headers.into_any(),
            PyBytes::new(py, &request.body).into_any(),
        ],
    )
}

/// (wait, enabled, max_rate, capacity, measured_rate)
type TraceStep = (Option<f64>, bool, f64, f64, f64);

/// Replays a timeline through the adaptive mode's rate limiter, for the
/// differential test against botocore's `ClientRateLimiter`. Events are
/// ("send" | "ok" | "throttle", seconds); each yields (wait before a send
/// may go, or None; enabled, max_rate, capacity, measured_rate).
#[pyfunction]
fn _rate_limiter_trace(start: f64, events: Vec<(String, f64)>) -> PyResult<Vec<TraceStep>> {
    let limiter = crate::rate_limit::RateLimiter::new(start);
    let mut out = Vec::with_capacity(events.len());
    for (kind, now) in events {
        let wait = match kind.as_str() {
            "send" => limiter.before_send(now).err(),
            "ok" => {
                limiter.after_attempt(false, now);
                None
            }
            "throttle" => {
                limiter.after_attempt(true, now);
                None
            }
            other => return Err(PyValueError::new_err(format!("unknown event {other:?}"))),
        };
        let snap = limiter.snapshot();
        out.push((
            wait,
            snap.enabled,
            snap.max_rate,
            snap.capacity,
            snap.measured_rate,
        ));
    }
    Ok(out)
}

/// Validates a Stubber's canned response against the operation's output
/// shape, as botocore's `Stubber._validate_operation_response` does.
#[pyfunction]
fn validate_stub_response(
    py: Python<'_>,
    op_name: &str,
    response: Bound<'_, PyAny>,
) -> PyResult<()> {
    let op = lookup(op_name)?;
    let input = PyInput(response);
    guarded(py, || match op.output {
        Some(shape) => crate::model::validate::validate(shape, &input)
            .map(|_| ())
            .map_err(|lines| Error::ParamValidation(lines.join("\n"))),
        None if input.is_falsy() => Ok(()),
        None => Err(Error::ParamValidation(
            "Service response should only contain ResponseMetadata.".into(),
        )),
    })
}

/// Catches a panic inside a spawned call so its caller still gets an answer.
async fn futures_catch_unwind<F: std::future::Future>(fut: F) -> Result<F::Output, String> {
    use std::future::Future;
    use std::pin::Pin;
    use std::task::{Context, Poll};
    struct CatchUnwind<F>(Pin<Box<F>>);
    impl<F: Future> Future for CatchUnwind<F> {
        type Output = Result<F::Output, String>;
        fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
            let inner = self.0.as_mut();
            match catch_unwind(AssertUnwindSafe(|| inner.poll(cx))) {
                Ok(Poll::Ready(v)) => Poll::Ready(Ok(v)),
                Ok(Poll::Pending) => Poll::Pending,
                Err(payload) => Poll::Ready(Err(panic_to_pyerr_message(payload))),
            }
        }
    }
    CatchUnwind(Box::pin(fut)).await
}

fn panic_to_pyerr_message(payload: Box<dyn std::any::Any + Send>) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic".into())
}

enum CallError {
    Core(Error),
    Interrupted(PyErr),
}

/// A blocking call's outcome (caught panics included) as Python sees it.
fn call_result(
    py: Python<'_>,
    outcome: std::thread::Result<Result<crate::response::Document, CallError>>,
) -> PyResult<Py<PyAny>> {
    match outcome {
        Ok(Ok(doc)) => Ok(document_to_py(py, &doc)?.unbind()),
        Ok(Err(CallError::Core(e))) => Err(to_pyerr(py, e)),
        Ok(Err(CallError::Interrupted(e))) => Err(e),
        Err(payload) => Err(panic_to_pyerr(payload)),
    }
}

/// Drives the call on the calling thread (GIL released), waking up now and
/// then to let Python run signal handlers so Ctrl-C interrupts a hung call.
fn run_interruptibly(
    client: &Arc<Client>,
    prepared: &PreparedCall,
) -> Result<crate::response::Document, CallError> {
    block_on_local(async {
        let call = client.execute(prepared, Lane::current_thread());
        tokio::pin!(call);
        loop {
            tokio::select! {
                outcome = &mut call => return outcome.map_err(CallError::Core),
                _ = tokio::time::sleep(SIGNAL_CHECK_INTERVAL) => {
                    if let Err(e) = Python::attach(|py| py.check_signals()) {
                        return Err(CallError::Interrupted(e));
                    }
                }
            }
        }
    })
}

fn opt_string(d: &Bound<'_, PyDict>, key: &str) -> PyResult<Option<String>> {
    match d.get_item(key)? {
        Some(v) if !v.is_none() => Ok(Some(v.str()?.to_string_lossy().into_owned())),
        _ => Ok(None),
    }
}

fn opt_bool(d: &Bound<'_, PyDict>, key: &str) -> PyResult<Option<bool>> {
    match d.get_item(key)? {
        Some(v) if !v.is_none() => Ok(Some(v.is_truthy()?)),
        _ => Ok(None),
    }
}

/// botocore's `ensure_boolean`: a bool as it is, a str when it reads "true"
/// (any case), anything else false.
fn opt_ensure_boolean(d: &Bound<'_, PyDict>, key: &str) -> PyResult<Option<bool>> {
    match d.get_item(key)? {
        Some(v) if v.is_none() => Ok(None),
        Some(v) if v.is_instance_of::<pyo3::types::PyBool>() => Ok(Some(v.is_truthy()?)),
        Some(v) if v.is_instance_of::<pyo3::types::PyString>() => {
            Ok(Some(v.str()?.to_string_lossy().to_lowercase() == "true"))
        }
        Some(_) => Ok(Some(false)),
        None => Ok(None),
    }
}

/// A value botocore checks is a bool or a str: its `str()` and whether it is.
fn opt_raw_flag(d: &Bound<'_, PyDict>, key: &str) -> PyResult<Option<settings::RawFlag>> {
    match d.get_item(key)? {
        Some(v) if !v.is_none() => Ok(Some(settings::RawFlag {
            shown: v.str()?.to_string_lossy().into_owned(),
            bool_or_str: v.is_instance_of::<pyo3::types::PyBool>()
                || v.is_instance_of::<pyo3::types::PyString>(),
        })),
        _ => Ok(None),
    }
}

/// Each value typed as the endpoint rules check it (`None` for Python's `None`).
fn ruleset_flags<'py>(
    entries: impl Iterator<Item = (String, Bound<'py, PyAny>)>,
) -> Vec<(String, Option<endpoint::RulesetFlag>)> {
    entries
        .map(|(k, v)| {
            let flag = if v.is_none() {
                None
            } else if let Ok(b) = v.cast::<pyo3::types::PyBool>() {
                Some(endpoint::RulesetFlag::Bool(b.is_true()))
            } else {
                Some(endpoint::RulesetFlag::NotBool)
            };
            (k, flag)
        })
        .collect()
}

fn opt_f64(d: &Bound<'_, PyDict>, key: &str) -> PyResult<Option<f64>> {
    match d.get_item(key)? {
        Some(v) if !v.is_none() => Ok(Some(v.extract::<f64>()?)),
        _ => Ok(None),
    }
}

fn opt_u32(d: &Bound<'_, PyDict>, key: &str) -> PyResult<Option<u32>> {
    match d.get_item(key)? {
        Some(v) if !v.is_none() => Ok(Some(v.extract::<u32>()?)),
        _ => Ok(None),
    }
}

pub(crate) fn extract_session_args(d: &Bound<'_, PyDict>) -> PyResult<SessionArgs> {
    Ok(SessionArgs {
        aws_access_key_id: opt_string(d, "aws_access_key_id")?,
        aws_secret_access_key: opt_string(d, "aws_secret_access_key")?,
        aws_session_token: opt_string(d, "aws_session_token")?,
        aws_account_id: opt_string(d, "aws_account_id")?,
        region_name: opt_string(d, "region_name")?,
        profile_name: opt_string(d, "profile_name")?,
    })
}

/// The flat option dict `fastboto.session` builds from client arguments and
/// `Config` (nested `s3`/`retries` dicts flattened with a prefix).
fn extract_client_args(d: &Bound<'_, PyDict>) -> PyResult<ClientArgs> {
    Ok(ClientArgs {
        session: extract_session_args(d)?,
        client_credentials: crate::credentials::ExplicitCredentials {
            access_key: opt_string(d, "client.aws_access_key_id")?,
            secret_key: opt_string(d, "client.aws_secret_access_key")?,
            token: opt_string(d, "client.aws_session_token")?,
            account_id: opt_string(d, "client.aws_account_id")?,
        },
        session_credentials: match d.get_item("credential_cache")? {
            Some(c) if !c.is_none() => Some(
                c.cast::<credentials::CredentialCache>()?
                    .get()
                    .inner
                    .clone(),
            ),
            _ => None,
        },
        endpoint_url: opt_string(d, "endpoint_url")?,
        use_ssl: opt_bool(d, "use_ssl")?.unwrap_or(true),
        verify: opt_bool(d, "verify")?,
        ca_bundle: opt_string(d, "ca_bundle")?,
        signature_version: opt_string(d, "signature_version")?,
        unsigned: opt_bool(d, "unsigned")?.unwrap_or(false),
        sigv4a_signing_region_set: opt_string(d, "sigv4a_signing_region_set")?,
        config_region_name: opt_string(d, "config_region_name")?,
        config_region_name_type_error: opt_string(d, "config_region_name_type_error")?,
        user_agent: opt_string(d, "user_agent")?.unwrap_or_default(),
        user_agent_extra: opt_string(d, "user_agent_extra")?,
        user_agent_override: opt_string(d, "user_agent_override")?,
        user_agent_appid: opt_string(d, "user_agent_appid")?,
        connect_timeout: opt_f64(d, "connect_timeout")?,
        read_timeout: opt_f64(d, "read_timeout")?,
        max_pool_connections: opt_u32(d, "max_pool_connections")?,
        tcp_keepalive: opt_bool(d, "tcp_keepalive")?,
        client_cert: match d.get_item("client_cert")? {
            Some(v) if !v.is_none() => {
                let (cert, key): (String, Option<String>) = v.extract()?;
                Some(crate::tls::ClientCert { cert, key })
            }
            _ => None,
        },
        send_error: opt_string(d, "send_error")?,
        read_error: opt_string(d, "read_error")?,
        proxies: match d.get_item("proxies")? {
            Some(p) if !p.is_none() => Some(p.extract::<Vec<(String, String)>>()?),
            _ => None,
        },
        retry_mode: opt_string(d, "retries.mode")?,
        defaults_mode: opt_string(d, "defaults_mode")?,
        max_attempts: opt_u32(d, "retries.max_attempts")?,
        total_max_attempts: opt_u32(d, "retries.total_max_attempts")?,
        addressing_style: opt_string(d, "s3.addressing_style")?,
        ignore_configured_endpoint_urls: opt_bool(d, "ignore_configured_endpoint_urls")?,
        s3_use_dualstack_endpoint: opt_bool(d, "s3.use_dualstack_endpoint")?,
        s3_use_accelerate_endpoint: opt_bool(d, "s3.use_accelerate_endpoint")?,
        s3_us_east_1_regional_endpoint: opt_string(d, "s3.us_east_1_regional_endpoint")?,
        s3_use_arn_region: opt_bool(d, "s3.use_arn_region")?,
        s3_disable_multiregion_access_points: opt_bool(
            d,
            "s3.s3_disable_multiregion_access_points",
        )?,
        s3_disable_express_session_auth: opt_raw_flag(d, "s3.disable_s3_express_session_auth")?,
        s3_entries: ruleset_flags(d.iter().filter_map(|(k, v)| {
            let key = k.extract::<String>().ok()?;
            Some((key.strip_prefix("s3.")?.to_owned(), v))
        })),
        parameter_validation: opt_bool(d, "parameter_validation")?,
        client_context_params: match d.get_item("client_context_params")? {
            Some(p) => match p.cast::<PyDict>() {
                Ok(p) => ruleset_flags(
                    p.iter()
                        .filter_map(|(k, v)| Some((k.extract::<String>().ok()?, v))),
                ),
                Err(_) => Vec::new(),
            },
            None => Vec::new(),
        },
        legacy_content_md5: opt_ensure_boolean(d, "s3.legacy_content_md5")?,
        s3_payload_signing_enabled: opt_bool(d, "s3.payload_signing_enabled")?,
        use_fips_endpoint: opt_bool(d, "use_fips_endpoint")?,
        use_dualstack_endpoint: opt_bool(d, "use_dualstack_endpoint")?,
        request_checksum_calculation: opt_string(d, "request_checksum_calculation")?,
        response_checksum_validation: opt_string(d, "response_checksum_validation")?,
    })
}

/// Resolves a Session's view of the world: profile, region, credentials.
#[pyfunction]
fn resolve_session<'py>(
    py: Python<'py>,
    options: Bound<'py, PyDict>,
) -> PyResult<Bound<'py, PyDict>> {
    let args = extract_session_args(&options)?;
    let resolved = guarded(py, || settings::resolve_session(&args))?;
    let out = PyDict::new(py);
    out.set_item("profile_name", &resolved.profile_name)?;
    out.set_item("region_name", &resolved.region_name)?;
    out.set_item("available_profiles", &resolved.available_profiles)?;
    Ok(out)
}

#[pymodule]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    crate::fork::install();
    crate::panic_guard::install_quiet_panic_hook();
    m.add_class::<CoreClient>()?;
    m.add_class::<bridge::AsyncBridge>()?;
    m.add_function(wrap_pyfunction!(resolve_session, m)?)?;
    m.add_class::<credentials::CredentialCache>()?;
    m.add_class::<credentials::CredentialHandle>()?;
    m.add_function(wrap_pyfunction!(validate_stub_response, m)?)?;
    m.add_function(wrap_pyfunction!(_rate_limiter_trace, m)?)?;
    m.add_function(wrap_pyfunction!(describe::describe_operations, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    // For the test that compares it with botocore's SIGNED_HEADERS_BLACKLIST.
    m.add(
        "UNSIGNED_HEADERS",
        crate::signing::UNSIGNED_HEADERS.to_vec(),
    )?;
    // (method name, API name): the Python clients grow one method per entry.
    let operations: Vec<(&str, &str)> = ops::ALL
        .iter()
        .map(|op| (op.python_name, op.name))
        .collect();
    m.add("OPERATIONS", operations)?;
    Ok(())
}
