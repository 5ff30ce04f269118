//! HeadBucket: a public client method, and what botocore's S3 region
//! redirector sends to learn a bucket's region (`x-amz-bucket-region`) when
//! a redirect-like error does not name one.

use super::common::*;
use crate::model::shape::Payload;
use crate::model::{Member, Operation, Shape};

/// `AccessPointAlias`: a boolean, in a header.
static ACCESS_POINT_ALIAS: Shape = Shape::boolean("AccessPointAlias");

static OUTPUT: Shape = Shape::structure(
    "HeadBucketOutput",
    &[
        Member::header("BucketArn", "x-amz-bucket-arn", &STRING),
        Member::header("BucketLocationType", "x-amz-bucket-location-type", &STRING),
        Member::header("BucketLocationName", "x-amz-bucket-location-name", &STRING),
        Member::header("BucketRegion", "x-amz-bucket-region", &STRING),
        Member::header(
            "AccessPointAlias",
            "x-amz-access-point-alias",
            &ACCESS_POINT_ALIAS,
        ),
    ],
    &[],
);

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
    output: Some(&OUTPUT),
    output_payload: Payload::None,
    request_checksum_required: false,
    request_algorithm_member: None,
    // HeadBucket has no `UseS3ExpressControlEndpoint` static context
    // parameter (it is a data-plane call for directory buckets).
    use_s3_express_control_endpoint: false,
    modeled_errors: &["NoSuchBucket"],
};
