use super::common::*;
use crate::model::shape::Payload;
use crate::model::{Member, Operation, Shape};

/// `IsPublic`: a boxed boolean.
static IS_PUBLIC: Shape = Shape::boolean("IsPublic");

static POLICY_STATUS: Shape =
    Shape::structure("PolicyStatus", &[Member::body("IsPublic", &IS_PUBLIC)], &[]);

static OUTPUT: Shape = Shape::structure(
    "GetBucketPolicyStatusOutput",
    &[Member::body("PolicyStatus", &POLICY_STATUS)],
    &[],
);

pub static OPERATION: Operation = Operation {
    name: "GetBucketPolicyStatus",
    python_name: "get_bucket_policy_status",
    method: "GET",
    request_uri: "?policyStatus",
    input: &BUCKET_ONLY_INPUT,
    input_payload: Payload::None,
    output: Some(&OUTPUT),
    output_payload: Payload::Member("PolicyStatus"),
    request_checksum_required: false,
    request_algorithm_member: None,
    use_s3_express_control_endpoint: true,
    modeled_errors: &[],
};
