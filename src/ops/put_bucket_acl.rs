use super::common::*;
use crate::model::shape::Payload;
use crate::model::{Member, Operation, Shape};

static ACCESS_CONTROL_POLICY: Shape = Shape::structure(
    "AccessControlPolicy",
    &[
        Member::body("Grants", &GRANTS).named("AccessControlList"),
        Member::body("Owner", &OWNER),
    ],
    &[],
);

static INPUT: Shape = Shape::structure(
    "PutBucketAclRequest",
    &[
        Member::header("ACL", "x-amz-acl", &BUCKET_CANNED_ACL),
        Member::body("AccessControlPolicy", &ACCESS_CONTROL_POLICY)
            .named("AccessControlPolicy")
            .namespaced(S3_NAMESPACE),
        BUCKET,
        CONTENT_MD5,
        CHECKSUM_ALGORITHM_MEMBER,
        Member::header("GrantFullControl", "x-amz-grant-full-control", &STRING),
        Member::header("GrantRead", "x-amz-grant-read", &STRING),
        Member::header("GrantReadACP", "x-amz-grant-read-acp", &STRING),
        Member::header("GrantWrite", "x-amz-grant-write", &STRING),
        Member::header("GrantWriteACP", "x-amz-grant-write-acp", &STRING),
        EXPECTED_BUCKET_OWNER,
    ],
    &["Bucket"],
);

pub static OPERATION: Operation = Operation {
    name: "PutBucketAcl",
    python_name: "put_bucket_acl",
    method: "PUT",
    request_uri: "?acl",
    input: &INPUT,
    input_payload: Payload::Member("AccessControlPolicy"),
    output: None,
    output_payload: Payload::None,
    request_checksum_required: true,
    request_algorithm_member: Some("ChecksumAlgorithm"),
    use_s3_express_control_endpoint: true,
    modeled_errors: &[],
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::validate::validate;
    use crate::protocol::serialize::serialize;
    use serde_json::json;

    // Expected bodies are what botocore 1.43 serializes for the same input.
    #[test]
    fn access_control_policy_xml_matches_botocore() {
        let input = json!({
            "Bucket": "b",
            "AccessControlPolicy": {
                "Grants": [
                    {"Grantee": {"Type": "CanonicalUser", "ID": "abc", "DisplayName": "a&<b>\"'é"},
                     "Permission": "FULL_CONTROL"},
                    {"Permission": "READ", "Grantee": {"URI": "http://acs.amazonaws.com/groups/global/AllUsers", "Type": "Group"}}
                ],
                "Owner": {"ID": "abc", "DisplayName": ""}
            }
        });
        let value = validate(&INPUT, &input).unwrap().value;
        let body = String::from_utf8(serialize(&OPERATION, &value).body).unwrap();
        assert_eq!(
            body,
            "<AccessControlPolicy xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><AccessControlList>\
             <Grant><Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"CanonicalUser\">\
             <ID>abc</ID><DisplayName>a&amp;&lt;b&gt;\"'é</DisplayName></Grantee><Permission>FULL_CONTROL</Permission></Grant>\
             <Grant><Permission>READ</Permission><Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"Group\">\
             <URI>http://acs.amazonaws.com/groups/global/AllUsers</URI></Grantee></Grant>\
             </AccessControlList><Owner><ID>abc</ID><DisplayName /></Owner></AccessControlPolicy>"
        );
    }

    #[test]
    fn nested_validation_reports_paths() {
        let input = json!({
            "Bucket": "b",
            "AccessControlPolicy": {"Grants": [{"Grantee": {"ID": 1}, "Bogus": 2}], "Owner": "x"}
        });
        let errors = validate(&INPUT, &input).unwrap_err();
        assert_eq!(
            errors,
            vec![
                "Unknown parameter in AccessControlPolicy.Grants[0]: \"Bogus\", must be one of: Grantee, Permission",
                "Missing required parameter in AccessControlPolicy.Grants[0].Grantee: \"Type\"",
                "Invalid type for parameter AccessControlPolicy.Grants[0].Grantee.ID, value: 1, type: <class 'int'>, valid types: <class 'str'>",
                "Invalid type for parameter AccessControlPolicy.Owner, value: x, type: <class 'str'>, valid types: <class 'dict'>",
            ]
        );
    }
}
