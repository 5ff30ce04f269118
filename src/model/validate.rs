//! botocore's `ParamValidator`, reproduced message for message: every
//! problem is collected (missing members first, then unknown ones, then each
//! known member in the caller's order) before anything is reported.

use super::input::{Input, InputKind};
use super::shape::{Location, Shape, ShapeKind};
use super::text::has_escaped_surrogate;
use super::value::Value;

/// A value botocore's validator accepts but that cannot be sent. botocore
/// meets it later, after other checks that may speak first, so the caller
/// reports it (as a ParamValidationError) at the step where botocore would
/// have failed.
#[derive(Debug, Clone, PartialEq)]
pub struct Unsendable {
    pub stage: Stage,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// botocore's serializer fails on it (a string payload it must encode),
    /// before the checksum step.
    Serializing,
    /// botocore gets past its checksum step and fails signing or sending a
    /// header, or writes an XML body S3 refuses (ElementTree turns a lone
    /// surrogate into `&#55296;`, which no XML parser accepts).
    Sending,
}

#[derive(Debug)]
pub struct Validated {
    pub value: Value,
    pub unsendable: Vec<Unsendable>,
    /// `ChecksumAlgorithm` as botocore's checksum step reads it
    /// (`value.lower()`): the str value itself, where `value` holds what is
    /// sent in the header (`str(value)`, e.g. `Alg.SHA256` for a
    /// `(str, Enum)` member).
    pub checksum_algorithm: Option<String>,
}

impl Validated {
    /// The unsendable values botocore would meet at `stage`, as a report.
    pub fn unsendable_at(&self, stage: Stage) -> Option<String> {
        let lines: Vec<&str> = self
            .unsendable
            .iter()
            .filter(|u| u.stage == stage)
            .map(|u| u.message.as_str())
            .collect();
        (!lines.is_empty()).then(|| lines.join("\n"))
    }
}

struct Report {
    errors: Vec<String>,
    unsendable: Vec<Unsendable>,
    /// Where botocore would fail on an unsendable part of the top-level
    /// member being validated.
    stage: Stage,
    /// In a header or inside the XML payload, where what botocore sends is
    /// `str(value)` (XML attributes, the URI and a string payload take the
    /// value itself).
    sent_as_str: bool,
    /// `Config(parameter_validation=False)`: see [`validate_unchecked`].
    unchecked: bool,
    /// Unchecked: where botocore's serializer turns any value into text —
    /// `str(value)` in a header or XML element, `str(value).lower()` for a
    /// boolean header.
    any_value_as_text: bool,
    /// Unchecked: the string payload, which botocore also sends as given
    /// when it is `bytes` or a `bytearray`.
    string_payload: bool,
    /// Validating the top-level `ChecksumAlgorithm` member.
    in_checksum_algorithm: bool,
    checksum_algorithm: Option<String>,
}

/// Validates `input` against `shape`, returning the owned value (with what
/// cannot be sent of it) or the report lines (without the "Parameter
/// validation failed:" heading).
pub fn validate<I: Input>(shape: &'static Shape, input: &I) -> Result<Validated, Vec<String>> {
    run(shape, input, false)
}

/// What botocore's serializer makes of `input` when the client was created
/// with `Config(parameter_validation=False)` (or `parameter_validation =
/// false` in the profile): no validator runs, so missing members are left
/// out, `None` values are skipped (inside a structure botocore stops at the
/// first one), minimum lengths are not checked, and a value of the wrong
/// type is sent as `str(value)` in a header or XML element
/// (`str(value).lower()` for a boolean header); a `bytes` / `bytearray`
/// string payload is sent as it is. Where botocore's serializer instead
/// crashes (an unknown parameter, no `Bucket`, a structure or list of the
/// wrong type, a non-str XML attribute or `ChecksumAlgorithm`, a `None`
/// payload) the problems are reported as the validator words them, and
/// nothing is sent.
pub fn validate_unchecked<I: Input>(
    shape: &'static Shape,
    input: &I,
) -> Result<Validated, Vec<String>> {
    run(shape, input, true)
}

fn run<I: Input>(
    shape: &'static Shape,
    input: &I,
    unchecked: bool,
) -> Result<Validated, Vec<String>> {
    let mut report = Report {
        errors: Vec::new(),
        unsendable: Vec::new(),
        stage: Stage::Serializing,
        sent_as_str: false,
        unchecked,
        any_value_as_text: false,
        string_payload: false,
        in_checksum_algorithm: false,
        checksum_algorithm: None,
    };
    let value = validate_shape(shape, input, "", &mut report);
    match value {
        Some(value) if report.errors.is_empty() => {
            let mut unsendable = report.unsendable;
            unsendable.extend(unsendable_headers(shape, &value));
            Ok(Validated {
                value,
                unsendable,
                checksum_algorithm: report.checksum_algorithm,
            })
        }
        _ if report.errors.is_empty() => Err(vec!["Invalid type for parameter input".to_string()]),
        _ => Err(report.errors),
    }
}

/// Values that would become headers but cannot be sent: CR/LF (header
/// injection) and other control characters HTTP forbids. botocore fails in
/// its HTTP layer (or sends a split header); fastboto refuses up front.
fn unsendable_headers(shape: &Shape, value: &Value) -> Vec<Unsendable> {
    let mut problems = Vec::new();
    let Value::Struct(fields) = value else {
        return problems;
    };
    for (index, field) in fields {
        let member = &shape.members()[*index];
        // ChecksumAlgorithm is matched against the algorithm list later
        // (FlexibleChecksumError, as botocore), so no value of it is sent raw.
        if member.location != Location::Header || member.shape.name == "ChecksumAlgorithm" {
            continue;
        }
        let Value::Str(text) = field else { continue };
        let what = if text.contains(['\r', '\n']) {
            "CR or LF characters"
        } else if text
            .chars()
            .any(|c| (c < ' ' && c != '\t') || c == '\u{7f}')
        {
            "control characters"
        } else {
            continue;
        };
        problems.push(Unsendable {
            stage: Stage::Sending,
            message: format!(
                "Invalid value for parameter {}, value: {text:?}, header values must not contain {what}",
                member.name
            ),
        });
    }
    problems
}

/// A str with lone surrogates has no UTF-8 form: botocore fails deep
/// inside encoding it; we say so in plain words.
fn note_lone_surrogates<I: Input>(report: &mut Report, name: &str, input: &I, text: &str) {
    if has_escaped_surrogate(text) && input.has_lone_surrogates() {
        report.unsendable.push(Unsendable {
            stage: report.stage,
            message: format!(
                "Invalid value for parameter {}, value: {}, strings must be encodable as UTF-8 \
                 (lone surrogates are not)",
                display_name(name),
                input.display()
            ),
        });
    }
}

/// Top-level members botocore reads even when they are `None` (so `None`
/// crashes it): the URI label, a string payload, the checksum algorithm.
fn refuses_none(member: &crate::model::shape::Member) -> bool {
    member.location == Location::Uri
        || (member.location == Location::Body
            && matches!(member.shape.kind, ShapeKind::String | ShapeKind::Blob))
        || member.shape.name == "ChecksumAlgorithm"
}

fn display_name(name: &str) -> &str {
    if name.is_empty() {
        "input"
    } else {
        name.strip_prefix('.').unwrap_or(name)
    }
}

fn invalid_type<I: Input>(report: &mut Report, name: &str, input: &I, valid: &str) {
    report.errors.push(format!(
        "Invalid type for parameter {}, value: {}, type: {}, valid types: {}",
        display_name(name),
        input.display(),
        input.type_repr(),
        valid
    ));
}

fn check_min(report: &mut Report, name: &str, shape: &Shape, actual: i64, what: &str) {
    if report.unchecked {
        return;
    }
    if let Some(min) = shape.min {
        if actual < min {
            report.errors.push(format!(
                "Invalid {what} for parameter {}, value: {actual}, valid min {what}: {min}",
                display_name(name)
            ));
        }
    }
}

fn validate_shape<I: Input>(
    shape: &'static Shape,
    input: &I,
    name: &str,
    report: &mut Report,
) -> Option<Value> {
    let kind = input.kind();
    match &shape.kind {
        ShapeKind::String => {
            if kind != InputKind::Str {
                if report.any_value_as_text && kind != InputKind::None {
                    return Some(Value::Str(input.display()));
                }
                if report.string_payload && kind == InputKind::Bytes {
                    return input.as_bytes().map(Value::Blob);
                }
                if report.unchecked && report.in_checksum_algorithm && kind == InputKind::Bytes {
                    // `bytes.lower()` works, and its repr names the
                    // unsupported algorithm (FlexibleChecksumError).
                    let shown = input.display();
                    report.checksum_algorithm = Some(shown.clone());
                    return Some(Value::Str(shown));
                }
                invalid_type(report, name, input, shape.valid_types());
                return None;
            }
            let Some(text) = input.as_text() else {
                invalid_type(report, name, input, shape.valid_types());
                return None;
            };
            note_lone_surrogates(report, name, input, &text);
            check_min(report, name, shape, text.chars().count() as i64, "length");
            if report.in_checksum_algorithm {
                report.checksum_algorithm = Some(text.clone().into_owned());
            }
            let text = match report.sent_as_str {
                true => input.as_sent_text().unwrap_or(text).into_owned(),
                false => text.into_owned(),
            };
            Some(Value::Str(text))
        }
        ShapeKind::Boolean => match input.as_bool() {
            Some(b) if kind == InputKind::Bool => Some(Value::Bool(b)),
            // Only headers are boolean among our operations' inputs.
            _ if report.any_value_as_text && kind != InputKind::None => {
                Some(Value::Str(input.display().to_lowercase()))
            }
            _ => {
                invalid_type(report, name, input, shape.valid_types());
                None
            }
        },
        ShapeKind::Integer | ShapeKind::Long => {
            if !matches!(kind, InputKind::Int | InputKind::Bool) {
                invalid_type(report, name, input, shape.valid_types());
                return None;
            }
            match input.as_i64() {
                Some(n) => {
                    check_min(report, name, shape, n, "value");
                    Some(Value::Int(n))
                }
                None => {
                    report.errors.push(format!(
                        "Invalid value for parameter {}, value: {}, integer out of range",
                        display_name(name),
                        input.display()
                    ));
                    None
                }
            }
        }
        ShapeKind::Blob => match kind {
            InputKind::Bytes => input.as_bytes().map(Value::Blob),
            InputKind::Str => {
                let text = input.as_text()?;
                note_lone_surrogates(report, name, input, &text);
                Some(Value::Blob(text.as_bytes().to_vec()))
            }
            _ => {
                // botocore accepts file-like objects; none of our operations
                // stream, so we read them in the binding layer. Here they are
                // reported like any other wrong type.
                invalid_type(report, name, input, shape.valid_types());
                None
            }
        },
        ShapeKind::List { member, .. } => {
            if kind != InputKind::List {
                // Unchecked, botocore iterates whatever it is given: an
                // empty str, bytes or dict is an empty list.
                let empty = match kind {
                    InputKind::Str => input.as_text().is_some_and(|t| t.is_empty()),
                    InputKind::Bytes => input.as_bytes().is_some_and(|b| b.is_empty()),
                    InputKind::Dict => input.dict_items().is_empty(),
                    _ => false,
                };
                if report.unchecked && empty {
                    return Some(Value::List(Vec::new()));
                }
                invalid_type(report, name, input, shape.valid_types());
                return None;
            }
            let items = match input.list_items() {
                Ok(items) => items,
                Err(reason) => {
                    report.errors.push(format!(
                        "Invalid value for parameter {}, iterating it failed: {reason}",
                        display_name(name)
                    ));
                    return None;
                }
            };
            check_min(report, name, shape, items.len() as i64, "length");
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                if let Some(v) = validate_shape(member, item, &format!("{name}[{i}]"), report) {
                    out.push(v);
                }
            }
            Some(Value::List(out))
        }
        ShapeKind::Structure { members, required } => {
            if kind != InputKind::Dict {
                invalid_type(report, name, input, shape.valid_types());
                return None;
            }
            let entries = input.dict_items();
            let top = name.is_empty();
            for req in required.iter() {
                // Unchecked, only a missing URI label stops botocore (a
                // KeyError rendering the path).
                let needed = !report.unchecked
                    || (top
                        && members
                            .iter()
                            .any(|m| m.name == *req && m.location == Location::Uri));
                if needed && !entries.iter().any(|(k, is_str, _)| *is_str && k == req) {
                    report.errors.push(format!(
                        "Missing required parameter in {}: \"{req}\"",
                        display_name(name)
                    ));
                }
            }
            let mut known = Vec::with_capacity(entries.len());
            for (key, is_str, value) in &entries {
                let index = members.iter().position(|m| *is_str && m.name == key);
                if report.unchecked && value.kind() == InputKind::None {
                    match index {
                        // The serializer skips None parameters before it
                        // looks them up; these others are read directly.
                        Some(i) if top && refuses_none(&members[i]) => {}
                        _ if top => continue,
                        // Inside a structure it looks the key up first,
                        // then stops at the first None.
                        Some(_) => break,
                        None => {}
                    }
                }
                match index {
                    Some(index) => known.push((index, value)),
                    None => {
                        let valid: Vec<&str> = members.iter().map(|m| m.name).collect();
                        report.errors.push(format!(
                            "Unknown parameter in {}: \"{key}\", must be one of: {}",
                            display_name(name),
                            valid.join(", ")
                        ));
                    }
                }
            }
            let mut fields = Vec::with_capacity(known.len());
            for (index, value) in known {
                let member = &members[index];
                let child_name = format!("{name}.{}", member.name);
                if top {
                    report.stage = match (member.location, &member.shape.kind) {
                        (Location::Header, _) | (Location::Body, ShapeKind::Structure { .. }) => {
                            Stage::Sending
                        }
                        _ => Stage::Serializing,
                    };
                }
                let outer_sent_as_str = report.sent_as_str;
                let outer_any_value_as_text = report.any_value_as_text;
                if top {
                    report.sent_as_str = matches!(
                        (member.location, &member.shape.kind),
                        (Location::Header, _) | (Location::Body, ShapeKind::Structure { .. })
                    );
                    // ChecksumAlgorithm is read (`.lower()`) before it is
                    // serialized, so botocore needs a str there.
                    report.any_value_as_text = report.unchecked
                        && report.sent_as_str
                        && member.shape.name != "ChecksumAlgorithm";
                    report.string_payload = report.unchecked
                        && member.location == Location::Body
                        && matches!(member.shape.kind, ShapeKind::String);
                    report.in_checksum_algorithm = member.shape.name == "ChecksumAlgorithm";
                }
                if member.xml_attribute {
                    report.sent_as_str = false;
                    report.any_value_as_text = false;
                }
                let validated = validate_shape(member.shape, value, &child_name, report);
                report.sent_as_str = outer_sent_as_str;
                report.any_value_as_text = outer_any_value_as_text;
                if top {
                    report.string_payload = false;
                    report.in_checksum_algorithm = false;
                }
                if let Some(v) = validated {
                    fields.push((index, v));
                }
            }
            Some(Value::Struct(fields))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::shape::Member;
    use serde_json::json;

    static STR: Shape = Shape::string("S");
    static BOOL: Shape = Shape::boolean("B");
    static INNER: Shape = Shape::structure(
        "Inner",
        &[Member::body("Type", &STR), Member::body("ID", &STR)],
        &["Type"],
    );
    static LIST: Shape = Shape {
        name: "L",
        kind: ShapeKind::List {
            member: &INNER,
            member_name: Some("Grant"),
            flattened: false,
        },
        min: None,
    };
    static TOP: Shape = Shape::structure(
        "Top",
        &[
            Member::uri("Bucket", "Bucket", &STR),
            Member::header("Owner", "x-amz-owner", &STR),
            Member::body("Flag", &BOOL),
            Member::body("Grants", &LIST),
        ],
        &["Bucket"],
    );

    #[test]
    fn accepts_valid_input() {
        let v = validate(
            &TOP,
            &json!({"Bucket": "b", "Flag": true, "Grants": [{"Type": "x"}]}),
        )
        .unwrap()
        .value;
        assert_eq!(v.member(&TOP, "Bucket"), Some(&Value::Str("b".into())));
        assert_eq!(v.member(&TOP, "Owner"), None);
    }

    #[test]
    fn reports_every_problem_in_botocore_order() {
        let errs = validate(
            &TOP,
            &json!({"Zed": 1, "Flag": "yes", "Grants": [{"ID": 5}], "Owner": "a\nb"}),
        )
        .unwrap_err();
        assert_eq!(
            errs,
            vec![
                "Missing required parameter in input: \"Bucket\"".to_string(),
                "Unknown parameter in input: \"Zed\", must be one of: Bucket, Owner, Flag, Grants"
                    .into(),
                "Invalid type for parameter Flag, value: yes, type: <class 'str'>, valid types: <class 'bool'>".into(),
                "Missing required parameter in Grants[0]: \"Type\"".into(),
                "Invalid type for parameter Grants[0].ID, value: 5, type: <class 'int'>, valid types: <class 'str'>".into(),
            ]
        );
    }

    #[test]
    fn unsendable_header_values_are_reported_once_botocore_is_satisfied() {
        let validated = validate(&TOP, &json!({"Bucket": "b", "Owner": "a\nb"})).unwrap();
        assert_eq!(
            validated.unsendable,
            vec![Unsendable {
                stage: Stage::Sending,
                message: "Invalid value for parameter Owner, value: \"a\\nb\", header values must not contain CR or LF characters".into(),
            }]
        );
        assert_eq!(validated.unsendable_at(Stage::Serializing), None);
        assert!(validated.unsendable_at(Stage::Sending).is_some());
        let validated = validate(&TOP, &json!({"Bucket": "b", "Owner": "a\u{0}b"})).unwrap();
        assert!(validated.unsendable[0]
            .message
            .ends_with("header values must not contain control characters"));
        assert!(validate(&TOP, &json!({"Bucket": "b", "Owner": "a\tb"}))
            .unwrap()
            .unsendable
            .is_empty());
        // botocore's own problems come first, alone.
        let errs = validate(&TOP, &json!({"Owner": "a\nb"})).unwrap_err();
        assert_eq!(
            errs,
            vec!["Missing required parameter in input: \"Bucket\""]
        );
    }

    #[test]
    fn unchecked_input_is_what_botocores_serializer_takes() {
        // Missing members and min lengths pass; a wrong-typed header becomes
        // its str(); None is skipped at the top and ends a structure (the
        // unknown key after it is never looked at).
        let v = validate_unchecked(
            &TOP,
            &json!({"Bucket": "b", "Owner": 5, "Zed": null,
                    "Grants": [{"ID": "i", "Type": null, "Zed": 1}]}),
        )
        .unwrap()
        .value;
        assert_eq!(v.member(&TOP, "Owner"), Some(&Value::Str("5".into())));
        assert_eq!(
            v.member(&TOP, "Grants"),
            Some(&Value::List(vec![Value::Struct(vec![(
                1,
                Value::Str("i".into())
            )])]))
        );
        // What botocore's serializer crashes on stays an error.
        let errs =
            validate_unchecked(&TOP, &json!({"Owner": "x", "Zed": 1, "Flag": "yes"})).unwrap_err();
        assert_eq!(
            errs,
            vec![
                "Missing required parameter in input: \"Bucket\"".to_string(),
                "Unknown parameter in input: \"Zed\", must be one of: Bucket, Owner, Flag, Grants"
                    .into(),
                "Invalid type for parameter Flag, value: yes, type: <class 'str'>, valid types: <class 'bool'>".into(),
            ]
        );
        assert!(validate_unchecked(&TOP, &json!({"Bucket": "b", "Grants": [null]})).is_err());
        assert!(validate_unchecked(&TOP, &json!({"Bucket": "b", "Grants": 0})).is_err());
        assert_eq!(
            validate_unchecked(&TOP, &json!({"Bucket": "b", "Grants": {}}))
                .unwrap()
                .value
                .member(&TOP, "Grants"),
            Some(&Value::List(vec![]))
        );
    }

    #[test]
    fn bool_is_not_a_string_but_is_an_int() {
        let errs = validate(&TOP, &json!({"Bucket": true})).unwrap_err();
        assert_eq!(
            errs,
            vec!["Invalid type for parameter Bucket, value: True, type: <class 'bool'>, valid types: <class 'str'>"]
        );
    }
}
