//! HeadBucket, used internally: botocore's S3 region redirector sends it to
//! learn a bucket's region (`x-amz-bucket-region`) when a redirect-like
//! error does not name one. Not a public client method, so not in
//! [`super::ALL`].

use super::common::*;
use crate::model::shape::Payload;
use crate::model::{Operation, Shape};

static INPUT: Shape = Shape::structure(
    "HeadBucketRequest",
    &[BUCKET, EXPECTED_BUCKET_OWNER],
    &["Bucket"],
);

pub static OPERATION: Operation = Operation {
    name: "HeadBucket",
    python_name: "head_bucket",
    method: "HEAD",
    // `/{Bucket}` with the bucket moved into the endpoint URL by the rules.
    request_uri: "",
    input: &INPUT,
    input_payload: Payload::None,
    // The redirector reads only the response headers; the output members
    // (all headers) are not parsed.
    output: None,
    output_payload: Payload::None,
    request_checksum_required: false,
    request_algorithm_member: None,
    // HeadBucket has no `UseS3ExpressControlEndpoint` static context
    // parameter (it is a data-plane call for directory buckets).
    use_s3_express_control_endpoint: false,
    modeled_errors: &["NoSuchBucket"],
};
