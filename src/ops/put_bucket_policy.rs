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
};
