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
use std::sync::{Arc, Mutex, Weak};
use std::task::{Context, Poll};
use std::thread::ThreadId;
use std::time::Duration;

use tokio::time::Instant;

use crate::error::{Error, Result};
use crate::protocol::{HttpRequest, HttpResponse};
use crate::tls::TlsSetupError;

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
    /// `Config(client_cert=...)`.
    pub client_cert: Option<crate::tls::ClientCert>,
    /// The proxies by URL scheme, as botocore's `ProxyConfiguration` holds
    /// them: `Config(proxies=...)` as given, else what `environ_proxies`
    /// found for the client's endpoint. Only `http` and `https` are used.
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
            client_cert: None,
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

/// The shared runtime's worker threads: `FASTBOTO_IO_THREADS`, default 2
/// (blocking calls drive their own I/O; only asyncio calls run here).
fn io_threads() -> usize {
    std::env::var("FASTBOTO_IO_THREADS")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|n| (1..=64).contains(n))
        .unwrap_or(2)
}

fn shared_runtime() -> Arc<tokio::runtime::Runtime> {
    let pid = crate::fork::current_pid();
    let mut slot = RUNTIME.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(current) = slot.as_ref() {
        if current.pid == pid {
            return current.runtime.clone();
        }
    }
    let runtime = Arc::new(
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(io_threads())
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
    let pid = crate::fork::current_pid();
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
    let pid = crate::fork::current_pid();
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

/// Before a checkout one round is enough: the driver poll wakes a connection
/// task that has seen EOF, and tokio runs I/O-woken tasks before the yielded
/// one, so the dead connection has left the pool when the caller resumes.
async fn notice_closed_connections() {
    tokio::task::yield_now().await;
}

thread_local! {
    /// The URLs this thread sent to last, parsed: a script over a few
    /// buckets sends to the same few URLs again and again.
    static PARSED_URLS: RefCell<Vec<(String, reqwest::Url)>> = const { RefCell::new(Vec::new()) };
}

const PARSED_URLS_KEPT: usize = 8;

fn parsed_url(url: &str) -> Option<reqwest::Url> {
    PARSED_URLS.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some(at) = cache.iter().position(|(raw, _)| raw == url) {
            if at != 0 {
                let hit = cache.remove(at);
                cache.insert(0, hit);
            }
            return Some(cache[0].1.clone());
        }
        let parsed = reqwest::Url::parse(url).ok()?;
        cache.truncate(PARSED_URLS_KEPT - 1);
        cache.insert(0, (url.to_string(), parsed.clone()));
        Some(parsed)
    })
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

/// As botocore's AWSPreparedRequest: Content-Length always, except for
/// bodiless GET/HEAD/OPTIONS (hyper alone would omit a 0).
pub(crate) fn content_length(request: &HttpRequest) -> Option<usize> {
    let bodiless = request.body.is_empty() && matches!(request.method, "GET" | "HEAD" | "OPTIONS");
    (!bodiless).then_some(request.body.len())
}

/// One proxy, as botocore's `ProxyConfiguration` and `URLLib3Session`
/// prepare it.
#[derive(Clone)]
struct ProxyRoute {
    /// `"http"` or `"https"`: the scheme of the request URLs it carries.
    scheme: &'static str,
    /// The URL with `_fix_proxy_url` applied and its credentials removed
    /// (they go into `authorization`).
    url: String,
    /// `Proxy-Authorization: Basic ...` when the URL has both a username
    /// and a password, as `proxy_headers_for`.
    authorization: Option<String>,
    /// `mask_proxy_url`: the URL as it appears in messages.
    masked: String,
}

impl ProxyRoute {
    fn new(scheme: &'static str, proxy_url: &str) -> ProxyRoute {
        let fixed = fix_proxy_url(proxy_url);
        let parts = UrlParts::parse(&fixed);
        let authorization = match (&parts.username, &parts.password) {
            (Some(user), Some(password)) => {
                let user = percent_unquote(user);
                let password = percent_unquote(password);
                (!user.is_empty() && !password.is_empty()).then(|| {
                    use base64::Engine;
                    let token = base64::engine::general_purpose::STANDARD
                        .encode(format!("{user}:{password}"));
                    format!("Basic {token}")
                })
            }
            _ => None,
        };
        let url = match parts.userinfo_end {
            Some((start, end)) => format!("{}{}", &fixed[..start], &fixed[end..]),
            None => fixed.clone(),
        };
        ProxyRoute {
            scheme,
            url,
            authorization,
            masked: mask_proxy_url(&fixed),
        }
    }
}

/// botocore's `ProxyConfiguration._fix_proxy_url`.
fn fix_proxy_url(url: &str) -> String {
    if url.starts_with("http:") || url.starts_with("https:") {
        url.to_string()
    } else if url.starts_with("//") {
        format!("http:{url}")
    } else {
        format!("http://{url}")
    }
}

/// The pieces of a URL `urllib.parse.urlparse` gives botocore: the netloc
/// and the userinfo's username and password (raw, still quoted).
struct UrlParts {
    netloc: String,
    username: Option<String>,
    password: Option<String>,
    /// Byte range of `userinfo@` in the URL.
    userinfo_end: Option<(usize, usize)>,
}

impl UrlParts {
    fn parse(url: &str) -> UrlParts {
        // urlsplit: a scheme (letters, digits, "+-."), then "//" starts the
        // netloc, which runs to the first "/", "?" or "#".
        let after_scheme = match url.find(':') {
            Some(i)
                if i > 0
                    && url[..i].starts_with(|c: char| c.is_ascii_alphabetic())
                    && url[..i]
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)) =>
            {
                i + 1
            }
            _ => 0,
        };
        let rest = &url[after_scheme..];
        let Some(authority) = rest.strip_prefix("//") else {
            return UrlParts {
                netloc: String::new(),
                username: None,
                password: None,
                userinfo_end: None,
            };
        };
        let start = after_scheme + 2;
        let len = authority.find(['/', '?', '#']).unwrap_or(authority.len());
        let netloc = &authority[..len];
        let (username, password, userinfo_end) = match netloc.rfind('@') {
            Some(at) => {
                let userinfo = &netloc[..at];
                let (user, password) = match userinfo.split_once(':') {
                    Some((u, p)) => (u, Some(p.to_string())),
                    None => (userinfo, None),
                };
                (
                    Some(user.to_string()),
                    password,
                    Some((start, start + at + 1)),
                )
            }
            None => (None, None, None),
        };
        UrlParts {
            netloc: netloc.to_string(),
            username,
            password,
            userinfo_end,
        }
    }
}

/// `urllib.parse.unquote`: %XX escapes decoded as UTF-8, invalid sequences
/// replaced.
fn percent_unquote(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

/// botocore's `mask_proxy_url`: the first occurrence of the username, then
/// of the password, replaced by `***` (the raw, quoted strings).
pub fn mask_proxy_url(proxy_url: &str) -> String {
    let parts = UrlParts::parse(proxy_url);
    let mut masked = proxy_url.to_string();
    for secret in [parts.username, parts.password].into_iter().flatten() {
        if !secret.is_empty() {
            masked = masked.replacen(&secret, "***", 1);
        }
    }
    masked
}

/// botocore's proxies for a client without `Config(proxies=...)`:
/// `get_environ_proxies(endpoint_url)`, which is urllib's
/// `getproxies_environment()` unless `proxy_bypass_environment` says the
/// endpoint's netloc bypasses proxies. Evaluated once, for the client's
/// endpoint URL (`client.meta.endpoint_url`), as botocore's endpoint does.
pub fn environ_proxies(endpoint_url: impl FnOnce() -> String) -> Vec<(String, String)> {
    let vars: Vec<(String, String)> = std::env::vars_os()
        .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
        .collect();
    let proxies = getproxies_environment(&vars);
    if proxies.is_empty() {
        return proxies;
    }
    let netloc = UrlParts::parse(&endpoint_url()).netloc;
    if proxy_bypass_environment(&netloc, &proxies) {
        return Vec::new();
    }
    proxies
}

/// `urllib.request.getproxies_environment`: `<scheme>_proxy` variables,
/// any case, then the lowercase-suffixed ones again so that they win (an
/// empty one removes the scheme); `HTTP_PROXY` is dropped under CGI
/// (`REQUEST_METHOD` set). Order kept as a dict's.
fn getproxies_environment(vars: &[(String, String)]) -> Vec<(String, String)> {
    fn set(proxies: &mut Vec<(String, String)>, key: String, value: &str) {
        match proxies.iter_mut().find(|(k, _)| *k == key) {
            Some((_, v)) => *v = value.to_string(),
            None => proxies.push((key, value.to_string())),
        }
    }
    fn scheme_of(lower: &str) -> String {
        lower[..lower.len() - "_proxy".len()].to_string()
    }
    let mut proxies = Vec::new();
    for (name, value) in vars {
        let name = name.to_lowercase();
        if !value.is_empty() && name.ends_with("_proxy") {
            set(&mut proxies, scheme_of(&name), value);
        }
    }
    if vars.iter().any(|(name, _)| name == "REQUEST_METHOD") {
        proxies.retain(|(k, _)| k != "http");
    }
    for (name, value) in vars {
        if name.ends_with("_proxy") {
            let key = scheme_of(&name.to_lowercase());
            if value.is_empty() {
                proxies.retain(|(k, _)| *k != key);
            } else {
                set(&mut proxies, key, value);
            }
        }
    }
    proxies
}

/// `urllib.request.proxy_bypass_environment(host, proxies)`.
fn proxy_bypass_environment(host: &str, proxies: &[(String, String)]) -> bool {
    let Some((_, no_proxy)) = proxies.iter().find(|(k, _)| k == "no") else {
        return false;
    };
    if no_proxy == "*" {
        return true;
    }
    let host = host.to_lowercase();
    // `_splitport`: "(.*):([0-9]*)" in full; the host alone when it matches.
    let hostonly = match host.rfind(':') {
        Some(i) if host[i + 1..].bytes().all(|b| b.is_ascii_digit()) => &host[..i],
        _ => host.as_str(),
    };
    for name in no_proxy.split(',') {
        let name = name.trim_matches(python_whitespace);
        if name.is_empty() {
            continue;
        }
        let name = name.trim_start_matches('.').to_lowercase();
        if hostonly == name || host == name {
            return true;
        }
        let suffix = format!(".{name}");
        if hostonly.ends_with(&suffix) || host.ends_with(&suffix) {
            return true;
        }
    }
    false
}

/// The characters `str.strip()` removes.
fn python_whitespace(c: char) -> bool {
    c.is_whitespace() || ('\x1c'..='\x1f').contains(&c)
}

/// The OS default for the number of keep-alive probes, which is what a
/// socket with only `SO_KEEPALIVE` set uses.
#[cfg(target_os = "linux")]
fn os_keepalive_probes() -> u32 {
    std::fs::read_to_string("/proc/sys/net/ipv4/tcp_keepalive_probes")
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(9)
}

struct Pool {
    lane: Lane,
    pid: u32,
    client: reqwest::Client,
}

/// A fastboto client's connection pools, one per lane.
pub struct Transport {
    options: TransportOptions,
    proxies: Vec<ProxyRoute>,
    pools: Mutex<Vec<Pool>>,
    /// The shared runtime's (asyncio calls') requests in flight, at most
    /// `max_pool_connections`, as aiohttp's connector limit holds
    /// aiobotocore's: a `gather` of thousands of calls waits its turn instead
    /// of opening thousands of sockets. Per process (a fork starts afresh).
    in_flight: Mutex<Option<(u32, Arc<tokio::sync::Semaphore>)>>,
}

impl Transport {
    pub fn new(options: TransportOptions) -> Transport {
        // `proxy_url_for`: the entry for the request URL's scheme, when not
        // empty; the last one wins, as in a dict.
        let mut proxies: Vec<ProxyRoute> = Vec::new();
        for (scheme, url) in &options.proxies {
            let scheme = match scheme.as_str() {
                "http" => "http",
                "https" => "https",
                _ => continue,
            };
            proxies.retain(|p| p.scheme != scheme);
            if !url.is_empty() {
                proxies.push(ProxyRoute::new(scheme, url));
            }
        }
        Transport {
            options,
            proxies,
            pools: Mutex::new(Vec::new()),
            in_flight: Mutex::new(None),
        }
    }

    /// The proxy (as masked in messages) a request to `url` goes through.
    fn proxy_for(&self, url: &str) -> Option<&str> {
        let scheme = url.split_once(':')?.0.to_ascii_lowercase();
        self.proxies
            .iter()
            .find(|p| p.scheme == scheme)
            .map(|p| p.masked.as_str())
    }

    fn build_client(&self) -> std::result::Result<reqwest::Client, TlsSetupError> {
        let o = &self.options;
        let mut builder = reqwest::Client::builder()
            .tls_backend_preconfigured(crate::tls::client_config(o)?)
            .connect_timeout(o.connect_timeout)
            // The read timeout is ours (`with_read_timeout`): reqwest's would
            // also run while connecting.
            .connector_layer(TrackConnectsLayer)
            .pool_max_idle_per_host(o.max_pool_connections)
            .redirect(reqwest::redirect::Policy::none())
            // Retries are botocore's, in `Client::execute`; reqwest's layer
            // would also copy every request's headers in case it retries.
            .retry(reqwest::retry::never().max_retries_per_request(0))
            .http1_only()
            .tcp_nodelay(true)
            // Proxies are botocore's (`self.proxies`), never reqwest's own
            // reading of the environment (ALL_PROXY, per-request NO_PROXY).
            .no_proxy();
        for route in &self.proxies {
            let proxy = match route.scheme {
                "http" => reqwest::Proxy::http(&route.url),
                _ => reqwest::Proxy::https(&route.url),
            };
            let invalid = |error: String| {
                TlsSetupError::Failed(Error::InvalidProxy {
                    proxy_url: route.masked.clone(),
                    error,
                })
            };
            let mut proxy = proxy.map_err(|e| invalid(error_chain(&e)))?;
            if let Some(authorization) = &route.authorization {
                let value = reqwest::header::HeaderValue::from_str(authorization)
                    .map_err(|e| invalid(e.to_string()))?;
                proxy = proxy.custom_http_auth(value);
            }
            builder = builder.proxy(proxy);
        }
        // botocore sets SO_KEEPALIVE alone (`tcp_keepalive=True`) or nothing,
        // so the OS defaults apply (idle tcp_keepalive_time, interval
        // tcp_keepalive_intvl, tcp_keepalive_probes). hyper-util turns
        // SO_KEEPALIVE on when any of the three is given and sets only the
        // given ones: the probe count, set to the OS default, leaves idle and
        // interval to the OS. reqwest's own default (15 s) is turned off.
        builder = builder
            .tcp_keepalive(None)
            .tcp_keepalive_interval(None)
            .tcp_keepalive_retries(None);
        if o.no_proxy {
            builder = builder.no_proxy();
        }
        if o.tcp_keepalive {
            #[cfg(target_os = "linux")]
            {
                builder = builder.tcp_keepalive_retries(os_keepalive_probes());
            }
            #[cfg(not(target_os = "linux"))]
            {
                builder = builder.tcp_keepalive(Duration::from_secs(7200));
            }
        }
        builder
            .build()
            .map_err(|e| TlsSetupError::Failed(Error::Internal(format!("HTTP client: {e}"))))
    }

    /// The semaphore bounding the shared runtime's requests in flight; none
    /// when `max_pool_connections` keeps every connection (<= 0).
    fn in_flight_limit(&self) -> Option<Arc<tokio::sync::Semaphore>> {
        let size = self.options.max_pool_connections;
        if size == usize::MAX {
            return None;
        }
        let pid = crate::fork::current_pid();
        crate::fork::critical(|| {
            let mut slot = self.in_flight.lock().unwrap_or_else(|e| e.into_inner());
            match &*slot {
                Some((owner, limit)) if *owner == pid => Some(limit.clone()),
                _ => {
                    let permits = size.clamp(1, tokio::sync::Semaphore::MAX_PERMITS);
                    let limit = Arc::new(tokio::sync::Semaphore::new(permits));
                    *slot = Some((pid, limit.clone()));
                    Some(limit)
                }
            }
        })
    }

    /// The pool for `lane`; pools from before a fork are abandoned, as
    /// their connections belong to the parent. What cannot be set up fails
    /// the call to `url`, and the next call tries again (as urllib3 loads
    /// certificates per connection).
    fn client(&self, lane: Lane, url: &str) -> Result<reqwest::Client> {
        crate::fork::critical(|| self.pooled_client(lane)).map_err(|e| e.at(url))
    }

    fn pooled_client(&self, lane: Lane) -> std::result::Result<reqwest::Client, TlsSetupError> {
        let pid = crate::fork::current_pid();
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
        let pid = crate::fork::current_pid();
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
        if let Some(answer) = crate::intercept::respond(request) {
            return answer;
        }
        let _slot = match (lane, self.in_flight_limit()) {
            (Lane::Shared, Some(limit)) => Some(
                limit
                    .acquire_owned()
                    .await
                    .map_err(|e| Error::Internal(e.to_string()))?,
            ),
            _ => None,
        };
        let client = self.client(lane, &request.url)?;
        if let Lane::Thread(_) = lane {
            // Between calls nothing drives this thread's runtime, so a
            // keep-alive connection the server closed while idle still looks
            // open to the pool. botocore (urllib3) checks a pooled socket
            // before reusing it; this is the same check: the connection
            // tasks see the EOF and leave the pool before the checkout.
            notice_closed_connections().await;
        }
        let endpoint_url = request.url.clone();
        let proxy = self.proxy_for(&endpoint_url);
        let method = reqwest::Method::from_bytes(request.method.as_bytes())
            .map_err(|e| Error::Internal(e.to_string()))?;
        let mut builder = match parsed_url(&request.url) {
            Some(url) => client.request(method, url),
            // reqwest reports what is wrong with it, as before.
            None => client.request(method, &request.url),
        };
        for (name, value) in &request.headers {
            builder = builder.header(name.as_str(), value.as_str());
        }
        // http.client (under botocore) always sends this one.
        builder = builder.header("Accept-Encoding", "identity");
        if let Some(length) = content_length(request) {
            builder = builder.header("Content-Length", length);
        }
        let read_timeout = self.options.read_timeout;
        let mut response =
            with_read_timeout(builder.body(request.body.clone()).send(), read_timeout)
                .await
                .map_err(|e| match e {
                    // A TLS alert before the response (a server that wants a
                    // client certificate says so after a TLS 1.3 handshake)
                    // is urllib3's SSLError.
                    Waited::Failed(e) if !e.is_connect() && is_tls_failure(&e) => Error::Ssl {
                        endpoint_url: endpoint_url.clone(),
                        error: error_chain(&e),
                    },
                    Waited::Failed(e) => classify(e, &endpoint_url, proxy),
                    Waited::TimedOut => read_timeout_error(&endpoint_url),
                })?;
        let status = response.status().as_u16();
        let mut headers: Vec<(String, String)> = Vec::with_capacity(response.headers().len());
        for (name, value) in response.headers() {
            // http.client decodes the header block as latin-1.
            let value: String = value.as_bytes().iter().map(|&b| char::from(b)).collect();
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
                Ok(Err(e)) => return Err(classify(e, &endpoint_url, proxy)),
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
/// Through a proxy, urllib3 turns every failure before the connection to
/// the proxy (and its CONNECT tunnel) is up into a `ProxyError`, which
/// botocore raises as `ProxyConnectionError`.
fn classify(e: reqwest::Error, endpoint_url: &str, proxy: Option<&str>) -> Error {
    let detail = error_chain(&e);
    let endpoint_url = endpoint_url.to_string();
    if e.is_connect() {
        // Any failure of the TLS handshake is urllib3's SSLError, also
        // through an HTTP proxy (the tunnel is up by then).
        if detail.contains("certificate")
            || detail.contains("InvalidCertificate")
            || is_tls_failure(&e)
        {
            Error::Ssl {
                endpoint_url,
                error: detail,
            }
        } else if let Some(proxy_url) = proxy {
            Error::ProxyConnection {
                proxy_url: proxy_url.to_string(),
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
    } else if e.is_builder() {
        // A host the URL standard refuses (an ARN-derived
        // `ap-123456789012.127.0.0.1`, whose last label looks numeric):
        // urllib3 asks DNS for it and fails to connect.
        Error::EndpointConnection {
            endpoint_url,
            error: detail,
        }
    } else {
        Error::ConnectionClosed { endpoint_url }
    }
}

/// Whether the chain holds a rustls error or tokio-rustls's EOF in the
/// middle of the handshake. (`io::Error::source` skips the error it wraps,
/// so wrapped errors are looked at through `get_ref`.)
fn is_tls_failure(e: &(dyn std::error::Error + 'static)) -> bool {
    let mut current = Some(e);
    while let Some(err) = current {
        if err.is::<rustls::Error>() {
            return true;
        }
        if let Some(io) = err.downcast_ref::<std::io::Error>() {
            if io.kind() == std::io::ErrorKind::UnexpectedEof
                && io.to_string().contains("tls handshake eof")
            {
                return true;
            }
            if let Some(inner) = io.get_ref() {
                if is_tls_failure(inner) {
                    return true;
                }
            }
        }
        current = err.source();
    }
    false
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

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn get<'a>(proxies: &'a [(String, String)], key: &str) -> Option<&'a str> {
        proxies
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    #[test]
    fn lowercase_proxy_variables_win() {
        let p = getproxies_environment(&env(&[
            ("http_proxy", "lower"),
            ("HTTP_PROXY", "upper"),
            ("HTTPS_PROXY", "s"),
            ("https_proxy", ""),
            ("ALL_PROXY", "all"),
        ]));
        assert_eq!(get(&p, "http"), Some("lower"));
        assert_eq!(get(&p, "https"), None);
        assert_eq!(get(&p, "all"), Some("all"));
    }

    #[test]
    fn cgi_drops_uppercase_http_proxy() {
        let p = getproxies_environment(&env(&[("HTTP_PROXY", "u"), ("REQUEST_METHOD", "GET")]));
        assert_eq!(get(&p, "http"), None);
        let p = getproxies_environment(&env(&[("http_proxy", "l"), ("REQUEST_METHOD", "GET")]));
        assert_eq!(get(&p, "http"), Some("l"));
    }

    #[test]
    fn no_proxy_as_urllib() {
        let with = |no: &str| env(&[("no", no)]);
        assert!(proxy_bypass_environment("anything:1", &with("*")));
        assert!(!proxy_bypass_environment("h", &with("x,*")));
        assert!(proxy_bypass_environment(
            "a.example.com:80",
            &with(" .Example.com ")
        ));
        assert!(proxy_bypass_environment(
            "127.0.0.1:8080",
            &with("127.0.0.1:8080")
        ));
        assert!(!proxy_bypass_environment(
            "127.0.0.1:8080",
            &with("127.0.0.1:1")
        ));
        assert!(!proxy_bypass_environment("127.0.0.1", &with("127.0.0.0/8")));
        assert!(!proxy_bypass_environment(
            "badexample.com",
            &with("example.com")
        ));
        assert!(!proxy_bypass_environment("h", &[]));
    }

    #[test]
    fn proxy_urls_as_botocore() {
        let r = ProxyRoute::new("https", "us%65r:p%40ss@proxy:3128");
        assert_eq!(r.url, "http://proxy:3128");
        assert_eq!(
            r.authorization.as_deref(),
            Some("Basic dXNlcjpwQHNz") // base64("user:p@ss")
        );
        assert_eq!(r.masked, "http://***:***@proxy:3128");
        assert_eq!(ProxyRoute::new("http", "//p:1").url, "http://p:1");
        assert_eq!(ProxyRoute::new("http", "http://u:@p:1").authorization, None);
        assert_eq!(
            ProxyRoute::new("http", "http://u:@p:1").masked,
            "http://***:@p:1"
        );
        assert_eq!(mask_proxy_url("https://p:1"), "https://p:1");
    }
}
