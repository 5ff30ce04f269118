//! CreateSession, used internally: botocore's `S3ExpressIdentityCache`
//! sends it (GET `/?session` on the directory bucket's zonal endpoint,
//! plain SigV4 with signing name `s3express`) to get the session
//! credentials that sign a call whose endpoint asks for `sigv4-s3express`.
//! Not a public client method, so not in [`super::ALL`].

use super::common::*;
use crate::model::shape::Payload;
use crate::model::{Member, Operation, Shape};

static INPUT: Shape = Shape::structure(
    "CreateSessionRequest",
    &[
        Member::header("SessionMode", "x-amz-create-session-mode", &STRING),
        BUCKET,
        Member::header(
            "ServerSideEncryption",
            "x-amz-server-side-encryption",
            &STRING,
        ),
        Member::header(
            "SSEKMSKeyId",
            "x-amz-server-side-encryption-aws-kms-key-id",
            &STRING,
        ),
        Member::header(
            "SSEKMSEncryptionContext",
            "x-amz-server-side-encryption-context",
            &STRING,
        ),
        Member::header(
            "BucketKeyEnabled",
            "x-amz-server-side-encryption-bucket-key-enabled",
            &BOOLEAN,
        ),
    ],
    &["Bucket"],
);

/// `SessionCredentials`. `Expiration` is a timestamp in the model; it is
/// kept as the text S3 sent and read by the identity cache.
static SESSION_CREDENTIALS: Shape = Shape::structure(
    "SessionCredentials",
    &[
        Member::body("AccessKeyId", &STRING),
        Member::body("SecretAccessKey", &STRING),
        Member::body("SessionToken", &STRING),
        Member::body("Expiration", &STRING),
    ],
    &[
        "AccessKeyId",
        "SecretAccessKey",
        "SessionToken",
        "Expiration",
    ],
);

/// Only the body member the identity cache reads (the SSE headers of the
/// output are not used).
static OUTPUT: Shape = Shape::structure(
    "CreateSessionOutput",
    &[Member::body("Credentials", &SESSION_CREDENTIALS)],
    &["Credentials"],
);

pub static OPERATION: Operation = Operation {
    name: "CreateSession",
    python_name: "create_session",
    method: "GET",
    request_uri: "?session",
    input: &INPUT,
    input_payload: Payload::None,
    output: Some(&OUTPUT),
    output_payload: Payload::None,
    request_checksum_required: false,
    request_algorithm_member: None,
    // CreateSession's static context parameter is
    // `DisableS3ExpressSessionAuth` (see `endpoint::apply_static_context_params`).
    use_s3_express_control_endpoint: false,
    modeled_errors: &["NoSuchBucket"],
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::parse::parse_response;
    use crate::protocol::HttpResponse;
    use crate::response::Document;

    #[test]
    fn parses_session_credentials() {
        let body = br#"<?xml version="1.0" encoding="UTF-8"?>
<CreateSessionResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Credentials><SessionToken>tok</SessionToken><SecretAccessKey>sec</SecretAccessKey><AccessKeyId>ak</AccessKeyId><Expiration>2026-01-01T00:05:00Z</Expiration></Credentials></CreateSessionResult>"#;
        let resp = HttpResponse {
            status: 200,
            headers: vec![],
            body: body.to_vec(),
        };
        let Document::Map(out) = parse_response(&OPERATION, &resp, 0).unwrap() else {
            panic!("not a map")
        };
        let (name, Document::Map(creds)) = &out[1] else {
            panic!("no Credentials")
        };
        assert_eq!(name, "Credentials");
        let get = |k: &str| {
            creds
                .iter()
                .find(|(n, _)| n == k)
                .map(|(_, v)| v.clone())
                .unwrap()
        };
        assert_eq!(get("AccessKeyId"), Document::Str("ak".into()));
        assert_eq!(
            get("Expiration"),
            Document::Str("2026-01-01T00:05:00Z".into())
        );
    }
}
