use super::common::*;
use crate::model::shape::Payload;
use crate::model::Operation;

pub static OPERATION: Operation = Operation {
    name: "DeletePublicAccessBlock",
    python_name: "delete_public_access_block",
    method: "DELETE",
    request_uri: "?publicAccessBlock",
    input: &BUCKET_ONLY_INPUT,
    input_payload: Payload::None,
    output: None,
    output_payload: Payload::None,
    request_checksum_required: false,
    request_algorithm_member: None,
    use_s3_express_control_endpoint: true,
    modeled_errors: &[],
};
