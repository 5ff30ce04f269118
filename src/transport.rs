//! HTTP transport: pooled keep-alive reqwest clients, the runtimes that
//! drive them, and a rustls configuration built once and shared.
//!
//! Blocking calls run on a current-thread runtime owned by the calling
//! thread (created once per thread, reused by every client): the I/O is
//! driven where the caller waits, which avoids the cross-thread wake-up a
//! multi-thread runtime costs on every response (~50 µs here, see
//! PERFORMANCE-NOTES). Connections belong to the runtime that opened them, so
//! a client keeps one pool per calling thread, plus one for the shared
//! multi-thread runtime that asyncio calls use. Everything is rebuilt in a
//! forked child, whose inherited sockets and epoll instance are the parent's.

use std::cell::RefCell;
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, OnceLock, Weak};
use std::task::{Context, Poll};
use std::thread::ThreadId;
use std::time::Duration;

use tokio::time::Instant;

use crate::error::{Error, Result};
use crate::protocol::{HttpRequest, HttpResponse};

/// Transport settings from `Config`.
#[derive(Debug, Clone)]
pub struct TransportOptions {
    pub connect_timeout: Duration,
    pub read_timeout: Duration,
    pub max_pool_connections: usize,
    pub tcp_keepalive: bool,
    /// `verify=False`.
    pub verify: bool,
    /// A CA bundle (PEM) to trust instead of the built-in roots: `verify=path`,
    /// `AWS_CA_BUNDLE` or the profile's `ca_bundle`.
    pub ca_bundle: Option<String>,
    /// `Config(proxies={"http": url, "https": url})`. When empty, the
    /// `HTTP(S)_PROXY` / `NO_PROXY` environment applies, as botocore's
    /// `get_environ_proxies`.
    pub proxies: Vec<(String, String)>,
    /// No proxy at all, not even from the environment (botocore's container
    /// metadata fetcher).
    pub no_proxy: bool,
}

impl Default for TransportOptions {
    fn default() -> Self {
        TransportOptions {
            connect_timeout: Duration::from_secs(60),
            read_timeout: Duration::from_secs(60),
            max_pool_connections: 10,
            tcp_keepalive: false,
            verify: true,
            ca_bundle: None,
            proxies: Vec::new(),
            no_proxy: false,
        }
    }
}

struct ProcessRuntime {
    pid: u32,
    runtime: Arc<tokio::runtime::Runtime>,
}

static RUNTIME: Mutex<Option<ProcessRuntime>> = Mutex::new(None);

/// The process's shared runtime. After `fork()` the parent's worker threads
/// do not exist in the child, so a child gets a fresh runtime; the parent's
/// is leaked there (dropping it would wait on threads that are gone).
pub fn runtime() -> Arc<tokio::runtime::Runtime> {
    crate::fork::critical(shared_runtime)
}

fn shared_runtime() -> Arc<tokio::runtime::Runtime> {
    let pid = std::process::id();
    let mut slot = RUNTIME.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(current) = slot.as_ref() {
        if current.pid == pid {
            return current.runtime.clone();
        }
    }
    let runtime = Arc::new(
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("fastboto-io")
            .enable_all()
            .build()
            .expect("cannot start the tokio runtime"),
    );
    if let Some(stale) = slot.replace(ProcessRuntime {
        pid,
        runtime: runtime.clone(),
    }) {
        std::mem::forget(stale);
    }
    runtime
}

thread_local! {
    static LOCAL_RUNTIME: RefCell<Option<(u32, Arc<tokio::runtime::Runtime>)>> =
        const { RefCell::new(None) };
}

/// Every thread's current-thread runtime, so that `close()` called on one
/// thread can drive another (idle) thread's runtime long enough for its
/// connection tasks to see their pools dropped and close their sockets, as
/// botocore's `close()` closes every pooled connection. Weak: a thread's
/// runtime still goes away with the thread.
type RuntimeRegistry = HashMap<ThreadId, (u32, Weak<tokio::runtime::Runtime>)>;
static THREAD_RUNTIMES: Mutex<Option<RuntimeRegistry>> = Mutex::new(None);

fn register_thread_runtime(pid: u32, runtime: &Arc<tokio::runtime::Runtime>) {
    crate::fork::critical(|| {
        let mut registry = THREAD_RUNTIMES.lock().unwrap_or_else(|e| e.into_inner());
        let registry = registry.get_or_insert_with(HashMap::new);
        registry.retain(|_, (owner, rt)| *owner == pid && rt.strong_count() > 0);
        registry.insert(std::thread::current().id(), (pid, Arc::downgrade(runtime)));
    });
}

fn thread_runtime(thread: ThreadId) -> Option<Arc<tokio::runtime::Runtime>> {
    let pid = std::process::id();
    crate::fork::critical(|| {
        let registry = THREAD_RUNTIMES.lock().unwrap_or_else(|e| e.into_inner());
        let (owner, runtime) = registry.as_ref()?.get(&thread)?;
        if *owner != pid {
            return None;
        }
        runtime.upgrade()
    })
}

/// Runs `future` to completion on the calling thread's own current-thread
/// runtime.
pub fn block_on_local<F: Future>(future: F) -> F::Output {
    let pid = std::process::id();
    let runtime = LOCAL_RUNTIME.with(|slot| {
        let mut slot = slot.borrow_mut();
        match slot.as_ref() {
            Some((owner, rt)) if *owner == pid => rt.clone(),
            _ => {
                let rt = Arc::new(
                    tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                        .expect("cannot start a tokio runtime"),
                );
                if let Some(stale) = slot.replace((pid, rt.clone())) {
                    std::mem::forget(stale);
                }
                register_thread_runtime(pid, &rt);
                rt
            }
        }
    });
    runtime.block_on(future)
}

/// Lets the connection tasks of a current-thread runtime run: the I/O
/// driver is polled (a zero-timeout poll; `yield_now` defers the wake-up
/// until then), woken tasks run, then the caller resumes. Two rounds: one
/// for the driver to report readiness, one for the woken tasks to act on it.
async fn let_connection_tasks_run() {
    for _ in 0..2 {
        tokio::task::yield_now().await;
    }
}

/// Which runtime a request is driven by, hence which pool it may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lane {
    /// The calling thread's current-thread runtime (`block_on_local`).
    Thread(ThreadId),
    /// The shared multi-thread runtime (`runtime()`).
    Shared,
}

impl Lane {
    pub fn current_thread() -> Lane {
        Lane::Thread(std::thread::current().id())
    }
}

fn verifying_config(roots: rustls::RootCertStore) -> rustls::ClientConfig {
    rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .expect("ring supports the default TLS versions")
        .with_root_certificates(roots)
        .with_no_client_auth()
}

/// The TLS configuration for a client, built once per process for the
/// built-in roots (it costs milliseconds) and per bundle path otherwise.
fn tls_config(options: &TransportOptions) -> Result<rustls::ClientConfig> {
    static DEFAULT_ROOTS: OnceLock<rustls::ClientConfig> = OnceLock::new();
    if !options.verify {
        return Ok(insecure_tls_config());
    }
    let Some(path) = &options.ca_bundle else {
        return Ok(DEFAULT_ROOTS
            .get_or_init(|| {
                verifying_config(rustls::RootCertStore {
                    roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
                })
            })
            .clone());
    };
    use rustls::pki_types::{pem::PemObject, CertificateDer};
    let invalid = |error: String| Error::InvalidCaBundle {
        path: path.clone(),
        error,
    };
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_file_iter(path).map_err(|e| invalid(e.to_string()))? {
        roots
            .add(cert.map_err(|e| invalid(e.to_string()))?)
            .map_err(|e| invalid(e.to_string()))?;
    }
    Ok(verifying_config(roots))
}

fn insecure_tls_config() -> rustls::ClientConfig {
    #[derive(Debug)]
    struct AcceptAnything(Arc<rustls::crypto::CryptoProvider>);
    use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
    use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
    impl ServerCertVerifier for AcceptAnything {
        fn verify_server_cert(
            &self,
            _: &CertificateDer<'_>,
            _: &[CertificateDer<'_>],
            _: &ServerName<'_>,
            _: &[u8],
            _: UnixTime,
        ) -> std::result::Result<ServerCertVerified, rustls::Error> {
            Ok(ServerCertVerified::assertion())
        }
        fn verify_tls12_signature(
            &self,
            message: &[u8],
            cert: &CertificateDer<'_>,
            dss: &rustls::DigitallySignedStruct,
        ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
            rustls::crypto::verify_tls12_signature(
                message,
                cert,
                dss,
                &self.0.signature_verification_algorithms,
            )
        }
        fn verify_tls13_signature(
            &self,
            message: &[u8],
            cert: &CertificateDer<'_>,
            dss: &rustls::DigitallySignedStruct,
        ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
            rustls::crypto::verify_tls13_signature(
                message,
                cert,
                dss,
                &self.0.signature_verification_algorithms,
            )
        }
        fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
            self.0.signature_verification_algorithms.supported_schemes()
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .expect("ring supports the default TLS versions")
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(AcceptAnything(provider)))
        .with_no_client_auth()
}

struct Pool {
    lane: Lane,
    pid: u32,
    client: reqwest::Client,
}

/// A fastboto client's connection pools, one per lane.
pub struct Transport {
    options: TransportOptions,
    pools: Mutex<Vec<Pool>>,
}

impl Transport {
    pub fn new(options: TransportOptions) -> Transport {
        Transport {
            options,
            pools: Mutex::new(Vec::new()),
        }
    }

    fn build_client(&self) -> Result<reqwest::Client> {
        let o = &self.options;
        let mut builder = reqwest::Client::builder()
            .tls_backend_preconfigured(tls_config(o)?)
            .connect_timeout(o.connect_timeout)
            // The read timeout is ours (`with_read_timeout`): reqwest's would
            // also run while connecting.
            .connector_layer(TrackConnectsLayer)
            .pool_max_idle_per_host(o.max_pool_connections)
            .redirect(reqwest::redirect::Policy::none())
            .http1_only()
            .tcp_nodelay(true);
        for (scheme, url) in &o.proxies {
            let proxy = match scheme.as_str() {
                "http" => reqwest::Proxy::http(url),
                "https" => reqwest::Proxy::https(url),
                _ => continue,
            }
            .map_err(|e| Error::InvalidProxy {
                proxy_url: url.clone(),
                error: e.to_string(),
            })?;
            builder = builder.proxy(proxy);
        }
        if o.no_proxy {
            builder = builder.no_proxy();
        }
        if o.tcp_keepalive {
            builder = builder.tcp_keepalive(Duration::from_secs(60));
        }
        builder
            .build()
            .map_err(|e| Error::Internal(format!("HTTP client: {e}")))
    }

    /// The pool for `lane`; pools from before a fork are abandoned, as
    /// their connections belong to the parent.
    fn client(&self, lane: Lane) -> Result<reqwest::Client> {
        crate::fork::critical(|| self.pooled_client(lane))
    }

    fn pooled_client(&self, lane: Lane) -> Result<reqwest::Client> {
        let pid = std::process::id();
        let mut pools = self.pools.lock().unwrap_or_else(|e| e.into_inner());
        if pools.iter().any(|p| p.pid != pid) {
            for stale in pools.drain(..) {
                std::mem::forget(stale);
            }
        }
        if let Some(pool) = pools.iter().find(|p| p.lane == lane) {
            return Ok(pool.client.clone());
        }
        let client = self.build_client()?;
        pools.push(Pool {
            lane,
            pid,
            client: client.clone(),
        });
        Ok(client)
    }

    /// Drops pooled connections (`client.close()`) and lets each runtime
    /// that owned some run its connection tasks, which then close their
    /// sockets. The shared runtime's workers do that at once; a calling
    /// thread's runtime only runs while it is driven, so it is driven here:
    /// the caller's own, and an idle thread's (a thread-pool worker between
    /// calls) by borrowing it. A thread in the middle of a call drives its
    /// runtime itself.
    pub fn close(&self) {
        let pid = std::process::id();
        let dropped = crate::fork::critical(|| {
            let mut pools = self.pools.lock().unwrap_or_else(|e| e.into_inner());
            let mut dropped = Vec::new();
            for pool in pools.drain(..) {
                if pool.pid != pid {
                    std::mem::forget(pool);
                } else {
                    dropped.push(pool);
                }
            }
            dropped
        });
        let threads: Vec<ThreadId> = dropped
            .iter()
            .filter_map(|p| match p.lane {
                Lane::Thread(id) => Some(id),
                Lane::Shared => None,
            })
            .collect();
        drop(dropped);
        let me = std::thread::current().id();
        for thread in threads {
            if thread == me {
                block_on_local(let_connection_tasks_run());
            } else if let Some(runtime) = thread_runtime(thread) {
                // When the owner is driving it right now, block_on does not
                // wait for it: the yields complete at once and the owner
                // closes the connections itself.
                runtime.block_on(let_connection_tasks_run());
            }
        }
    }

    pub async fn send(&self, request: &HttpRequest, lane: Lane) -> Result<HttpResponse> {
        let client = self.client(lane)?;
        if let Lane::Thread(_) = lane {
            // Between calls nothing drives this thread's runtime, so a
            // keep-alive connection the server closed while idle still looks
            // open to the pool. botocore (urllib3) checks a pooled socket
            // before reusing it; this is the same check: the connection
            // tasks see the EOF and leave the pool before the checkout.
            let_connection_tasks_run().await;
        }
        let endpoint_url = request.url.clone();
        let method = reqwest::Method::from_bytes(request.method.as_bytes())
            .map_err(|e| Error::Internal(e.to_string()))?;
        let mut builder = client.request(method, &request.url);
        for (name, value) in &request.headers {
            builder = builder.header(name.as_str(), value.as_str());
        }
        // http.client (under botocore) always sends this one.
        builder = builder.header("Accept-Encoding", "identity");
        // As botocore's AWSPreparedRequest: Content-Length always, except
        // for bodiless GET/HEAD/OPTIONS (hyper alone would omit a 0).
        if !(request.body.is_empty() && matches!(request.method, "GET" | "HEAD" | "OPTIONS")) {
            builder = builder.header("Content-Length", request.body.len());
        }
        let read_timeout = self.options.read_timeout;
        let mut response =
            with_read_timeout(builder.body(request.body.clone()).send(), read_timeout)
                .await
                .map_err(|e| match e {
                    Waited::Failed(e) => classify(e, &endpoint_url),
                    Waited::TimedOut => read_timeout_error(&endpoint_url),
                })?;
        let status = response.status().as_u16();
        let mut headers: Vec<(String, String)> = Vec::with_capacity(response.headers().len());
        for (name, value) in response.headers() {
            let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
            match headers.iter_mut().find(|(k, _)| k == name.as_str()) {
                Some((_, existing)) => {
                    existing.push_str(", ");
                    existing.push_str(&value);
                }
                None => headers.push((name.as_str().to_string(), value)),
            }
        }
        // As a socket timeout: each read may wait read_timeout.
        let mut body = Vec::new();
        loop {
            match tokio::time::timeout(read_timeout, response.chunk()).await {
                Ok(Ok(Some(chunk))) => body.extend_from_slice(&chunk),
                Ok(Ok(None)) => break,
                Ok(Err(e)) => return Err(classify(e, &endpoint_url)),
                Err(_) => return Err(read_timeout_error(&endpoint_url)),
            }
        }
        Ok(HttpResponse {
            status,
            headers,
            body,
        })
    }
}

// botocore's timeouts are socket timeouts: `connect_timeout` while the TCP
// (and TLS) connection is made, then `read_timeout` for each wait on the
// socket. reqwest's own read timeout starts with the request, connecting
// included, so a read_timeout shorter than connect_timeout would end an
// unanswered SYN as a ReadTimeoutError. The connector layer below tells the
// request's future when its connection is up; the read timer starts then.

#[derive(Debug, Clone, Copy)]
enum ConnectPhase {
    /// No new connection: a pooled one is used, or none was needed yet.
    NotConnecting,
    Connecting,
    /// A new connection was made at this instant.
    Connected(Instant),
}

tokio::task_local! {
    static CONNECT_WATCH: Arc<tokio::sync::watch::Sender<ConnectPhase>>;
}

#[derive(Clone)]
struct TrackConnectsLayer;

impl<S> tower_layer::Layer<S> for TrackConnectsLayer {
    type Service = TrackConnects<S>;
    fn layer(&self, inner: S) -> TrackConnects<S> {
        TrackConnects(inner)
    }
}

#[derive(Clone)]
struct TrackConnects<S>(S);

impl<S, R> tower_service::Service<R> for TrackConnects<S>
where
    S: tower_service::Service<R>,
    S::Future: Send + 'static,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = std::result::Result<S::Response, S::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<std::result::Result<(), S::Error>> {
        self.0.poll_ready(cx)
    }

    fn call(&mut self, request: R) -> Self::Future {
        // The pool starts a connection from within the request's future, so
        // the request's watch is in scope here (and absent for a connection
        // nobody waits for).
        let watch = CONNECT_WATCH.try_with(Arc::clone).ok();
        if let Some(watch) = &watch {
            watch.send_replace(ConnectPhase::Connecting);
        }
        let connecting = self.0.call(request);
        Box::pin(async move {
            let outcome = connecting.await;
            if let Some(watch) = watch {
                watch.send_replace(match outcome {
                    Ok(_) => ConnectPhase::Connected(Instant::now()),
                    Err(_) => ConnectPhase::NotConnecting,
                });
            }
            outcome
        })
    }
}

enum Waited<E> {
    Failed(E),
    TimedOut,
}

/// Awaits the response head: read_timeout from the start, or from the
/// moment a new connection is up; no read timer while connecting (the
/// connect timeout covers that).
async fn with_read_timeout<T, E>(
    response: impl Future<Output = std::result::Result<T, E>>,
    read_timeout: Duration,
) -> std::result::Result<T, Waited<E>> {
    let start = Instant::now();
    let watch = Arc::new(tokio::sync::watch::Sender::new(ConnectPhase::NotConnecting));
    let mut phases = watch.subscribe();
    let response = CONNECT_WATCH.scope(watch, response);
    tokio::pin!(response);
    loop {
        let deadline = match *phases.borrow_and_update() {
            ConnectPhase::NotConnecting => Some(start + read_timeout),
            ConnectPhase::Connecting => None,
            ConnectPhase::Connected(at) => Some(at + read_timeout),
        };
        tokio::select! {
            biased;
            outcome = &mut response => return outcome.map_err(Waited::Failed),
            _ = phases.changed() => continue,
            _ = sleep_until_or_forever(deadline) => return Err(Waited::TimedOut),
        }
    }
}

async fn sleep_until_or_forever(deadline: Option<Instant>) {
    match deadline {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}

fn read_timeout_error(endpoint_url: &str) -> Error {
    Error::ReadTimeout {
        endpoint_url: endpoint_url.to_string(),
        error: "Read timed out.".into(),
    }
}

/// Maps reqwest's failure onto botocore's exception for the same fault.
fn classify(e: reqwest::Error, endpoint_url: &str) -> Error {
    let detail = error_chain(&e);
    let endpoint_url = endpoint_url.to_string();
    if e.is_connect() {
        if detail.contains("certificate") || detail.contains("InvalidCertificate") {
            Error::Ssl {
                endpoint_url,
                error: detail,
            }
        } else if e.is_timeout() {
            Error::ConnectTimeout {
                endpoint_url,
                error: detail,
            }
        } else {
            Error::EndpointConnection {
                endpoint_url,
                error: detail,
            }
        }
    } else if e.is_timeout() {
        Error::ReadTimeout {
            endpoint_url,
            error: detail,
        }
    } else {
        Error::ConnectionClosed { endpoint_url }
    }
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(inner) = source {
        text.push_str(": ");
        text.push_str(&inner.to_string());
        source = inner.source();
    }
    text
}
