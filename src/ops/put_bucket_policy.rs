use super::common::*;
use crate::model::shape::Payload;
use crate::model::{Member, Operation, Shape};

static POLICY: Shape = Shape::string("Policy");

static INPUT: Shape = Shape::structure(
    "PutBucketPolicyRequest",
    &[
        BUCKET,
        CONTENT_MD5,
        CHECKSUM_ALGORITHM_MEMBER,
        Member::header(
            "ConfirmRemoveSelfBucketAccess",
            "x-amz-confirm-remove-self-bucket-access",
            &BOOLEAN,
        ),
        Member::body("Policy", &POLICY),
        EXPECTED_BUCKET_OWNER,
    ],
    &["Bucket", "Policy"],
);

pub static OPERATION: Operation = Operation {
    name: "PutBucketPolicy",
    python_name: "put_bucket_policy",
    method: "PUT",
    request_uri: "?policy",
    input: &INPUT,
    input_payload: Payload::Member("Policy"),
    output: None,
    output_payload: Payload::None,
    request_checksum_required: true,
    request_algorithm_member: Some("ChecksumAlgorithm"),
    use_s3_express_control_endpoint: true,
    modeled_errors: &[],
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::validate::validate;
    use crate::protocol::serialize::serialize;
    use serde_json::json;

    fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
        headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    // What botocore 1.43 serializes for the same input: the policy as UTF-8
    // bytes (the payload member), every optional member as its header.
    #[test]
    fn policy_payload_and_headers_match_botocore() {
        let policy = "{\"Statement\":[{\"Sid\":\"é✓\",\"Effect\":\"Allow\"}]}";
        let input = json!({
            "Bucket": "my-bucket",
            "Policy": policy,
            "ChecksumAlgorithm": "SHA256",
            "ConfirmRemoveSelfBucketAccess": true,
            "ExpectedBucketOwner": "123456789012",
            "ContentMD5": "abc==",
        });
        let value = validate(&INPUT, &input).unwrap().value;
        let request = serialize(&OPERATION, &value);
        assert_eq!(request.method, "PUT");
        // The bucket goes into the URL with the endpoint.
        assert_eq!(request.path_and_query, "?policy");
        assert_eq!(request.body, policy.as_bytes());
        let h = &request.headers;
        assert_eq!(
            header(h, "x-amz-confirm-remove-self-bucket-access"),
            Some("true")
        );
        assert_eq!(
            header(h, "x-amz-expected-bucket-owner"),
            Some("123456789012")
        );
        assert_eq!(header(h, "Content-MD5"), Some("abc=="));
        assert_eq!(header(h, "x-amz-sdk-checksum-algorithm"), Some("SHA256"));
    }

    #[test]
    fn false_and_absent_members() {
        let input = json!({"Bucket": "b", "Policy": "", "ConfirmRemoveSelfBucketAccess": false});
        let value = validate(&INPUT, &input).unwrap().value;
        let request = serialize(&OPERATION, &value);
        assert!(request.body.is_empty());
        assert_eq!(
            header(&request.headers, "x-amz-confirm-remove-self-bucket-access"),
            Some("false")
        );
        assert_eq!(
            header(&request.headers, "x-amz-expected-bucket-owner"),
            None
        );
        assert_eq!(header(&request.headers, "Content-MD5"), None);
    }

    #[test]
    fn every_problem_is_reported_at_once_in_botocore_words() {
        let input = json!({"Policy": 5, "ConfirmRemoveSelfBucketAccess": "yes", "Bogus": 1});
        let errors = validate(&INPUT, &input).unwrap_err();
        assert_eq!(
            errors,
            vec![
                "Missing required parameter in input: \"Bucket\"",
                "Unknown parameter in input: \"Bogus\", must be one of: Bucket, ContentMD5, \
                 ChecksumAlgorithm, ConfirmRemoveSelfBucketAccess, Policy, ExpectedBucketOwner",
                // The wrong types in the caller's order, as botocore's validator.
                "Invalid type for parameter Policy, value: 5, type: <class 'int'>, valid types: \
                 <class 'str'>",
                "Invalid type for parameter ConfirmRemoveSelfBucketAccess, value: yes, type: \
                 <class 'str'>, valid types: <class 'bool'>",
            ]
        );
    }
}
