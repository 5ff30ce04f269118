//! SigV4a (`AWS4-ECDSA-P256-SHA256`), which the S3 endpoint rules ask for
//! with Multi-Region Access Points and (first of two schemes) Outposts
//! buckets. botocore signs it through awscrt (`CrtS3SigV4AsymAuth`); the
//! request is the SigV4 one with these differences:
//!
//! * an `X-Amz-Region-Set` header (the rules' `signingRegionSet` joined with
//!   `,`, or `Config(sigv4a_signing_region_set=...)`), signed like the rest;
//! * a credential scope without a region: `<date>/<service>/aws4_request`;
//! * an ECDSA P-256 signature of the string to sign, hex DER, with a key
//!   derived from the access key and secret (not from date, region or
//!   service), so one key serves every call of those credentials.
//!
//! The canonical request is SigV4's own ([`crate::signing::canonical_request`]):
//! botocore's S3 flavour (no path normalisation, the query as sent,
//! `x-amz-content-sha256` always sent and signed). Key derivation and ECDSA
//! come from the aws-sigv4 crate. Its signatures are deterministic (RFC 6979
//! nonces) where awscrt's are randomized: both verify with the same public
//! key, neither can be compared byte for byte.

use std::cell::RefCell;
use std::fmt::Write as _;
use std::time::SystemTime;

use aws_sigv4::sign::v4a::{calculate_signature, generate_signing_key};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::credentials::Credentials;
use crate::error::Result;
use crate::protocol::HttpRequest;
use crate::signing::{amz_date, canonical_request_for, PayloadSigning, Signer, SIGNER_HEADERS};

pub const ALGORITHM: &str = "AWS4-ECDSA-P256-SHA256";

/// Where a SigV4a request is valid and for which service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionSetScope {
    /// `*`, one region, or several joined with `,`; sent as `X-Amz-Region-Set`.
    pub region_set: String,
    /// The rules' `signingName`: `s3`, `s3-outposts`.
    pub service: String,
}

struct CachedKey {
    access_key: String,
    secret: Zeroizing<String>,
    key: Zeroizing<[u8; 32]>,
}

thread_local! {
    /// The last SigV4a key this thread derived, for the same credentials.
    static SIGNING_KEY: RefCell<Option<CachedKey>> = const { RefCell::new(None) };
}

fn with_signing_key<R>(access_key: &str, secret: &str, f: impl FnOnce(&[u8]) -> R) -> R {
    SIGNING_KEY.with(|slot| {
        let mut slot = slot.borrow_mut();
        let hit = slot
            .as_ref()
            .is_some_and(|k| k.access_key == access_key && *k.secret == secret);
        if !hit {
            let derived = generate_signing_key(access_key, secret);
            let mut key = Zeroizing::new([0u8; 32]);
            key.copy_from_slice(derived.as_ref());
            *slot = Some(CachedKey {
                access_key: access_key.to_string(),
                secret: Zeroizing::new(secret.to_string()),
                key,
            });
        }
        f(&slot.as_ref().expect("just filled").key[..])
    })
}

/// Signs `request` in place with SigV4a, as botocore's `CrtS3SigV4AsymAuth`:
/// every header already on the request is signed except botocore's unsigned
/// ones, and `X-Amz-Date`, `X-Amz-Security-Token` (non-empty token only),
/// `X-Amz-Region-Set`, `x-amz-content-sha256` and `Authorization` are set.
pub fn sign_v4a(
    request: &mut HttpRequest,
    credentials: &Credentials,
    scope: &RegionSetScope,
    time: SystemTime,
    payload: PayloadSigning,
    signer: Signer,
) -> Result<()> {
    let date_time = amz_date(time);
    let date = &date_time[..8];
    let token = credentials.token.as_deref().filter(|t| !t.is_empty());
    let payload_hash = match payload {
        PayloadSigning::Signed => hex::encode(Sha256::digest(&request.body)),
        PayloadSigning::Unsigned => "UNSIGNED-PAYLOAD".to_string(),
    };
    request.headers.retain(|(k, _)| {
        !SIGNER_HEADERS.iter().any(|s| k.eq_ignore_ascii_case(s))
            && !k.eq_ignore_ascii_case("x-amz-region-set")
    });
    // In the order and spelling awscrt adds them.
    if let Some(token) = token {
        request
            .headers
            .push(("X-Amz-Security-Token".into(), token.to_string()));
    }
    request
        .headers
        .push(("X-Amz-Date".into(), date_time.clone()));
    request
        .headers
        .push(("X-Amz-Region-Set".into(), scope.region_set.clone()));
    if signer == Signer::S3 {
        request
            .headers
            .push(("x-amz-content-sha256".into(), payload_hash.clone()));
    }

    let (canonical, signed_names) = canonical_request_for(request, &payload_hash, signer);
    let string_to_sign = string_to_sign(&date_time, &scope.service, &canonical);
    let signature = with_signing_key(&credentials.access_key, &credentials.secret_key, |key| {
        calculate_signature(key, string_to_sign.as_bytes())
    });
    request.headers.push((
        "Authorization".into(),
        format!(
            "{ALGORITHM} Credential={}/{date}/{}/aws4_request, \
             SignedHeaders={signed_names}, Signature={signature}",
            credentials.access_key, scope.service
        ),
    ));
    Ok(())
}

fn string_to_sign(date_time: &str, service: &str, canonical: &str) -> String {
    let mut out = String::with_capacity(160);
    let _ = write!(
        out,
        "{ALGORITHM}\n{date_time}\n{}/{service}/aws4_request\n{}",
        &date_time[..8],
        hex::encode(Sha256::digest(canonical.as_bytes()))
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signing::canonical_request;
    use p256::ecdsa::signature::Verifier;
    use p256::ecdsa::{DerSignature, SigningKey, VerifyingKey};
    use p256::elliptic_curve::sec1::ToSec1Point;
    use std::time::{Duration, UNIX_EPOCH};

    const ACCESS_KEY: &str = "AKIDEXAMPLE";
    const SECRET_KEY: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    const TOKEN: &str = "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267";
    /// The public key of every case of the published SigV4a signing test
    /// suite (aws-c-auth's, shipped in the aws-sigv4 crate as
    /// `aws-signing-test-suite/v4a/*/public-key.json`): the key the KDF
    /// must derive from `AKIDEXAMPLE` and the secret above.
    const SUITE_PUBLIC_X: &str = "b6618f6a65740a99e650b33b6b4b5bd0d43b176d721a3edfea7e7d2d56d936b1";
    const SUITE_PUBLIC_Y: &str = "865ed22a7eadc9c5cb9d2cbaca1b3699139fedc5043dc6661864218330c8e518";

    fn creds(token: Option<&str>) -> Credentials {
        Credentials {
            access_key: ACCESS_KEY.into(),
            secret_key: SECRET_KEY.into(),
            token: token.map(str::to_string),
            method: "explicit".into(),
            account_id: None,
        }
    }

    fn suite_public_key() -> VerifyingKey {
        let mut sec1 = vec![4u8];
        sec1.extend(hex::decode(SUITE_PUBLIC_X).unwrap());
        sec1.extend(hex::decode(SUITE_PUBLIC_Y).unwrap());
        VerifyingKey::from_sec1_bytes(&sec1).unwrap()
    }

    fn verify(public: &VerifyingKey, string_to_sign: &str, signature_hex: &str) -> bool {
        let der = hex::decode(signature_hex).unwrap();
        let signature = DerSignature::try_from(der.as_slice()).unwrap();
        public.verify(string_to_sign.as_bytes(), &signature).is_ok()
    }

    fn authorization_parts(auth: &str) -> (String, String, String) {
        let rest = auth
            .strip_prefix("AWS4-ECDSA-P256-SHA256 Credential=")
            .unwrap();
        let (credential, rest) = rest.split_once(", SignedHeaders=").unwrap();
        let (signed, signature) = rest.split_once(", Signature=").unwrap();
        (credential.into(), signed.into(), signature.into())
    }

    #[test]
    fn derived_key_is_the_suites_public_key() {
        let public = with_signing_key(ACCESS_KEY, SECRET_KEY, |key| {
            *SigningKey::from_slice(key).unwrap().verifying_key()
        });
        let point = public.as_affine().to_sec1_point(false);
        assert_eq!(hex::encode(point.x().unwrap()), SUITE_PUBLIC_X);
        assert_eq!(hex::encode(point.y().unwrap()), SUITE_PUBLIC_Y);
    }

    #[test]
    fn cached_key_follows_the_credentials() {
        let first = with_signing_key(ACCESS_KEY, SECRET_KEY, |k| k.to_vec());
        let other_secret = with_signing_key(ACCESS_KEY, "another secret", |k| k.to_vec());
        let other_access = with_signing_key("AKIDOTHER", SECRET_KEY, |k| k.to_vec());
        let again = with_signing_key(ACCESS_KEY, SECRET_KEY, |k| k.to_vec());
        assert_ne!(first, other_secret);
        assert_ne!(first, other_access);
        assert_ne!(other_secret, other_access);
        assert_eq!(first, again);
        assert_eq!(
            first,
            generate_signing_key(ACCESS_KEY, SECRET_KEY)
                .as_ref()
                .to_vec()
        );
    }

    /// The suite's `get-vanilla-with-session-token` case (GET / on
    /// example.amazonaws.com, region set us-east-1, service `service`,
    /// 2015-08-30T12:36:00Z): its canonical request and string to sign,
    /// from our canonical request builder.
    #[test]
    fn suite_vanilla_with_session_token() {
        let request = HttpRequest {
            method: "GET",
            url: "https://example.amazonaws.com/".into(),
            headers: vec![
                ("X-Amz-Security-Token".into(), TOKEN.into()),
                ("X-Amz-Date".into(), "20150830T123600Z".into()),
                ("X-Amz-Region-Set".into(), "us-east-1".into()),
            ],
            body: vec![],
        };
        let (canonical, signed) = canonical_request(
            &request,
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        );
        assert_eq!(
            canonical,
            format!(
                "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\
                 x-amz-region-set:us-east-1\nx-amz-security-token:{TOKEN}\n\n\
                 host;x-amz-date;x-amz-region-set;x-amz-security-token\n\
                 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
            )
        );
        assert_eq!(
            signed,
            "host;x-amz-date;x-amz-region-set;x-amz-security-token"
        );
        let sts = string_to_sign("20150830T123600Z", "service", &canonical);
        assert_eq!(
            sts,
            "AWS4-ECDSA-P256-SHA256\n20150830T123600Z\n20150830/service/aws4_request\n\
             79893373104239a0547df489af395ec3c1b8873a8601f07f11ffd3f1ac557e7d"
        );
        // The suite's own (randomized) signature verifies with its public key...
        let suite_signature = "30450221008f4516c8850ed9eb29502658d1f0e0f6cabc11a44963c558efd1dd8e9fb084a0022032e47df89ad1a5b4e2b82d3a68dbe31d6ef8e1ea8c3815b2097538c4695d184e";
        assert!(verify(&suite_public_key(), &sts, suite_signature));
        // ...and not over another string.
        assert!(!verify(
            &suite_public_key(),
            &sts.replace("/service/", "/servicf/"),
            suite_signature
        ));
    }

    #[test]
    fn mrap_put_is_signed_as_botocore_crt() {
        let mut request = HttpRequest {
            method: "PUT",
            url: "https://mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com/?policy".into(),
            headers: vec![
                ("x-amz-checksum-crc32".into(), "o6a/Qw==".into()),
                ("x-amz-sdk-checksum-algorithm".into(), "CRC32".into()),
            ],
            body: b"{}".to_vec(),
        };
        let scope = RegionSetScope {
            region_set: "*".into(),
            service: "s3".into(),
        };
        let t = UNIX_EPOCH + Duration::from_secs(1_795_460_871);
        sign_v4a(
            &mut request,
            &creds(Some(TOKEN)),
            &scope,
            t,
            PayloadSigning::Signed,
            Signer::S3,
        )
        .unwrap();
        assert_eq!(request.header("X-Amz-Date"), Some("20261123T190751Z"));
        assert_eq!(request.header("X-Amz-Region-Set"), Some("*"));
        assert_eq!(request.header("X-Amz-Security-Token"), Some(TOKEN));
        assert_eq!(
            request.header("x-amz-content-sha256"),
            Some("44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a")
        );
        let (credential, signed, signature) =
            authorization_parts(request.header("Authorization").unwrap());
        assert_eq!(credential, "AKIDEXAMPLE/20261123/s3/aws4_request");
        // What botocore 1.43 with awscrt 0.32 signs for this call.
        assert_eq!(
            signed,
            "host;x-amz-checksum-crc32;x-amz-content-sha256;x-amz-date;x-amz-region-set;\
             x-amz-sdk-checksum-algorithm;x-amz-security-token"
        );
        let canonical = format!(
            "PUT\n/\npolicy=\n\
             host:mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com\n\
             x-amz-checksum-crc32:o6a/Qw==\n\
             x-amz-content-sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a\n\
             x-amz-date:20261123T190751Z\nx-amz-region-set:*\n\
             x-amz-sdk-checksum-algorithm:CRC32\nx-amz-security-token:{TOKEN}\n\n{signed}\n\
             44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"
        );
        let sts = format!(
            "AWS4-ECDSA-P256-SHA256\n20261123T190751Z\n20261123/s3/aws4_request\n{}",
            hex::encode(Sha256::digest(canonical.as_bytes()))
        );
        assert!(verify(&suite_public_key(), &sts, &signature));
        assert!(!verify(
            &suite_public_key(),
            &sts.replace("20261123/s3/", "20261123/s4/"),
            &signature
        ));
        // Signing again (a retry) replaces the signer's headers.
        sign_v4a(
            &mut request,
            &creds(None),
            &scope,
            t,
            PayloadSigning::Unsigned,
            Signer::S3,
        )
        .unwrap();
        for name in [
            "x-amz-date",
            "x-amz-region-set",
            "x-amz-content-sha256",
            "authorization",
        ] {
            assert_eq!(
                request
                    .headers
                    .iter()
                    .filter(|(k, _)| k.eq_ignore_ascii_case(name))
                    .count(),
                1,
                "{name}"
            );
        }
        assert_eq!(request.header("X-Amz-Security-Token"), None);
        assert_eq!(
            request.header("x-amz-content-sha256"),
            Some("UNSIGNED-PAYLOAD")
        );
    }

    #[test]
    fn region_set_and_service_come_from_the_scope() {
        let mut request = HttpRequest {
            method: "GET",
            url: "https://ap-111111111111.op-01234567890123456.s3-outposts.us-west-2.amazonaws.com/?acl"
                .into(),
            headers: vec![],
            body: vec![],
        };
        let scope = RegionSetScope {
            region_set: "us-west-2,us-east-1".into(),
            service: "s3-outposts".into(),
        };
        let t = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        sign_v4a(
            &mut request,
            &creds(Some("")),
            &scope,
            t,
            PayloadSigning::Signed,
            Signer::S3,
        )
        .unwrap();
        assert_eq!(
            request.header("X-Amz-Region-Set"),
            Some("us-west-2,us-east-1")
        );
        assert_eq!(request.header("X-Amz-Security-Token"), None, "empty token");
        let (credential, signed, signature) =
            authorization_parts(request.header("Authorization").unwrap());
        assert_eq!(credential, "AKIDEXAMPLE/20231114/s3-outposts/aws4_request");
        assert_eq!(
            signed,
            "host;x-amz-content-sha256;x-amz-date;x-amz-region-set"
        );
        let (canonical, _) = canonical_request(
            &HttpRequest {
                headers: request
                    .headers
                    .iter()
                    .filter(|(k, _)| k != "Authorization")
                    .cloned()
                    .collect(),
                ..request.clone()
            },
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        );
        assert!(canonical.contains("\nx-amz-region-set:us-west-2,us-east-1\n"));
        let sts = string_to_sign("20231114T221320Z", "s3-outposts", &canonical);
        assert!(verify(&suite_public_key(), &sts, &signature));
    }
}
