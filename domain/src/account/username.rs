//! Usernames, and the office convention for staff and employer usernames.

use std::fmt;

use thiserror::Error;
use unicode_normalization::{UnicodeNormalization, char::is_combining_mark};

use super::PersonName;

/// A username: 3 to 64 characters from `A-Z a-z 0-9 . _ -`, starting with a letter. Unique
/// regardless of letter case.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Username(String);

/// Why a username could not be made or was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum UsernameError {
    /// Too short or too long.
    #[error("a username has 3 to 64 characters")]
    Length,
    /// Does not start with a letter, or holds other characters than letters, digits, `.`, `_`
    /// and `-`.
    #[error("a username starts with a letter and holds only letters, digits, '.', '_' and '-'")]
    Characters,
    /// A name left no letters once accents were folded and other characters dropped.
    #[error("the {0} name has no letters to build a username from")]
    NoLetters(&'static str),
    /// Every numbered variant is taken.
    #[error("no free username is left for {0}")]
    Exhausted(String),
}

impl Username {
    /// The longest username.
    pub const MAX: usize = 64;

    /// Checks length and characters.
    pub fn parse(raw: &str) -> Result<Self, UsernameError> {
        if !(3..=Self::MAX).contains(&raw.len()) {
            return Err(UsernameError::Length);
        }
        let starts_with_letter = raw.starts_with(|c: char| c.is_ascii_alphabetic());
        let allowed = raw
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b));
        if !starts_with_letter || !allowed {
            return Err(UsernameError::Characters);
        }
        Ok(Username(raw.to_owned()))
    }

    /// The username as given.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The lower-case form used to find and compare usernames.
    pub fn key(&self) -> String {
        self.0.to_ascii_lowercase()
    }
}

impl fmt::Display for Username {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Folds a name to upper-case ASCII letters: accents are removed (`é` → `E`), letters without a
/// decomposition are spelt out (`ß` → `SS`, `Ø` → `O`), and everything else (spaces, hyphens,
/// apostrophes, digits) is dropped.
pub fn fold_to_letters(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.nfkd().filter(|c| !is_combining_mark(*c)) {
        match c {
            'a'..='z' | 'A'..='Z' => out.push(c.to_ascii_uppercase()),
            'ß' | 'ẞ' => out.push_str("SS"),
            'æ' | 'Æ' => out.push_str("AE"),
            'œ' | 'Œ' => out.push_str("OE"),
            'ø' | 'Ø' => out.push('O'),
            'đ' | 'Đ' | 'ð' | 'Ð' => out.push('D'),
            'ł' | 'Ł' => out.push('L'),
            'þ' | 'Þ' => out.push_str("TH"),
            'ı' => out.push('I'),
            _ => {}
        }
    }
    out
}

/// The office (or department) convention: `prefix` + first initial + last name, upper case,
/// letters only (John Doe at `LAO` gives `LAOJDOE`). When that is taken, the next free number is
/// appended (`LAOJDOE2`, `LAOJDOE3`, ...). `is_taken` answers for a candidate, regardless of
/// letter case. A very long last name is shortened so the result fits [`Username::MAX`].
pub fn prefixed_username(
    prefix: &str,
    first: &PersonName,
    last: &PersonName,
    mut is_taken: impl FnMut(&str) -> bool,
) -> Result<Username, UsernameError> {
    let initial = fold_to_letters(first.as_str())
        .chars()
        .next()
        .ok_or(UsernameError::NoLetters("first"))?;
    let last = fold_to_letters(last.as_str());
    if last.is_empty() {
        return Err(UsernameError::NoLetters("last"));
    }
    let mut base = format!("{prefix}{initial}{last}");
    base.truncate(Username::MAX - 5);
    for n in 1..10_000u32 {
        let candidate = if n == 1 {
            base.clone()
        } else {
            format!("{base}{n}")
        };
        if !is_taken(&candidate) {
            return Username::parse(&candidate);
        }
    }
    Err(UsernameError::Exhausted(base))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn name(s: &str) -> PersonName {
        PersonName::parse(s).unwrap()
    }

    fn none_taken(_: &str) -> bool {
        false
    }

    #[test]
    fn john_doe_at_the_los_angeles_office_is_laojdoe() {
        assert_eq!(
            prefixed_username("LAO", &name("John"), &name("Doe"), none_taken)
                .unwrap()
                .as_str(),
            "LAOJDOE"
        );
    }

    #[test]
    fn a_taken_name_gets_the_next_free_number() {
        let taken = ["LAOJDOE", "LAOJDOE2"];
        let username =
            prefixed_username("LAO", &name("Jane"), &name("Doe"), |c| taken.contains(&c)).unwrap();
        assert_eq!(username.as_str(), "LAOJDOE3");
    }

    #[test]
    fn accents_are_folded_and_spaces_hyphens_and_apostrophes_dropped() {
        let cases = [
            ("José", "Núñez-García", "LAOJNUNEZGARCIA"),
            ("Éamon", "O'Brien", "LAOEOBRIEN"),
            ("Ana", "de la Cruz", "LAOADELACRUZ"),
            ("Zoë", "Weiß", "LAOZWEISS"),
            ("Øystein", "Łukasz", "LAOOLUKASZ"),
        ];
        for (first, last, expected) in cases {
            assert_eq!(
                prefixed_username("LAO", &name(first), &name(last), none_taken)
                    .unwrap()
                    .as_str(),
                expected
            );
        }
    }

    #[test]
    fn a_name_without_letters_cannot_make_a_username() {
        assert_eq!(
            prefixed_username("LAO", &name("John"), &name("3000"), none_taken),
            Err(UsernameError::NoLetters("last"))
        );
    }

    #[test]
    fn an_employer_username_uses_the_department_code() {
        assert_eq!(
            prefixed_username("DMV", &name("maría"), &name("lópez"), none_taken)
                .unwrap()
                .as_str(),
            "DMVMLOPEZ"
        );
    }

    #[test]
    fn usernames_start_with_a_letter() {
        assert!(Username::parse("jane.doe_2").is_ok());
        assert_eq!(Username::parse("2jane"), Err(UsernameError::Characters));
        assert_eq!(Username::parse("ja"), Err(UsernameError::Length));
        assert_eq!(Username::parse("jane doe"), Err(UsernameError::Characters));
    }

    proptest! {
        #[test]
        fn a_made_username_is_always_a_valid_upper_case_username(first in "\\PC{1,30}", last in "\\PC{1,200}") {
            let (Ok(first), Ok(last)) = (PersonName::parse(&first), PersonName::parse(&last)) else { return Ok(()) };
            if let Ok(username) = prefixed_username("LAO", &first, &last, none_taken) {
                prop_assert!(username.as_str().starts_with("LAO"));
                prop_assert!(username.as_str().bytes().all(|b| b.is_ascii_uppercase()));
                prop_assert!(username.as_str().len() <= Username::MAX);
            }
        }

        #[test]
        fn the_number_skips_exactly_the_taken_candidates(taken_count in 0usize..20) {
            let username = prefixed_username("SAC", &name("Pat"), &name("Lee"), |c| {
                c == "SACPLEE" && taken_count > 0 || c.strip_prefix("SACPLEE").and_then(|n| n.parse::<usize>().ok()).is_some_and(|n| n <= taken_count)
            }).unwrap();
            let expected = if taken_count == 0 { "SACPLEE".to_owned() } else { format!("SACPLEE{}", taken_count + 1) };
            prop_assert_eq!(username.as_str(), expected);
        }
    }
}
