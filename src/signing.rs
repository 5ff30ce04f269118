//! Request signing: SigV4 through the aws-sigv4 crate with S3's settings
//! (single percent-encoding, no path normalisation, signed payload hash),
//! as botocore's S3SigV4Auth does.

use std::time::SystemTime;

use aws_credential_types::Credentials as AwsCredentials;
use aws_sigv4::http_request::{
    sign, PayloadChecksumKind, PercentEncodingMode, SessionTokenMode, SignableBody,
    SignableRequest, SignatureLocation, SigningSettings, UriPathNormalizationMode,
};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::identity::Identity;

use crate::credentials::Credentials;
use crate::error::{Error, Result};
use crate::protocol::HttpRequest;
use sha1::Sha1;

/// Where and how a request is signed, as the endpoint rules decide.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigningScope {
    pub region: String,
    /// `s3`, or `s3express` for directory-bucket control endpoints.
    pub service: String,
}

fn s3_settings() -> SigningSettings {
    let mut settings = SigningSettings::default();
    settings.percent_encoding_mode = PercentEncodingMode::Single;
    settings.payload_checksum_kind = PayloadChecksumKind::XAmzSha256;
    settings.signature_location = SignatureLocation::Headers;
    settings.uri_path_normalization_mode = UriPathNormalizationMode::Disabled;
    settings.session_token_mode = SessionTokenMode::Include;
    settings
}

/// Signs `request` in place with SigV4: every header already on the request
/// is signed (callers add unsigned ones such as User-Agent afterwards), and
/// `X-Amz-Date`, `X-Amz-Content-SHA256`, `X-Amz-Security-Token` and
/// `Authorization` are appended.
pub fn sign_v4(
    request: &mut HttpRequest,
    credentials: &Credentials,
    scope: &SigningScope,
    time: SystemTime,
) -> Result<()> {
    let identity: Identity = AwsCredentials::new(
        credentials.access_key.clone(),
        credentials.secret_key.clone(),
        // botocore sends no token header for an empty token (a credentials
        // file may say `aws_session_token =`).
        credentials.token.clone().filter(|t| !t.is_empty()),
        None,
        "fastboto",
    )
    .into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(&scope.region)
        .name(&scope.service)
        .time(time)
        .settings(s3_settings())
        .build()
        .map_err(|e| Error::Internal(format!("signing parameters: {e}")))?
        .into();
    let signable = SignableRequest::new(
        request.method,
        &request.url,
        request
            .headers
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str())),
        SignableBody::Bytes(&request.body),
    )
    .map_err(|e| Error::Internal(format!("unsignable request: {e}")))?;
    let (instructions, _signature) = sign(signable, &params)
        .map_err(|e| Error::Internal(format!("signing failed: {e}")))?
        .into_parts();
    let (headers, _) = instructions.into_parts();
    for header in headers {
        let name = match header.name() {
            "x-amz-date" => "X-Amz-Date",
            // botocore[crt] (what CI installs) spells this one lower-case.
            "x-amz-content-sha256" => "x-amz-content-sha256",
            "x-amz-security-token" => "X-Amz-Security-Token",
            "authorization" => "Authorization",
            other => other,
        };
        request
            .headers
            .push((name.to_string(), header.value().to_string()));
    }
    Ok(())
}

/// botocore's `HmacV1Auth` (`signature_version="s3"`), the legacy
/// `Authorization: AWS AK:signature` scheme that S3-compatible stores such as
/// Huawei OBS document. `resource` is botocore's canonical resource, e.g.
/// `/bucket/?policy`.
pub fn sign_hmac_v1(
    request: &mut HttpRequest,
    credentials: &Credentials,
    resource: &str,
    time: SystemTime,
) -> Result<()> {
    use base64::Engine;
    use hmac::{Hmac, KeyInit, Mac};

    request
        .headers
        .retain(|(k, _)| !k.eq_ignore_ascii_case("Date"));
    request
        .headers
        .push(("Date".into(), httpdate::fmt_http_date(time)));
    if let Some(token) = credentials.token.as_deref().filter(|t| !t.is_empty()) {
        request
            .headers
            .retain(|(k, _)| !k.eq_ignore_ascii_case("x-amz-security-token"));
        request
            .headers
            .push(("x-amz-security-token".into(), token.to_string()));
    }
    let standard = |name: &str| {
        request
            .headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim())
            .collect::<Vec<_>>()
            .join("\n")
    };
    let mut custom: Vec<(String, String)> = Vec::new();
    for (k, v) in &request.headers {
        let lower = k.to_ascii_lowercase();
        if !lower.starts_with("x-amz-") {
            continue;
        }
        match custom.iter_mut().find(|(name, _)| *name == lower) {
            Some((_, joined)) => {
                joined.push(',');
                joined.push_str(v.trim());
            }
            None => custom.push((lower, v.trim().to_string())),
        }
    }
    custom.sort();
    let mut string_to_sign = format!(
        "{}\n{}\n{}\n{}\n",
        request.method,
        standard("content-md5"),
        standard("content-type"),
        standard("date")
    );
    for (k, v) in &custom {
        string_to_sign.push_str(&format!("{k}:{v}\n"));
    }
    string_to_sign.push_str(resource);
    let mut mac = Hmac::<Sha1>::new_from_slice(credentials.secret_key.as_bytes())
        .map_err(|e| Error::Internal(format!("HMAC key: {e}")))?;
    mac.update(string_to_sign.as_bytes());
    let signature = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
    request
        .headers
        .retain(|(k, _)| !k.eq_ignore_ascii_case("Authorization"));
    request.headers.push((
        "Authorization".into(),
        format!("AWS {}:{signature}", credentials.access_key),
    ));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    fn creds(token: Option<&str>) -> Credentials {
        Credentials {
            access_key: "AKIDEXAMPLE".into(),
            secret_key: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY".into(),
            token: token.map(str::to_string),
            method: "explicit".into(),
        }
    }

    fn header<'a>(req: &'a HttpRequest, name: &str) -> &'a str {
        req.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .unwrap()
    }

    // Expected values computed with botocore 1.43's S3SigV4Auth for the same
    // request at 2013-05-24T00:00:00Z (the AWS S3 SigV4 documentation date).
    #[test]
    fn matches_botocore_s3_sigv4() {
        let mut req = HttpRequest {
            method: "PUT",
            url: "https://examplebucket.s3.us-east-1.amazonaws.com/?policy".into(),
            headers: vec![("x-amz-checksum-crc32".into(), "jNwWgw==".into())],
            body: b"x".to_vec(),
        };
        let scope = SigningScope {
            region: "us-east-1".into(),
            service: "s3".into(),
        };
        let t = UNIX_EPOCH + Duration::from_secs(1_369_353_600);
        sign_v4(&mut req, &creds(None), &scope, t).unwrap();
        assert_eq!(header(&req, "x-amz-date"), "20130524T000000Z");
        assert_eq!(
            header(&req, "x-amz-content-sha256"),
            "2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881"
        );
        let auth = header(&req, "authorization");
        assert!(auth.starts_with(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20130524/us-east-1/s3/aws4_request, \
             SignedHeaders=host;x-amz-checksum-crc32;x-amz-content-sha256;x-amz-date, Signature="
        ));
        assert_eq!(&auth[auth.len() - 64..], BOTOCORE_SIGNATURE);
    }

    #[test]
    fn session_token_is_signed() {
        let mut req = HttpRequest {
            method: "GET",
            url: "http://127.0.0.1:9000/bucket?policy".into(),
            headers: vec![],
            body: vec![],
        };
        let scope = SigningScope {
            region: "eu-west-1".into(),
            service: "s3".into(),
        };
        sign_v4(&mut req, &creds(Some("TOKEN")), &scope, SystemTime::now()).unwrap();
        assert_eq!(header(&req, "x-amz-security-token"), "TOKEN");
        assert!(header(&req, "authorization")
            .contains("SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token"));
    }

    // botocore 1.43 HmacV1Auth, same request, Date "Mon, 23 Nov 2026 19:07:51 GMT".
    #[test]
    fn hmac_v1_matches_botocore() {
        let mut req = HttpRequest {
            method: "PUT",
            url: "https://mybucket.s3.amazonaws.com/?policy".into(),
            headers: vec![
                ("x-amz-expected-bucket-owner".into(), "1".into()),
                ("x-amz-checksum-crc32".into(), "jNwWgw==".into()),
                ("x-amz-sdk-checksum-algorithm".into(), "CRC32".into()),
            ],
            body: b"x".to_vec(),
        };
        let creds = Credentials {
            access_key: "AKID".into(),
            secret_key: "SECRET".into(),
            token: None,
            method: "explicit".into(),
        };
        let t = UNIX_EPOCH + Duration::from_secs(1_795_460_871);
        sign_hmac_v1(&mut req, &creds, "/mybucket/?policy", t).unwrap();
        assert_eq!(header(&req, "date"), "Mon, 23 Nov 2026 19:07:51 GMT");
        assert_eq!(
            header(&req, "authorization"),
            "AWS AKID:+sAaDlsamLyfB+5AV1f4Sj24n9g="
        );
    }

    const BOTOCORE_SIGNATURE: &str = include_str!("signing_vector.txt");
}
