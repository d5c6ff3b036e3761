//! Free text people type into forms: one line (a name, a title) or paragraphs (duties).
//!
//! The rules are chosen so an OpenAPI `pattern` can state them exactly (the API's schemas do):
//! a limit counted in characters as sent, no control characters (paragraphs may hold line breaks
//! and tabs), and at least one character that is not white space. Surrounding white space is
//! trimmed from what is kept.

use thiserror::Error;

/// The rule of [`line`] as an ECMA-262 regular expression, for schemas: no control character,
/// and at least one character that is neither white space nor control. (The limit is a
/// schema's `maxLength`.)
pub const LINE_PATTERN: &str = r"^[^\u0000-\u001F\u007F-\u009F]*[^\s\u0000-\u001F\u007F-\u009F][^\u0000-\u001F\u007F-\u009F]*$";

/// The rule of [`paragraphs`] as an ECMA-262 regular expression: like [`LINE_PATTERN`], but
/// tabs and line breaks (`\t`, `\n`, `\r`) are allowed.
pub const PARAGRAPHS_PATTERN: &str = r"^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*[^\s\u0000-\u001F\u007F-\u009F][^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*$";

/// Why a text was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum TextError {
    /// Empty, or only white space.
    #[error("must not be blank")]
    Blank,
    /// More characters than allowed (counted as sent, before trimming).
    #[error("must be at most {max} characters long")]
    TooLong {
        /// Most characters allowed.
        max: usize,
    },
    /// Holds a control character (or, in one line, a line break or tab).
    #[error("must not contain control characters")]
    ControlCharacter,
}

impl TextError {
    /// A stable code for the API's field errors.
    pub fn code(self) -> &'static str {
        match self {
            TextError::Blank => "blank",
            TextError::TooLong { .. } => "too_long",
            TextError::ControlCharacter => "control_character",
        }
    }
}

fn checked(raw: &str, max: usize, allowed: fn(char) -> bool) -> Result<String, TextError> {
    if raw.chars().count() > max {
        return Err(TextError::TooLong { max });
    }
    if raw.chars().any(|c| c.is_control() && !allowed(c)) {
        return Err(TextError::ControlCharacter);
    }
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Err(TextError::Blank);
    }
    Ok(trimmed.to_owned())
}

/// One line of text of at most `max` characters, trimmed.
pub fn line(raw: &str, max: usize) -> Result<String, TextError> {
    checked(raw, max, |_| false)
}

/// Paragraphs of at most `max` characters (line breaks and tabs allowed), trimmed.
pub fn paragraphs(raw: &str, max: usize) -> Result<String, TextError> {
    checked(raw, max, |c| matches!(c, '\n' | '\r' | '\t'))
}

/// The rule of [`web_link`] as an ECMA-262 regular expression: `https://`, a host, an optional
/// port, then a path and query, and a fragment, of the characters RFC 3986 allows there
/// (unreserved, sub-delimiters but the single quote, `:@/?`, and `%` with two hex digits); the
/// limit is [`WEB_LINK_MAX`].
pub const WEB_LINK_PATTERN: &str = concat!(
    r"^https://[A-Za-z0-9.-]+(:[0-9]{1,5})?",
    r"([/?]([A-Za-z0-9._~!$&()*+,;=:@/?-]|%[0-9A-Fa-f]{2})*)?",
    r"(#([A-Za-z0-9._~!$&()*+,;=:@/?-]|%[0-9A-Fa-f]{2})*)?$"
);

/// The longest web link kept.
pub const WEB_LINK_MAX: usize = 2000;

/// A web link is not an `https://` URL of the accepted shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
#[error("must be an https:// link of at most 2000 characters, of the characters a URL allows")]
pub struct InvalidWebLink;

/// Whether `text` holds only what RFC 3986 allows in a path, query or fragment (less `#` and
/// the single quote): unreserved characters, sub-delimiters, `:@/?`, and `%` with two hex digits.
fn uri_text(text: &str) -> bool {
    let mut bytes = text.bytes();
    while let Some(b) = bytes.next() {
        let ok = match b {
            b'%' => matches!(
                (bytes.next(), bytes.next()),
                (Some(h), Some(l)) if h.is_ascii_hexdigit() && l.is_ascii_hexdigit()
            ),
            _ => b.is_ascii_alphanumeric() || b"-._~!$&()*+,;=:@/?".contains(&b),
        };
        if !ok {
            return false;
        }
    }
    true
}

/// An `https://` link (a video meeting, a guide, a labour-market site), as [`WEB_LINK_PATTERN`]
/// states it.
pub fn web_link(raw: &str) -> Result<String, InvalidWebLink> {
    let rest = raw.strip_prefix("https://").ok_or(InvalidWebLink)?;
    let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(host_end);
    let (host, port) = match authority.split_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (authority, None),
    };
    let host_ok = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
    let port_ok =
        port.is_none_or(|p| (1..=5).contains(&p.len()) && p.chars().all(|c| c.is_ascii_digit()));
    let (path, fragment) = tail.split_once('#').unwrap_or((tail, ""));
    let tail_ok = uri_text(path) && uri_text(fragment);
    if raw.len() <= WEB_LINK_MAX && host_ok && port_ok && tail_ok {
        Ok(raw.to_owned())
    } else {
        Err(InvalidWebLink)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn a_line_is_trimmed() {
        assert_eq!(line("  Analyst ", 20), Ok("Analyst".to_owned()));
    }

    #[test]
    fn blank_text_is_refused() {
        assert_eq!(line(" \u{00A0} ", 20), Err(TextError::Blank));
        assert_eq!(paragraphs("\n\t", 20), Err(TextError::Blank));
    }

    #[test]
    fn the_limit_counts_characters_as_sent() {
        assert_eq!(line("ééé", 3), Ok("ééé".to_owned()));
        assert_eq!(line("abc ", 3), Err(TextError::TooLong { max: 3 }));
    }

    #[test]
    fn a_line_refuses_line_breaks_but_paragraphs_keep_them() {
        assert_eq!(line("a\nb", 20), Err(TextError::ControlCharacter));
        assert_eq!(paragraphs("a\r\nb", 20), Ok("a\r\nb".to_owned()));
        assert_eq!(paragraphs("a\u{7}b", 20), Err(TextError::ControlCharacter));
    }

    /// The schema pattern in the `regex` crate's syntax (`\u{..}` for ECMA's `\u....`).
    fn schema_regex(pattern: &str) -> regex::Regex {
        let mut rust = String::new();
        let mut rest = pattern;
        while let Some(i) = rest.find("\\u") {
            rust.push_str(&rest[..i]);
            rust.push_str(&format!("\\x{{{}}}", &rest[i + 2..i + 6]));
            rest = &rest[i + 6..];
        }
        rust.push_str(rest);
        regex::Regex::new(&rust).expect("the pattern compiles")
    }

    proptest! {
        #[test]
        fn the_schema_patterns_state_the_rules(raw in "[ a\t\n\r\u{0}\u{1f}\u{7f}\u{85}\u{9f}\u{a0}\u{2028}é]{0,6}") {
            let line_ok = line(&raw, 100).is_ok();
            prop_assert_eq!(schema_regex(LINE_PATTERN).is_match(&raw), line_ok);
            let paragraphs_ok = paragraphs(&raw, 100).is_ok();
            prop_assert_eq!(schema_regex(PARAGRAPHS_PATTERN).is_match(&raw), paragraphs_ok);
        }

        #[test]
        fn accepted_text_is_trimmed_non_blank_and_within_the_limit(raw in "\\PC{0,40}", max in 1usize..30) {
            if let Ok(text) = line(&raw, max) {
                prop_assert_eq!(text.trim(), text.as_str());
                prop_assert!(!text.is_empty());
                prop_assert!(text.chars().count() <= max);
                prop_assert!(!text.chars().any(char::is_control));
            }
        }
    }

    #[test]
    fn web_links_are_https_with_a_host_and_no_spaces_or_quotes() {
        let pattern = regex::Regex::new(WEB_LINK_PATTERN).unwrap();
        for good in [
            "https://meet.example.org/abc-123?pwd=x#y",
            "https://example.org",
            "https://example.org:8443/a",
            "https://example.org/a%20b?q=1&r=(2)#top",
            "https://example.org#frag",
        ] {
            assert_eq!(web_link(good).as_deref(), Ok(good), "{good}");
            assert!(pattern.is_match(good));
        }
        for bad in [
            "http://example.org",
            "https://",
            "https:///path",
            "https://exa mple.org",
            "https://example.org/a b",
            "https://example.org/\"x\"",
            "https://example.org/'x'",
            "https://NXG:883/|",
            "https://example.org/a#b#c",
            "https://example.org/%zz",
            "https://example.org/[x]",
            "https://example.org/a{b}",
            "javascript:alert(1)",
        ] {
            assert_eq!(web_link(bad), Err(InvalidWebLink), "{bad}");
            assert!(!pattern.is_match(bad), "{bad}");
        }
    }
}
