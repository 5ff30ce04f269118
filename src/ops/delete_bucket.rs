use super::common::*;
use crate::model::shape::Payload;
use crate::model::Operation;

pub static OPERATION: Operation = Operation {
    name: "DeleteBucket",
    python_name: "delete_bucket",
    method: "DELETE",
    // `/{Bucket}` with the bucket moved into the endpoint URL by the rules.
    request_uri: "",
    input: &BUCKET_ONLY_INPUT,
    input_payload: Payload::None,
    output: None,
    output_payload: Payload::None,
    request_checksum_required: false,
    request_algorithm_member: None,
    use_s3_express_control_endpoint: true,
    modeled_errors: &[],
};
