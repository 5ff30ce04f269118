//! Shapes shared by the bucket operations (S3 model names).

use crate::model::{Member, Shape};

pub static STRING: Shape = Shape::string("String");
pub static BOOLEAN: Shape = Shape::boolean("Boolean");
pub static BUCKET_NAME: Shape = Shape::string("BucketName");
pub static CHECKSUM_ALGORITHM: Shape = Shape::string("ChecksumAlgorithm");

pub const BUCKET: Member = Member::uri("Bucket", "Bucket", &BUCKET_NAME);
pub const CONTENT_MD5: Member = Member::header("ContentMD5", "Content-MD5", &STRING);
pub const CHECKSUM_ALGORITHM_MEMBER: Member =
    Member::header("ChecksumAlgorithm", "x-amz-sdk-checksum-algorithm", &CHECKSUM_ALGORITHM);
pub const EXPECTED_BUCKET_OWNER: Member =
    Member::header("ExpectedBucketOwner", "x-amz-expected-bucket-owner", &STRING);

/// The input of operations that take only a bucket (GetBucketPolicy, ...).
pub static BUCKET_ONLY_INPUT: Shape =
    Shape::structure("BucketRequest", &[BUCKET, EXPECTED_BUCKET_OWNER], &["Bucket"]);
