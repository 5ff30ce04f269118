use super::common::*;
use crate::model::shape::Payload;
use crate::model::{Member, Operation, Shape};

static INPUT: Shape = Shape::structure(
    "PutPublicAccessBlockRequest",
    &[
        BUCKET,
        CONTENT_MD5,
        CHECKSUM_ALGORITHM_MEMBER,
        Member::body(
            "PublicAccessBlockConfiguration",
            &PUBLIC_ACCESS_BLOCK_CONFIGURATION,
        )
        .named("PublicAccessBlockConfiguration")
        .namespaced(S3_NAMESPACE),
        EXPECTED_BUCKET_OWNER,
    ],
    &["Bucket", "PublicAccessBlockConfiguration"],
);

pub static OPERATION: Operation = Operation {
    name: "PutPublicAccessBlock",
    python_name: "put_public_access_block",
    method: "PUT",
    request_uri: "?publicAccessBlock",
    input: &INPUT,
    input_payload: Payload::Member("PublicAccessBlockConfiguration"),
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

    // Expected body: what botocore 1.44 serializes for the same input
    // (members in the order given, booleans as true/false).
    #[test]
    fn configuration_xml_matches_botocore() {
        let input = json!({
            "Bucket": "b",
            "PublicAccessBlockConfiguration": {"RestrictPublicBuckets": false, "BlockPublicAcls": true}
        });
        let value = validate(&INPUT, &input).unwrap().value;
        let body = String::from_utf8(serialize(&OPERATION, &value).body).unwrap();
        assert_eq!(
            body,
            "<PublicAccessBlockConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">\
             <RestrictPublicBuckets>false</RestrictPublicBuckets><BlockPublicAcls>true</BlockPublicAcls>\
             </PublicAccessBlockConfiguration>"
        );
    }
}
