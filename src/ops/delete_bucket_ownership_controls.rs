use super::common::*;
use crate::model::shape::Payload;
use crate::model::Operation;

pub static OPERATION: Operation = Operation {
    name: "DeleteBucketOwnershipControls",
    python_name: "delete_bucket_ownership_controls",
    method: "DELETE",
    request_uri: "?ownershipControls",
    input: &BUCKET_ONLY_INPUT,
    input_payload: Payload::None,
    output: None,
    output_payload: Payload::None,
    request_checksum_required: false,
    request_algorithm_member: None,
    use_s3_express_control_endpoint: true,
    modeled_errors: &[],
};
