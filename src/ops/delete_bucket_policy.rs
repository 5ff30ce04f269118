use super::common::*;
use crate::model::shape::Payload;
use crate::model::Operation;

pub static OPERATION: Operation = Operation {
    name: "DeleteBucketPolicy",
    python_name: "delete_bucket_policy",
    method: "DELETE",
    request_uri: "?policy",
    input: &BUCKET_ONLY_INPUT,
    input_payload: Payload::None,
    output: None,
    output_payload: Payload::None,
    request_checksum_required: false,
    request_algorithm_member: None,
    use_s3_express_control_endpoint: true,
    modeled_errors: &[],
};
