use super::common::*;
use crate::model::shape::Payload;
use crate::model::{Member, Operation, Shape};

static OUTPUT: Shape = Shape::structure(
    "GetBucketAclOutput",
    &[
        Member::body("Owner", &OWNER),
        Member::body("Grants", &GRANTS).named("AccessControlList"),
    ],
    &[],
);

pub static OPERATION: Operation = Operation {
    name: "GetBucketAcl",
    python_name: "get_bucket_acl",
    method: "GET",
    request_uri: "?acl",
    input: &BUCKET_ONLY_INPUT,
    input_payload: Payload::None,
    output: Some(&OUTPUT),
    output_payload: Payload::None,
    request_checksum_required: false,
    request_algorithm_member: None,
    use_s3_express_control_endpoint: true,
    modeled_errors: &[],
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::parse::parse_response;
    use crate::protocol::HttpResponse;
    use crate::response::Document;

    #[test]
    fn parses_owner_and_grants_with_xsi_type() {
        let body = br#"<?xml version="1.0" encoding="UTF-8"?>
<AccessControlPolicy xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Owner><ID>o1</ID><DisplayName>me</DisplayName></Owner><AccessControlList><Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser"><ID>o1</ID><DisplayName>me</DisplayName></Grantee><Permission>FULL_CONTROL</Permission></Grant><Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="Group"><URI>http://acs.amazonaws.com/groups/global/AllUsers</URI></Grantee><Permission>READ</Permission></Grant></AccessControlList></AccessControlPolicy>"#;
        let resp = HttpResponse {
            status: 200,
            headers: vec![],
            body: body.to_vec(),
        };
        let Document::Map(out) = parse_response(&OPERATION, &resp, 0).unwrap() else {
            panic!()
        };
        let s = |v: &str| Document::Str(v.to_string());
        let map = |fields: &[(&str, Document)]| {
            Document::Map(
                fields
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.clone()))
                    .collect(),
            )
        };
        assert_eq!(
            out[1],
            (
                "Owner".to_string(),
                map(&[("DisplayName", s("me")), ("ID", s("o1"))])
            )
        );
        assert_eq!(
            out[2],
            (
                "Grants".to_string(),
                Document::List(vec![
                    map(&[
                        (
                            "Grantee",
                            map(&[
                                ("DisplayName", s("me")),
                                ("ID", s("o1")),
                                ("Type", s("CanonicalUser"))
                            ])
                        ),
                        ("Permission", s("FULL_CONTROL")),
                    ]),
                    map(&[
                        (
                            "Grantee",
                            map(&[
                                ("Type", s("Group")),
                                ("URI", s("http://acs.amazonaws.com/groups/global/AllUsers"))
                            ])
                        ),
                        ("Permission", s("READ")),
                    ]),
                ])
            )
        );
    }
}
