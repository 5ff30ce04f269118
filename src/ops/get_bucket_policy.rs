use super::common::*;
use crate::model::shape::Payload;
use crate::model::{Member, Operation, Shape};

static POLICY: Shape = Shape::string("Policy");

static OUTPUT: Shape = Shape::structure(
    "GetBucketPolicyOutput",
    &[Member::body("Policy", &POLICY)],
    &[],
);

pub static OPERATION: Operation = Operation {
    name: "GetBucketPolicy",
    python_name: "get_bucket_policy",
    method: "GET",
    request_uri: "?policy",
    input: &BUCKET_ONLY_INPUT,
    input_payload: Payload::None,
    output: Some(&OUTPUT),
    output_payload: Payload::Member("Policy"),
    request_checksum_required: false,
    request_algorithm_member: None,
    use_s3_express_control_endpoint: true,
    modeled_errors: &[],
};
