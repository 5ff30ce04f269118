use super::common::*;
use crate::model::shape::Payload;
use crate::model::{Member, Operation, Shape};

static OUTPUT: Shape = Shape::structure(
    "GetBucketOwnershipControlsOutput",
    &[Member::body("OwnershipControls", &OWNERSHIP_CONTROLS)],
    &[],
);

pub static OPERATION: Operation = Operation {
    name: "GetBucketOwnershipControls",
    python_name: "get_bucket_ownership_controls",
    method: "GET",
    request_uri: "?ownershipControls",
    input: &BUCKET_ONLY_INPUT,
    input_payload: Payload::None,
    output: Some(&OUTPUT),
    output_payload: Payload::Member("OwnershipControls"),
    request_checksum_required: false,
    request_algorithm_member: None,
    use_s3_express_control_endpoint: true,
    modeled_errors: &[],
};
