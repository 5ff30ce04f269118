//! Shapes shared by the bucket operations (S3 model names).

use crate::model::{Member, Shape};

pub static STRING: Shape = Shape::string("String");
pub static BOOLEAN: Shape = Shape::boolean("Boolean");
pub static BUCKET_NAME: Shape = Shape::string("BucketName");
pub static CHECKSUM_ALGORITHM: Shape = Shape::string("ChecksumAlgorithm");
pub static BUCKET_CANNED_ACL: Shape = Shape::string("BucketCannedACL");
pub static OBJECT_OWNERSHIP: Shape = Shape::string("ObjectOwnership");

pub const BUCKET: Member = Member::uri("Bucket", "Bucket", &BUCKET_NAME);
pub const CONTENT_MD5: Member = Member::header("ContentMD5", "Content-MD5", &STRING);
pub const CHECKSUM_ALGORITHM_MEMBER: Member = Member::header(
    "ChecksumAlgorithm",
    "x-amz-sdk-checksum-algorithm",
    &CHECKSUM_ALGORITHM,
);
pub const EXPECTED_BUCKET_OWNER: Member = Member::header(
    "ExpectedBucketOwner",
    "x-amz-expected-bucket-owner",
    &STRING,
);

/// The input of operations that take only a bucket (GetBucketPolicy, ...).
pub static BUCKET_ONLY_INPUT: Shape = Shape::structure(
    "BucketRequest",
    &[BUCKET, EXPECTED_BUCKET_OWNER],
    &["Bucket"],
);

// Access-control shapes, shared by PutBucketAcl and GetBucketAcl.

use crate::model::{ShapeKind, XmlNamespace};

pub const XSI: XmlNamespace = XmlNamespace {
    prefix: Some("xsi"),
    uri: "http://www.w3.org/2001/XMLSchema-instance",
};
pub const S3_NAMESPACE: XmlNamespace = XmlNamespace {
    prefix: None,
    uri: "http://s3.amazonaws.com/doc/2006-03-01/",
};

pub static GRANTEE: Shape = Shape::structure(
    "Grantee",
    &[
        Member::body("DisplayName", &STRING),
        Member::body("EmailAddress", &STRING),
        Member::body("ID", &STRING),
        Member::body("Type", &STRING).named("xsi:type").attribute(),
        Member::body("URI", &STRING),
    ],
    &["Type"],
);

pub static GRANT: Shape = Shape::structure(
    "Grant",
    &[
        Member::body("Grantee", &GRANTEE).namespaced(XSI),
        Member::body("Permission", &STRING),
    ],
    &[],
);

pub static GRANTS: Shape = Shape {
    name: "Grants",
    kind: ShapeKind::List {
        member: &GRANT,
        member_name: Some("Grant"),
        flattened: false,
    },
    min: None,
};

pub static OWNER: Shape = Shape::structure(
    "Owner",
    &[
        Member::body("DisplayName", &STRING),
        Member::body("ID", &STRING),
    ],
    &[],
);

// Public access block shapes, shared by Put/GetPublicAccessBlock.

/// `Setting`: a boxed boolean.
pub static SETTING: Shape = Shape::boolean("Setting");

pub static PUBLIC_ACCESS_BLOCK_CONFIGURATION: Shape = Shape::structure(
    "PublicAccessBlockConfiguration",
    &[
        Member::body("BlockPublicAcls", &SETTING),
        Member::body("IgnorePublicAcls", &SETTING),
        Member::body("BlockPublicPolicy", &SETTING),
        Member::body("RestrictPublicBuckets", &SETTING),
    ],
    &[],
);

// Ownership controls shapes, shared by Put/GetBucketOwnershipControls.

pub static OWNERSHIP_CONTROLS_RULE: Shape = Shape::structure(
    "OwnershipControlsRule",
    &[Member::body("ObjectOwnership", &OBJECT_OWNERSHIP)],
    &["ObjectOwnership"],
);

pub static OWNERSHIP_CONTROLS_RULES: Shape = Shape {
    name: "OwnershipControlsRules",
    kind: ShapeKind::List {
        member: &OWNERSHIP_CONTROLS_RULE,
        member_name: None,
        flattened: true,
    },
    min: None,
};

pub static OWNERSHIP_CONTROLS: Shape = Shape::structure(
    "OwnershipControls",
    &[Member::body("Rules", &OWNERSHIP_CONTROLS_RULES).named("Rule")],
    &["Rules"],
);
