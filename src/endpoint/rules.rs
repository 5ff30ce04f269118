//! A compiled form of a Smithy endpoint ruleset and its interpreter,
//! mirroring `botocore/endpoint_provider.py` (including its error strings).
//!
//! The JSON is turned once into a tree whose variable references are slot
//! indices, so evaluation does no name lookups, no JSON walking and no regex
//! compilation.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Arc;

use serde_json::{Map as JsonMap, Value as Json};

use super::stdlib;

/// A runtime value. Strings and aggregates are `Arc`-shared so reading a
/// variable is a reference-count bump, and the compiled ruleset (which
/// holds literal values) can live in a `static`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Value {
    None,
    Bool(bool),
    Int(i64),
    Str(Arc<str>),
    List(Arc<[Value]>),
    /// Keys are static: they are either fixed names (ARN and URL parts) or
    /// partition output names leaked once when the ruleset is compiled.
    Map(Arc<[(&'static str, Value)]>),
}

impl Value {
    pub(crate) fn map(entries: Vec<(&'static str, Value)>) -> Value {
        Value::Map(Arc::from(entries))
    }

    fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Map(m) => m.iter().find(|(k, _)| *k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// Python's `type(v)` as botocore's error messages print it.
    fn python_type(&self) -> &'static str {
        match self {
            Value::None => "<class 'NoneType'>",
            Value::Bool(_) => "<class 'bool'>",
            Value::Int(_) => "<class 'int'>",
            Value::Str(_) => "<class 'str'>",
            Value::List(_) => "<class 'list'>",
            Value::Map(_) => "<class 'dict'>",
        }
    }

    /// Python truthiness, for `not`.
    fn truthy(&self) -> bool {
        match self {
            Value::None => false,
            Value::Bool(b) => *b,
            Value::Int(i) => *i != 0,
            Value::Str(s) => !s.is_empty(),
            Value::List(l) => !l.is_empty(),
            Value::Map(m) => !m.is_empty(),
        }
    }

    /// `str(v)`, as an f-string in botocore formats a template value.
    pub(crate) fn python_str(&self) -> String {
        match self {
            Value::Str(s) => s.to_string(),
            other => {
                let mut out = String::new();
                other.write_repr(&mut out);
                out
            }
        }
    }

    fn write_repr(&self, out: &mut String) {
        match self {
            Value::None => out.push_str("None"),
            Value::Bool(true) => out.push_str("True"),
            Value::Bool(false) => out.push_str("False"),
            Value::Int(i) => {
                let _ = write!(out, "{i}");
            }
            Value::Str(s) => write_py_str_repr(s, out),
            Value::List(items) => {
                out.push('[');
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    v.write_repr(out);
                }
                out.push(']');
            }
            Value::Map(entries) => {
                out.push('{');
                for (i, (k, v)) in entries.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    write_py_str_repr(k, out);
                    out.push_str(": ");
                    v.write_repr(out);
                }
                out.push('}');
            }
        }
    }
}

fn write_py_str_repr(s: &str, out: &mut String) {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out.push(quote);
}

/// Why evaluation stopped without an endpoint: a rule's (or the library's)
/// `EndpointResolutionError` message, or a malformed-ruleset condition that
/// botocore would surface as a bare Python exception.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum EvalError {
    Resolution(String),
    Internal(String),
}

/// Boxed so that `Result<bool, _>` and friends come back in registers: the
/// happy path is what must be fast.
type EvalResult<T> = Result<T, Box<EvalError>>;

fn resolution(msg: String) -> Box<EvalError> {
    Box::new(EvalError::Resolution(msg))
}

fn internal(msg: impl Into<String>) -> Box<EvalError> {
    Box::new(EvalError::Internal(msg.into()))
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum ParamType {
    String,
    Boolean,
    StringArray,
}

#[derive(Debug)]
pub(crate) struct Param {
    pub(crate) name: String,
    pub(crate) ty: ParamType,
    default: Option<Value>,
    required: bool,
}

#[derive(Debug, Clone, Copy)]
enum Func {
    IsSet,
    Not,
    GetAttr,
    Substring,
    StringEquals,
    BooleanEquals,
    UriEncode,
    ParseUrl,
    IsValidHostLabel,
    AwsPartition,
    AwsParseArn,
    AwsIsVirtualHostableS3Bucket,
}

#[derive(Debug)]
enum PathPart {
    Key(String),
    /// `name[index]`; botocore returns right after an indexed part.
    Index(Option<String>, usize),
}

#[derive(Debug)]
struct Call {
    func: Func,
    args: Vec<Expr>,
    /// Precompiled `getAttr` path.
    path: Vec<PathPart>,
    assign: Option<usize>,
    /// Every argument is a reference or a literal, so the arguments can be
    /// borrowed rather than evaluated into owned values.
    simple: bool,
    /// Shortcut for the shapes most conditions have.
    fast: Fast,
}

/// Most S3 conditions are `booleanEquals(ref, literal)` or `isSet(ref)`;
/// they are answered straight from the slot, skipping argument evaluation
/// and the function dispatch, which dominate resolution time otherwise.
#[derive(Debug)]
enum Fast {
    None,
    BoolEq(usize, bool),
    IsSet(usize),
}

#[derive(Debug)]
enum TplPart {
    Lit(String),
    Var(usize, Vec<String>),
}

#[derive(Debug)]
enum Expr {
    Lit(Value),
    Ref(usize),
    Call(Box<Call>),
    Tpl(Vec<TplPart>),
}

#[derive(Debug)]
enum Prop {
    Lit(Json),
    Tpl(Vec<TplPart>),
    List(Vec<Prop>),
    Map(Vec<(String, Prop)>),
}

#[derive(Debug)]
struct EndpointTpl {
    url: Expr,
    properties: Prop,
    headers: Vec<(String, Vec<Expr>)>,
}

#[derive(Debug)]
enum Body {
    Tree(Vec<Rule>),
    Endpoint(Box<EndpointTpl>),
    Error(Expr),
}

#[derive(Debug)]
struct Rule {
    conditions: Vec<Call>,
    body: Body,
}

#[derive(Debug)]
struct Partition {
    regions: Vec<String>,
    regex: regex_lite::Regex,
    output: Value,
}

/// An endpoint rule's result before it is shaped into the public type.
#[derive(Debug)]
pub(crate) struct RawEndpoint {
    pub(crate) url: String,
    pub(crate) properties: Json,
    pub(crate) headers: Vec<(String, Vec<String>)>,
}

#[derive(Debug)]
pub(crate) struct RuleSet {
    /// Parameters in ruleset order; parameter `i` lives in slot `i`.
    pub(crate) params: Vec<Param>,
    slot_names: Vec<String>,
    rules: Vec<Rule>,
    partitions: Vec<Partition>,
}

struct Compiler {
    slots: HashMap<String, usize>,
    slot_names: Vec<String>,
}

impl Compiler {
    fn slot(&mut self, name: &str) -> usize {
        if let Some(&i) = self.slots.get(name) {
            return i;
        }
        let i = self.slot_names.len();
        self.slots.insert(name.to_owned(), i);
        self.slot_names.push(name.to_owned());
        i
    }

    fn rule(&mut self, j: &Json) -> Result<Rule, String> {
        let obj = j.as_object().ok_or("rule is not an object")?;
        let conditions = match obj.get("conditions") {
            Some(Json::Array(cs)) => cs.iter().map(|c| self.call(c)).collect::<Result<_, _>>()?,
            None => Vec::new(),
            Some(_) => return Err("conditions is not a list".into()),
        };
        let ty = obj.get("type").and_then(Json::as_str).unwrap_or("");
        let body = match ty {
            "tree" => {
                let rules = obj
                    .get("rules")
                    .and_then(Json::as_array)
                    .ok_or("tree rule without rules")?;
                Body::Tree(
                    rules
                        .iter()
                        .map(|r| self.rule(r))
                        .collect::<Result<_, _>>()?,
                )
            }
            "endpoint" => {
                let ep = obj
                    .get("endpoint")
                    .and_then(Json::as_object)
                    .ok_or("endpoint rule without endpoint")?;
                let url = self.expr(ep.get("url").ok_or("endpoint without url")?)?;
                let properties = match ep.get("properties") {
                    Some(p) => self.prop(p),
                    None => Prop::Map(Vec::new()),
                };
                let mut headers = Vec::new();
                if let Some(h) = ep.get("headers").and_then(Json::as_object) {
                    for (name, vals) in h {
                        let vals = vals.as_array().ok_or("header values are not a list")?;
                        let vals = vals
                            .iter()
                            .map(|v| self.expr(v))
                            .collect::<Result<_, _>>()?;
                        headers.push((name.clone(), vals));
                    }
                }
                Body::Endpoint(Box::new(EndpointTpl {
                    url,
                    properties,
                    headers,
                }))
            }
            "error" => Body::Error(self.expr(obj.get("error").ok_or("error rule without error")?)?),
            other => {
                return Err(format!(
                    "Unknown rule type: {other}. A rule must be of type tree, endpoint or error."
                ))
            }
        };
        Ok(Rule { conditions, body })
    }

    fn call(&mut self, j: &Json) -> Result<Call, String> {
        let obj = j.as_object().ok_or("function call is not an object")?;
        let name = obj
            .get("fn")
            .and_then(Json::as_str)
            .ok_or("call without fn")?;
        let func = match name {
            "isSet" => Func::IsSet,
            "not" => Func::Not,
            "getAttr" => Func::GetAttr,
            "substring" => Func::Substring,
            "stringEquals" => Func::StringEquals,
            "booleanEquals" => Func::BooleanEquals,
            "uriEncode" => Func::UriEncode,
            "parseURL" => Func::ParseUrl,
            "isValidHostLabel" => Func::IsValidHostLabel,
            "aws.partition" => Func::AwsPartition,
            "aws.parseArn" => Func::AwsParseArn,
            "aws.isVirtualHostableS3Bucket" => Func::AwsIsVirtualHostableS3Bucket,
            other => return Err(format!("unsupported rules function {other}")),
        };
        let argv = obj
            .get("argv")
            .and_then(Json::as_array)
            .ok_or("call without argv")?;
        let args: Vec<Expr> = argv
            .iter()
            .map(|a| self.expr(a))
            .collect::<Result<_, _>>()?;
        let arity = match func {
            Func::IsSet | Func::Not | Func::UriEncode | Func::ParseUrl => 1,
            Func::AwsPartition | Func::AwsParseArn => 1,
            Func::GetAttr | Func::StringEquals | Func::BooleanEquals => 2,
            Func::IsValidHostLabel | Func::AwsIsVirtualHostableS3Bucket => 2,
            Func::Substring => 4,
        };
        if args.len() != arity {
            return Err(format!(
                "{name} takes {arity} arguments, got {}",
                args.len()
            ));
        }
        let path = match func {
            Func::GetAttr => match argv.get(1) {
                Some(Json::String(p)) => compile_path(p),
                _ => return Err("getAttr path must be a literal string".into()),
            },
            _ => Vec::new(),
        };
        let assign = match obj.get("assign") {
            Some(Json::String(a)) => Some(self.slot(a)),
            None => None,
            Some(_) => return Err("assign is not a string".into()),
        };
        let simple = args
            .iter()
            .all(|a| matches!(a, Expr::Lit(_) | Expr::Ref(_)));
        let fast = match (func, args.as_slice(), assign) {
            (Func::BooleanEquals, [Expr::Ref(i), Expr::Lit(Value::Bool(b))], None)
            | (Func::BooleanEquals, [Expr::Lit(Value::Bool(b)), Expr::Ref(i)], None) => {
                Fast::BoolEq(*i, *b)
            }
            (Func::IsSet, [Expr::Ref(i)], None) => Fast::IsSet(*i),
            _ => Fast::None,
        };
        Ok(Call {
            func,
            args,
            path,
            assign,
            simple,
            fast,
        })
    }

    fn expr(&mut self, j: &Json) -> Result<Expr, String> {
        Ok(match j {
            Json::Object(o) if o.contains_key("fn") => Expr::Call(Box::new(self.call(j)?)),
            Json::Object(o) if o.contains_key("ref") => {
                let name = o
                    .get("ref")
                    .and_then(Json::as_str)
                    .ok_or("ref is not a string")?;
                Expr::Ref(self.slot(name))
            }
            Json::String(s) if is_template(s) => Expr::Tpl(self.template(s)?),
            other => Expr::Lit(json_to_value(other)),
        })
    }

    fn prop(&mut self, j: &Json) -> Prop {
        match j {
            Json::Array(items) => Prop::List(items.iter().map(|i| self.prop(i)).collect()),
            Json::Object(o) => {
                Prop::Map(o.iter().map(|(k, v)| (k.clone(), self.prop(v))).collect())
            }
            Json::String(s) if is_template(s) => match self.template(s) {
                Ok(t) => Prop::Tpl(t),
                Err(_) => Prop::Lit(j.clone()),
            },
            other => Prop::Lit(other.clone()),
        }
    }

    /// `string.Formatter().parse` as botocore uses it: `{{`/`}}` escape,
    /// `{a#b}` reads key `b` of variable `a`.
    fn template(&mut self, s: &str) -> Result<Vec<TplPart>, String> {
        let mut parts = Vec::new();
        let mut lit = String::new();
        let mut chars = s.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '{' if chars.peek() == Some(&'{') => {
                    chars.next();
                    lit.push('{');
                }
                '}' if chars.peek() == Some(&'}') => {
                    chars.next();
                    lit.push('}');
                }
                '{' => {
                    let mut field = String::new();
                    loop {
                        match chars.next() {
                            Some('}') => break,
                            Some(c) => field.push(c),
                            None => return Err(format!("unterminated template field in {s:?}")),
                        }
                    }
                    if field.contains([':', '!', '{']) {
                        return Err(format!("unsupported template field {field:?}"));
                    }
                    if !lit.is_empty() {
                        parts.push(TplPart::Lit(std::mem::take(&mut lit)));
                    }
                    let mut names = field.split('#');
                    let var = names.next().unwrap_or_default();
                    let slot = self.slot(var);
                    parts.push(TplPart::Var(slot, names.map(str::to_owned).collect()));
                }
                '}' => return Err(format!("single '}}' in template {s:?}")),
                c => lit.push(c),
            }
        }
        if !lit.is_empty() {
            parts.push(TplPart::Lit(lit));
        }
        Ok(parts)
    }
}

/// botocore's `TEMPLATE_STRING_RE`: `\{[a-zA-Z#]+\}` anywhere in the string.
fn is_template(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'{' {
            let mut j = i + 1;
            while j < b.len() && (b[j].is_ascii_alphabetic() || b[j] == b'#') {
                j += 1;
            }
            if j > i + 1 && j < b.len() && b[j] == b'}' {
                return true;
            }
        }
        i += 1;
    }
    false
}

/// botocore's `get_attr` path syntax: `a.b`, `a[0]`, `[0]`; a part is
/// indexed when it contains `\w*\[\d+\]`.
fn compile_path(path: &str) -> Vec<PathPart> {
    path.split('.')
        .map(|part| {
            if let Some(open) = part.find('[') {
                let rest = &part[open + 1..];
                let digits: &str = &rest[..rest
                    .find(|c: char| !c.is_ascii_digit())
                    .unwrap_or(rest.len())];
                if !digits.is_empty() && rest[digits.len()..].starts_with(']') {
                    let name_start = part[..open]
                        .rfind(|c: char| !(c.is_alphanumeric() || c == '_'))
                        .map_or(0, |i| i + 1);
                    let name = &part[name_start..open];
                    let index = digits.parse().unwrap_or(usize::MAX);
                    return PathPart::Index((!name.is_empty()).then(|| name.to_owned()), index);
                }
            }
            PathPart::Key(part.to_owned())
        })
        .collect()
}

fn leak(s: &str) -> &'static str {
    Box::leak(s.to_owned().into_boxed_str())
}

fn json_to_value(j: &Json) -> Value {
    match j {
        Json::Null => Value::None,
        Json::Bool(b) => Value::Bool(*b),
        Json::Number(n) => Value::Int(n.as_i64().unwrap_or_default()),
        Json::String(s) => Value::Str(Arc::from(s.as_str())),
        Json::Array(a) => Value::List(a.iter().map(json_to_value).collect()),
        Json::Object(o) => Value::map(o.iter().map(|(k, v)| (leak(k), json_to_value(v))).collect()),
    }
}

fn compile_partitions(j: &Json) -> Result<Vec<Partition>, String> {
    let list = j
        .get("partitions")
        .and_then(Json::as_array)
        .ok_or("partitions.json has no partitions list")?;
    let mut out = Vec::with_capacity(list.len());
    for p in list {
        let id = p
            .get("id")
            .and_then(Json::as_str)
            .ok_or("partition without id")?;
        let pat = p
            .get("regionRegex")
            .and_then(Json::as_str)
            .ok_or("partition without regionRegex")?;
        let regex =
            stdlib::compile_python_regex(pat).map_err(|e| format!("partition {id}: {e}"))?;
        let mut regions: Vec<String> = p
            .get("regions")
            .and_then(Json::as_object)
            .map(|r| r.keys().cloned().collect())
            .unwrap_or_default();
        regions.sort_unstable();
        // `format_partition_output`: the outputs with `name` set to the id.
        let mut outputs = p
            .get("outputs")
            .and_then(Json::as_object)
            .cloned()
            .unwrap_or_default();
        outputs.insert("name".to_owned(), Json::String(id.to_owned()));
        out.push(Partition {
            regions,
            regex,
            output: json_to_value(&Json::Object(outputs)),
        });
    }
    if out.is_empty() {
        return Err("partitions.json lists no partitions".into());
    }
    Ok(out)
}

impl RuleSet {
    pub(crate) fn compile(ruleset: &Json, partitions: &Json) -> Result<RuleSet, String> {
        let mut c = Compiler {
            slots: HashMap::new(),
            slot_names: Vec::new(),
        };
        let mut params = Vec::new();
        let spec: JsonMap<String, Json> = ruleset
            .get("parameters")
            .and_then(Json::as_object)
            .cloned()
            .unwrap_or_default();
        for (name, def) in &spec {
            let ty = match def.get("type").and_then(Json::as_str).map(str::to_ascii_lowercase).as_deref() {
                Some("string") => ParamType::String,
                Some("boolean") => ParamType::Boolean,
                Some("stringarray") => ParamType::StringArray,
                other => {
                    return Err(format!(
                        "Unknown parameter type: {}. A parameter must be of type string, boolean, or stringarray.",
                        other.unwrap_or("None")
                    ))
                }
            };
            let slot = c.slot(name);
            debug_assert_eq!(slot, params.len());
            params.push(Param {
                name: name.clone(),
                ty,
                default: def
                    .get("default")
                    .filter(|d| !d.is_null())
                    .map(json_to_value),
                required: def.get("required").and_then(Json::as_bool).unwrap_or(false),
            });
        }
        let rules = ruleset
            .get("rules")
            .and_then(Json::as_array)
            .ok_or("ruleset has no rules")?
            .iter()
            .map(|r| c.rule(r))
            .collect::<Result<_, _>>()?;
        Ok(RuleSet {
            params,
            slot_names: c.slot_names,
            rules,
            partitions: compile_partitions(partitions)?,
        })
    }

    pub(crate) fn param_index(&self, name: &str) -> Option<usize> {
        self.params.iter().position(|p| p.name == name)
    }

    /// Evaluate with `inputs[i]` the value of parameter `i` (`None` = not
    /// given), as `RuleSet.evaluate` + `EndpointProvider.resolve_endpoint`.
    pub(crate) fn evaluate(&self, inputs: Vec<Option<Value>>) -> Result<RawEndpoint, EvalError> {
        self.evaluate_inner(inputs).map_err(|e| *e)
    }

    fn evaluate_inner(&self, inputs: Vec<Option<Value>>) -> EvalResult<RawEndpoint> {
        let given: Vec<bool> = inputs
            .iter()
            .map(|v| !matches!(v, None | Some(Value::None)))
            .collect();
        let mut scope = Scope {
            slots: inputs,
            log: Vec::new(),
        };
        scope.slots.resize(self.slot_names.len(), None);
        for (i, p) in self.params.iter().enumerate() {
            match &scope.slots[i] {
                None | Some(Value::None) => {
                    scope.slots[i] = None;
                    if let Some(d) = &p.default {
                        scope.slots[i] = Some(d.clone());
                    } else if p.required {
                        return Err(resolution(format!(
                            "Cannot find value for required parameter {}",
                            p.name
                        )));
                    }
                }
                Some(v) => {
                    let ok = matches!(
                        (p.ty, v),
                        (ParamType::String, Value::Str(_))
                            | (ParamType::Boolean, Value::Bool(_))
                            | (ParamType::StringArray, Value::List(_))
                    );
                    if !ok {
                        let ty = match p.ty {
                            ParamType::String => "<class 'str'>",
                            ParamType::Boolean => "<class 'bool'>",
                            ParamType::StringArray => "<class 'tuple'>",
                        };
                        return Err(resolution(format!(
                            "Value ({}) is the wrong type. Must be {ty}.",
                            p.name
                        )));
                    }
                }
            }
        }
        for rule in &self.rules {
            if let Some(ep) = self.eval_rule(rule, &mut scope)? {
                return Ok(*ep);
            }
        }
        // Parameters are never reassigned, so their slots still hold what
        // was given (or a default, for those not given and not listed).
        let listing: Vec<String> = self
            .params
            .iter()
            .enumerate()
            .filter(|(i, _)| given[*i])
            .map(|(i, p)| {
                let v = scope.slots[i]
                    .as_ref()
                    .map_or("None".into(), Value::python_str);
                format!("{}: {}", p.name, v)
            })
            .collect();
        Err(resolution(format!(
            "No endpoint found for parameters:\n{}",
            listing.join("\n")
        )))
    }

    // The endpoint is boxed so the hot "no match" path returns a word, not
    // the whole endpoint.
    fn eval_rule(&self, rule: &Rule, scope: &mut Scope) -> EvalResult<Option<Box<RawEndpoint>>> {
        // Each rule sees a copy of its parent's scope in botocore; undoing
        // this rule's assignments afterwards gives the same isolation.
        let mark = scope.log.len();
        let result = self.eval_rule_inner(rule, scope);
        scope.undo(mark);
        result
    }

    fn eval_rule_inner(
        &self,
        rule: &Rule,
        scope: &mut Scope,
    ) -> EvalResult<Option<Box<RawEndpoint>>> {
        for cond in &rule.conditions {
            if !self.test(cond, scope)? {
                return Ok(None);
            }
        }
        match &rule.body {
            Body::Tree(rules) => {
                for r in rules {
                    if let Some(ep) = self.eval_rule(r, scope)? {
                        return Ok(Some(ep));
                    }
                }
                Ok(None)
            }
            Body::Endpoint(ep) => {
                let url = self.eval(&ep.url, scope)?.python_str();
                let properties = self.prop(&ep.properties, scope)?;
                let mut headers = Vec::with_capacity(ep.headers.len());
                for (name, vals) in &ep.headers {
                    let vals = vals
                        .iter()
                        .map(|v| self.eval(v, scope).map(|v| v.python_str()))
                        .collect::<EvalResult<_>>()?;
                    headers.push((name.clone(), vals));
                }
                Ok(Some(Box::new(RawEndpoint {
                    url,
                    properties,
                    headers,
                })))
            }
            Body::Error(e) => Err(resolution(self.eval(e, scope)?.python_str())),
        }
    }

    fn prop(&self, p: &Prop, scope: &Scope) -> EvalResult<Json> {
        Ok(match p {
            Prop::Lit(j) => j.clone(),
            Prop::Tpl(t) => Json::String(self.template(t, scope)?),
            Prop::List(items) => Json::Array(
                items
                    .iter()
                    .map(|i| self.prop(i, scope))
                    .collect::<EvalResult<_>>()?,
            ),
            Prop::Map(entries) => {
                let mut m = JsonMap::with_capacity(entries.len());
                for (k, v) in entries {
                    m.insert(k.clone(), self.prop(v, scope)?);
                }
                Json::Object(m)
            }
        })
    }

    fn template(&self, parts: &[TplPart], scope: &Scope) -> EvalResult<String> {
        let mut out = String::new();
        for part in parts {
            match part {
                TplPart::Lit(s) => out.push_str(s),
                TplPart::Var(slot, keys) => {
                    let name = &self.slot_names[*slot];
                    let mut v = scope.slots[*slot]
                        .as_ref()
                        .ok_or_else(|| internal(format!("KeyError: '{name}'")))?;
                    for k in keys {
                        v = v
                            .get(k)
                            .ok_or_else(|| internal(format!("template {name}#{k}: no such key")))?;
                    }
                    match v {
                        Value::Str(s) => out.push_str(s),
                        other => out.push_str(&other.python_str()),
                    }
                }
            }
        }
        Ok(out)
    }

    fn eval(&self, e: &Expr, scope: &mut Scope) -> EvalResult<Value> {
        match e {
            Expr::Lit(v) => Ok(v.clone()),
            Expr::Ref(slot) => Ok(scope.slots[*slot].clone().unwrap_or(Value::None)),
            Expr::Call(c) => self.call(c, scope),
            Expr::Tpl(t) => Ok(Value::Str(Arc::from(self.template(t, scope)?))),
        }
    }

    /// A condition holds unless its value is `False` or `None`.
    fn test(&self, c: &Call, scope: &mut Scope) -> EvalResult<bool> {
        match c.fast {
            Fast::BoolEq(slot, lit) => {
                if let Some(Value::Bool(v)) = &scope.slots[slot] {
                    return Ok(*v == lit);
                }
                // Not a bool: the general path raises botocore's type error.
            }
            Fast::IsSet(slot) => return Ok(!matches!(scope.slots[slot], None | Some(Value::None))),
            Fast::None => {}
        }
        Ok(!matches!(
            self.call(c, scope)?,
            Value::None | Value::Bool(false)
        ))
    }

    fn call(&self, c: &Call, scope: &mut Scope) -> EvalResult<Value> {
        static NONE: Value = Value::None;
        let result = if c.simple {
            let mut args: [&Value; 4] = [&NONE; 4];
            for (slot, a) in args.iter_mut().zip(&c.args) {
                *slot = match a {
                    Expr::Lit(v) => v,
                    Expr::Ref(i) => scope.slots[*i].as_ref().unwrap_or(&NONE),
                    _ => unreachable!("simple calls only have literal or reference arguments"),
                };
            }
            self.apply(c, args)?
        } else {
            // botocore evaluates every argument before calling the function.
            let mut owned: [Value; 4] = [Value::None, Value::None, Value::None, Value::None];
            for (slot, a) in owned.iter_mut().zip(&c.args) {
                *slot = self.eval(a, scope)?;
            }
            let [a, b, c3, d] = &owned;
            self.apply(c, [a, b, c3, d])?
        };
        if let Some(slot) = c.assign {
            if scope.slots[slot].is_some() {
                return Err(resolution(format!(
                    "Assignment {} already exists in scoped variables and cannot be overwritten",
                    self.slot_names[slot]
                )));
            }
            scope.slots[slot] = Some(result.clone());
            scope.log.push(slot);
        }
        Ok(result)
    }

    fn apply(&self, c: &Call, args: [&Value; 4]) -> EvalResult<Value> {
        let [a, b, c3, d] = args;
        Ok(match c.func {
            Func::IsSet => Value::Bool(*a != Value::None),
            Func::Not => Value::Bool(!a.truthy()),
            Func::GetAttr => get_attr(a, &c.path)?,
            Func::StringEquals => match (a, b) {
                (Value::Str(x), Value::Str(y)) => Value::Bool(x == y),
                _ => {
                    return Err(resolution(format!(
                        "Both values must be strings, not {} and {}.",
                        a.python_type(),
                        b.python_type()
                    )))
                }
            },
            Func::BooleanEquals => match (a, b) {
                (Value::Bool(x), Value::Bool(y)) => Value::Bool(x == y),
                _ => {
                    return Err(resolution(format!(
                        "Both arguments must be bools, not {} and {}.",
                        a.python_type(),
                        b.python_type()
                    )))
                }
            },
            Func::Substring => {
                let Value::Str(s) = a else {
                    return Err(resolution(format!(
                        "Input must be a string, not {}.",
                        a.python_type()
                    )));
                };
                let (Value::Int(start), Value::Int(stop)) = (b, c3) else {
                    return Err(internal("substring indices must be integers"));
                };
                let (Ok(start), Ok(stop)) = (usize::try_from(*start), usize::try_from(*stop))
                else {
                    return Err(internal("negative substring index"));
                };
                match stdlib::substring(s, start, stop, *d == Value::Bool(true)) {
                    Some(sub) => Value::Str(Arc::from(sub)),
                    None => Value::None,
                }
            }
            Func::UriEncode => match a {
                Value::None => Value::None,
                Value::Str(s) => Value::Str(Arc::from(stdlib::uri_encode(s))),
                other => Value::Str(Arc::from(stdlib::uri_encode(&other.python_str()))),
            },
            Func::ParseUrl => match a {
                Value::Str(s) => stdlib::parse_url(s).unwrap_or(Value::None),
                Value::None => Value::None,
                other => return Err(type_error("parseURL", other)),
            },
            Func::IsValidHostLabel => match a {
                Value::None => Value::Bool(false),
                Value::Str(s) => {
                    Value::Bool(stdlib::is_valid_host_label(s, *b == Value::Bool(true)))
                }
                other => return Err(type_error("isValidHostLabel", other)),
            },
            Func::AwsIsVirtualHostableS3Bucket => match a {
                Value::None => Value::Bool(false),
                Value::Str(s) => Value::Bool(stdlib::is_virtual_hostable_s3_bucket(
                    s,
                    *b == Value::Bool(true),
                )),
                other => return Err(type_error("aws.isVirtualHostableS3Bucket", other)),
            },
            Func::AwsParseArn => match a {
                Value::Str(s) => stdlib::parse_arn(s).unwrap_or(Value::None),
                Value::None => Value::None,
                other => return Err(type_error("aws.parseArn", other)),
            },
            Func::AwsPartition => match a {
                Value::Str(region) => self.partition(Some(region)),
                Value::None => self.partition(None),
                other => return Err(type_error("aws.partition", other)),
            },
        })
    }

    /// `aws_partition`: first partition listing the region or matching its
    /// regex; otherwise (or with no region) the first partition.
    fn partition(&self, region: Option<&str>) -> Value {
        if let Some(r) = region {
            for p in &self.partitions {
                if p.regions.binary_search_by(|x| x.as_str().cmp(r)).is_ok() || p.regex.is_match(r)
                {
                    return p.output.clone();
                }
            }
        }
        self.partitions[0].output.clone()
    }
}

fn type_error(func: &str, v: &Value) -> Box<EvalError> {
    internal(format!(
        "{func}: unsupported argument type {}",
        v.python_type()
    ))
}

fn get_attr(value: &Value, path: &[PathPart]) -> EvalResult<Value> {
    static NONE: Value = Value::None;
    let mut v = value;
    for part in path {
        match part {
            PathPart::Key(k) => {
                v = v
                    .get(k)
                    .ok_or_else(|| internal(format!("getAttr: KeyError: '{k}'")))?;
            }
            PathPart::Index(name, index) => {
                if let Some(n) = name {
                    v = v.get(n).unwrap_or(&NONE);
                }
                return Ok(match v {
                    Value::List(items) => items.get(*index).cloned().unwrap_or(Value::None),
                    Value::Str(s) => s
                        .chars()
                        .nth(*index)
                        .map_or(Value::None, |c| Value::Str(Arc::from(c.to_string()))),
                    _ => Value::None,
                });
            }
        }
    }
    Ok(v.clone())
}

struct Scope {
    slots: Vec<Option<Value>>,
    /// Slots assigned so far, in order, so a rule can drop its own.
    log: Vec<usize>,
}

impl Scope {
    fn undo(&mut self, mark: usize) {
        for slot in self.log.drain(mark..) {
            self.slots[slot] = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn tiny(rules: Json) -> RuleSet {
        let rs = json!({
            "version": "1.0",
            "parameters": {
                "Region": {"type": "string", "required": false},
                "Flag": {"type": "boolean", "required": true, "default": false}
            },
            "rules": rules
        });
        let parts = json!({"partitions": [
            {"id": "aws", "regionRegex": "^us\\-\\w+\\-\\d+$", "regions": {"aws-global": {}},
             "outputs": {"name": "aws", "dnsSuffix": "amazonaws.com"}},
            {"id": "aws-cn", "regionRegex": "^cn\\-\\w+\\-\\d+$", "regions": {},
             "outputs": {"name": "aws-cn", "dnsSuffix": "amazonaws.com.cn"}}
        ]});
        RuleSet::compile(&rs, &parts).unwrap()
    }

    fn run(rs: &RuleSet, region: Option<&str>) -> Result<RawEndpoint, EvalError> {
        rs.evaluate(vec![region.map(|r| Value::Str(Arc::from(r))), None])
    }

    #[test]
    fn assignments_do_not_leak_between_sibling_rules() {
        let rs = tiny(json!([
            {"type": "tree", "conditions": [], "rules": [
                {"type": "error", "conditions": [
                    {"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "p"},
                    {"fn": "booleanEquals", "argv": [true, false]}
                ], "error": "unreachable"},
                {"type": "endpoint", "conditions": [
                    {"fn": "isSet", "argv": [{"ref": "p"}]}
                ], "endpoint": {"url": "https://leaked"}},
                {"type": "endpoint", "conditions": [
                    {"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "p"}
                ], "endpoint": {"url": "https://s3.{Region}.{p#dnsSuffix}", "headers": {"x": ["{p#name}"]},
                    "properties": {"a": [{"n": "{p#name}", "b": true}]}}}
            ]}
        ]));
        let ep = run(&rs, Some("cn-north-1")).unwrap();
        assert_eq!(ep.url, "https://s3.cn-north-1.amazonaws.com.cn");
        assert_eq!(
            ep.headers,
            vec![("x".to_string(), vec!["aws-cn".to_string()])]
        );
        assert_eq!(ep.properties, json!({"a": [{"n": "aws-cn", "b": true}]}));
        let ep = run(&rs, Some("mars-1")).unwrap();
        assert_eq!(ep.url, "https://s3.mars-1.amazonaws.com");
    }

    #[test]
    fn reassignment_and_type_errors_carry_botocore_messages() {
        let rs = tiny(json!([
            {"type": "endpoint", "conditions": [
                {"fn": "aws.partition", "argv": ["us-east-1"], "assign": "p"},
                {"fn": "aws.partition", "argv": ["us-east-1"], "assign": "p"}
            ], "endpoint": {"url": "x"}}
        ]));
        assert_eq!(
            run(&rs, None).unwrap_err(),
            EvalError::Resolution(
                "Assignment p already exists in scoped variables and cannot be overwritten".into()
            )
        );
        let rs = tiny(json!([
            {"type": "endpoint", "conditions": [
                {"fn": "stringEquals", "argv": [{"ref": "Region"}, "x"]}
            ], "endpoint": {"url": "x"}}
        ]));
        assert_eq!(
            run(&rs, None).unwrap_err(),
            EvalError::Resolution(
                "Both values must be strings, not <class 'NoneType'> and <class 'str'>.".into()
            )
        );
        let rs = tiny(json!([
            {"type": "endpoint", "conditions": [
                {"fn": "booleanEquals", "argv": [{"ref": "Flag"}, true]}
            ], "endpoint": {"url": "x"}}
        ]));
        assert_eq!(
            run(&rs, Some("us-east-1")).unwrap_err(),
            EvalError::Resolution("No endpoint found for parameters:\nRegion: us-east-1".into())
        );
    }

    #[test]
    fn templates_and_paths() {
        assert!(is_template("a{Region}b"));
        assert!(is_template("{url#scheme}"));
        assert!(!is_template("{}"));
        assert!(!is_template("{a1}"));
        assert!(!is_template("plain"));
        let v = stdlib::parse_arn("arn:aws:s3:us-east-1:123:accesspoint:name").unwrap();
        assert_eq!(
            get_attr(&v, &compile_path("resourceId[1]")).unwrap(),
            Value::Str(Arc::from("name"))
        );
        assert_eq!(
            get_attr(&v, &compile_path("resourceId[5]")).unwrap(),
            Value::None
        );
        assert_eq!(
            get_attr(&v, &compile_path("accountId")).unwrap(),
            Value::Str(Arc::from("123"))
        );
        assert_eq!(Value::Bool(true).python_str(), "True");
        assert_eq!(Value::None.python_str(), "None");
    }
}
