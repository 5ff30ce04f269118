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
use std::future::Future;
use std::rc::Rc;
use std::sync::{Arc, Mutex, OnceLock};
use std::thread::ThreadId;
use std::time::Duration;

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
    static LOCAL_RUNTIME: RefCell<Option<(u32, Rc<tokio::runtime::Runtime>)>> =
        const { RefCell::new(None) };
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
                let rt = Rc::new(
                    tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                        .expect("cannot start a tokio runtime"),
                );
                if let Some(stale) = slot.replace((pid, rt.clone())) {
                    std::mem::forget(stale);
                }
                rt
            }
        }
    });
    runtime.block_on(future)
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
            .read_timeout(o.read_timeout)
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

    /// Drops pooled connections (`client.close()`). Connections opened by
    /// the calling thread's own runtime are closed before this returns (their
    /// tasks only run while that runtime is driven); those of other threads
    /// close when those threads next make a call, those of the shared
    /// runtime at once.
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
        let had_local = dropped.iter().any(|p| p.lane == Lane::current_thread());
        drop(dropped);
        if had_local {
            block_on_local(async {
                for _ in 0..8 {
                    tokio::task::yield_now().await;
                }
            });
        }
    }

    pub async fn send(&self, request: &HttpRequest, lane: Lane) -> Result<HttpResponse> {
        let client = self.client(lane)?;
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
        let response = builder
            .body(request.body.clone())
            .send()
            .await
            .map_err(|e| classify(e, &endpoint_url))?;
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
        let body = response
            .bytes()
            .await
            .map_err(|e| classify(e, &endpoint_url))?
            .to_vec();
        Ok(HttpResponse {
            status,
            headers,
            body,
        })
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
