use super::common::*;
use crate::model::shape::Payload;
use crate::model::{Member, Operation, Shape};

static INPUT: Shape = Shape::structure(
    "PutBucketOwnershipControlsRequest",
    &[
        BUCKET,
        CONTENT_MD5,
        EXPECTED_BUCKET_OWNER,
        Member::body("OwnershipControls", &OWNERSHIP_CONTROLS)
            .named("OwnershipControls")
            .namespaced(S3_NAMESPACE),
        CHECKSUM_ALGORITHM_MEMBER,
    ],
    &["Bucket", "OwnershipControls"],
);

pub static OPERATION: Operation = Operation {
    name: "PutBucketOwnershipControls",
    python_name: "put_bucket_ownership_controls",
    method: "PUT",
    request_uri: "?ownershipControls",
    input: &INPUT,
    input_payload: Payload::Member("OwnershipControls"),
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

    // Expected body: what botocore 1.44 serializes (a flattened list: one
    // <Rule> element per rule, no wrapper).
    #[test]
    fn rules_are_flattened_as_botocore() {
        let input = json!({
            "Bucket": "b",
            "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}, {"ObjectOwnership": "a&b"}]}
        });
        let value = validate(&INPUT, &input).unwrap().value;
        let body = String::from_utf8(serialize(&OPERATION, &value).body).unwrap();
        assert_eq!(
            body,
            "<OwnershipControls xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">\
             <Rule><ObjectOwnership>BucketOwnerEnforced</ObjectOwnership></Rule>\
             <Rule><ObjectOwnership>a&amp;b</ObjectOwnership></Rule></OwnershipControls>"
        );
    }

    #[test]
    fn missing_rules_are_reported_with_their_path() {
        let input = json!({"Bucket": "b", "OwnershipControls": {"Rules": [{}]}});
        assert_eq!(
            validate(&INPUT, &input).unwrap_err(),
            vec!["Missing required parameter in OwnershipControls.Rules[0]: \"ObjectOwnership\""]
        );
    }
}
