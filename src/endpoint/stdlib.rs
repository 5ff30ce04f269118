//! The rules language's library functions, written to give the answers
//! botocore's `RuleSetStandardLibrary` gives — including where those answers
//! come from Python quirks (`re`'s `$` matching before a final newline,
//! `urllib.parse` splitting rules), since the contract is "same endpoint as
//! botocore", not "same endpoint as the Smithy spec".

use std::borrow::Cow;
use std::sync::{Arc, OnceLock};

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use super::rules::Value;

/// `urllib.parse.quote(s, safe='-._~')`: Python's always-safe set is
/// letters, digits and `_.-~`, so only those survive.
const URI_ENCODE_SET: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// `quote(path)` with its default `safe='/'`.
const PATH_ENCODE_SET: &AsciiSet = &URI_ENCODE_SET.remove(b'/');

pub(crate) fn uri_encode(value: &str) -> String {
    utf8_percent_encode(value, URI_ENCODE_SET).to_string()
}

/// Python's `re` `$` (without MULTILINE) also matches just before a single
/// trailing newline, so botocore's anchored regexes accept `"label\n"`.
fn strip_python_dollar_newline(s: &str) -> &str {
    s.strip_suffix('\n').unwrap_or(s)
}

/// `^(?!-)[a-zA-Z\d-]{1,63}(?<!-)$` as Python matches it.
fn is_host_label(label: &str) -> bool {
    let s = strip_python_dollar_newline(label);
    // Python's `\d` also takes non-ASCII decimal digits; those are rejected
    // here (bucket and region validation reject them before this point).
    (1..=63).contains(&s.len())
        && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

pub(crate) fn is_valid_host_label(value: &str, allow_subdomains: bool) -> bool {
    if allow_subdomains {
        value.split('.').all(is_host_label)
    } else {
        !value.contains('.') && is_host_label(value)
    }
}

/// botocore's `IPV4_RE`: `^(?:[0-9]{1,3}\.){3}[0-9]{1,3}$`.
fn looks_like_ipv4(value: &str) -> bool {
    let s = strip_python_dollar_newline(value);
    let mut n = 0;
    for part in s.split('.') {
        n += 1;
        if n > 4 || part.is_empty() || part.len() > 3 || !part.bytes().all(|b| b.is_ascii_digit()) {
            return false;
        }
    }
    n == 4
}

pub(crate) fn is_virtual_hostable_s3_bucket(value: &str, allow_subdomains: bool) -> bool {
    // `value.lower() != value` in Python: any character that lower-cases
    // to something else disqualifies the name.
    let has_upper = value.chars().any(|c| {
        if c.is_ascii() {
            c.is_ascii_uppercase()
        } else {
            let mut l = c.to_lowercase();
            !(l.next() == Some(c) && l.next().is_none())
        }
    });
    if value.chars().count() < 3 || has_upper || looks_like_ipv4(value) {
        return false;
    }
    is_valid_host_label(value, allow_subdomains)
}

/// `substring` for an ASCII-checked string; `None` is the rules language's
/// "no value".
pub(crate) fn substring(value: &str, start: usize, stop: usize, reverse: bool) -> Option<String> {
    if start >= stop || value.len() < stop || !value.is_ascii() {
        return None;
    }
    let (a, b) = if reverse {
        (value.len() - stop, value.len() - start)
    } else {
        (start, stop)
    };
    Some(value[a..b].to_owned())
}

/// botocore's `ArnParser` plus the endpoint library's checks.
pub(crate) fn parse_arn(value: &str) -> Option<Value> {
    if !value.starts_with("arn:") {
        return None;
    }
    let mut parts = value.splitn(6, ':');
    let _arn = parts.next()?;
    let partition = parts.next()?;
    let service = parts.next()?;
    let region = parts.next()?;
    let account = parts.next()?;
    let resource = parts.next()?;
    if partition.is_empty() || service.is_empty() || resource.is_empty() {
        return None;
    }
    let resource_id: Vec<Value> = resource
        .split([':', '/'])
        .map(|s| Value::Str(Arc::from(s)))
        .collect();
    Some(Value::map(vec![
        ("partition", Value::Str(Arc::from(partition))),
        ("service", Value::Str(Arc::from(service))),
        ("region", Value::Str(Arc::from(region))),
        ("accountId", Value::Str(Arc::from(account))),
        ("resourceId", Value::List(Arc::from(resource_id))),
    ]))
}

/// `botocore.utils.ArnParser.is_arn`.
pub(crate) fn is_arn(value: &str) -> bool {
    value.starts_with("arn:") && value.split(':').count() >= 6
}

/// The pieces of `urllib.parse.urlparse` the endpoint library reads.
struct PyUrl<'a> {
    scheme: String,
    netloc: &'a str,
    path: &'a str,
    query: &'a str,
}

/// `urlsplit` (Python 3.11) followed by `urlparse`'s `;params` split.
/// `None` where Python raises `ValueError`.
fn py_urlparse(url: &str) -> Option<PyUrl<'_>> {
    // Leading C0 controls and spaces are stripped; tab/CR/LF anywhere are
    // removed. The removal case is handled by the caller (it needs an owned
    // string); here they are known to be absent.
    let url = url.trim_start_matches(|c: char| c <= ' ');
    let mut scheme = String::new();
    let mut rest = url;
    if let Some(i) = url.find(':') {
        let cand = &url[..i];
        if i > 0
            && cand.as_bytes()[0].is_ascii_alphabetic()
            && cand
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b))
        {
            scheme = cand.to_ascii_lowercase();
            rest = &url[i + 1..];
        }
    }
    let mut netloc = "";
    if let Some(r) = rest.strip_prefix("//") {
        let end = r.find(['/', '?', '#']).unwrap_or(r.len());
        netloc = &r[..end];
        rest = &r[end..];
        let (open, close) = (netloc.contains('['), netloc.contains(']'));
        if open != close {
            return None;
        }
        if open {
            let bracketed = netloc.split_once('[')?.1;
            let host = bracketed.split_once(']').map_or(bracketed, |(h, _)| h);
            if !is_valid_bracketed_host(host) {
                return None;
            }
        }
    }
    if let Some(i) = rest.find('#') {
        rest = &rest[..i];
    }
    let mut query = "";
    if let Some(i) = rest.find('?') {
        query = &rest[i + 1..];
        rest = &rest[..i];
    }
    let mut path = rest;
    if (scheme == "http" || scheme == "https") && path.contains(';') {
        // `_splitparams`: with a slash, only a `;` in the last segment counts.
        let cut = match path.rfind('/') {
            Some(slash) => path[slash..].find(';').map(|j| slash + j),
            None => path.find(';'),
        };
        if let Some(i) = cut {
            path = &path[..i];
        }
    }
    Some(PyUrl {
        scheme,
        netloc,
        path,
        query,
    })
}

/// `urllib.parse._check_bracketed_host`.
fn is_valid_bracketed_host(host: &str) -> bool {
    if let Some(rest) = host.strip_prefix('v') {
        // \Av[a-fA-F0-9]+\..+\Z
        let Some((hex, tail)) = rest.split_once('.') else {
            return false;
        };
        return !hex.is_empty()
            && hex.bytes().all(|b| b.is_ascii_hexdigit())
            && !tail.is_empty()
            && !tail.contains('\n');
    }
    // `ipaddress.ip_address`: must be IPv6 (an IPv4 in brackets is refused).
    let addr = match host.split_once('%') {
        Some((addr, zone)) => {
            if zone.is_empty() || zone.contains('%') {
                return false;
            }
            addr
        }
        None => host,
    };
    addr.parse::<std::net::Ipv6Addr>().is_ok()
}

/// `(hostname, port)` from a netloc, as `SplitResult._hostinfo` splits it.
fn host_info(netloc: &str) -> (&str, &str) {
    let hostinfo = netloc.rsplit_once('@').map_or(netloc, |(_, h)| h);
    match hostinfo.split_once('[') {
        Some((_, bracketed)) => {
            let (host, after) = bracketed.split_once(']').unwrap_or((bracketed, ""));
            let port = after.split_once(':').map_or("", |(_, p)| p);
            (host, port)
        }
        None => hostinfo.split_once(':').unwrap_or((hostinfo, "")),
    }
}

/// `SplitResult.hostname`: lower-cased up to a zone id, `None` when empty.
fn py_hostname(netloc: &str) -> Option<String> {
    let (host, _) = host_info(netloc);
    if host.is_empty() {
        return None;
    }
    Some(match host.split_once('%') {
        Some((h, zone)) => format!("{}%{}", h.to_lowercase(), zone),
        None => host.to_lowercase(),
    })
}

/// `normalize_url_path` (`remove_dot_segments`, collapsing `//`).
fn normalize_url_path(path: &str) -> String {
    if path.is_empty() {
        return "/".to_owned();
    }
    let mut out: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                out.pop();
            }
            s => out.push(s),
        }
    }
    let mut s = String::with_capacity(path.len() + 1);
    if path.starts_with('/') {
        s.push('/');
    }
    s.push_str(&out.join("/"));
    if path.ends_with('/') && !out.is_empty() {
        s.push('/');
    }
    s
}

fn ipv6_addrz_re() -> &'static regex_lite::Regex {
    static RE: OnceLock<regex_lite::Regex> = OnceLock::new();
    RE.get_or_init(|| {
        // botocore.compat's IPV6_ADDRZ_RE (vendored from urllib3).
        let hex = "[0-9A-Fa-f]{1,4}";
        let ipv4 = r"(?:[0-9]{1,3}\.){3}[0-9]{1,3}";
        let ls32 = format!("(?:{hex}:{hex}|{ipv4})");
        let variations = [
            format!("(?:{hex}:){{6}}{ls32}"),
            format!("::(?:{hex}:){{5}}{ls32}"),
            format!("(?:{hex})?::(?:{hex}:){{4}}{ls32}"),
            format!("(?:(?:{hex}:)?{hex})?::(?:{hex}:){{3}}{ls32}"),
            format!("(?:(?:{hex}:){{0,2}}{hex})?::(?:{hex}:){{2}}{ls32}"),
            format!("(?:(?:{hex}:){{0,3}}{hex})?::{hex}:{ls32}"),
            format!("(?:(?:{hex}:){{0,4}}{hex})?::{ls32}"),
            format!("(?:(?:{hex}:){{0,5}}{hex})?::{hex}"),
            format!("(?:(?:{hex}:){{0,6}}{hex})?::"),
        ];
        let ipv6 = format!("(?:{})", variations.join("|"));
        let unreserved = r"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._!\-~";
        let zone = format!("(?:%25|%)(?:[{unreserved}]|%[a-fA-F0-9]{{2}})+");
        let pat = format!(r"^\[{ipv6}(?:{zone})?\]\n?$");
        regex_lite::Regex::new(&pat).expect("static IPv6 pattern compiles")
    })
}

fn is_ip_host(hostname: Option<&str>, had_unsafe_chars: bool) -> bool {
    let Some(h) = hostname else {
        // botocore raises TypeError here; such URLs never get past its
        // client-creation endpoint_url check.
        return false;
    };
    if looks_like_ipv4(h) {
        return true;
    }
    !had_unsafe_chars && h.contains(':') && ipv6_addrz_re().is_match(&format!("[{h}]"))
}

/// `urlsplit` removes tab, CR and LF anywhere before splitting.
fn without_unsafe_chars(value: &str) -> Cow<'_, str> {
    if value.contains(['\t', '\r', '\n']) {
        Cow::Owned(value.replace(['\t', '\r', '\n'], ""))
    } else {
        Cow::Borrowed(value)
    }
}

/// `urlsplit(url)`'s scheme and netloc; `None` where Python raises.
pub(crate) fn scheme_and_netloc(url: &str) -> Option<(String, String)> {
    let src = without_unsafe_chars(url);
    let u = py_urlparse(&src)?;
    Some((u.scheme, u.netloc.to_owned()))
}

pub(crate) fn parse_url(value: &str) -> Option<Value> {
    let src = without_unsafe_chars(value);
    let had_unsafe_chars = matches!(src, Cow::Owned(_));
    let u = py_urlparse(&src)?;
    let (_, port) = host_info(u.netloc);
    if !port.is_empty() {
        if !port.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let digits = port.trim_start_matches('0');
        if digits.len() > 5 || digits.parse::<u32>().unwrap_or(0) > 65535 {
            return None;
        }
    }
    if (u.scheme != "https" && u.scheme != "http") || !u.query.is_empty() {
        return None;
    }
    let mut normalized =
        utf8_percent_encode(&normalize_url_path(u.path), PATH_ENCODE_SET).to_string();
    if !normalized.ends_with('/') {
        normalized.push('/');
    }
    let hostname = py_hostname(u.netloc);
    let is_ip = is_ip_host(hostname.as_deref(), had_unsafe_chars);
    Some(Value::map(vec![
        ("scheme", Value::Str(Arc::from(u.scheme.as_str()))),
        ("authority", Value::Str(Arc::from(u.netloc))),
        ("path", Value::Str(Arc::from(u.path))),
        ("normalizedPath", Value::Str(Arc::from(normalized.as_str()))),
        ("isIp", Value::Bool(is_ip)),
    ]))
}

/// Python `re` patterns from partitions.json, made to match in regex-lite as
/// `re.match` matches them: anchored at the start, `$` allowing one final
/// newline. (`\w`/`\d` stay ASCII-only here, unlike Python's.)
pub(crate) fn compile_python_regex(pat: &str) -> Result<regex_lite::Regex, regex_lite::Error> {
    let mut p = pat.to_owned();
    let trailing_backslashes = p[..p.len().saturating_sub(1)]
        .bytes()
        .rev()
        .take_while(|&b| b == b'\\')
        .count();
    if p.ends_with('$') && trailing_backslashes % 2 == 0 {
        p.pop();
        p.push_str(r"\n?$");
    }
    regex_lite::Regex::new(&format!("^(?:{p})"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(v: &str) -> Option<Vec<(String, String)>> {
        parse_url(v).map(|m| match m {
            Value::Map(entries) => entries
                .iter()
                .map(|(k, v)| (k.to_string(), v.python_str()))
                .collect(),
            _ => unreachable!(),
        })
    }

    fn get(v: &Option<Vec<(String, String)>>, k: &str) -> String {
        v.as_ref()
            .unwrap()
            .iter()
            .find(|(n, _)| n == k)
            .unwrap()
            .1
            .clone()
    }

    #[test]
    fn parse_url_matches_botocore() {
        // Expected values from botocore 1.43's RuleSetStandardLibrary.parse_url.
        let u = url("https://example.com:8443/a/./b/../c//d;p");
        assert_eq!(get(&u, "scheme"), "https");
        assert_eq!(get(&u, "authority"), "example.com:8443");
        assert_eq!(get(&u, "path"), "/a/./b/../c//d");
        assert_eq!(get(&u, "normalizedPath"), "/a/c/d/");
        assert_eq!(get(&u, "isIp"), "False");
        let u = url("HTTP://127.0.0.1");
        assert_eq!(get(&u, "scheme"), "http");
        assert_eq!(get(&u, "path"), "");
        assert_eq!(get(&u, "normalizedPath"), "/");
        assert_eq!(get(&u, "isIp"), "True");
        let u = url("http://[fe80::1%25eth0]:80/x y%");
        assert_eq!(get(&u, "isIp"), "True");
        assert_eq!(get(&u, "normalizedPath"), "/x%20y%25/");
        assert!(url("http://h/?").is_some());
        assert!(url("http://h/#frag").is_some());
        assert!(url("http://h/?a=b").is_none());
        assert!(url("ftp://h/").is_none());
        assert!(url("http://h:99999/").is_none());
        assert!(url("http://h:8a/").is_none());
        assert!(url("http://[::1/").is_none());
        assert!(url("http://[1.2.3.4]/").is_none());
        assert!(url("localhost:9000").is_none());
        assert_eq!(get(&url(" \thttp://a\nb.com/"), "authority"), "ab.com");
    }

    #[test]
    fn host_labels_follow_python_re() {
        assert!(is_valid_host_label("abc", false));
        assert!(is_valid_host_label("abc\n", false));
        assert!(!is_valid_host_label("abc\n\n", false));
        assert!(!is_valid_host_label("-abc", false));
        assert!(!is_valid_host_label("abc-", false));
        assert!(!is_valid_host_label("a.b", false));
        assert!(is_valid_host_label("a.b", true));
        assert!(!is_valid_host_label("a..b", true));
        assert!(!is_valid_host_label(&"a".repeat(64), false));
        assert!(is_virtual_hostable_s3_bucket("my-bucket", false));
        assert!(!is_virtual_hostable_s3_bucket("My-bucket", false));
        assert!(!is_virtual_hostable_s3_bucket("ab", false));
        assert!(!is_virtual_hostable_s3_bucket("192.168.5.4", true));
        assert!(is_virtual_hostable_s3_bucket("192.168.5", true));
    }

    #[test]
    fn arns_and_substrings() {
        assert!(parse_arn("arn:aws:s3:us-west-2:123:accesspoint/x").is_some());
        assert!(parse_arn("arn:aws:s3:us-west-2:123").is_none());
        assert!(parse_arn("arn::s3:r:a:res").is_none());
        assert!(is_arn("arn:aws:s3:::"));
        assert!(!is_arn("arn:aws:s3::"));
        assert_eq!(substring("abcdef", 0, 2, false).as_deref(), Some("ab"));
        assert_eq!(substring("abcdef", 0, 2, true).as_deref(), Some("ef"));
        assert_eq!(substring("abc", 0, 4, false), None);
        assert_eq!(substring("ébc", 0, 1, false), None);
        assert_eq!(uri_encode("a b/c~d_e.f-g%"), "a%20b%2Fc~d_e.f-g%25");
    }

    #[test]
    fn python_regexes() {
        let re = compile_python_regex(r"^(us|eu)\-\w+\-\d+$").unwrap();
        assert!(re.is_match("us-east-1"));
        assert!(re.is_match("us-east-1\n"));
        assert!(!re.is_match("us-east-1x"));
        assert!(!re.is_match("xus-east-1"));
    }
}
