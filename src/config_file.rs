//! The shared AWS config (`~/.aws/config`) and credentials
//! (`~/.aws/credentials`) files, read exactly as botocore 1.44 reads them.
//!
//! botocore parses both files with Python's `configparser.RawConfigParser`
//! (`botocore.configloader.raw_config_parse`), turns the config file into a
//! profile map (`build_profile_map`) and then merges the credentials file's
//! sections into it (`botocore.session.Session.full_config`). Every quirk of
//! that pipeline is visible to users (which line is a continuation, when a
//! file is "unparseable", which profile wins), so this module ports it rule
//! for rule instead of using a generic INI crate. The Python functions each
//! piece mirrors are named in the doc comments.
//!
//! Where the config is consulted (answer checked against botocore 1.44 /
//! boto3 1.43):
//! * `boto3.Session(...)` construction already reads both files and the
//!   active profile (botocore looks up `data_path` and other variables whose
//!   chain ends in the scoped config), so an unparseable file raises
//!   `ConfigParseError` and a missing profile raises `ProfileNotFound` from
//!   `Session()` itself — whether the profile came from `profile_name=`,
//!   `AWS_DEFAULT_PROFILE` or `AWS_PROFILE`, and even for the name
//!   `default` when it is named explicitly and absent. `boto3.client()` builds
//!   the default session first, so it raises the same errors. Callers should
//!   therefore run [`SharedConfig::load`] and [`SharedConfig::scoped_config`]
//!   when a session is created.
//! * Nothing else re-reads the files afterwards except the credential
//!   providers, which see the same content unless the files change in
//!   between; we use the one snapshot.

use std::collections::{BTreeMap, HashSet};
use std::fmt;

use crate::error::{Error, Result};

// ---------------------------------------------------------------------------
// Environment snapshot
// ---------------------------------------------------------------------------

/// A snapshot of environment variables, so resolution is deterministic and
/// testable without touching the process environment.
#[derive(Clone, Default)]
pub struct Env {
    vars: BTreeMap<String, String>,
    /// Taken from the real process: `~` may then fall back to the password
    /// database like Python's `expanduser`, and child processes inherit the
    /// real environment (bytes that are not UTF-8 included).
    from_process: bool,
}

impl Env {
    pub fn from_process() -> Env {
        // Python's os.environ keeps undecodable bytes (surrogateescape); a
        // lossy string is the closest we can look up by name.
        let vars = std::env::vars_os()
            .map(|(k, v)| {
                (
                    k.to_string_lossy().into_owned(),
                    v.to_string_lossy().into_owned(),
                )
            })
            .collect();
        Env {
            vars,
            from_process: true,
        }
    }

    pub fn from_pairs(pairs: &[(&str, &str)]) -> Env {
        let vars = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Env {
            vars,
            from_process: false,
        }
    }

    /// The variable's value when it is set, even to the empty string:
    /// botocore's `EnvironmentProvider` tests `name in os.environ`, so
    /// `AWS_DEFAULT_REGION=` is a region of `""`, not "unset".
    pub fn get(&self, name: &str) -> Option<String> {
        self.vars.get(name).cloned()
    }

    /// [`Env::get`] without the copy.
    pub fn var(&self, name: &str) -> Option<&str> {
        self.vars.get(name).map(String::as_str)
    }

    pub fn contains(&self, name: &str) -> bool {
        self.vars.contains_key(name)
    }

    /// Python truthiness: set and non-empty. The credential providers test
    /// `environ.get(name, '')`, so an empty variable counts as absent there.
    pub fn get_nonempty(&self, name: &str) -> Option<&str> {
        self.var(name).filter(|v| !v.is_empty())
    }

    pub fn set(&mut self, name: &str, value: &str) {
        self.vars.insert(name.to_string(), value.to_string());
    }

    pub fn remove(&mut self, name: &str) {
        self.vars.remove(name);
    }

    pub fn is_process_env(&self) -> bool {
        self.from_process
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.vars.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }
}

// The environment holds AWS_SECRET_ACCESS_KEY and friends: print names only.
impl fmt::Debug for Env {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Env")
            .field("names", &self.vars.keys().collect::<Vec<_>>())
            .field("from_process", &self.from_process)
            .finish()
    }
}

// ---------------------------------------------------------------------------
// Python string semantics the parser depends on
// ---------------------------------------------------------------------------

/// Python's `str.isspace` (and `\s` in `re`): Rust's `char::is_whitespace`
/// plus the four information separators U+001C..U+001F.
pub(crate) fn py_isspace(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

pub(crate) fn py_strip(s: &str) -> &str {
    s.trim_matches(py_isspace)
}

fn py_rstrip(s: &str) -> &str {
    s.trim_end_matches(py_isspace)
}

/// Python's `str.splitlines()` boundaries (without keepends).
pub(crate) fn py_splitlines(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let is_break = matches!(
            c,
            '\n' | '\r'
                | '\u{0b}'
                | '\u{0c}'
                | '\u{1c}'
                | '\u{1d}'
                | '\u{1e}'
                | '\u{85}'
                | '\u{2028}'
                | '\u{2029}'
        );
        if is_break {
            out.push(&s[start..i]);
            let mut end = i + c.len_utf8();
            if c == '\r' {
                if let Some(&(j, '\n')) = chars.peek() {
                    chars.next();
                    end = j + 1;
                }
            }
            start = end;
        }
    }
    if start < s.len() {
        out.push(&s[start..]);
    }
    out
}

/// `os.path.expandvars` (posixpath): `$name` / `${name}` replaced when set,
/// left untouched otherwise; `name` is ASCII `\w+`.
pub fn expandvars(path: &str, env: &Env) -> String {
    if !path.contains('$') {
        return path.to_string();
    }
    let bytes = path.as_bytes();
    let mut out = String::with_capacity(path.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'$' {
            let rest = &path[i + 1..];
            let (name, consumed) = if let Some(inner) = rest.strip_prefix('{') {
                match inner.find('}') {
                    Some(end) => (Some(&inner[..end]), end + 2),
                    None => (None, 0),
                }
            } else {
                let len = rest
                    .bytes()
                    .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
                    .count();
                if len > 0 {
                    (Some(&rest[..len]), len)
                } else {
                    (None, 0)
                }
            };
            if let Some(name) = name {
                if let Some(value) = env.var(name) {
                    out.push_str(value);
                    i += 1 + consumed;
                    continue;
                }
                // Unknown names stay verbatim and scanning resumes after them.
                out.push_str(&path[i..i + 1 + consumed]);
                i += 1 + consumed;
                continue;
            }
        }
        let ch = path[i..].chars().next().expect("in bounds");
        out.push(ch);
        i += ch.len_utf8();
    }
    out
}

/// `os.path.expanduser` (posixpath): `~` is `$HOME` (or, for the real
/// process environment, the password database entry of the current user),
/// `~user` that user's home; unresolvable forms are returned unchanged.
pub fn expanduser(path: &str, env: &Env) -> String {
    if !path.starts_with('~') {
        return path.to_string();
    }
    let end = path[1..].find('/').map(|i| i + 1).unwrap_or(path.len());
    let home = if end == 1 {
        match env.var("HOME") {
            Some(h) => Some(h.to_string()),
            None if cfg!(windows) => windows_home(env),
            None if env.from_process => passwd_home_for_current_user(),
            None => None,
        }
    } else if env.from_process {
        passwd_home_for_name(&path[1..end])
    } else {
        None
    };
    let Some(home) = home else {
        return path.to_string();
    };
    let home = home.trim_end_matches('/');
    let joined = format!("{home}{}", &path[end..]);
    if joined.is_empty() {
        "/".to_string()
    } else {
        joined
    }
}

fn windows_home(env: &Env) -> Option<String> {
    if let Some(p) = env.var("USERPROFILE") {
        return Some(p.to_string());
    }
    let path = env.var("HOMEPATH")?;
    Some(format!("{}{}", env.var("HOMEDRIVE").unwrap_or(""), path))
}

// Python asks NSS through pwd; /etc/passwd covers the machines this runs
// on without adding a libc dependency.
fn passwd_entries() -> Vec<(String, u32, String)> {
    let Ok(text) = std::fs::read_to_string("/etc/passwd") else {
        return Vec::new();
    };
    text.lines()
        .filter_map(|line| {
            let f: Vec<&str> = line.split(':').collect();
            if f.len() < 7 {
                return None;
            }
            Some((f[0].to_string(), f[2].parse().ok()?, f[5].to_string()))
        })
        .collect()
}

#[cfg(unix)]
fn current_uid() -> Option<u32> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata("/proc/self").ok().map(|m| m.uid())
}

#[cfg(not(unix))]
fn current_uid() -> Option<u32> {
    None
}

fn passwd_home_for_current_user() -> Option<String> {
    let uid = current_uid()?;
    passwd_entries()
        .into_iter()
        .find(|e| e.1 == uid)
        .map(|e| e.2)
}

fn passwd_home_for_name(name: &str) -> Option<String> {
    passwd_entries()
        .into_iter()
        .find(|e| e.0 == name)
        .map(|e| e.2)
}

/// `shlex.split(s)` (POSIX mode, no comments): used for `[profile name]`
/// headers and `credential_process` command lines. The error strings are
/// the `ValueError` messages shlex raises.
pub fn shlex_split(s: &str) -> std::result::Result<Vec<String>, &'static str> {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        Space,
        Word,
        Quote(char),
        Escape,
        Eof,
    }
    let is_ws = |c: char| matches!(c, ' ' | '\t' | '\r' | '\n');
    let mut chars = s.chars();
    let mut state = State::Space;
    let mut out = Vec::new();
    loop {
        // One shlex.read_token(); the state carries over between tokens.
        let mut token = String::new();
        let mut quoted = false;
        let mut escaped_state = State::Word;
        loop {
            let next = chars.next();
            match state {
                State::Eof => break,
                State::Space => match next {
                    None => {
                        state = State::Eof;
                        break;
                    }
                    Some(c) if is_ws(c) => {
                        if !token.is_empty() || quoted {
                            break;
                        }
                    }
                    Some('\\') => {
                        escaped_state = State::Word;
                        state = State::Escape;
                    }
                    Some(c @ ('\'' | '"')) => state = State::Quote(c),
                    Some(c) => {
                        token.push(c);
                        state = State::Word;
                    }
                },
                State::Quote(q) => {
                    quoted = true;
                    match next {
                        None => return Err("No closing quotation"),
                        Some(c) if c == q => state = State::Word,
                        Some('\\') if q == '"' => {
                            escaped_state = State::Quote(q);
                            state = State::Escape;
                        }
                        Some(c) => token.push(c),
                    }
                }
                State::Escape => {
                    let Some(c) = next else {
                        return Err("No escaped character");
                    };
                    // Inside double quotes only `"` and `\` are escapable.
                    if let State::Quote(q) = escaped_state {
                        if c != '\\' && c != q {
                            token.push('\\');
                        }
                    }
                    token.push(c);
                    state = escaped_state;
                }
                State::Word => match next {
                    None => {
                        state = State::Eof;
                        break;
                    }
                    Some(c) if is_ws(c) => {
                        state = State::Space;
                        if !token.is_empty() || quoted {
                            break;
                        }
                    }
                    Some(c @ ('\'' | '"')) => state = State::Quote(c),
                    Some('\\') => {
                        escaped_state = State::Word;
                        state = State::Escape;
                    }
                    Some(c) => token.push(c),
                },
            }
        }
        if !quoted && token.is_empty() {
            return Ok(out);
        }
        out.push(token);
    }
}

// ---------------------------------------------------------------------------
// Values and sections
// ---------------------------------------------------------------------------

/// Insertion-ordered map with Python `dict` semantics: re-inserting a key
/// replaces its value but keeps its original position (which is what makes
/// `available_profiles` come out in botocore's order).
#[derive(Clone, PartialEq)]
struct OrderedMap<V> {
    entries: Vec<(String, V)>,
}

// Derived Default would demand `V: Default`.
impl<V> Default for OrderedMap<V> {
    fn default() -> Self {
        OrderedMap {
            entries: Vec::new(),
        }
    }
}

impl<V> OrderedMap<V> {
    fn get(&self, key: &str) -> Option<&V> {
        self.entries.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    fn get_mut(&mut self, key: &str) -> Option<&mut V> {
        self.entries
            .iter_mut()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }

    fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    fn insert(&mut self, key: String, value: V) {
        match self.get_mut(&key) {
            Some(slot) => *slot = value,
            None => self.entries.push((key, value)),
        }
    }

    fn keys(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|(k, _)| k.as_str())
    }

    fn iter(&self) -> impl Iterator<Item = (&str, &V)> {
        self.entries.iter().map(|(k, v)| (k.as_str(), v))
    }
}

/// One option's value as `raw_config_parse` returns it: a string, or (when
/// the value was empty on its own line and continued on indented lines) the
/// one level of `key = value` pairs botocore's `_parse_nested` produces.
#[derive(Clone, PartialEq, Eq)]
pub enum ConfigValue {
    Str(String),
    /// In first-seen key order; a repeated key keeps its first position and
    /// its last value, like the dict botocore builds.
    Nested(Vec<(String, String)>),
}

impl ConfigValue {
    pub fn as_str(&self) -> Option<&str> {
        match self {
            ConfigValue::Str(s) => Some(s),
            ConfigValue::Nested(_) => None,
        }
    }

    pub fn as_nested(&self) -> Option<&[(String, String)]> {
        match self {
            ConfigValue::Nested(pairs) => Some(pairs),
            ConfigValue::Str(_) => None,
        }
    }

    pub fn nested_get(&self, key: &str) -> Option<&str> {
        self.as_nested()?
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// What Python's `str()` / f-string would make of the value: botocore
    /// passes whatever the file held (a dict included) straight into the
    /// credential objects, and the signer formats it.
    pub fn py_str(&self) -> String {
        match self {
            ConfigValue::Str(s) => s.clone(),
            ConfigValue::Nested(pairs) => {
                let items: Vec<String> = pairs
                    .iter()
                    .map(|(k, v)| format!("{}: {}", py_repr_str(k), py_repr_str(v)))
                    .collect();
                format!("{{{}}}", items.join(", "))
            }
        }
    }
}

impl fmt::Debug for ConfigValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigValue::Str(s) => fmt::Debug::fmt(s, f),
            ConfigValue::Nested(pairs) => f
                .debug_map()
                .entries(pairs.iter().map(|(k, v)| (k, v)))
                .finish(),
        }
    }
}

/// Python's `repr()` of a `str`.
pub(crate) fn py_repr_str(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
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
            c if c.is_control() => {
                let n = c as u32;
                if n < 0x100 {
                    out.push_str(&format!("\\x{n:02x}"));
                } else {
                    out.push_str(&format!("\\u{n:04x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

/// The options of one section (a profile, an `sso-session`, a `services`
/// definition, or a raw credentials-file section), keys lower-cased as
/// configparser's `optionxform` leaves them.
#[derive(Clone, Default, PartialEq)]
pub struct Profile {
    values: OrderedMap<ConfigValue>,
}

/// Sections that are not profiles have the same shape.
pub type Section = Profile;

impl Profile {
    /// The value of `key` when it is a plain string. Keys are matched as
    /// stored (lower-case, since configparser lower-cases them).
    pub fn get(&self, key: &str) -> Option<&str> {
        self.values.get(key)?.as_str()
    }

    /// The raw value, string or nested.
    pub fn value(&self, key: &str) -> Option<&ConfigValue> {
        self.values.get(key)
    }

    /// `key` inside the nested block `section = \n  key = value`.
    pub fn nested(&self, section: &str, key: &str) -> Option<&str> {
        self.values.get(section)?.nested_get(key)
    }

    pub fn contains(&self, key: &str) -> bool {
        self.values.contains_key(key)
    }

    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.values.keys()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &ConfigValue)> {
        self.values.iter()
    }

    pub fn is_empty(&self) -> bool {
        self.values.entries.is_empty()
    }

    /// `dict.update`: existing keys take the new value in place, new keys go
    /// last.
    fn update(&mut self, other: &Profile) {
        for (k, v) in other.values.iter() {
            self.values.insert(k.to_string(), v.clone());
        }
    }
}

const SENSITIVE_KEYS: &[&str] = &[
    "aws_secret_access_key",
    "aws_session_token",
    "aws_security_token",
];

// Profiles hold secrets; Debug must never print them.
impl fmt::Debug for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut m = f.debug_map();
        for (k, v) in self.values.iter() {
            if SENSITIVE_KEYS.contains(&k) {
                m.entry(&k, &"<redacted>");
            } else {
                m.entry(&k, v);
            }
        }
        m.finish()
    }
}

/// A parsed INI file: `raw_config_parse`'s section-name → options mapping.
#[derive(Clone, Default, PartialEq)]
pub struct IniFile {
    sections: OrderedMap<Section>,
}

impl IniFile {
    pub fn section(&self, name: &str) -> Option<&Section> {
        self.sections.get(name)
    }

    pub fn section_names(&self) -> impl Iterator<Item = &str> {
        self.sections.keys()
    }

    pub fn sections(&self) -> impl Iterator<Item = (&str, &Section)> {
        self.sections.iter()
    }
}

impl fmt::Debug for IniFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.sections.iter()).finish()
    }
}

// ---------------------------------------------------------------------------
// configparser port
// ---------------------------------------------------------------------------

/// Why configparser (or `_parse_nested`) rejected the text. botocore folds
/// every one of these into `ConfigParseError(path)`; the detail only helps
/// tests and debugging.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IniError {
    MissingSectionHeader {
        lineno: usize,
    },
    DuplicateSection {
        section: String,
        lineno: usize,
    },
    DuplicateOption {
        section: String,
        option: String,
        lineno: usize,
    },
    /// A line that is neither a header, an option nor a continuation
    /// (configparser's `ParsingError`, raised after the whole file is read —
    /// the outcome is the same, so we stop at the first).
    Parsing {
        lineno: usize,
    },
    /// A nested block line without `=` (`_parse_nested`'s ValueError).
    Nested {
        section: String,
        option: String,
    },
}

const DEFAULT_SECTION: &str = "DEFAULT";

enum Cursor {
    Defaults,
    Section(usize),
}

/// `RawConfigParser().read_string(text)` with its default settings
/// (delimiters `=`/`:`, full-line `#`/`;` comments only, strict, empty lines
/// kept inside values, `[DEFAULT]` applied to every section, option names
/// lower-cased), followed by `raw_config_parse`'s walk over
/// `cp.sections()` / `cp.options()` / `cp.get()` with nested-block parsing.
/// Mirrors CPython 3.11 `configparser.RawConfigParser._read`.
pub fn parse_ini(text: &str) -> std::result::Result<IniFile, IniError> {
    // The file object's universal-newline translation.
    let text = text.replace("\r\n", "\n").replace('\r', "\n");

    type Options = OrderedMap<Vec<String>>;
    let mut defaults: Options = OrderedMap::default();
    let mut sections: OrderedMap<Options> = OrderedMap::default();
    let mut sections_added: HashSet<String> = HashSet::new();
    let mut options_added: HashSet<(String, String)> = HashSet::new();
    let mut cursect: Option<Cursor> = None;
    let mut sectname = String::new();
    let mut optname: Option<String> = None;
    let mut indent_level = 0usize;

    fn current<'a>(
        cur: &Cursor,
        defaults: &'a mut Options,
        sections: &'a mut OrderedMap<Options>,
    ) -> &'a mut Options {
        match cur {
            Cursor::Defaults => defaults,
            Cursor::Section(i) => &mut sections.entries[*i].1,
        }
    }

    for (idx, line) in text.split_inclusive('\n').enumerate() {
        let lineno = idx + 1;
        let stripped = py_strip(line);
        let is_comment = stripped.starts_with('#') || stripped.starts_with(';');
        let value = if is_comment { "" } else { stripped };
        if value.is_empty() {
            // A blank line belongs to the value being continued (it shows up
            // as an inner "\n" later); a comment line leaves no trace.
            if !is_comment {
                if let (Some(cur), Some(opt)) = (&cursect, &optname) {
                    if let Some(lines) = current(cur, &mut defaults, &mut sections).get_mut(opt) {
                        lines.push(String::new());
                    }
                }
            }
            continue;
        }
        let cur_indent = line.chars().take_while(|c| py_isspace(*c)).count();
        if let (Some(cur), Some(opt), true) = (&cursect, &optname, cur_indent > indent_level) {
            // Continuation line: the stripped text joins the open value.
            if let Some(lines) = current(cur, &mut defaults, &mut sections).get_mut(opt) {
                lines.push(value.to_string());
            }
            continue;
        }
        indent_level = cur_indent;
        if let Some(header) = section_header(value) {
            if let Some(pos) = sections.entries.iter().position(|(k, _)| k == header) {
                if sections_added.contains(header) {
                    return Err(IniError::DuplicateSection {
                        section: header.to_string(),
                        lineno,
                    });
                }
                cursect = Some(Cursor::Section(pos));
            } else if header == DEFAULT_SECTION {
                cursect = Some(Cursor::Defaults);
            } else {
                sections
                    .entries
                    .push((header.to_string(), OrderedMap::default()));
                cursect = Some(Cursor::Section(sections.entries.len() - 1));
            }
            if header != DEFAULT_SECTION {
                sections_added.insert(header.to_string());
            }
            sectname = header.to_string();
            optname = None;
            continue;
        }
        let Some(cur) = &cursect else {
            return Err(IniError::MissingSectionHeader { lineno });
        };
        // OPTCRE: the option ends at the first `=` or `:`.
        let Some(delim) = value.find(['=', ':']) else {
            return Err(IniError::Parsing { lineno });
        };
        let name = py_rstrip(&value[..delim]);
        if name.is_empty() {
            return Err(IniError::Parsing { lineno });
        }
        let name = name.to_lowercase();
        if !options_added.insert((sectname.clone(), name.clone())) {
            return Err(IniError::DuplicateOption {
                section: sectname.clone(),
                option: name,
                lineno,
            });
        }
        let optval = py_strip(&value[delim + 1..]).to_string();
        current(cur, &mut defaults, &mut sections).insert(name.clone(), vec![optval]);
        optname = Some(name);
    }

    // _join_multiline_values, then raw_config_parse's per-option walk.
    let join = |lines: &Vec<String>| py_rstrip(&lines.join("\n")).to_string();
    let mut out = IniFile::default();
    for (section_name, options) in sections.iter() {
        let mut merged: OrderedMap<String> = OrderedMap::default();
        for (k, v) in options.iter() {
            merged.insert(k.to_string(), join(v));
        }
        for (k, v) in defaults.iter() {
            if !merged.contains_key(k) {
                merged.insert(k.to_string(), join(v));
            }
        }
        let mut section = Profile::default();
        for (k, v) in merged.entries {
            let value = if v.starts_with('\n') {
                parse_nested(&v).ok_or_else(|| IniError::Nested {
                    section: section_name.to_string(),
                    option: k.clone(),
                })?
            } else {
                ConfigValue::Str(v)
            };
            section.values.insert(k, value);
        }
        out.sections.insert(section_name.to_string(), section);
    }
    Ok(out)
}

/// SECTCRE `\[(?P<header>.+)\]` with `re.match`: a greedy header, so the
/// last `]` on the line closes it and anything after it is ignored.
fn section_header(value: &str) -> Option<&str> {
    let rest = value.strip_prefix('[')?;
    let close = rest.rfind(']')?;
    (close > 0).then(|| &rest[..close])
}

/// `botocore.configloader._parse_nested`: only `=` separates (a `:` line is
/// an error), keys keep their case.
fn parse_nested(value: &str) -> Option<ConfigValue> {
    let mut parsed: OrderedMap<String> = OrderedMap::default();
    for line in py_splitlines(value) {
        let line = py_strip(line);
        if line.is_empty() {
            continue;
        }
        let (k, v) = line.split_once('=')?;
        parsed.insert(py_strip(k).to_string(), py_strip(v).to_string());
    }
    Some(ConfigValue::Nested(parsed.entries))
}

/// `botocore.configloader.raw_config_parse(path)`: `Ok(None)` when the path
/// (after `$VAR` and `~` expansion) is not a regular file — botocore's
/// `ConfigNotFound`, which every caller treats as "no file". A file that
/// cannot be opened reads as empty (configparser skips it silently); bytes
/// that are not UTF-8 or text configparser rejects give `ConfigParse`.
pub fn raw_config_parse(path: &str, env: &Env) -> Result<Option<IniFile>> {
    let path = expand_path(path, env);
    parse_file_at(&path)
}

/// `expanduser(expandvars(path))`, the order botocore applies them.
pub fn expand_path(path: &str, env: &Env) -> String {
    expanduser(&expandvars(path, env), env)
}

fn parse_file_at(path: &str) -> Result<Option<IniFile>> {
    if !std::path::Path::new(path).is_file() {
        return Ok(None);
    }
    let Ok(bytes) = std::fs::read(path) else {
        return Ok(Some(IniFile::default()));
    };
    let err = || Error::ConfigParse {
        path: path.to_string(),
    };
    let text = String::from_utf8(bytes).map_err(|_| err())?;
    parse_ini(&text).map(Some).map_err(|_| err())
}

// ---------------------------------------------------------------------------
// Profile maps
// ---------------------------------------------------------------------------

/// `build_profile_map` applied to the config file.
#[derive(Clone, Default, PartialEq)]
pub struct ConfigFile {
    profiles: OrderedMap<Profile>,
    sso_sessions: OrderedMap<Section>,
    services: OrderedMap<Section>,
    other: OrderedMap<Section>,
}

impl ConfigFile {
    /// `botocore.configloader.build_profile_map`: `[profile x]` (and, since
    /// the test is `startswith("profile")` plus a two-word shlex split,
    /// `[profiles x]` or `[profile "x y"]`) becomes profile `x`; `[default]`
    /// is a profile as well; `sso-session` and `services` sections are kept
    /// by name; anything else stays a top-level section. When two sections
    /// name the same profile (`[default]` and `[profile default]`), the one
    /// later in the file wins but the profile keeps its first position.
    pub fn from_ini(ini: &IniFile) -> ConfigFile {
        let mut out = ConfigFile::default();
        for (key, values) in ini.sections.iter() {
            let target = if key.starts_with("profile") {
                Some(&mut out.profiles)
            } else if key.starts_with("sso-session") {
                Some(&mut out.sso_sessions)
            } else if key.starts_with("services") {
                Some(&mut out.services)
            } else {
                None
            };
            match target {
                Some(map) => {
                    if let Some(name) = section_suffix(key) {
                        map.insert(name, values.clone());
                    }
                }
                None if key == "default" => out.profiles.insert(key.to_string(), values.clone()),
                None => out.other.insert(key.to_string(), values.clone()),
            }
        }
        out
    }

    pub fn profile(&self, name: &str) -> Option<&Profile> {
        self.profiles.get(name)
    }

    pub fn profile_names(&self) -> impl Iterator<Item = &str> {
        self.profiles.keys()
    }

    pub fn sso_session(&self, name: &str) -> Option<&Section> {
        self.sso_sessions.get(name)
    }

    pub fn services(&self, name: &str) -> Option<&Section> {
        self.services.get(name)
    }

    /// Sections that are none of the above (e.g. `[preview]`).
    pub fn other_section(&self, name: &str) -> Option<&Section> {
        self.other.get(name)
    }
}

impl fmt::Debug for ConfigFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConfigFile")
            .field("profiles", &self.profiles.keys().collect::<Vec<_>>())
            .field(
                "sso_sessions",
                &self.sso_sessions.keys().collect::<Vec<_>>(),
            )
            .field("services", &self.services.keys().collect::<Vec<_>>())
            .field("other", &self.other.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// `botocore.configloader._parse_section`: the second word of a two-word
/// shlex split; anything else (unbalanced quotes, one or three words) is
/// dropped.
fn section_suffix(key: &str) -> Option<String> {
    let mut parts = shlex_split(key).ok()?;
    if parts.len() == 2 {
        parts.pop()
    } else {
        None
    }
}

/// Both shared files, loaded once, merged the way
/// `botocore.session.Session.full_config` merges them.
#[derive(Clone, Default)]
pub struct SharedConfig {
    config_path: String,
    credentials_path: String,
    /// `load_config(config_file)`; `None` when the file does not exist.
    config_file: Option<ConfigFile>,
    /// `raw_config_parse(credentials_file)`; `None` when it does not exist.
    credentials_file: Option<IniFile>,
    /// `full_config['profiles']`: config-file profiles, each updated with the
    /// credentials-file section of the same name, then credentials-only
    /// sections appended (by raw section name, so `[profile x]` in the
    /// credentials file is a profile called `profile x`).
    profiles: OrderedMap<Profile>,
    empty: Profile,
}

impl fmt::Debug for SharedConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SharedConfig")
            .field("config_path", &self.config_path)
            .field("credentials_path", &self.credentials_path)
            .field("profiles", &self.profiles.keys().collect::<Vec<_>>())
            .finish()
    }
}

pub const DEFAULT_CONFIG_FILE: &str = "~/.aws/config";
pub const DEFAULT_CREDENTIALS_FILE: &str = "~/.aws/credentials";

impl SharedConfig {
    /// Reads `AWS_CONFIG_FILE` (default `~/.aws/config`) and
    /// `AWS_SHARED_CREDENTIALS_FILE` (default `~/.aws/credentials`), config
    /// first, so when both are broken the config file is the one reported,
    /// as botocore's `full_config` does.
    pub fn load(env: &Env) -> Result<SharedConfig> {
        let config_path = expand_path(
            env.var("AWS_CONFIG_FILE").unwrap_or(DEFAULT_CONFIG_FILE),
            env,
        );
        let credentials_path = expand_path(
            env.var("AWS_SHARED_CREDENTIALS_FILE")
                .unwrap_or(DEFAULT_CREDENTIALS_FILE),
            env,
        );
        let config = parse_file_at(&config_path)?;
        let credentials = parse_file_at(&credentials_path)?;
        Ok(Self::assemble(
            config_path,
            credentials_path,
            config,
            credentials,
        ))
    }

    /// From file contents instead of files (tests, embedding). `None` means
    /// the file does not exist. Parse errors name `<config>` /
    /// `<credentials>` as the path.
    pub fn from_contents(config: Option<&str>, credentials: Option<&str>) -> Result<SharedConfig> {
        let parse = |text: Option<&str>, path: &str| -> Result<Option<IniFile>> {
            text.map(|t| {
                parse_ini(t).map_err(|_| Error::ConfigParse {
                    path: path.to_string(),
                })
            })
            .transpose()
        };
        let config = parse(config, "<config>")?;
        let credentials = parse(credentials, "<credentials>")?;
        Ok(Self::assemble(
            "<config>".into(),
            "<credentials>".into(),
            config,
            credentials,
        ))
    }

    /// No files at all.
    pub fn empty() -> SharedConfig {
        SharedConfig::default()
    }

    fn assemble(
        config_path: String,
        credentials_path: String,
        config: Option<IniFile>,
        credentials: Option<IniFile>,
    ) -> SharedConfig {
        let config_file = config.as_ref().map(ConfigFile::from_ini);
        let mut profiles = config_file
            .as_ref()
            .map(|c| c.profiles.clone())
            .unwrap_or_default();
        if let Some(creds) = &credentials {
            for (name, vars) in creds.sections.iter() {
                match profiles.get_mut(name) {
                    Some(existing) => existing.update(vars),
                    None => profiles.insert(name.to_string(), vars.clone()),
                }
            }
        }
        SharedConfig {
            config_path,
            credentials_path,
            config_file,
            credentials_file: credentials,
            profiles,
            empty: Profile::default(),
        }
    }

    /// The expanded config file path (what `ConfigParseError` would name).
    pub fn config_path(&self) -> &str {
        &self.config_path
    }

    pub fn credentials_path(&self) -> &str {
        &self.credentials_path
    }

    /// A profile of the merged map (`full_config['profiles'][name]`): the
    /// view every setting lookup, `credential_process` and the scoped config
    /// use — so a `region` in the credentials file's `[default]` counts.
    pub fn profile(&self, name: &str) -> Option<&Profile> {
        self.profiles.get(name)
    }

    /// `boto3.Session.available_profiles`: config-file profiles in file
    /// order, then sections only the credentials file has.
    pub fn available_profiles(&self) -> Vec<String> {
        self.profiles.keys().map(str::to_string).collect()
    }

    /// The config file alone, as `load_config` returns it (what botocore's
    /// `ConfigProvider` — method `config-file` — reads credentials from).
    pub fn config_file(&self) -> Option<&ConfigFile> {
        self.config_file.as_ref()
    }

    /// The credentials file alone, as `raw_config_parse` returns it (what
    /// `SharedCredentialProvider` reads: section name == profile name).
    pub fn credentials_file(&self) -> Option<&IniFile> {
        self.credentials_file.as_ref()
    }

    pub fn sso_session(&self, name: &str) -> Option<&Section> {
        self.config_file.as_ref()?.sso_session(name)
    }

    pub fn services_section(&self, name: &str) -> Option<&Section> {
        self.config_file.as_ref()?.services(name)
    }

    /// `botocore.session.Session.get_scoped_config`: with no profile
    /// configured, `[default]` or nothing; a configured profile (even
    /// `default`, even `""`) must exist or it is `ProfileNotFound`.
    pub fn scoped_config(&self, profile: &ActiveProfile) -> Result<&Profile> {
        match &profile.configured {
            None => Ok(self.profiles.get("default").unwrap_or(&self.empty)),
            Some(name) => self
                .profiles
                .get(name)
                .ok_or_else(|| Error::ProfileNotFound {
                    profile: name.clone(),
                }),
        }
    }

    /// [`ActiveProfile::resolve`] plus the existence check botocore makes
    /// while a session is being set up (see [`Self::scoped_config`]).
    pub fn active_profile(&self, profile_name: Option<&str>, env: &Env) -> Result<ActiveProfile> {
        let profile = ActiveProfile::resolve(profile_name, env);
        self.scoped_config(&profile)?;
        Ok(profile)
    }

    /// The scoped config by name, empty when the profile does not exist
    /// (callers validated it with [`Self::scoped_config`] at session setup).
    pub fn scoped(&self, profile: &str) -> &Profile {
        self.profiles.get(profile).unwrap_or(&self.empty)
    }

    /// The region botocore's `create_client` ends up with:
    /// `explicit` (the client's `region_name`, else `Config.region_name`,
    /// else `Session(region_name=)` — first one given) → `AWS_DEFAULT_REGION`
    /// → the profile's `region`.
    ///
    /// `AWS_REGION` is not consulted: botocore 1.44 maps `region` to
    /// `AWS_DEFAULT_REGION` only (configprovider.py) and reads `AWS_REGION`
    /// solely for `defaults_mode="auto"`; checked: with `AWS_REGION=ap-south-1`
    /// and a config region of `eu-west-1`, `client.meta.region_name` is
    /// `eu-west-1`. An empty `AWS_DEFAULT_REGION` is the region `""`.
    pub fn region(&self, env: &Env, profile: &str, explicit: Option<&str>) -> Option<String> {
        match explicit {
            Some(r) => Some(r.to_string()),
            None => self.setting(env, profile, "region"),
        }
    }

    /// A botocore config variable by its logical name (the keys of
    /// `BOTOCORE_DEFAUT_SESSION_VARIABLES`, `s3.<name>` for
    /// `DEFAULT_S3_CONFIG_VARS`, `proxies_config.<name>` for the proxy ones,
    /// and `endpoint_url` for the S3 configured endpoint): the first
    /// environment variable that is set, else the first config key present
    /// in the profile — `ChainProvider` order. Values come back as written
    /// (conversions such as `ensure_boolean` or `int` are the caller's);
    /// defaults are in [`setting_default`]. Unknown names give `None`.
    ///
    /// A nested block where a string was expected gives `None` (botocore
    /// would hand on the dict). For `s3.*`, a non-empty plain `s3 = value`
    /// disables the whole section, env overrides included
    /// (`SectionConfigProvider`).
    pub fn setting(&self, env: &Env, profile: &str, name: &str) -> Option<String> {
        if name == "endpoint_url" {
            // Lenient form: a dangling `services` reference reads as "not
            // configured" here; `configured_endpoint_url` reports it.
            return self
                .configured_endpoint_url(env, profile, "s3")
                .ok()
                .flatten();
        }
        let spec = SETTINGS.iter().find(|s| s.name == name)?;
        let scoped = self.scoped(profile);
        if let Some(section) = spec.section {
            if matches!(scoped.value(section), Some(ConfigValue::Str(s)) if !s.is_empty()) {
                return None;
            }
        }
        for var in spec.env {
            if let Some(v) = env.var(var) {
                return Some(v.to_string());
            }
        }
        // ScopedConfigProvider: a top-level key stops the chain whatever its
        // value; a `(section, key)` pair only when the section is a dict
        // holding the key.
        for key in spec.config {
            match key {
                Key::Top(k) => {
                    if let Some(v) = scoped.value(k) {
                        return v.as_str().map(str::to_string);
                    }
                }
                Key::Nested(section, k) => {
                    if let Some(v) = scoped.nested(section, k) {
                        return Some(v.to_string());
                    }
                }
            }
        }
        None
    }

    /// `setting`, falling back to botocore's constant default.
    pub fn setting_or_default(&self, env: &Env, profile: &str, name: &str) -> Option<String> {
        self.setting(env, profile, name)
            .or_else(|| setting_default(name).map(str::to_string))
    }

    /// The whole `s3` section as botocore's `get_config_variable('s3')`
    /// returns it: the profile's nested `s3` block (every key, not only the
    /// known ones) with the known variables overridden from their env vars
    /// and top-level keys. `None` when there is nothing, or when `s3` is a
    /// non-empty plain string.
    pub fn s3_section(&self, env: &Env, profile: &str) -> Option<Vec<(String, String)>> {
        let scoped = self.scoped(profile);
        let mut out: Option<OrderedMap<String>> = match scoped.value("s3") {
            Some(ConfigValue::Str(s)) if !s.is_empty() => return None,
            Some(ConfigValue::Nested(pairs)) => {
                let mut m = OrderedMap::default();
                for (k, v) in pairs {
                    m.insert(k.clone(), v.clone());
                }
                Some(m)
            }
            _ => None,
        };
        for spec in SETTINGS.iter().filter(|s| s.section == Some("s3")) {
            if let Some(v) = self.setting(env, profile, spec.name) {
                let key = spec.name.trim_start_matches("s3.").to_string();
                out.get_or_insert_with(OrderedMap::default).insert(key, v);
            }
        }
        out.map(|m| m.entries)
    }

    /// `botocore.configprovider.ConfiguredEndpointProvider.provide` for a
    /// client whose snake-case service id is `service_id` (`"s3"`):
    /// `AWS_ENDPOINT_URL_<ID>` → `AWS_ENDPOINT_URL` → the `[services x]`
    /// section the profile's `services = x` names (its `<id> =` block's
    /// `endpoint_url`) → the profile's `endpoint_url`. Empty values are
    /// skipped (botocore tests truthiness). `ignore_configured_endpoint_urls`
    /// is the caller's gate, as in botocore's `ClientArgsCreator`.
    ///
    /// `Err` is botocore's `InvalidConfigError` (the profile names a
    /// services section that does not exist or is empty), raised at client
    /// creation and only when the env vars did not answer first.
    pub fn configured_endpoint_url(
        &self,
        env: &Env,
        profile: &str,
        service_id: &str,
    ) -> std::result::Result<Option<String>, InvalidConfig> {
        let service_var = format!("AWS_ENDPOINT_URL_{}", service_id.to_uppercase());
        for var in [service_var.as_str(), "AWS_ENDPOINT_URL"] {
            if let Some(v) = env.get_nonempty(var) {
                return Ok(Some(v.to_string()));
            }
        }
        let scoped = self.scoped(profile);
        if let Some(reference) = scoped.value("services") {
            let section = reference
                .as_str()
                .and_then(|name| self.services_section(name));
            match section {
                Some(s) if !s.is_empty() => {
                    let url = s.nested(&service_id.to_lowercase(), "endpoint_url");
                    if let Some(url) = url.filter(|u| !u.is_empty()) {
                        return Ok(Some(url.to_string()));
                    }
                }
                _ => {
                    let name = reference.py_str();
                    return Err(InvalidConfig {
                        error_msg: format!(
                            "The profile is configured to use the services section but the \"{name}\" services configuration does not exist."
                        ),
                    });
                }
            }
        }
        Ok(scoped
            .get("endpoint_url")
            .filter(|u| !u.is_empty())
            .map(str::to_string))
    }

    /// Only the `[services x]` step of [`Self::configured_endpoint_url`]:
    /// the `<service_id> =` block's `endpoint_url` of the services section
    /// the profile names, `None` when any link is missing. Note botocore
    /// consults `AWS_ENDPOINT_URL` *before* this step.
    pub fn service_endpoint_url(&self, profile: &str, service_id: &str) -> Option<String> {
        let name = self.scoped(profile).get("services")?;
        let url = self
            .services_section(name)?
            .nested(&service_id.to_lowercase(), "endpoint_url")?;
        (!url.is_empty()).then(|| url.to_string())
    }
}

/// botocore's `InvalidConfigError` (message = `error_msg`). `crate::error`
/// has no variant for it yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidConfig {
    pub error_msg: String,
}

impl fmt::Display for InvalidConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.error_msg)
    }
}

/// `botocore.utils.ensure_boolean` for a config string.
pub fn ensure_boolean(value: &str) -> bool {
    value.eq_ignore_ascii_case("true")
}

// ---------------------------------------------------------------------------
// Active profile
// ---------------------------------------------------------------------------

/// botocore's `profile` config variable, with where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ActiveProfile {
    /// `None` when nothing named a profile (botocore then falls back to
    /// `[default]` without requiring it to exist).
    pub configured: Option<String>,
    /// Named by `Session(profile_name=...)` (a session instance variable).
    /// botocore then removes the env-var credential provider from the chain
    /// (`create_credential_resolver`'s `disable_env_vars`); a profile from
    /// `AWS_PROFILE` does not.
    pub explicit: bool,
}

impl ActiveProfile {
    /// Session `profile_name` → `AWS_DEFAULT_PROFILE` → `AWS_PROFILE`.
    /// Note the env order: configprovider.py lists
    /// `['AWS_DEFAULT_PROFILE', 'AWS_PROFILE']`, so `AWS_DEFAULT_PROFILE`
    /// wins when both are set (checked against botocore 1.44). A variable
    /// set to `""` still counts (and then fails as profile `""`).
    pub fn resolve(profile_name: Option<&str>, env: &Env) -> ActiveProfile {
        if let Some(p) = profile_name {
            return ActiveProfile {
                configured: Some(p.to_string()),
                explicit: true,
            };
        }
        let configured = ["AWS_DEFAULT_PROFILE", "AWS_PROFILE"]
            .iter()
            .find_map(|v| env.var(v))
            .map(str::to_string);
        ActiveProfile {
            configured,
            explicit: false,
        }
    }

    /// The name used for lookups and shown as `Session.profile_name`:
    /// `profile or 'default'` (Python truthiness, so `""` → `default`).
    pub fn name(&self) -> &str {
        match self.configured.as_deref() {
            Some(n) if !n.is_empty() => n,
            _ => "default",
        }
    }
}

// ---------------------------------------------------------------------------
// Settings table
// ---------------------------------------------------------------------------

#[derive(Debug)]
enum Key {
    Top(&'static str),
    Nested(&'static str, &'static str),
}

struct SettingSpec {
    name: &'static str,
    env: &'static [&'static str],
    config: &'static [Key],
    default: Option<&'static str>,
    /// For `SectionConfigProvider` members: the section that must be a
    /// dict (or absent) for any of them to resolve.
    section: Option<&'static str>,
}

macro_rules! spec {
    ($name:expr, env: [$($e:expr),*], config: [$($c:expr),*], default: $d:expr) => {
        SettingSpec { name: $name, env: &[$($e),*], config: &[$($c),*], default: $d, section: None }
    };
    ($name:expr, env: [$($e:expr),*], config: [$($c:expr),*], default: $d:expr, section: $s:expr) => {
        SettingSpec { name: $name, env: &[$($e),*], config: &[$($c),*], default: $d, section: Some($s) }
    };
}

use Key::{Nested, Top};

/// botocore 1.44 `BOTOCORE_DEFAUT_SESSION_VARIABLES`,
/// `DEFAULT_S3_CONFIG_VARS` and `DEFAULT_PROXIES_CONFIG_VARS`, minus
/// `api_versions` (a dict).
static SETTINGS: &[SettingSpec] = &[
    spec!("profile", env: ["AWS_DEFAULT_PROFILE", "AWS_PROFILE"], config: [], default: None),
    spec!("region", env: ["AWS_DEFAULT_REGION"], config: [Top("region")], default: None),
    spec!("data_path", env: ["AWS_DATA_PATH"], config: [Top("data_path")], default: None),
    spec!("config_file", env: ["AWS_CONFIG_FILE"], config: [], default: Some(DEFAULT_CONFIG_FILE)),
    spec!("ca_bundle", env: ["AWS_CA_BUNDLE"], config: [Top("ca_bundle")], default: None),
    spec!("credentials_file", env: ["AWS_SHARED_CREDENTIALS_FILE"], config: [], default: Some(DEFAULT_CREDENTIALS_FILE)),
    spec!("metadata_service_timeout", env: ["AWS_METADATA_SERVICE_TIMEOUT"], config: [Top("metadata_service_timeout")], default: Some("1")),
    spec!("metadata_service_num_attempts", env: ["AWS_METADATA_SERVICE_NUM_ATTEMPTS"], config: [Top("metadata_service_num_attempts")], default: Some("1")),
    spec!("ec2_metadata_service_endpoint", env: ["AWS_EC2_METADATA_SERVICE_ENDPOINT"], config: [Top("ec2_metadata_service_endpoint")], default: None),
    spec!("ec2_metadata_service_endpoint_mode", env: ["AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE"], config: [Top("ec2_metadata_service_endpoint_mode")], default: None),
    spec!("ec2_metadata_v1_disabled", env: ["AWS_EC2_METADATA_V1_DISABLED"], config: [Top("ec2_metadata_v1_disabled")], default: Some("false")),
    spec!("imds_use_ipv6", env: ["AWS_IMDS_USE_IPV6"], config: [Top("imds_use_ipv6")], default: Some("false")),
    spec!("use_dualstack_endpoint", env: ["AWS_USE_DUALSTACK_ENDPOINT"], config: [Top("use_dualstack_endpoint")], default: None),
    spec!("use_fips_endpoint", env: ["AWS_USE_FIPS_ENDPOINT"], config: [Top("use_fips_endpoint")], default: None),
    spec!("ignore_configured_endpoint_urls", env: ["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"], config: [Top("ignore_configured_endpoint_urls")], default: None),
    spec!("parameter_validation", env: [], config: [Top("parameter_validation")], default: Some("true")),
    spec!("csm_enabled", env: ["AWS_CSM_ENABLED"], config: [Top("csm_enabled")], default: Some("false")),
    spec!("csm_host", env: ["AWS_CSM_HOST"], config: [Top("csm_host")], default: Some("127.0.0.1")),
    spec!("csm_port", env: ["AWS_CSM_PORT"], config: [Top("csm_port")], default: Some("31000")),
    spec!("csm_client_id", env: ["AWS_CSM_CLIENT_ID"], config: [Top("csm_client_id")], default: Some("")),
    spec!("endpoint_discovery_enabled", env: ["AWS_ENDPOINT_DISCOVERY_ENABLED"], config: [Top("endpoint_discovery_enabled")], default: Some("auto")),
    spec!("sts_regional_endpoints", env: ["AWS_STS_REGIONAL_ENDPOINTS"], config: [Top("sts_regional_endpoints")], default: Some("regional")),
    spec!("retry_mode", env: ["AWS_RETRY_MODE"], config: [Top("retry_mode")], default: Some("standard")),
    spec!("defaults_mode", env: ["AWS_DEFAULTS_MODE"], config: [Top("defaults_mode")], default: Some("legacy")),
    spec!("max_attempts", env: ["AWS_MAX_ATTEMPTS"], config: [Top("max_attempts")], default: None),
    spec!("user_agent_appid", env: ["AWS_SDK_UA_APP_ID"], config: [Top("sdk_ua_app_id")], default: None),
    spec!("request_min_compression_size_bytes", env: ["AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES"], config: [Top("request_min_compression_size_bytes")], default: Some("10240")),
    spec!("disable_request_compression", env: ["AWS_DISABLE_REQUEST_COMPRESSION"], config: [Top("disable_request_compression")], default: Some("false")),
    spec!("sigv4a_signing_region_set", env: ["AWS_SIGV4A_SIGNING_REGION_SET"], config: [Top("sigv4a_signing_region_set")], default: None),
    spec!("request_checksum_calculation", env: ["AWS_REQUEST_CHECKSUM_CALCULATION"], config: [Top("request_checksum_calculation")], default: Some("when_supported")),
    spec!("response_checksum_validation", env: ["AWS_RESPONSE_CHECKSUM_VALIDATION"], config: [Top("response_checksum_validation")], default: Some("when_supported")),
    spec!("account_id_endpoint_mode", env: ["AWS_ACCOUNT_ID_ENDPOINT_MODE"], config: [Top("account_id_endpoint_mode")], default: Some("preferred")),
    spec!("disable_host_prefix_injection", env: ["AWS_DISABLE_HOST_PREFIX_INJECTION"], config: [Top("disable_host_prefix_injection")], default: None),
    spec!("auth_scheme_preference", env: ["AWS_AUTH_SCHEME_PREFERENCE"], config: [Top("auth_scheme_preference")], default: None),
    spec!("tcp_keepalive", env: ["BOTOCORE_TCP_KEEPALIVE"], config: [Top("tcp_keepalive")], default: None),
    spec!("s3_disable_express_session_auth", env: ["AWS_S3_DISABLE_EXPRESS_SESSION_AUTH"], config: [Top("s3_disable_express_session_auth")], default: None),
    spec!("s3.addressing_style", env: [], config: [Nested("s3", "addressing_style")], default: None, section: "s3"),
    spec!("s3.use_accelerate_endpoint", env: [], config: [Nested("s3", "use_accelerate_endpoint")], default: None, section: "s3"),
    spec!("s3.use_dualstack_endpoint", env: [], config: [Nested("s3", "use_dualstack_endpoint")], default: None, section: "s3"),
    spec!("s3.payload_signing_enabled", env: [], config: [Nested("s3", "payload_signing_enabled")], default: None, section: "s3"),
    spec!("s3.use_arn_region", env: ["AWS_S3_USE_ARN_REGION"], config: [Top("s3_use_arn_region"), Nested("s3", "use_arn_region")], default: None, section: "s3"),
    spec!("s3.us_east_1_regional_endpoint", env: ["AWS_S3_US_EAST_1_REGIONAL_ENDPOINT"], config: [Top("s3_us_east_1_regional_endpoint"), Nested("s3", "us_east_1_regional_endpoint")], default: None, section: "s3"),
    spec!("s3.s3_disable_multiregion_access_points", env: ["AWS_S3_DISABLE_MULTIREGION_ACCESS_POINTS"], config: [Nested("s3", "s3_disable_multiregion_access_points")], default: None, section: "s3"),
    spec!("proxies_config.proxy_ca_bundle", env: [], config: [Top("proxy_ca_bundle")], default: None, section: "proxies_config"),
    spec!("proxies_config.proxy_client_cert", env: [], config: [Top("proxy_client_cert")], default: None, section: "proxies_config"),
    spec!("proxies_config.proxy_use_forwarding_for_https", env: [], config: [Top("proxy_use_forwarding_for_https")], default: None, section: "proxies_config"),
];

/// botocore's constant default for a logical setting name, as a string
/// (booleans as `"true"`/`"false"`).
pub fn setting_default(name: &str) -> Option<&'static str> {
    SETTINGS.iter().find(|s| s.name == name)?.default
}

/// Every logical name [`SharedConfig::setting`] understands.
pub fn setting_names() -> impl Iterator<Item = &'static str> {
    SETTINGS
        .iter()
        .map(|s| s.name)
        .chain(std::iter::once("endpoint_url"))
}

// ---------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------

#[cfg(test)]
pub(crate) mod tests_support {
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// A fresh directory under the system temp dir (no tempfile crate).
    pub(crate) fn tmpdir() -> std::path::PathBuf {
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "fastboto-cfg-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }
}

#[cfg(test)]
mod tests {
    use super::tests_support::tmpdir;
    use super::*;

    fn ini(text: &str) -> IniFile {
        parse_ini(text).unwrap()
    }

    fn s(v: &str) -> ConfigValue {
        ConfigValue::Str(v.to_string())
    }

    fn nested(pairs: &[(&str, &str)]) -> ConfigValue {
        ConfigValue::Nested(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }

    fn section_of<'a>(f: &'a IniFile, name: &str) -> Vec<(&'a str, &'a ConfigValue)> {
        f.section(name).unwrap().iter().collect()
    }

    // ---- configparser semantics (each case checked against botocore 1.44) ----

    #[test]
    fn nested_block_comments_and_inline_hash() {
        let f = ini("[default]\ns3 =\n  addressing_style = path\n\n  # c\n  use_accelerate_endpoint = true\nregion = r # not a comment\n;c\n#c\nother: x=y\n  more\n");
        assert_eq!(
            section_of(&f, "default"),
            vec![
                (
                    "s3",
                    &nested(&[
                        ("addressing_style", "path"),
                        ("use_accelerate_endpoint", "true")
                    ])
                ),
                ("region", &s("r # not a comment")),
                ("other", &s("x=y\nmore")),
            ]
        );
    }

    #[test]
    fn empty_nested_block_is_empty_string() {
        let f = ini("[default]\ns3 =\nregion=x\n");
        assert_eq!(
            section_of(&f, "default"),
            vec![("s3", &s("")), ("region", &s("x"))]
        );
        let f = ini("[default]\nregion=\n\n\n");
        assert_eq!(section_of(&f, "default"), vec![("region", &s(""))]);
    }

    #[test]
    fn multiline_value_keeps_inner_blank_lines() {
        let f = ini("[default]\nregion=a\n b\n\n c\n");
        assert_eq!(section_of(&f, "default"), vec![("region", &s("a\nb\n\nc"))]);
    }

    #[test]
    fn nested_block_with_colon_is_a_parse_error() {
        assert!(matches!(
            parse_ini("[default]\ns3 =\n  addressing_style: path\n"),
            Err(IniError::Nested { .. })
        ));
    }

    #[test]
    fn nested_keys_keep_case_and_last_duplicate_wins() {
        let f = ini("[default]\ns3 =\n  Addressing_Style = path\n  a = 1\n  a = 2\n");
        assert_eq!(
            section_of(&f, "default"),
            vec![("s3", &nested(&[("Addressing_Style", "path"), ("a", "2")]))]
        );
    }

    #[test]
    fn option_names_are_lowercased_and_duplicates_rejected() {
        let f = ini("[default]\nREGION = eu\n");
        assert_eq!(section_of(&f, "default"), vec![("region", &s("eu"))]);
        assert!(matches!(
            parse_ini("[default]\nregion = eu\nRegion = x\n"),
            Err(IniError::DuplicateOption { .. })
        ));
    }

    #[test]
    fn colon_and_equals_delimiters_first_one_wins() {
        let f = ini("[default]\na: b = c\nd = e:f\ng=\n");
        assert_eq!(
            section_of(&f, "default"),
            vec![("a", &s("b = c")), ("d", &s("e:f")), ("g", &s(""))]
        );
    }

    #[test]
    fn duplicate_sections_rejected_but_default_section_merges() {
        assert!(matches!(
            parse_ini("[default]\n[default]\n"),
            Err(IniError::DuplicateSection { .. })
        ));
        let f = ini("[DEFAULT]\na=1\n[DEFAULT]\nb=2\n[default]\n");
        assert_eq!(
            section_of(&f, "default"),
            vec![("a", &s("1")), ("b", &s("2"))]
        );
        assert!(matches!(
            parse_ini("[DEFAULT]\na=1\n[DEFAULT]\na=2\n"),
            Err(IniError::DuplicateOption { .. })
        ));
    }

    #[test]
    fn default_section_applies_to_every_section_after_own_keys() {
        let f = ini("[DEFAULT]\nregion=x\nfoo=1\n[profile a]\nfoo=2\n[default]\n");
        assert_eq!(
            section_of(&f, "profile a"),
            vec![("foo", &s("2")), ("region", &s("x"))]
        );
        assert_eq!(
            section_of(&f, "default"),
            vec![("region", &s("x")), ("foo", &s("1"))]
        );
        assert!(f.section("DEFAULT").is_none());
    }

    #[test]
    fn headers_are_greedy_and_ignore_trailing_text() {
        let f = ini("[profile a] junk\nregion=x\n[a]b]\n");
        assert_eq!(
            f.section_names().collect::<Vec<_>>(),
            vec!["profile a", "a]b"]
        );
        assert!(matches!(
            parse_ini("[]\n"),
            Err(IniError::MissingSectionHeader { .. })
        ));
    }

    #[test]
    fn indented_line_after_option_is_a_continuation_even_if_it_looks_like_a_header() {
        let f = ini("[default]\nregion=x\n  [profile a]\n");
        assert_eq!(
            section_of(&f, "default"),
            vec![("region", &s("x\n[profile a]"))]
        );
        // ...but an indented first option is just an option.
        let f = ini("[default]\n  a = 1\nb = 2\n");
        assert_eq!(
            section_of(&f, "default"),
            vec![("a", &s("1")), ("b", &s("2"))]
        );
    }

    #[test]
    fn structural_errors() {
        assert!(matches!(
            parse_ini("region=x\n[default]\n"),
            Err(IniError::MissingSectionHeader { .. })
        ));
        assert!(matches!(
            parse_ini("junk\n"),
            Err(IniError::MissingSectionHeader { .. })
        ));
        assert!(matches!(
            parse_ini("[default]\nfoo\nregion=x\n"),
            Err(IniError::Parsing { .. })
        ));
        assert!(matches!(
            parse_ini("[default]\n=x\n"),
            Err(IniError::Parsing { .. })
        ));
        // A BOM is not stripped by Python's utf-8 codec.
        assert!(parse_ini("\u{feff}[default]\nregion=x\n").is_err());
        // Comments and blank lines before the first header are fine.
        let f = ini("# hi\n\n; there\n[default]\nregion=x\n");
        assert_eq!(section_of(&f, "default"), vec![("region", &s("x"))]);
    }

    #[test]
    fn crlf_and_lone_cr_line_endings() {
        let f = ini("[default]\r\nregion=x\r\ns3 =\r\n  a = b\r\n");
        assert_eq!(
            section_of(&f, "default"),
            vec![("region", &s("x")), ("s3", &nested(&[("a", "b")]))]
        );
        let f = ini("[default]\rregion=x\r");
        assert_eq!(section_of(&f, "default"), vec![("region", &s("x"))]);
    }

    #[test]
    fn shlex_split_matches_python() {
        let ok = |s: &str| shlex_split(s).unwrap();
        assert_eq!(ok("a \"b c\" d"), vec!["a", "b c", "d"]);
        assert_eq!(ok("\"a\\\"b\""), vec!["a\"b"]);
        assert_eq!(ok("'a\\b'"), vec!["a\\b"]);
        assert_eq!(ok("a\\ b"), vec!["a b"]);
        assert_eq!(ok("\"x\\y\""), vec!["x\\y"]);
        assert_eq!(ok("\"\""), vec![""]);
        assert_eq!(ok("''x"), vec!["x"]);
        assert_eq!(ok("a\"b\"c"), vec!["abc"]);
        assert_eq!(ok("  "), Vec::<String>::new());
        assert_eq!(shlex_split("\"abc"), Err("No closing quotation"));
        assert_eq!(shlex_split("abc\\"), Err("No escaped character"));
    }

    #[test]
    fn profile_section_names() {
        // botocore: ['a b', 'c', 'f', 'h\\', ''] for these headers.
        let cfg = ConfigFile::from_ini(&ini(
            "[profile \"a b\"]\n[profile  c]\n[profile d e]\n[profilex]\n[profiles f]\n[profile \"g]\n[profile 'h\\']\n[profile \"\"]\n",
        ));
        assert_eq!(
            cfg.profile_names().collect::<Vec<_>>(),
            vec!["a b", "c", "f", "h\\", ""]
        );
    }

    #[test]
    fn default_and_profile_default_later_one_wins() {
        let c = SharedConfig::from_contents(
            Some("[default]\nregion=a\n[profile default]\nregion=b\n"),
            None,
        )
        .unwrap();
        assert_eq!(c.profile("default").unwrap().get("region"), Some("b"));
        assert_eq!(c.available_profiles(), vec!["default"]);
        let c = SharedConfig::from_contents(
            Some("[profile default]\nregion=b\n[default]\nregion=a\n"),
            None,
        )
        .unwrap();
        assert_eq!(c.profile("default").unwrap().get("region"), Some("a"));
    }

    #[test]
    fn sso_session_services_and_other_sections_are_kept() {
        let c = SharedConfig::from_contents(
            Some("[profile a]\n[sso-session s]\nsso_region=r\n[services x]\ns3 =\n  endpoint_url = http://x\n[preview]\nk=v\n[default]\n"),
            None,
        )
        .unwrap();
        assert_eq!(c.sso_session("s").unwrap().get("sso_region"), Some("r"));
        assert_eq!(
            c.services_section("x")
                .unwrap()
                .nested("s3", "endpoint_url"),
            Some("http://x")
        );
        assert_eq!(
            c.config_file()
                .unwrap()
                .other_section("preview")
                .unwrap()
                .get("k"),
            Some("v")
        );
        assert_eq!(c.available_profiles(), vec!["a", "default"]);
    }

    #[test]
    fn available_profiles_order_and_credentials_merge() {
        // botocore: ['a', 'default', 'b', 'profile c', 'sso-session q']
        let c = SharedConfig::from_contents(
            Some("[profile a]\n[sso-session s]\n[services x]\n[default]\n"),
            Some("[b]\n[profile c]\n[a]\n[sso-session q]\n"),
        )
        .unwrap();
        assert_eq!(
            c.available_profiles(),
            vec!["a", "default", "b", "profile c", "sso-session q"]
        );
    }

    #[test]
    fn credentials_file_values_override_config_in_merged_profile() {
        let c = SharedConfig::from_contents(
            Some("[default]\nregion=a\noutput=json\n"),
            Some("[default]\nregion=c\naws_access_key_id=k\n"),
        )
        .unwrap();
        let p = c.profile("default").unwrap();
        assert_eq!(
            p.keys().collect::<Vec<_>>(),
            vec!["region", "output", "aws_access_key_id"]
        );
        assert_eq!(p.get("region"), Some("c"));
        // The config-file-only view is untouched.
        assert_eq!(
            c.config_file()
                .unwrap()
                .profile("default")
                .unwrap()
                .get("region"),
            Some("a")
        );
    }

    // ---- profile / region / settings precedence ----

    #[test]
    fn active_profile_precedence() {
        let env = Env::from_pairs(&[("AWS_PROFILE", "p"), ("AWS_DEFAULT_PROFILE", "d")]);
        assert_eq!(
            ActiveProfile::resolve(None, &env).configured.as_deref(),
            Some("d")
        );
        assert_eq!(
            ActiveProfile::resolve(Some("x"), &env),
            ActiveProfile {
                configured: Some("x".into()),
                explicit: true
            }
        );
        let env = Env::from_pairs(&[("AWS_PROFILE", "p")]);
        assert_eq!(
            ActiveProfile::resolve(None, &env),
            ActiveProfile {
                configured: Some("p".into()),
                explicit: false
            }
        );
        let none = ActiveProfile::resolve(None, &Env::default());
        assert_eq!(none.configured, None);
        assert_eq!(none.name(), "default");
        let empty = ActiveProfile::resolve(None, &Env::from_pairs(&[("AWS_PROFILE", "")]));
        assert_eq!(empty.configured.as_deref(), Some(""));
        assert_eq!(empty.name(), "default");
    }

    #[test]
    fn profile_not_found_cases() {
        let empty = SharedConfig::empty();
        let unset = ActiveProfile::default();
        assert!(empty.scoped_config(&unset).unwrap().is_empty());
        for (explicit, env) in [
            (Some("default"), Env::default()),
            (None, Env::from_pairs(&[("AWS_PROFILE", "default")])),
            (Some("nope"), Env::default()),
            (None, Env::from_pairs(&[("AWS_DEFAULT_PROFILE", "nope")])),
            (Some(""), Env::default()),
            (None, Env::from_pairs(&[("AWS_PROFILE", "")])),
        ] {
            let p = ActiveProfile::resolve(explicit, &env);
            let err = empty.scoped_config(&p).unwrap_err();
            assert_eq!(
                err,
                Error::ProfileNotFound {
                    profile: p.configured.clone().unwrap()
                }
            );
            assert_eq!(
                err.to_string(),
                format!(
                    "The config profile ({}) could not be found",
                    p.configured.unwrap()
                )
            );
        }
        // [p] in the config file is not a profile; in the credentials file it is.
        let c = SharedConfig::from_contents(Some("[p]\nregion=x\n"), None).unwrap();
        assert!(c
            .scoped_config(&ActiveProfile::resolve(Some("p"), &Env::default()))
            .is_err());
        let c = SharedConfig::from_contents(None, Some("[p]\nregion=pp\n")).unwrap();
        let p = ActiveProfile::resolve(Some("p"), &Env::default());
        assert_eq!(c.scoped_config(&p).unwrap().get("region"), Some("pp"));
    }

    #[test]
    fn region_precedence() {
        let c = SharedConfig::from_contents(
            Some("[default]\nregion=cfg\n[profile p]\nregion=pr\n"),
            None,
        )
        .unwrap();
        let env = Env::from_pairs(&[("AWS_DEFAULT_REGION", "env"), ("AWS_REGION", "ignored")]);
        assert_eq!(c.region(&env, "default", Some("x")).as_deref(), Some("x"));
        assert_eq!(c.region(&env, "default", None).as_deref(), Some("env"));
        let env = Env::from_pairs(&[("AWS_REGION", "ignored")]);
        assert_eq!(c.region(&env, "default", None).as_deref(), Some("cfg"));
        assert_eq!(c.region(&env, "p", None).as_deref(), Some("pr"));
        assert_eq!(c.region(&env, "missing", None), None);
        let env = Env::from_pairs(&[("AWS_DEFAULT_REGION", "")]);
        assert_eq!(c.region(&env, "default", None).as_deref(), Some(""));
    }

    #[test]
    fn settings_env_beats_config_and_nested_s3_keys() {
        let c = SharedConfig::from_contents(
            Some("[default]\nretry_mode = standard\nmax_attempts = 5\nca_bundle = /ca.pem\nuse_fips_endpoint = true\ns3 =\n  addressing_style = path\n  use_dualstack_endpoint = true\n  us_east_1_regional_endpoint = legacy\ns3_us_east_1_regional_endpoint = regional\nsdk_ua_app_id = app\n"),
            None,
        )
        .unwrap();
        let none = Env::default();
        assert_eq!(
            c.setting(&none, "default", "retry_mode").as_deref(),
            Some("standard")
        );
        assert_eq!(
            c.setting(&none, "default", "max_attempts").as_deref(),
            Some("5")
        );
        assert_eq!(
            c.setting(&none, "default", "ca_bundle").as_deref(),
            Some("/ca.pem")
        );
        assert_eq!(
            c.setting(&none, "default", "use_fips_endpoint").as_deref(),
            Some("true")
        );
        assert_eq!(c.setting(&none, "default", "use_dualstack_endpoint"), None);
        assert_eq!(
            c.setting(&none, "default", "s3.use_dualstack_endpoint")
                .as_deref(),
            Some("true")
        );
        assert_eq!(
            c.setting(&none, "default", "s3.addressing_style")
                .as_deref(),
            Some("path")
        );
        // The top-level s3_ key comes before the nested one (botocore: 'regional').
        assert_eq!(
            c.setting(&none, "default", "s3.us_east_1_regional_endpoint")
                .as_deref(),
            Some("regional")
        );
        assert_eq!(
            c.setting(&none, "default", "user_agent_appid").as_deref(),
            Some("app")
        );
        let env = Env::from_pairs(&[
            ("AWS_RETRY_MODE", "adaptive"),
            ("AWS_MAX_ATTEMPTS", "2"),
            ("AWS_CA_BUNDLE", ""),
            ("AWS_S3_US_EAST_1_REGIONAL_ENDPOINT", "legacy"),
            ("AWS_REQUEST_CHECKSUM_CALCULATION", "when_required"),
        ]);
        assert_eq!(
            c.setting(&env, "default", "retry_mode").as_deref(),
            Some("adaptive")
        );
        assert_eq!(
            c.setting(&env, "default", "max_attempts").as_deref(),
            Some("2")
        );
        assert_eq!(c.setting(&env, "default", "ca_bundle").as_deref(), Some(""));
        assert_eq!(
            c.setting(&env, "default", "s3.us_east_1_regional_endpoint")
                .as_deref(),
            Some("legacy")
        );
        assert_eq!(
            c.setting(&env, "default", "request_checksum_calculation")
                .as_deref(),
            Some("when_required")
        );
        assert_eq!(
            c.setting(&none, "default", "request_checksum_calculation"),
            None
        );
        assert_eq!(
            c.setting_or_default(&none, "default", "request_checksum_calculation")
                .as_deref(),
            Some("when_supported")
        );
        // botocore 1.44: standard is the default, and AWS_NEW_RETRIES_2026
        // (1.43's opt-in) is no longer read.
        assert_eq!(setting_default("retry_mode"), Some("standard"));
        assert_eq!(c.setting(&none, "default", "no_such_setting"), None);
        assert_eq!(
            c.s3_section(&env, "default").unwrap(),
            vec![
                ("addressing_style".to_string(), "path".to_string()),
                ("use_dualstack_endpoint".to_string(), "true".to_string()),
                (
                    "us_east_1_regional_endpoint".to_string(),
                    "legacy".to_string()
                ),
            ]
        );
    }

    #[test]
    fn plain_s3_string_disables_the_section() {
        // botocore: get_config_variable('s3') is None even with the env override.
        let c = SharedConfig::from_contents(Some("[default]\ns3 = foo\n"), None).unwrap();
        let env = Env::from_pairs(&[("AWS_S3_US_EAST_1_REGIONAL_ENDPOINT", "regional")]);
        assert_eq!(
            c.setting(&env, "default", "s3.us_east_1_regional_endpoint"),
            None
        );
        assert_eq!(c.s3_section(&env, "default"), None);
        let c = SharedConfig::empty();
        assert_eq!(
            c.s3_section(&env, "default").unwrap(),
            vec![(
                "us_east_1_regional_endpoint".to_string(),
                "regional".to_string()
            )]
        );
    }

    #[test]
    fn configured_endpoint_url_precedence() {
        let c = SharedConfig::from_contents(
            Some("[default]\nservices = x\nendpoint_url = http://g\n[services x]\ns3 =\n  endpoint_url = http://s3x\n[profile noref]\nendpoint_url = http://g2\n[profile dangling]\nservices = y\nendpoint_url = http://g3\n"),
            None,
        )
        .unwrap();
        let none = Env::default();
        assert_eq!(
            c.configured_endpoint_url(&none, "default", "s3")
                .unwrap()
                .as_deref(),
            Some("http://s3x")
        );
        assert_eq!(
            c.setting(&none, "default", "endpoint_url").as_deref(),
            Some("http://s3x")
        );
        assert_eq!(
            c.configured_endpoint_url(&none, "noref", "s3")
                .unwrap()
                .as_deref(),
            Some("http://g2")
        );
        let err = c
            .configured_endpoint_url(&none, "dangling", "s3")
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "The profile is configured to use the services section but the \"y\" services configuration does not exist."
        );
        assert_eq!(c.setting(&none, "dangling", "endpoint_url"), None);
        // Env answers before the dangling reference is looked at; empty env values are skipped.
        let env = Env::from_pairs(&[
            ("AWS_ENDPOINT_URL_S3", ""),
            ("AWS_ENDPOINT_URL", "http://e"),
        ]);
        assert_eq!(
            c.configured_endpoint_url(&env, "dangling", "s3")
                .unwrap()
                .as_deref(),
            Some("http://e")
        );
        let env = Env::from_pairs(&[
            ("AWS_ENDPOINT_URL_S3", "http://es3"),
            ("AWS_ENDPOINT_URL", "http://e"),
        ]);
        assert_eq!(
            c.configured_endpoint_url(&env, "default", "s3")
                .unwrap()
                .as_deref(),
            Some("http://es3")
        );
    }

    #[test]
    fn ensure_boolean_is_case_insensitive_true_only() {
        assert!(ensure_boolean("TRUE"));
        assert!(ensure_boolean("true"));
        assert!(!ensure_boolean("1"));
        assert!(!ensure_boolean("yes"));
    }

    // ---- paths and files ----

    #[test]
    fn expandvars_and_expanduser_like_python() {
        let env = Env::from_pairs(&[("HOME", "/home/u/"), ("A", "x"), ("B_1", "y")]);
        assert_eq!(
            expandvars("$A/${B_1}/$C/${}/$/${A", &env),
            "x/y/$C/${}/$/${A"
        );
        assert_eq!(expandvars("$A$A", &env), "xx");
        assert_eq!(expanduser("~/.aws/config", &env), "/home/u/.aws/config");
        assert_eq!(expanduser("~", &env), "/home/u");
        assert_eq!(expanduser("a/~", &env), "a/~");
        assert_eq!(expanduser("~nosuchuser_zz/x", &env), "~nosuchuser_zz/x");
        assert_eq!(expanduser("~/x", &Env::from_pairs(&[("HOME", "/")])), "/x");
        assert_eq!(expanduser("~", &Env::from_pairs(&[("HOME", "/")])), "/");
        assert_eq!(expanduser("~/x", &Env::default()), "~/x");
        assert_eq!(expand_path("$HOME/cfg", &env), "/home/u//cfg");
    }

    #[test]
    fn load_from_files_env_vars_tilde_and_missing() {
        let dir = tmpdir();
        let home = dir.to_str().unwrap();
        std::fs::create_dir_all(dir.join(".aws")).unwrap();
        std::fs::write(dir.join(".aws/config"), "[default]\nregion=home\n").unwrap();
        std::fs::write(dir.join("cfg"), "[default]\nregion=zz\n").unwrap();

        let env = Env::from_pairs(&[("HOME", home)]);
        let c = SharedConfig::load(&env).unwrap();
        assert_eq!(c.profile("default").unwrap().get("region"), Some("home"));
        assert_eq!(c.config_path(), format!("{home}/.aws/config"));
        assert!(c.credentials_file().is_none());

        for path in ["$HOME/cfg", "~/cfg"] {
            let env = Env::from_pairs(&[("HOME", home), ("AWS_CONFIG_FILE", path)]);
            let c = SharedConfig::load(&env).unwrap();
            assert_eq!(c.profile("default").unwrap().get("region"), Some("zz"));
        }
        // Empty, a directory, or a missing file: no config at all.
        for path in ["", home, "/nonexistent/fastboto"] {
            let env = Env::from_pairs(&[("HOME", home), ("AWS_CONFIG_FILE", path)]);
            let c = SharedConfig::load(&env).unwrap();
            assert!(c.config_file().is_none());
            assert!(c.available_profiles().is_empty());
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn unparseable_files_report_the_expanded_path() {
        let dir = tmpdir();
        let home = dir.to_str().unwrap();
        std::fs::create_dir_all(dir.join(".aws")).unwrap();
        std::fs::write(dir.join(".aws/config"), "junk\n").unwrap();
        std::fs::write(dir.join(".aws/credentials"), "[default]\nnovalue\n").unwrap();
        let env = Env::from_pairs(&[("HOME", home)]);
        // Both broken: the config file is read (and reported) first.
        assert_eq!(
            SharedConfig::load(&env).unwrap_err(),
            Error::ConfigParse {
                path: format!("{home}/.aws/config")
            }
        );
        std::fs::write(dir.join(".aws/config"), "[default]\n").unwrap();
        let err = SharedConfig::load(&env).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("Unable to parse config file: {home}/.aws/credentials")
        );
        // Bytes that are not UTF-8.
        std::fs::write(dir.join(".aws/credentials"), b"[default]\nregion=\xff\n").unwrap();
        assert!(matches!(
            SharedConfig::load(&env),
            Err(Error::ConfigParse { .. })
        ));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn debug_output_redacts_secrets() {
        let c = SharedConfig::from_contents(
            None,
            Some("[default]\naws_access_key_id=AKID\naws_secret_access_key=SUPERSECRET\naws_session_token=TOKENVALUE\n"),
        )
        .unwrap();
        let out = format!("{:?} {:?}", c, c.profile("default").unwrap());
        assert!(
            !out.contains("SUPERSECRET") && !out.contains("TOKENVALUE"),
            "{out}"
        );
        let env = Env::from_pairs(&[("AWS_SECRET_ACCESS_KEY", "SUPERSECRET")]);
        assert!(!format!("{env:?}").contains("SUPERSECRET"));
    }

    #[test]
    fn py_helpers() {
        assert_eq!(
            py_splitlines("a\r\nb\x0bc\u{2028}d\n"),
            vec!["a", "b", "c", "d"]
        );
        assert_eq!(py_strip("\x1c a \x1f"), "a");
        assert_eq!(py_repr_str("it's"), "\"it's\"");
        assert_eq!(py_repr_str("a'b\"c"), "'a\\'b\"c'");
        assert_eq!(nested(&[("a", "b")]).py_str(), "{'a': 'b'}");
    }
}
