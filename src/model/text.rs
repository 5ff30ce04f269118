//! Text that came from a Python `str`, which may hold lone surrogates
//! (`"\ud800"`); no Rust string can. botocore validates such text like any
//! other and quotes it in its messages, so the binding layer hands it over
//! with each lone surrogate written as [`SURROGATE_ESCAPE`] followed by a
//! private-use character (U+100000 + its offset from U+D800), and turns
//! messages back into Python text with [`to_generalized_utf8`]. Validation
//! itself is told separately which strings had lone surrogates, so a user's
//! own U+FDD0 never makes a string unsendable; only a message quoting
//! U+FDD0 directly followed by a U+100000..U+1007FF character would be
//! misread, which no real text contains.

/// A Unicode noncharacter: never assigned, never in interchanged text.
pub const SURROGATE_ESCAPE: char = '\u{FDD0}';
const ESCAPED_BASE: u32 = 0x10_0000;
const SURROGATES: std::ops::RangeInclusive<u32> = 0xD800..=0xDFFF;

/// Text from generalized UTF-8 (Python's `encode("utf-8", "surrogatepass")`:
/// lone surrogates as 3-byte sequences), lone surrogates escaped.
pub fn from_generalized_utf8(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() + 4);
    let mut rest = bytes;
    while !rest.is_empty() {
        match std::str::from_utf8(rest) {
            Ok(text) => {
                out.push_str(text);
                break;
            }
            Err(e) => {
                let (valid, after) = rest.split_at(e.valid_up_to());
                out.push_str(std::str::from_utf8(valid).unwrap_or_default());
                match after {
                    [0xED, b1 @ 0xA0..=0xBF, b2 @ 0x80..=0xBF, ..] => {
                        let code = 0xD000 | (u32::from(b1 & 0x3F) << 6) | u32::from(b2 & 0x3F);
                        out.push(SURROGATE_ESCAPE);
                        out.push(
                            char::from_u32(ESCAPED_BASE + code - 0xD800).unwrap_or('\u{FFFD}'),
                        );
                        rest = &after[3..];
                    }
                    _ => {
                        out.push('\u{FFFD}');
                        rest = &after[e.error_len().unwrap_or(after.len()).max(1)..];
                    }
                }
            }
        }
    }
    out
}

/// Whether `text` holds an escaped lone surrogate.
pub fn has_escaped_surrogate(text: &str) -> bool {
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == SURROGATE_ESCAPE && chars.clone().next().is_some_and(is_escaped_code) {
            return true;
        }
    }
    false
}

fn is_escaped_code(c: char) -> bool {
    (ESCAPED_BASE..=ESCAPED_BASE + 0x7FF).contains(&u32::from(c))
}

/// The generalized UTF-8 of `text` with its escapes undone, or `None` when
/// it has none (it is plain UTF-8 then).
pub fn to_generalized_utf8(text: &str) -> Option<Vec<u8>> {
    if !has_escaped_surrogate(text) {
        return None;
    }
    let mut out = Vec::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match chars.peek() {
            Some(&next) if c == SURROGATE_ESCAPE && is_escaped_code(next) => {
                chars.next();
                let code = u32::from(next) - ESCAPED_BASE + 0xD800;
                debug_assert!(SURROGATES.contains(&code));
                out.extend_from_slice(&[
                    0xED,
                    0x80 | ((code >> 6) & 0x3F) as u8,
                    0x80 | (code & 0x3F) as u8,
                ]);
            }
            _ => {
                let mut buf = [0; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    // "a\ud800b\udfff" as Python's encode("utf-8", "surrogatepass") gives it.
    const WTF8: &[u8] = b"a\xed\xa0\x80b\xed\xbf\xbf";

    #[test]
    fn lone_surrogates_round_trip() {
        let text = from_generalized_utf8(WTF8);
        assert_eq!(text.chars().count(), 6);
        assert!(has_escaped_surrogate(&text));
        assert_eq!(to_generalized_utf8(&text).as_deref(), Some(WTF8));
    }

    #[test]
    fn plain_text_is_untouched() {
        for text in ["", "plain", "é∑😀", "\u{FDD0}alone", "\u{100000}"] {
            assert_eq!(from_generalized_utf8(text.as_bytes()), text);
            assert!(!has_escaped_surrogate(text));
            assert_eq!(to_generalized_utf8(text), None);
        }
    }

    #[test]
    fn escaped_text_never_matches_bucket_characters() {
        let text = from_generalized_utf8(b"\xed\xa0\x80");
        assert!(text.chars().all(|c| !c.is_ascii()));
    }
}
