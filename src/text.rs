//! The text clients send: stored in NFC, and free of control characters.
//!
//! Vietnamese letters can be sent precomposed ("ễ", one code point) or decomposed ("e" and two
//! combining marks, as macOS and some input methods produce). Both look alike but compare, sort,
//! search and count differently, so every name and free text is stored in NFC (Unicode
//! normalization form C), the form nearly every keyboard and database already uses.
//!
//! Control characters (ESC, BEL, a CR or LF inside a name…) have no place in text a desk prints,
//! exports or logs: they move a terminal's cursor, split a log line or a CSV row, and make an XML
//! document invalid. Each text field is one of two kinds, declared on the request type:
//!
//! - **one line** (names, titles, addresses, references): no control character and no line or
//!   paragraph separator;
//! - **several lines** (notes, reasons, answers, feedback): line feeds and tabs are kept (a line
//!   break may be CR LF), any other control character is refused.
//!
//! On a request type a text field carries both halves, the normalization when it is read and the
//! check with the other validations:
//!
//! ```text
//! #[serde(deserialize_with = "crate::text::nfc")]
//! #[validate(length(max = 200), custom(function = "crate::text::single_line"))]
//! pub full_name: String,
//! #[serde(default, deserialize_with = "crate::text::nfc")]
//! #[validate(length(max = 2000), custom(function = "crate::text::multi_line"))]
//! pub note: Option<String>,
//! ```
//!
//! The check is a validation, not a failure to deserialize, because some of these types are also
//! read back from the database (a dossier's components are stored as JSON): rows written before
//! the rule must still be readable.
//!
//! Identifiers, passwords and secrets are neither: they are compared byte for byte, and
//! normalizing them would change what the client holds.

use std::borrow::Cow;

use serde::{Deserialize, Deserializer};
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};
use validator::ValidationError;

use crate::error::{validation_codes, validation_error};

/// `text` in NFC; borrowed when it already is (the usual case, checked without allocating).
pub fn to_nfc(text: &str) -> Cow<'_, str> {
    match is_nfc_quick(text.chars()) {
        IsNormalized::Yes => Cow::Borrowed(text),
        IsNormalized::No | IsNormalized::Maybe => Cow::Owned(text.nfc().collect()),
    }
}

/// The first character that one line of text may not hold: a control character, or a line or
/// paragraph separator (U+2028, U+2029).
pub fn first_not_in_line(text: &str) -> Option<char> {
    text.chars().find(|&c| c.is_control() || matches!(c, '\u{2028}' | '\u{2029}'))
}

/// The first character that text of several lines may not hold: a control character other than
/// a line feed, a tab, or a carriage return that starts a CR LF.
pub fn first_not_in_lines(text: &str) -> Option<char> {
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let allowed = match c {
            '\n' | '\t' => true,
            '\r' => chars.peek() == Some(&'\n'),
            c => !c.is_control(),
        };
        if !allowed {
            return Some(c);
        }
    }
    None
}

/// Validator: one line of text (see [`first_not_in_line`]).
pub fn single_line(text: &str) -> Result<(), ValidationError> {
    match first_not_in_line(text) {
        None => Ok(()),
        Some(_) => Err(validation_error(validation_codes::SINGLE_LINE, &[])),
    }
}

/// Validator: text of several lines (see [`first_not_in_lines`]).
pub fn multi_line(text: &str) -> Result<(), ValidationError> {
    match first_not_in_lines(text) {
        None => Ok(()),
        Some(_) => Err(validation_error(validation_codes::CONTROL_CHARACTER, &[])),
    }
}

/// Text that can be brought to NFC as it is read: a string, or an optional one.
pub trait Normalize: Sized {
    fn normalized(self) -> Self;
}

impl Normalize for String {
    fn normalized(self) -> Self {
        match to_nfc(&self) {
            Cow::Borrowed(_) => self,
            Cow::Owned(nfc) => nfc,
        }
    }
}

impl Normalize for Option<String> {
    fn normalized(self) -> Self {
        self.map(Normalize::normalized)
    }
}

/// serde `deserialize_with`: the field in NFC. An `Option` field also needs `#[serde(default)]`,
/// as with any `deserialize_with`, to stay optional.
pub fn nfc<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Normalize,
{
    T::deserialize(deserializer).map(Normalize::normalized)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// "Nguyễn" typed on macOS: "e", a combining circumflex and a combining tilde.
    const NGUYEN_NFD: &str = "Nguye\u{0302}\u{0303}n";

    #[test]
    fn decomposed_text_is_composed() {
        assert_eq!(NGUYEN_NFD.chars().count(), 8);
        assert_eq!(to_nfc(NGUYEN_NFD), "Nguyễn");
        assert_eq!(to_nfc(NGUYEN_NFD).chars().count(), 6);
        assert_eq!(to_nfc("Trần Thị Hoa\u{0300}"), "Trần Thị Hoà");
        assert!(matches!(to_nfc("Nguyễn Văn An"), Cow::Borrowed(_)), "NFC text is not copied");
        assert!(matches!(to_nfc("plain ASCII"), Cow::Borrowed(_)));
    }

    #[test]
    fn deserializing_normalizes_strings_and_options() {
        #[derive(Deserialize)]
        struct Body {
            #[serde(deserialize_with = "nfc")]
            name: String,
            #[serde(default, deserialize_with = "nfc")]
            note: Option<String>,
            #[serde(default, deserialize_with = "nfc")]
            absent: Option<String>,
        }
        let body: Body =
            serde_json::from_str(r#"{"name": "Nguye\u0302\u0303n", "note": "A\u0300 la\u0300"}"#).unwrap();
        assert_eq!(body.name, "Nguyễn");
        assert_eq!(body.note.as_deref(), Some("À là"));
        assert_eq!(body.absent, None);
        let null: Body = serde_json::from_str(r#"{"name": "x", "note": null}"#).unwrap();
        assert_eq!(null.note, None);
    }

    #[test]
    fn one_line_refuses_every_control_character_and_line_break() {
        for bad in ["a\u{1b}[31mb", "a\u{7}", "a\rb", "a\nb", "a\r\nb", "a\tb", "a\u{7f}", "a\u{85}b"] {
            assert!(first_not_in_line(bad).is_some(), "{bad:?}");
            assert!(single_line(bad).is_err(), "{bad:?}");
        }
        assert_eq!(first_not_in_line("a\u{2028}b"), Some('\u{2028}'));
        assert_eq!(first_not_in_line("Thôn 1, xã Tỉnh Châu"), None);
        assert_eq!(
            single_line("\u{1b}").unwrap_err().code,
            validation_codes::SINGLE_LINE,
            "a code with a message in both languages"
        );
    }

    #[test]
    fn several_lines_keep_line_feeds_and_tabs_only() {
        for good in ["Thiếu:\n- Giấy chứng sinh\n- Tờ khai", "a\r\nb", "a\tb", "a\u{2028}b", "", "\n"]
        {
            assert_eq!(first_not_in_lines(good), None, "{good:?}");
            assert!(multi_line(good).is_ok());
        }
        assert_eq!(first_not_in_lines("a\rb"), Some('\r'), "a carriage return alone moves the cursor back");
        assert_eq!(first_not_in_lines("a\r"), Some('\r'));
        assert_eq!(first_not_in_lines("a\u{1b}[2Jb"), Some('\u{1b}'));
        assert_eq!(first_not_in_lines("a\u{7}"), Some('\u{7}'));
        assert_eq!(multi_line("\u{1b}").unwrap_err().code, validation_codes::CONTROL_CHARACTER);
    }
}
