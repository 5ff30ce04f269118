use super::common::*;
use crate::model::shape::Payload;
use crate::model::{Member, Operation, Shape};

static OUTPUT: Shape = Shape::structure(
    "GetPublicAccessBlockOutput",
    &[Member::body(
        "PublicAccessBlockConfiguration",
        &PUBLIC_ACCESS_BLOCK_CONFIGURATION,
    )],
    &[],
);

pub static OPERATION: Operation = Operation {
    name: "GetPublicAccessBlock",
    python_name: "get_public_access_block",
    method: "GET",
    request_uri: "?publicAccessBlock",
    input: &BUCKET_ONLY_INPUT,
    input_payload: Payload::None,
    output: Some(&OUTPUT),
    output_payload: Payload::Member("PublicAccessBlockConfiguration"),
    request_checksum_required: false,
    request_algorithm_member: None,
    use_s3_express_control_endpoint: true,
    modeled_errors: &[],
};
