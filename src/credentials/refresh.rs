//! Temporary credentials: botocore's `RefreshableCredentials` and
//! `DeferredRefreshableCredentials`, shared by every clone of a client's
//! options behind an `Arc`.
//!
//! botocore's rules, kept here: a fetch is due once fewer than 15 minutes
//! (advisory) remain; in the advisory window only one caller refreshes and
//! the others go on with the current credentials, and a failed advisory
//! refresh is logged and ignored; within 10 minutes (mandatory) every
//! caller waits for the one refresh and its error is raised. Deferred
//! credentials have nothing yet, so their first use is a mandatory refresh.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use super::Credentials;
use crate::error::{Error, Result};
use crate::transport::Lane;

/// `_DEFAULT_ADVISORY_REFRESH_TIMEOUT`.
pub const ADVISORY_REFRESH: Duration = Duration::from_secs(15 * 60);
/// `_DEFAULT_MANDATORY_REFRESH_TIMEOUT`.
pub const MANDATORY_REFRESH: Duration = Duration::from_secs(10 * 60);

/// One fetch's result: the credentials and when they expire (`None`:
/// never refreshed again).
#[derive(Clone, PartialEq, Eq)]
pub struct Fetched {
    pub credentials: Credentials,
    pub expiry: Option<SystemTime>,
}

impl fmt::Debug for Fetched {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Fetched")
            .field("credentials", &self.credentials)
            .field("expiry", &self.expiry)
            .finish()
    }
}

pub type FetchFuture<'a> = Pin<Box<dyn Future<Output = Result<Fetched>> + Send + 'a>>;

/// A provider's `refresh_using`: fetches a fresh set, driven by the runtime
/// of `lane` (so its connections are that lane's).
pub trait Fetch: Send + Sync {
    fn fetch(&self, lane: Lane) -> FetchFuture<'_>;
}

/// Where a client's credentials come from.
#[derive(Clone)]
pub enum CredentialSource {
    /// Long-term credentials: used as they are, no lock, no allocation.
    Static(Credentials),
    Refreshable(Arc<RefreshableCredentials>),
}

impl fmt::Debug for CredentialSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CredentialSource::Static(c) => f.debug_tuple("Static").field(c).finish(),
            CredentialSource::Refreshable(r) => {
                f.debug_tuple("Refreshable").field(&r.method).finish()
            }
        }
    }
}

impl CredentialSource {
    pub fn method(&self) -> &str {
        match self {
            CredentialSource::Static(c) => &c.method,
            CredentialSource::Refreshable(r) => r.method,
        }
    }

    /// `get_frozen_credentials()`: refreshes first when due.
    pub async fn frozen(&self, lane: Lane) -> Result<Arc<Credentials>> {
        match self {
            CredentialSource::Static(c) => Ok(Arc::new(c.clone())),
            CredentialSource::Refreshable(r) => r.frozen(lane).await,
        }
    }

    /// [`Self::frozen`] for a caller outside any runtime (client creation,
    /// `Session.get_credentials()`, `prepare_request`): driven on the calling
    /// thread's own runtime.
    pub fn frozen_blocking(&self) -> Result<Credentials> {
        match self {
            CredentialSource::Static(c) => Ok(c.clone()),
            CredentialSource::Refreshable(r) => {
                let lane = Lane::current_thread();
                crate::transport::block_on_local(r.frozen(lane)).map(|c| (*c).clone())
            }
        }
    }
}

#[derive(Clone)]
struct Snapshot {
    credentials: Arc<Credentials>,
    expiry: Option<SystemTime>,
}

/// `RefreshableCredentials` (created with a first fetch's result) or
/// `DeferredRefreshableCredentials` (created empty).
pub struct RefreshableCredentials {
    method: &'static str,
    current: Mutex<Option<Snapshot>>,
    /// One refresh at a time (botocore's `_refresh_lock`), per process: a
    /// forked child gets a fresh lock (the parent's may be held by a thread
    /// that does not exist in the child).
    refresh_lock: Mutex<(u32, Arc<tokio::sync::Mutex<()>>)>,
    fetcher: Box<dyn Fetch>,
    advisory: Duration,
    mandatory: Duration,
    now: fn() -> SystemTime,
}

impl fmt::Debug for RefreshableCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RefreshableCredentials")
            .field("method", &self.method)
            .finish_non_exhaustive()
    }
}

/// `refresh_needed(refresh_in)`: no credentials yet → always; no expiry →
/// never; otherwise when fewer than `window` seconds remain.
pub fn refresh_needed(expiry: Option<SystemTime>, now: SystemTime, window: Duration) -> bool {
    match expiry {
        None => false,
        Some(at) => match at.duration_since(now) {
            Ok(remaining) => remaining < window,
            Err(_) => true,
        },
    }
}

impl RefreshableCredentials {
    pub fn new(method: &'static str, initial: Option<Fetched>, fetcher: Box<dyn Fetch>) -> Self {
        RefreshableCredentials {
            method,
            current: Mutex::new(initial.map(|f| Snapshot {
                credentials: Arc::new(f.credentials),
                expiry: f.expiry,
            })),
            refresh_lock: Mutex::new((std::process::id(), Arc::default())),
            fetcher,
            advisory: ADVISORY_REFRESH,
            mandatory: MANDATORY_REFRESH,
            now: SystemTime::now,
        }
    }

    /// Other advisory / mandatory windows than the default 15 / 10 minutes
    /// (botocore's `IdentityCache` uses 45 / 10 seconds).
    pub fn with_windows(mut self, advisory: Duration, mandatory: Duration) -> Self {
        self.advisory = advisory;
        self.mandatory = mandatory;
        self
    }

    #[cfg(test)]
    pub fn with_clock(mut self, now: fn() -> SystemTime) -> Self {
        self.now = now;
        self
    }

    fn snapshot(&self) -> Option<Snapshot> {
        crate::fork::critical(|| {
            self.current
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .clone()
        })
    }

    fn refresh_lock(&self) -> Arc<tokio::sync::Mutex<()>> {
        let pid = std::process::id();
        crate::fork::critical(|| {
            let mut slot = self.refresh_lock.lock().unwrap_or_else(|e| e.into_inner());
            if slot.0 != pid {
                let stale = std::mem::replace(&mut *slot, (pid, Arc::default()));
                std::mem::forget(stale);
            }
            slot.1.clone()
        })
    }

    fn needs(&self, snap: &Option<Snapshot>, window: Duration) -> bool {
        match snap {
            None => true,
            Some(s) => refresh_needed(s.expiry, (self.now)(), window),
        }
    }

    /// `get_frozen_credentials()` with botocore's `_refresh` rules.
    pub async fn frozen(&self, lane: Lane) -> Result<Arc<Credentials>> {
        self.frozen_with(lane, &*self.fetcher).await
    }

    /// [`Self::frozen`] refreshing through `fetcher` instead of the one
    /// given at creation (for a `refresh_using` that needs a borrowed
    /// client, as the S3 Express identity cache's CreateSession does).
    pub async fn frozen_with(&self, lane: Lane, fetcher: &dyn Fetch) -> Result<Arc<Credentials>> {
        let snap = self.snapshot();
        if !self.needs(&snap, self.advisory) {
            return Ok(snap.expect("checked above").credentials);
        }
        let lock = self.refresh_lock();
        if let Ok(_guard) = lock.try_lock() {
            let snap = self.snapshot();
            if !self.needs(&snap, self.advisory) {
                return Ok(snap.expect("checked above").credentials);
            }
            let mandatory = self.needs(&snap, self.mandatory);
            return self.protected_refresh(lane, fetcher, snap, mandatory).await;
        }
        if self.needs(&snap, self.mandatory) {
            let _guard = lock.lock().await;
            let snap = self.snapshot();
            if !self.needs(&snap, self.mandatory) {
                return Ok(snap.expect("checked above").credentials);
            }
            return self.protected_refresh(lane, fetcher, snap, true).await;
        }
        Ok(snap
            .expect("advisory window means credentials exist")
            .credentials)
    }

    async fn protected_refresh(
        &self,
        lane: Lane,
        fetcher: &dyn Fetch,
        previous: Option<Snapshot>,
        mandatory: bool,
    ) -> Result<Arc<Credentials>> {
        let fetched = match fetcher.fetch(lane).await {
            Ok(f) => f,
            Err(e) => {
                // botocore logs "Refreshing temporary credentials failed
                // during advisory refresh period." and keeps the old ones.
                return match previous {
                    Some(prev) if !mandatory => Ok(prev.credentials),
                    _ => Err(e),
                };
            }
        };
        let snapshot = Snapshot {
            credentials: Arc::new(fetched.credentials),
            expiry: fetched.expiry,
        };
        let credentials = snapshot.credentials.clone();
        let expired = refresh_needed(snapshot.expiry, (self.now)(), Duration::ZERO);
        crate::fork::critical(|| {
            *self.current.lock().unwrap_or_else(|e| e.into_inner()) = Some(snapshot);
        });
        if expired {
            return Err(Error::Builtin {
                class: "RuntimeError",
                message: "Credentials were refreshed, but the refreshed credentials are still \
                          expired."
                    .into(),
            });
        }
        Ok(credentials)
    }
}

/// botocore's `_parse_if_needed` / dateutil for the timestamps credential
/// services send: `YYYY-MM-DDTHH:MM:SS[.fff][Z|±HH:MM]` (also a space for
/// `T`, and no zone, read as UTC).
pub fn parse_timestamp(text: &str) -> Option<SystemTime> {
    let t = text.trim();
    let b = t.as_bytes();
    if b.len() < 19 {
        return None;
    }
    let num = |s: &str| s.parse::<i64>().ok();
    let year = num(t.get(0..4)?)?;
    let month = num(t.get(5..7)?)?;
    let day = num(t.get(8..10)?)?;
    if b[4] != b'-' || b[7] != b'-' || !(b[10] == b'T' || b[10] == b't' || b[10] == b' ') {
        return None;
    }
    let hour = num(t.get(11..13)?)?;
    let minute = num(t.get(14..16)?)?;
    let second = num(t.get(17..19)?)?;
    if b[13] != b':' || b[16] != b':' {
        return None;
    }
    let mut rest = &t[19..];
    let mut nanos: u32 = 0;
    if let Some(frac) = rest.strip_prefix('.') {
        let digits: String = frac.chars().take_while(|c| c.is_ascii_digit()).collect();
        if digits.is_empty() {
            return None;
        }
        let padded = format!("{:0<9}", &digits[..digits.len().min(9)]);
        nanos = padded.parse().ok()?;
        rest = &frac[digits.len()..];
    }
    let offset_secs: i64 = match rest {
        "" | "Z" | "z" => 0,
        zone => {
            let sign = match zone.as_bytes()[0] {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let z = zone[1..].replace(':', "");
            if z.len() != 4 {
                return None;
            }
            sign * (num(&z[0..2])? * 3600 + num(&z[2..4])? * 60)
        }
    };
    if !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let days = days_from_civil(year, month, day);
    let secs = days * 86_400 + hour * 3600 + minute * 60 + second - offset_secs;
    let base = if secs >= 0 {
        SystemTime::UNIX_EPOCH + Duration::from_secs(secs as u64)
    } else {
        SystemTime::UNIX_EPOCH - Duration::from_secs((-secs) as u64)
    };
    Some(base + Duration::from_nanos(u64::from(nanos)))
}

/// Howard Hinnant's days-from-civil.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}
