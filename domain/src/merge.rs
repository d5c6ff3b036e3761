//! Profile merge: the rules that decide, field by field, what the surviving (target) profile
//! keeps when a person's other (source) profile is merged into it, and how a clashing name is
//! renamed. Pure: the use case reads both profiles and applies the outcome.
//!
//! The rule for a profile field whose values differ: the caller's choice when given; otherwise
//! the target's value, unless the target has none (an empty value), when the source's fills the
//! gap. The surviving internal profile wins what nobody decided (as Auth0 and Okta link accounts:
//! the primary wins conflicts), and nothing the person entered is dropped for want of a choice.

use std::collections::BTreeMap;

use crate::{
    account::PersonName,
    profile::{ConditionsOfEmployment, Profile},
};

/// One of the two profiles of a merge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Side {
    /// The profile merged away (its account is closed).
    Source,
    /// The surviving profile (the Employee ID account).
    Target,
}

impl Side {
    /// The side's name in the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Side::Source => "source",
            Side::Target => "target",
        }
    }
}

/// A profile field the merge decides on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ProfileField {
    /// The given name (kept on the account).
    FirstName,
    /// The family name (kept on the account).
    LastName,
    /// The phone number.
    Phone,
    /// The mailing address (one value: its lines, city, state and postal code go together).
    MailingAddress,
    /// The previous supervisors (the list as a whole).
    Supervisors,
    /// The conditions of employment, with the willingness to be contacted.
    Conditions,
}

impl ProfileField {
    /// Every field, in the order a plan lists them.
    pub const ALL: [ProfileField; 6] = [
        ProfileField::FirstName,
        ProfileField::LastName,
        ProfileField::Phone,
        ProfileField::MailingAddress,
        ProfileField::Supervisors,
        ProfileField::Conditions,
    ];

    /// The field's name in the API.
    pub fn as_str(self) -> &'static str {
        match self {
            ProfileField::FirstName => "first_name",
            ProfileField::LastName => "last_name",
            ProfileField::Phone => "phone",
            ProfileField::MailingAddress => "mailing_address",
            ProfileField::Supervisors => "supervisors",
            ProfileField::Conditions => "conditions",
        }
    }
}

/// What a person's profile holds for a merge: the account's names and the profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonDetails {
    /// Given name.
    pub first_name: PersonName,
    /// Family name.
    pub last_name: PersonName,
    /// Phone, address, supervisors and conditions.
    pub profile: Profile,
}

/// Why a differing field keeps the value it keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecidedBy {
    /// The caller chose.
    Choice,
    /// Nobody chose: the target's value, or the source's where the target had none.
    Default,
}

/// The outcome for one field whose two values differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldDecision {
    /// The field.
    pub field: ProfileField,
    /// Whose value the merged profile keeps.
    pub keep: Side,
    /// A choice or the default rule.
    pub decided_by: DecidedBy,
}

fn differs(field: ProfileField, a: &PersonDetails, b: &PersonDetails) -> bool {
    match field {
        ProfileField::FirstName => a.first_name != b.first_name,
        ProfileField::LastName => a.last_name != b.last_name,
        ProfileField::Phone => a.profile.phone != b.profile.phone,
        ProfileField::MailingAddress => a.profile.mailing_address != b.profile.mailing_address,
        ProfileField::Supervisors => a.profile.supervisors != b.profile.supervisors,
        ProfileField::Conditions => a.profile.conditions != b.profile.conditions,
    }
}

/// Whether `details` holds nothing for `field` (names are never empty).
fn is_empty(field: ProfileField, details: &PersonDetails) -> bool {
    match field {
        ProfileField::FirstName | ProfileField::LastName => false,
        ProfileField::Phone => details.profile.phone.is_none(),
        ProfileField::MailingAddress => details.profile.mailing_address.is_none(),
        ProfileField::Supervisors => details.profile.supervisors.is_empty(),
        ProfileField::Conditions => details.profile.conditions == ConditionsOfEmployment::default(),
    }
}

fn take(field: ProfileField, into: &mut PersonDetails, from: &PersonDetails) {
    match field {
        ProfileField::FirstName => into.first_name = from.first_name.clone(),
        ProfileField::LastName => into.last_name = from.last_name.clone(),
        ProfileField::Phone => into.profile.phone = from.profile.phone.clone(),
        ProfileField::MailingAddress => {
            into.profile.mailing_address = from.profile.mailing_address.clone();
        }
        ProfileField::Supervisors => into.profile.supervisors = from.profile.supervisors.clone(),
        ProfileField::Conditions => into.profile.conditions = from.profile.conditions.clone(),
    }
}

/// The target's details after the merge, and one decision per field whose values differ (in
/// [`ProfileField::ALL`] order). A choice for a field whose values agree changes nothing.
pub fn merge_details(
    source: &PersonDetails,
    target: &PersonDetails,
    choices: &BTreeMap<ProfileField, Side>,
) -> (PersonDetails, Vec<FieldDecision>) {
    let mut merged = target.clone();
    let mut decisions = Vec::new();
    for field in ProfileField::ALL {
        if !differs(field, source, target) {
            continue;
        }
        let (keep, decided_by) = match choices.get(&field) {
            Some(side) => (*side, DecidedBy::Choice),
            None if is_empty(field, target) => (Side::Source, DecidedBy::Default),
            None => (Side::Target, DecidedBy::Default),
        };
        if keep == Side::Source {
            take(field, &mut merged, source);
        }
        decisions.push(FieldDecision {
            field,
            keep,
            decided_by,
        });
    }
    (merged, decisions)
}

/// A new name for an item whose name the target already uses (compared by `taken`, which
/// applies the item's own uniqueness rule): `"<name> (merged)"`, then `"<name> (merged 2)"`,
/// and so on, the name shortened (by characters) so the result has at most `max_chars`.
pub fn renamed(name: &str, max_chars: usize, taken: impl Fn(&str) -> bool) -> String {
    let mut n = 1usize;
    loop {
        let suffix = if n == 1 {
            " (merged)".to_owned()
        } else {
            format!(" (merged {n})")
        };
        let room = max_chars.saturating_sub(suffix.chars().count());
        let stem: String = name.chars().take(room).collect();
        let candidate = format!("{}{suffix}", stem.trim_end());
        if !taken(&candidate) {
            return candidate;
        }
        n += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::PhoneNumber;

    fn person(first: &str, phone: Option<&str>) -> PersonDetails {
        PersonDetails {
            first_name: PersonName::parse(first).unwrap(),
            last_name: PersonName::parse("Rivera").unwrap(),
            profile: Profile {
                phone: phone.map(|p| PhoneNumber::parse(p).unwrap()),
                ..Profile::default()
            },
        }
    }

    #[test]
    fn the_target_wins_undecided_differences_and_the_source_fills_its_gaps() {
        let source = person("Dana", Some("916-555-0100"));
        let target = person("Danielle", None);
        let (merged, decisions) = merge_details(&source, &target, &BTreeMap::new());
        assert_eq!(merged.first_name.as_str(), "Danielle");
        assert_eq!(merged.profile.phone, source.profile.phone);
        assert_eq!(
            decisions,
            vec![
                FieldDecision {
                    field: ProfileField::FirstName,
                    keep: Side::Target,
                    decided_by: DecidedBy::Default
                },
                FieldDecision {
                    field: ProfileField::Phone,
                    keep: Side::Source,
                    decided_by: DecidedBy::Default
                },
            ]
        );
    }

    #[test]
    fn a_choice_decides_and_equal_fields_are_not_conflicts() {
        let source = person("Dana", Some("916-555-0100"));
        let target = person("Danielle", Some("916-555-0199"));
        let choices = BTreeMap::from([
            (ProfileField::FirstName, Side::Source),
            (ProfileField::Phone, Side::Target),
            (ProfileField::Supervisors, Side::Source),
        ]);
        let (merged, decisions) = merge_details(&source, &target, &choices);
        assert_eq!(merged.first_name.as_str(), "Dana");
        assert_eq!(merged.profile.phone, target.profile.phone);
        assert_eq!(decisions.len(), 2, "supervisors agree (both empty)");
        assert!(decisions.iter().all(|d| d.decided_by == DecidedBy::Choice));
    }

    #[test]
    fn a_clashing_name_gets_the_first_free_suffix_within_the_limit() {
        let taken = ["Fresno jobs", "Fresno jobs (merged)"];
        let name = renamed("Fresno jobs", 100, |c| taken.contains(&c));
        assert_eq!(name, "Fresno jobs (merged 2)");
        let long = "x".repeat(100);
        let name = renamed(&long, 100, |_| false);
        assert_eq!(name.chars().count(), 100);
        assert!(name.ends_with(" (merged)"));
    }
}
