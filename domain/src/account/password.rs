//! The password policy: a pure rule, configured by a preset.
//!
//! `caljobs` (the default) is the CalJOBS rule from the seeds: 8 to 20 characters with an upper-
//! case letter, a lower-case letter, a digit and one of `! @ # $ % ^ * . _`. `nist` follows NIST
//! SP 800-63B: 8 to 128 characters counted in code points, no composition rules. Both refuse a
//! password that contains the username or is one of the 10,000 most common passwords, and a
//! rejection names every rule that failed. Passwords are never truncated or normalised.

use std::{collections::HashSet, fmt, sync::LazyLock};

/// The special characters the `caljobs` preset asks for (one at least).
pub const SPECIAL_CHARACTERS: &str = "!@#$%^*._";

/// The named policies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordPreset {
    /// 8–20 characters, upper, lower, digit and special.
    Caljobs,
    /// 8–128 code points, no composition rules.
    Nist,
}

/// One rule a password broke.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordRule {
    /// Fewer characters than `min`.
    TooShort {
        /// The fewest allowed.
        min: usize,
    },
    /// More characters than `max`.
    TooLong {
        /// The most allowed.
        max: usize,
    },
    /// No upper-case letter.
    MissingUppercase,
    /// No lower-case letter.
    MissingLowercase,
    /// No digit.
    MissingDigit,
    /// None of [`SPECIAL_CHARACTERS`].
    MissingSpecial,
    /// Contains the username (or the email's local part), ignoring case.
    ContainsUsername,
    /// One of the most common passwords, or one with digits and symbols tacked on.
    TooCommon,
}

impl PasswordRule {
    /// The stable code of the rule, as field errors carry it.
    pub fn code(self) -> &'static str {
        match self {
            PasswordRule::TooShort { .. } => "password_too_short",
            PasswordRule::TooLong { .. } => "password_too_long",
            PasswordRule::MissingUppercase => "password_missing_uppercase",
            PasswordRule::MissingLowercase => "password_missing_lowercase",
            PasswordRule::MissingDigit => "password_missing_digit",
            PasswordRule::MissingSpecial => "password_missing_special",
            PasswordRule::ContainsUsername => "password_contains_username",
            PasswordRule::TooCommon => "password_too_common",
        }
    }
}

impl fmt::Display for PasswordRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PasswordRule::TooShort { min } => write!(f, "Use at least {min} characters."),
            PasswordRule::TooLong { max } => write!(f, "Use at most {max} characters."),
            PasswordRule::MissingUppercase => f.write_str("Add an upper-case letter."),
            PasswordRule::MissingLowercase => f.write_str("Add a lower-case letter."),
            PasswordRule::MissingDigit => f.write_str("Add a digit."),
            PasswordRule::MissingSpecial => {
                write!(f, "Add one of these characters: {SPECIAL_CHARACTERS}")
            }
            PasswordRule::ContainsUsername => {
                f.write_str("Do not include your username or email name.")
            }
            PasswordRule::TooCommon => f.write_str("This password is too common; choose another."),
        }
    }
}

/// A configured password policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PasswordPolicy {
    min: usize,
    max: usize,
    composition: bool,
}

impl PasswordPolicy {
    /// The policy of a preset.
    pub fn preset(preset: PasswordPreset) -> Self {
        match preset {
            PasswordPreset::Caljobs => PasswordPolicy {
                min: 8,
                max: 20,
                composition: true,
            },
            PasswordPreset::Nist => PasswordPolicy {
                min: 8,
                max: 128,
                composition: false,
            },
        }
    }

    /// The shortest password the policy accepts.
    pub fn min_length(&self) -> usize {
        self.min
    }

    /// Whether the policy asks for an upper-case letter, a lower-case letter, a digit and one
    /// of [`SPECIAL_CHARACTERS`].
    pub fn asks_for_composition(&self) -> bool {
        self.composition
    }

    /// The longest password the policy accepts.
    pub fn max_length(&self) -> usize {
        self.max
    }

    /// Checks `password`; `identifiers` are the person's username and email local part (those
    /// shorter than 3 characters are ignored). Returns every rule that failed.
    pub fn check(&self, password: &str, identifiers: &[&str]) -> Result<(), Vec<PasswordRule>> {
        let mut broken = Vec::new();
        let length = password.chars().count();
        if length < self.min {
            broken.push(PasswordRule::TooShort { min: self.min });
        }
        if length > self.max {
            broken.push(PasswordRule::TooLong { max: self.max });
        }
        if self.composition {
            if !password.chars().any(char::is_uppercase) {
                broken.push(PasswordRule::MissingUppercase);
            }
            if !password.chars().any(char::is_lowercase) {
                broken.push(PasswordRule::MissingLowercase);
            }
            if !password.chars().any(|c| c.is_ascii_digit()) {
                broken.push(PasswordRule::MissingDigit);
            }
            if !password.chars().any(|c| SPECIAL_CHARACTERS.contains(c)) {
                broken.push(PasswordRule::MissingSpecial);
            }
        }
        let lower = password.to_lowercase();
        if identifiers
            .iter()
            .any(|id| id.chars().count() >= 3 && lower.contains(&id.to_lowercase()))
        {
            broken.push(PasswordRule::ContainsUsername);
        }
        if is_common_password(password) {
            broken.push(PasswordRule::TooCommon);
        }
        if broken.is_empty() {
            Ok(())
        } else {
            Err(broken)
        }
    }
}

static COMMON: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    include_str!("../../data/common-passwords.txt")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .collect()
});

/// Whether `password`, ignoring case, is on the list of the 10,000 most common passwords, or is
/// one of them with digits and symbols added before or after (`Password1@` is `password`).
pub fn is_common_password(password: &str) -> bool {
    let lower = password.to_lowercase();
    let core = lower
        .trim_matches(|c: char| c.is_ascii_digit() || SPECIAL_CHARACTERS.contains(c) || c == ' ');
    COMMON.contains(lower.as_str()) || (core.chars().count() >= 4 && COMMON.contains(core))
}

/// Builds a 16-character temporary password from random bytes (at least 32), with an upper-
/// case letter, a lower-case letter, a digit and a special character, so it satisfies every
/// preset. Ambiguous characters (`0 O 1 l I`) are left out so it can be read out by phone.
pub fn temporary_password(random: &[u8]) -> String {
    const UPPER: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ";
    const LOWER: &[u8] = b"abcdefghijkmnopqrstuvwxyz";
    const DIGITS: &[u8] = b"23456789";
    const SPECIAL: &[u8] = b"!@#$%^*._";
    const LENGTH: usize = 16;
    let all: Vec<u8> = [UPPER, LOWER, DIGITS, SPECIAL].concat();
    let byte = |i: usize| random.get(i).copied().unwrap_or(0) as usize;
    let mut chars: Vec<u8> = (0..LENGTH)
        .map(|i| {
            let class = match i {
                0 => UPPER,
                1 => LOWER,
                2 => DIGITS,
                3 => SPECIAL,
                _ => all.as_slice(),
            };
            class[byte(i) % class.len()]
        })
        .collect();
    // Fisher–Yates with the remaining bytes, so the classes do not sit at fixed positions.
    for i in (1..LENGTH).rev() {
        chars.swap(i, byte(LENGTH + i) % (i + 1));
    }
    String::from_utf8_lossy(&chars).into_owned()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn caljobs() -> PasswordPolicy {
        PasswordPolicy::preset(PasswordPreset::Caljobs)
    }

    fn nist() -> PasswordPolicy {
        PasswordPolicy::preset(PasswordPreset::Nist)
    }

    #[test]
    fn a_password_meeting_every_caljobs_rule_is_accepted() {
        assert_eq!(caljobs().check("Tulip.Harbor7", &["jdoe"]), Ok(()));
    }

    #[test]
    fn every_failed_caljobs_rule_is_named() {
        assert_eq!(
            caljobs().check("abc", &[]),
            Err(vec![
                PasswordRule::TooShort { min: 8 },
                PasswordRule::MissingUppercase,
                PasswordRule::MissingDigit,
                PasswordRule::MissingSpecial,
            ])
        );
    }

    #[test]
    fn caljobs_refuses_more_than_twenty_characters() {
        assert_eq!(
            caljobs().check("Tulip.Harbor7Tulip.Ha", &[]),
            Err(vec![PasswordRule::TooLong { max: 20 }])
        );
    }

    #[test]
    fn only_the_listed_special_characters_count() {
        assert_eq!(
            caljobs().check("Tulip&Harbor7", &[]),
            Err(vec![PasswordRule::MissingSpecial])
        );
    }

    #[test]
    fn the_seeds_default_temporary_password_is_too_common() {
        assert_eq!(
            caljobs().check("Password1@", &[]),
            Err(vec![PasswordRule::TooCommon])
        );
        assert!(is_common_password("123456"));
        assert!(is_common_password("Sunshine2024!"));
        assert!(!is_common_password("Tulip.Harbor7"));
    }

    #[test]
    fn a_password_containing_the_username_is_refused_whatever_the_case() {
        assert_eq!(
            caljobs().check("xLaoJdoe.77", &["LAOJDOE"]),
            Err(vec![PasswordRule::ContainsUsername])
        );
    }

    #[test]
    fn nist_has_no_composition_rules_and_counts_code_points() {
        assert_eq!(nist().check("correct horse battery staple", &[]), Ok(()));
        assert_eq!(nist().check(&"é".repeat(15), &[]), Ok(()));
        assert_eq!(
            nist().check("ééééééé", &[]),
            Err(vec![PasswordRule::TooShort { min: 8 }])
        );
        assert_eq!(
            nist().check(&"x1".repeat(65), &[]),
            Err(vec![PasswordRule::TooLong { max: 128 }])
        );
    }

    #[test]
    fn a_temporary_password_satisfies_both_presets() {
        let random: Vec<u8> = (0u8..32).map(|i| i.wrapping_mul(37)).collect();
        let password = temporary_password(&random);
        assert_eq!(password.chars().count(), 16);
        assert_eq!(caljobs().check(&password, &[]), Ok(()));
        assert_eq!(nist().check(&password, &[]), Ok(()));
    }

    proptest! {
        #[test]
        fn any_caljobs_shaped_password_that_is_not_common_is_accepted(
            upper in "[A-Z]", lower in "[a-z]{3,8}", digit in "[0-9]", special in "[!@#$%^*._]", rest in "[a-zA-Z0-9]{2,7}"
        ) {
            let password = format!("{rest}{upper}{lower}{special}{digit}");
            prop_assume!(!is_common_password(&password));
            prop_assert_eq!(caljobs().check(&password, &[]), Ok(()));
        }

        #[test]
        fn anything_shorter_than_eight_characters_is_too_short(password in "\\PC{0,7}") {
            let broken = caljobs().check(&password, &[]).unwrap_err();
            let too_short = PasswordRule::TooShort { min: 8 };
            prop_assert!(broken.contains(&too_short));
        }

        #[test]
        fn nist_accepts_any_uncommon_password_of_fifteen_to_128_code_points(password in "\\PC{15,128}") {
            prop_assume!(!is_common_password(&password));
            prop_assert_eq!(nist().check(&password, &[]), Ok(()));
        }

        #[test]
        fn temporary_passwords_always_satisfy_the_caljobs_rule(random in proptest::collection::vec(any::<u8>(), 32)) {
            let password = temporary_password(&random);
            prop_assert_eq!(caljobs().check(&password, &[]), Ok(()));
        }

        #[test]
        fn a_password_is_checked_exactly_as_given(password in "[a-zA-Z0-9]{21,40}") {
            // Never truncated: over the caljobs maximum is always refused as too long.
            let broken = caljobs().check(&password, &[]).unwrap_err();
            let too_long = PasswordRule::TooLong { max: 20 };
            prop_assert!(broken.contains(&too_long));
        }
    }
}
