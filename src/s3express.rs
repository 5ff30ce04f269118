//! S3 Express One Zone session auth, as botocore's
//! `S3ExpressIdentityResolver` / `S3ExpressIdentityCache` / `S3ExpressAuth`
//! do it.
//!
//! When the endpoint rules answer a call with the auth scheme
//! `sigv4-s3express` (a directory bucket's zonal endpoint: HeadBucket, or
//! any bucket operation with a custom endpoint), botocore signs it with
//! session credentials instead of the client's own:
//!
//! - it asks CreateSession (GET `?session` on the same zonal endpoint,
//!   plain SigV4 with signing name `s3express` and the client's
//!   credentials; a full call of its own, with retries and redirects) and
//!   reads `CreateSessionResult/Credentials`;
//! - it keeps the result per bucket in a `functools.lru_cache(maxsize=100)`
//!   on `S3ExpressIdentityCache.get_credentials`, whose key is the cache
//!   instance (one per client) and the bucket, and which is shared by every
//!   client of the process: the 100 most recently used (client, bucket)
//!   pairs, whatever client they belong to. A failed CreateSession caches
//!   nothing;
//! - each cached entry is a `RefreshableCredentials` with advisory and
//!   mandatory windows of 45 and 10 seconds: a CreateSession again once
//!   fewer than 45 seconds remain (a failure then ignored), and once fewer
//!   than 10 remain every caller waits for it (and sees its error);
//! - the request is signed with SigV4 (the endpoint's scope) with the
//!   session's keys, the session token sent as `x-amz-s3session-token`
//!   (signed) and no `X-Amz-Security-Token`.
//!
//! Not used with `signature_version="s3"` or `UNSIGNED`, nor with an explicit
//! `signature_version="s3v4"`/`"v4"` (botocore's requested auth scheme does
//! not match `v4-s3express`, so it signs with plain SigV4, service `s3`, the
//! client's region; `"v4"`, which botocore signs with its generic SigV4
//! signer, is refused), nor with `disable_s3_express_session_auth` (the rules
//! then answer `sigv4` with signing name `s3express`).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use crate::client::{Client, PreparedCall};
use crate::credentials::refresh::{Fetch, FetchFuture};
use crate::credentials::{Credentials, Fetched, RefreshableCredentials};
use crate::error::{Error, Result};
use crate::ops::create_session;
use crate::protocol::HttpRequest;
use crate::response::Document;
use crate::signing::{self, PayloadSigning, SigningScope};
use crate::transport::Lane;

/// The endpoint rules' name for session auth.
pub const AUTH_SCHEME: &str = "sigv4-s3express";
/// `functools.lru_cache(maxsize=100)`.
pub const CACHE_SIZE: usize = 100;
/// `IdentityCache.get_credentials`: `advisory_timeout=45`.
pub const ADVISORY_REFRESH: Duration = Duration::from_secs(45);
/// `IdentityCache.get_credentials`: `mandatory_timeout=10`.
pub const MANDATORY_REFRESH: Duration = Duration::from_secs(10);
/// `S3ExpressIdentityCache.METHOD`.
const METHOD: &str = "s3express";
/// The header botocore's `S3ExpressAuth` sends the session token in.
pub const SESSION_TOKEN_HEADER: &str = "x-amz-s3session-token";

/// A process-unique id for a client's share of the identity cache (an
/// address could be reused by a later client).
pub fn next_client_id() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

type Key = (u64, String);
type Entry = Arc<RefreshableCredentials>;

/// The identity LRU, least recently used first.
struct Lru {
    entries: Vec<(Key, Entry)>,
}

impl Lru {
    const fn new() -> Lru {
        Lru {
            entries: Vec::new(),
        }
    }

    fn position(&self, client: u64, bucket: &str) -> Option<usize> {
        self.entries
            .iter()
            .position(|((c, b), _)| *c == client && b == bucket)
    }

    /// A hit (now the most recently used), or `None`.
    fn lookup(&mut self, client: u64, bucket: &str) -> Option<Entry> {
        let at = self.position(client, bucket)?;
        let hit = self.entries.remove(at);
        let entry = hit.1.clone();
        self.entries.push(hit);
        Some(entry)
    }

    /// lru_cache's store after a miss: an entry another caller added
    /// meanwhile stays; otherwise the new one goes in and, past the size,
    /// the least recently used one out.
    fn insert(&mut self, client: u64, bucket: &str, entry: Entry) {
        if self.position(client, bucket).is_some() {
            return;
        }
        if self.entries.len() >= CACHE_SIZE {
            self.entries.remove(0);
        }
        self.entries.push(((client, bucket.to_string()), entry));
    }
}

/// The process-wide cache, as botocore's is.
static CACHE: Mutex<Lru> = Mutex::new(Lru::new());

fn with_cache<R>(f: impl FnOnce(&mut Lru) -> R) -> R {
    crate::fork::critical(|| f(&mut CACHE.lock().unwrap_or_else(|e| e.into_inner())))
}

/// The session credentials a CreateSession answer carries, read as
/// `S3ExpressIdentityCache`'s refresher reads them (a missing member is
/// the `KeyError` botocore raises).
pub fn session_from_output(document: &Document) -> Result<Fetched> {
    fn field<'a>(doc: &'a Document, key: &str) -> Result<&'a Document> {
        let found = match doc {
            Document::Map(fields) => fields.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        };
        found.ok_or_else(|| Error::Builtin {
            class: "KeyError",
            message: format!("'{key}'"),
        })
    }
    let text = |doc: &Document, key: &str| -> Result<String> {
        match field(doc, key)? {
            Document::Str(s) => Ok(s.clone()),
            _ => Ok(String::new()),
        }
    };
    let creds = field(document, "Credentials")?;
    let access_key = text(creds, "AccessKeyId")?;
    let secret_key = text(creds, "SecretAccessKey")?;
    let token = text(creds, "SessionToken")?;
    let expiration = text(creds, "Expiration")?;
    let expiry = parse_expiration(&expiration).ok_or_else(|| Error::Builtin {
        class: "ValueError",
        message: format!("Invalid timestamp \"{expiration}\""),
    })?;
    Ok(Fetched {
        credentials: Credentials::new(access_key, secret_key, Some(token), METHOD),
        expiry: Some(expiry),
    })
}

/// botocore's `parse_timestamp` for a rest-xml timestamp: epoch seconds, or
/// ISO 8601.
fn parse_expiration(text: &str) -> Option<SystemTime> {
    if let Ok(secs) = text.trim().parse::<f64>() {
        if secs.is_finite() && secs >= 0.0 {
            return Some(SystemTime::UNIX_EPOCH + Duration::from_secs_f64(secs));
        }
    }
    crate::credentials::refresh::parse_timestamp(text)
}

/// Signs `request` as `S3ExpressAuth.add_auth` does, with the session's
/// keys: SigV4 over every header, `x-amz-s3session-token` among them, and
/// no `X-Amz-Security-Token`. The pure-Python signer is used for this
/// scheme even with awscrt installed, so the content hash header is
/// spelled `X-Amz-Content-SHA256`, and the token follows it.
pub fn sign(
    request: &mut HttpRequest,
    session: &Credentials,
    scope: &SigningScope,
    time: SystemTime,
    payload: PayloadSigning,
) -> Result<()> {
    request
        .headers
        .retain(|(k, _)| !k.eq_ignore_ascii_case(SESSION_TOKEN_HEADER));
    let token = session.token.clone().unwrap_or_default();
    request
        .headers
        .push((SESSION_TOKEN_HEADER.to_string(), token));
    let keys_only = Credentials {
        token: None,
        ..session.clone()
    };
    signing::sign_v4(
        request,
        &keys_only,
        scope,
        time,
        payload,
        signing::Signer::S3,
    )?;
    // botocore's order: ..., X-Amz-Date, X-Amz-Content-SHA256,
    // x-amz-s3session-token, Authorization.
    if let Some(at) = request
        .headers
        .iter()
        .position(|(k, _)| k == SESSION_TOKEN_HEADER)
    {
        let token = request.headers.remove(at);
        let auth = request
            .headers
            .iter()
            .position(|(k, _)| k == "Authorization")
            .unwrap_or(request.headers.len());
        request.headers.insert(auth, token);
    }
    for (name, _) in &mut request.headers {
        if name.eq_ignore_ascii_case("x-amz-content-sha256") {
            *name = "X-Amz-Content-SHA256".to_string();
        }
    }
    Ok(())
}

/// The refresher each cached entry is built with; entries are refreshed
/// through [`CreateSessionFetch`] instead (it borrows the client).
struct RefreshedByCaller;

impl Fetch for RefreshedByCaller {
    fn fetch(&self, _lane: Lane) -> FetchFuture<'_> {
        Box::pin(async {
            Err(Error::Internal(
                "S3 Express session refreshed without its client".into(),
            ))
        })
    }
}

/// `S3ExpressIdentityCache.build_refresh_callback(bucket)`:
/// `client.create_session(Bucket=bucket)`.
struct CreateSessionFetch<'a> {
    client: &'a Client,
    bucket: &'a str,
    depth: u32,
}

impl Fetch for CreateSessionFetch<'_> {
    fn fetch(&self, lane: Lane) -> FetchFuture<'_> {
        self.client.create_session(self.bucket, lane, self.depth)
    }
}

impl Client {
    /// A CreateSession call for `bucket`, sent as any other call is.
    fn create_session<'a>(&'a self, bucket: &'a str, lane: Lane, depth: u32) -> FetchFuture<'a> {
        Box::pin(async move {
            let input = serde_json::json!({ "Bucket": bucket });
            let call = self.prepare(&create_session::OPERATION, &input)?;
            let document = self.execute_at(&call, lane, depth).await?;
            session_from_output(&document)
        })
    }

    /// The session credentials that sign `call` (its endpoint asked for
    /// `sigv4-s3express`): the cached ones, refreshed when due, or a new
    /// CreateSession's.
    pub(crate) async fn s3express_identity(
        &self,
        call: &PreparedCall,
        lane: Lane,
        depth: u32,
    ) -> Result<Arc<Credentials>> {
        let bucket = call.bucket.as_deref().unwrap_or_default();
        let fetch = CreateSessionFetch {
            client: self,
            bucket,
            depth,
        };
        let entry = match with_cache(|cache| cache.lookup(self.s3express_id, bucket)) {
            Some(entry) => entry,
            None => {
                let first = fetch.fetch(lane).await?;
                let entry = Arc::new(
                    RefreshableCredentials::new(METHOD, Some(first), Box::new(RefreshedByCaller))
                        .with_windows(ADVISORY_REFRESH, MANDATORY_REFRESH),
                );
                with_cache(|cache| cache.insert(self.s3express_id, bucket, entry.clone()));
                entry
            }
        };
        entry.frozen_with(lane, &fetch).await
    }

    /// The signed CreateSession request a call to `call` would send first
    /// (when no session is cached), without sending it; `None` when `call`
    /// is not signed with session auth.
    pub fn prepare_create_session(&self, call: &PreparedCall) -> Result<Option<HttpRequest>> {
        if !call.session_auth {
            return Ok(None);
        }
        let input = serde_json::json!({ "Bucket": call.bucket.as_deref().unwrap_or_default() });
        let session = self.prepare(&create_session::OPERATION, &input)?;
        self.sign(&session, &self.first_attempt(), SystemTime::now())
            .map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry() -> Entry {
        Arc::new(RefreshableCredentials::new(
            METHOD,
            None,
            Box::new(RefreshedByCaller),
        ))
    }

    #[test]
    fn lru_keeps_the_most_recent_hundred_across_clients() {
        let mut cache = Lru::new();
        let (a, b) = (1, 2);
        cache.insert(a, "first", entry());
        for i in 0..CACHE_SIZE - 1 {
            cache.insert(b, &format!("bucket-{i}"), entry());
        }
        // A hit makes "first" the most recent: the next insert evicts b's oldest.
        assert!(cache.lookup(a, "first").is_some());
        cache.insert(b, "one-more", entry());
        assert_eq!(cache.entries.len(), CACHE_SIZE);
        assert!(cache.lookup(a, "first").is_some());
        assert!(cache.lookup(b, "bucket-0").is_none());
        assert!(cache.lookup(b, "bucket-1").is_some());
        assert!(cache.lookup(a, "bucket-1").is_none(), "keys are per client");
    }

    #[test]
    fn an_entry_added_meanwhile_stays() {
        let mut cache = Lru::new();
        let first = entry();
        cache.insert(7, "b", first.clone());
        cache.insert(7, "b", entry());
        assert!(Arc::ptr_eq(&cache.lookup(7, "b").unwrap(), &first));
    }

    #[test]
    fn session_credentials_from_the_output() {
        let s = |v: &str| Document::Str(v.to_string());
        let doc = Document::Map(vec![(
            "Credentials".into(),
            Document::Map(vec![
                ("AccessKeyId".into(), s("ak")),
                ("SecretAccessKey".into(), s("sk")),
                ("SessionToken".into(), s("tok")),
                ("Expiration".into(), s("2026-11-23T19:07:51Z")),
            ]),
        )]);
        let fetched = session_from_output(&doc).unwrap();
        assert_eq!(fetched.credentials.access_key, "ak");
        assert_eq!(fetched.credentials.token.as_deref(), Some("tok"));
        assert_eq!(
            fetched.expiry,
            Some(SystemTime::UNIX_EPOCH + Duration::from_secs(1_795_460_871))
        );
        let missing = session_from_output(&Document::Map(vec![])).unwrap_err();
        assert!(
            matches!(missing, Error::Builtin { class: "KeyError", ref message } if message == "'Credentials'")
        );
        assert_eq!(
            parse_expiration("1795460871"),
            Some(SystemTime::UNIX_EPOCH + Duration::from_secs(1_795_460_871))
        );
    }

    #[test]
    fn signs_with_the_session_token_header() {
        let mut request = HttpRequest {
            method: "GET",
            url: "http://127.0.0.1:9000/b--usw2-az1--x-s3?acl".into(),
            headers: vec![],
            body: vec![],
        };
        let session = Credentials::new("ASIA", "secret", Some("tok".into()), METHOD);
        let scope = SigningScope {
            region: "us-west-2".into(),
            service: "s3express".into(),
        };
        let time = SystemTime::UNIX_EPOCH + Duration::from_secs(1_795_460_871);
        sign(&mut request, &session, &scope, time, PayloadSigning::Signed).unwrap();
        let names: Vec<&str> = request.headers.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            names,
            [
                "X-Amz-Date",
                "X-Amz-Content-SHA256",
                "x-amz-s3session-token",
                "Authorization"
            ]
        );
        let auth = request.header("Authorization").unwrap();
        assert!(auth.starts_with(
            "AWS4-HMAC-SHA256 Credential=ASIA/20261123/us-west-2/s3express/aws4_request, \
             SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-s3session-token, "
        ));
        assert!(request.header("X-Amz-Security-Token").is_none());
    }
}
