//! One module per S3 operation: its shapes and its `Operation` description.
//! Adding an operation means adding a module and one line to `ALL`
//! (`ALL` lists the public client methods; `create_session`, which only the
//! S3 Express identity cache sends, stays out of it).

pub mod common;
pub mod create_session;
pub mod delete_bucket;
pub mod delete_bucket_ownership_controls;
pub mod delete_bucket_policy;
pub mod delete_public_access_block;
pub mod get_bucket_acl;
pub mod get_bucket_ownership_controls;
pub mod get_bucket_policy;
pub mod get_bucket_policy_status;
pub mod get_public_access_block;
pub mod head_bucket;
pub mod put_bucket_acl;
pub mod put_bucket_ownership_controls;
pub mod put_bucket_policy;
pub mod put_public_access_block;

use crate::model::Operation;

pub static ALL: &[&Operation] = &[
    &put_bucket_policy::OPERATION,
    &get_bucket_policy::OPERATION,
    &delete_bucket_policy::OPERATION,
    &put_bucket_acl::OPERATION,
    &get_bucket_acl::OPERATION,
    &put_public_access_block::OPERATION,
    &get_public_access_block::OPERATION,
    &delete_public_access_block::OPERATION,
    &put_bucket_ownership_controls::OPERATION,
    &get_bucket_ownership_controls::OPERATION,
    &delete_bucket_ownership_controls::OPERATION,
    &get_bucket_policy_status::OPERATION,
    &head_bucket::OPERATION,
    &delete_bucket::OPERATION,
];

/// Looks an operation up by its API name (`PutBucketPolicy`) or its Python
/// method name (`put_bucket_policy`).
pub fn find(name: &str) -> Option<&'static Operation> {
    ALL.iter()
        .copied()
        .find(|op| op.name == name || op.python_name == name)
}
