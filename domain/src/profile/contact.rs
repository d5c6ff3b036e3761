//! Contact details: phone numbers, US mailing addresses, previous supervisors, and the stricter
//! form of email address Merit accepts when someone types a new one.

use std::fmt;

use thiserror::Error;

use crate::account::EmailAddress;

/// Why a contact detail was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum ContactError {
    /// Not a phone number Merit can dial.
    #[error(
        "a phone number has 7 to 20 digits, at most 30 characters, and only digits, spaces and + - ( ) . x"
    )]
    Phone,
    /// Not a US ZIP code.
    #[error("a ZIP code is 5 digits, optionally followed by - and 4 digits")]
    PostalCode,
    /// Not a USPS state, territory or military code.
    #[error("not a US state, territory or military mail code")]
    State,
    /// Not an email address of the accepted form.
    #[error(
        "an email address is at most 254 characters: 1 to 64 letters, digits, dots and !#$%&'*+/=?^_`{{|}}~- (no leading, trailing or double dot), then @ and a domain of two or more dot-separated labels of letters, digits and inner hyphens (an international domain in its xn-- form)"
    )]
    Email,
}

/// A phone number as the person wrote it (trimmed): 7 to 20 digits, at most 30 characters,
/// with only spaces and `+ - ( ) . x X` besides the digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PhoneNumber(String);

impl PhoneNumber {
    /// Checks the characters and the number of digits.
    pub fn parse(raw: &str) -> Result<Self, ContactError> {
        let allowed = |c: char| c.is_ascii_digit() || " +-().xX".contains(c);
        let digits = raw.chars().filter(char::is_ascii_digit).count();
        if raw.chars().count() > 30 || !raw.chars().all(allowed) || !(7..=20).contains(&digits) {
            return Err(ContactError::Phone);
        }
        Ok(PhoneNumber(raw.trim().to_owned()))
    }

    /// The number as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A US ZIP code: `95814` or `95814-2719`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PostalCode(String);

impl PostalCode {
    /// Accepts 5 digits, optionally `-` and 4 more.
    pub fn parse(raw: &str) -> Result<Self, ContactError> {
        let bytes = raw.as_bytes();
        let digits = |s: &[u8]| s.iter().all(u8::is_ascii_digit);
        let ok = match bytes.len() {
            5 => digits(bytes),
            10 => digits(&bytes[..5]) && bytes[5] == b'-' && digits(&bytes[6..]),
            _ => false,
        };
        if ok {
            Ok(PostalCode(raw.to_owned()))
        } else {
            Err(ContactError::PostalCode)
        }
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// USPS codes of the states, DC, the territories and military mail (APO/FPO).
pub const US_STATES: &[&str] = &[
    "AA", "AE", "AK", "AL", "AP", "AR", "AS", "AZ", "CA", "CO", "CT", "DC", "DE", "FL", "FM", "GA",
    "GU", "HI", "IA", "ID", "IL", "IN", "KS", "KY", "LA", "MA", "MD", "ME", "MH", "MI", "MN", "MO",
    "MP", "MS", "MT", "NC", "ND", "NE", "NH", "NJ", "NM", "NV", "NY", "OH", "OK", "OR", "PA", "PR",
    "PW", "RI", "SC", "SD", "TN", "TX", "UM", "UT", "VA", "VI", "VT", "WA", "WI", "WV", "WY",
];

/// A USPS state, territory or military code such as `CA`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct UsState(&'static str);

impl UsState {
    /// One of [`US_STATES`], exactly (upper case).
    pub fn parse(raw: &str) -> Result<Self, ContactError> {
        US_STATES
            .iter()
            .find(|code| **code == raw)
            .map(|code| UsState(code))
            .ok_or(ContactError::State)
    }

    /// The code.
    pub fn as_str(self) -> &'static str {
        self.0
    }
}

impl fmt::Display for UsState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

/// A US mailing address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailingAddress {
    /// Street and number, or PO box.
    pub line1: String,
    /// Apartment, suite, unit.
    pub line2: Option<String>,
    /// City.
    pub city: String,
    /// State, territory or military code.
    pub state: UsState,
    /// ZIP code.
    pub postal_code: PostalCode,
}

/// A previous supervisor who may be asked about the person's work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Supervisor {
    /// Full name.
    pub name: String,
    /// Job title.
    pub title: Option<String>,
    /// Phone number.
    pub phone: Option<PhoneNumber>,
    /// Email address.
    pub email: Option<EmailAddress>,
    /// The employer they supervised the person at.
    pub employer: Option<String>,
}

/// The characters of an email address's local part besides letters and digits (RFC 5322
/// `atext`).
const ATEXT_SYMBOLS: &str = "!#$%&'*+/=?^_`{|}~-";

/// The rule of [`contact_email`] as an ECMA-262 pattern (with `maxLength: 254`), but for the
/// local part's limit of 64 characters: a look-ahead could say it, but fuzzers cannot generate
/// from one, so schemas say it in words.
pub const EMAIL_PATTERN: &str = concat!(
    "^",
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*",
    "@",
    r"[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$"
);

/// An email address someone types into a form, as RFC 5321 has it without quoting or address
/// literals (what JSON Schema's `format: email` accepts): a dot-atom local part of 1 to 64
/// characters, `@`, and a domain of two or more LDH labels (letters, digits, inner hyphens, 1
/// to 63 each); at most 254 characters. [`EMAIL_PATTERN`] states it.
pub fn contact_email(raw: &str) -> Result<EmailAddress, ContactError> {
    let (local, domain) = raw.split_once('@').ok_or(ContactError::Email)?;
    let atext = |c: char| c.is_ascii_alphanumeric() || ATEXT_SYMBOLS.contains(c);
    let local_ok = (1..=64).contains(&local.len())
        && local
            .split('.')
            .all(|atom| !atom.is_empty() && atom.chars().all(atext));
    let label_ok = |label: &str| {
        (1..=63).contains(&label.len())
            && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            && !label.starts_with('-')
            && !label.ends_with('-')
    };
    let domain_ok = domain.contains('.') && domain.split('.').all(label_ok);
    if !(local_ok && domain_ok) {
        return Err(ContactError::Email);
    }
    EmailAddress::parse(raw).map_err(|_| ContactError::Email)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn phone_numbers_in_common_notations_are_accepted_and_trimmed() {
        for ok in [
            "(916) 555-0100",
            "+1 916.555.0100",
            "916-555-0100 x204",
            "5550100",
        ] {
            assert!(PhoneNumber::parse(ok).is_ok(), "{ok}");
        }
        assert_eq!(PhoneNumber::parse(" 5550100 ").unwrap().as_str(), "5550100");
    }

    #[test]
    fn phone_numbers_with_letters_or_too_few_digits_are_refused() {
        for bad in [
            "555-01",
            "call me",
            "916 555 0100 ext 2",
            "123456789012345678901",
        ] {
            assert_eq!(PhoneNumber::parse(bad), Err(ContactError::Phone), "{bad}");
        }
    }

    #[test]
    fn zip_codes_have_five_or_nine_digits() {
        assert!(PostalCode::parse("95814").is_ok());
        assert!(PostalCode::parse("95814-2719").is_ok());
        for bad in ["9581", "95814-27", "958142719", "ABCDE"] {
            assert_eq!(
                PostalCode::parse(bad),
                Err(ContactError::PostalCode),
                "{bad}"
            );
        }
    }

    #[test]
    fn states_are_upper_case_usps_codes() {
        assert_eq!(UsState::parse("CA").unwrap().as_str(), "CA");
        assert_eq!(UsState::parse("ca"), Err(ContactError::State));
        assert_eq!(UsState::parse("ZZ"), Err(ContactError::State));
    }

    #[test]
    fn typed_emails_need_an_ascii_local_part_and_a_dotted_domain() {
        assert!(contact_email("jane.doe+jobs@example.org").is_ok());
        assert!(contact_email("jane@xn--bcher-kva.example").is_ok());
        for bad in [
            "jane@localhost",
            "jané@example.org",
            "jane@bücher.example",
            "ja,ne@example.org",
            "jane.@example.org",
            "jane@-example.org",
            "jane@example.org.",
            "a@b@example.org",
            "jane@example..org",
            "jane@.example.org",
            " jane@example.org",
        ] {
            assert_eq!(contact_email(bad), Err(ContactError::Email), "{bad}");
        }
    }

    proptest! {
        #[test]
        fn the_email_pattern_states_the_rule(raw in "[a.@,é-]{1,12}(@[a-]{0,3})?(\\.[a.-]{0,4})?") {
            let shape = EMAIL_PATTERN;
            let limit = raw.split('@').next().is_some_and(|local| (1..=64).contains(&local.len()));
            let matches = regex::Regex::new(shape).expect("compiles").is_match(&raw) && limit;
            prop_assert_eq!(matches, contact_email(&raw).is_ok(), "{}", raw);
        }

        #[test]
        fn an_accepted_phone_number_has_seven_to_twenty_digits(raw in "[0-9 ()+.xX-]{0,32}") {
            if let Ok(phone) = PhoneNumber::parse(&raw) {
                let digits = phone.as_str().chars().filter(char::is_ascii_digit).count();
                prop_assert!((7..=20).contains(&digits));
            }
        }
    }
}
