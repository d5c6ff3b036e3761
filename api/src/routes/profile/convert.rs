//! The profile between the API's shapes and the domain's: the request checked field by field
//! (every bad field at once, with its path), responses built from what was read.

use std::collections::BTreeSet;

use merit_domain::{
    account::PersonName,
    profile::{self as domain, ConditionsOfEmployment as DomainConditions},
    reference::{CountyCode, DepartmentCode},
};

use super::dto::{
    ConditionsOfEmployment, CountyCodeValue, DepartmentCodeValue, MailingAddress, ProfileRequest,
    ProfileResponse, StateCode, Supervisor,
};
use crate::{
    routes::text::Line,
    services::profile::{NamedCodes, ProfileInput, ProfileUpdate, ProfileView},
    validation::{Fields, at_most},
};

impl ProfileRequest {
    /// The update checked without the database (or the 422 naming every field that is bad in
    /// itself), with the counties and departments it names, which the use case looks up.
    pub fn parse(self) -> ProfileInput {
        let mut fields = Fields::new();
        let mut codes = NamedCodes::default();
        let first_name = person_name(&mut fields, "first_name", &self.first_name);
        let last_name = person_name(&mut fields, "last_name", &self.last_name);
        let email = fields.check_optional(
            "email",
            "invalid_email",
            self.email.as_deref().map(domain::contact_email),
        );
        let phone = fields.check_optional(
            "phone",
            "invalid_phone",
            self.phone.as_deref().map(domain::PhoneNumber::parse),
        );
        if self
            .current_password
            .as_ref()
            .is_some_and(|p| !(1..=1024).contains(&p.chars().count()))
        {
            // Checked even when the email stays, so an empty one is refused as its schema says.
            fields.push(
                "current_password",
                "length",
                "current_password has 1 to 1024 characters.",
            );
        }
        let mailing_address = self
            .mailing_address
            .as_ref()
            .and_then(|a| a.parse(&mut fields));
        let supervisors = supervisors(&mut fields, &self.supervisors);
        let conditions = self.conditions.parse(&mut fields, &mut codes);
        let profile = domain::Profile {
            phone,
            mailing_address,
            supervisors,
            conditions: conditions.unwrap_or_default(),
        };
        let update = first_name
            .zip(last_name)
            .map(|(first_name, last_name)| ProfileUpdate {
                first_name,
                last_name,
                email,
                current_password: self.current_password,
                profile,
            });
        ProfileInput {
            update: fields.into_result(update),
            codes,
        }
    }
}

fn person_name(fields: &mut Fields, field: &str, raw: &Line<100>) -> Option<PersonName> {
    let text = raw.check(fields, field)?;
    fields.check(field, "invalid_name", PersonName::parse(&text))
}

fn supervisors(fields: &mut Fields, items: &[Supervisor]) -> Vec<domain::Supervisor> {
    if !at_most(fields, "supervisors", items, domain::MAX_SUPERVISORS) {
        return Vec::new();
    }
    items
        .iter()
        .enumerate()
        .filter_map(|(i, s)| {
            let at = |name: &str| format!("supervisors[{i}].{name}");
            let name = s.name.check(fields, &at("name"));
            let title = Line::check_optional(s.title.as_ref(), fields, &at("title"));
            let employer = Line::check_optional(s.employer.as_ref(), fields, &at("employer"));
            let phone = fields.check_optional(
                &at("phone"),
                "invalid_phone",
                s.phone.as_deref().map(domain::PhoneNumber::parse),
            );
            let email = fields.check_optional(
                &at("email"),
                "invalid_email",
                s.email.as_deref().map(domain::contact_email),
            );
            name.map(|name| domain::Supervisor {
                name,
                title,
                phone,
                email,
                employer,
            })
        })
        .collect()
}

impl MailingAddress {
    fn parse(&self, fields: &mut Fields) -> Option<domain::MailingAddress> {
        let line1 = self.line1.check(fields, "mailing_address.line1");
        let line2 = Line::check_optional(self.line2.as_ref(), fields, "mailing_address.line2");
        let city = self.city.check(fields, "mailing_address.city");
        let state = fields.check(
            "mailing_address.state",
            "invalid_state",
            domain::UsState::parse(&self.state.0),
        );
        let postal_code = fields.check(
            "mailing_address.postal_code",
            "invalid_postal_code",
            domain::PostalCode::parse(&self.postal_code),
        );
        Some(domain::MailingAddress {
            line1: line1?,
            line2,
            city: city?,
            state: state?,
            postal_code: postal_code?,
        })
    }

    fn from_domain(a: &domain::MailingAddress) -> Self {
        MailingAddress {
            line1: a.line1.clone().into(),
            line2: a.line2.clone().map(Into::into),
            city: a.city.clone().into(),
            state: StateCode(a.state.as_str().to_owned()),
            postal_code: a.postal_code.as_str().to_owned(),
        }
    }
}

/// A code of exactly the characters its schema pattern allows (no trimming, which the
/// domain's parsers would do), then parsed.
fn code<T>(
    fields: &mut Fields,
    field: &str,
    raw: &str,
    max: usize,
    allowed: fn(char) -> bool,
    parse: fn(&str) -> Result<T, merit_domain::reference::CodeError>,
) -> Option<T> {
    if !(2..=max).contains(&raw.chars().count()) || !raw.chars().all(allowed) {
        fields.push(
            field,
            "invalid_code",
            format!("{field} holds 2 to {max} letters, digits or hyphens, as its schema says."),
        );
        return None;
    }
    fields.check(field, "invalid_code", parse(raw))
}

/// The codes of the list `field` as a set when each is well formed (each checked under
/// `field[i]`); the well-formed ones are noted with their paths in `named`, when given.
fn code_set<'a, T: Ord + Clone>(
    fields: &mut Fields,
    field: &str,
    raw: impl Iterator<Item = &'a str>,
    (max, allowed): (usize, fn(char) -> bool),
    parse: fn(&str) -> Result<T, merit_domain::reference::CodeError>,
    mut named: Option<&mut Vec<(String, T)>>,
) -> Option<BTreeSet<T>> {
    let mut set = Some(BTreeSet::new());
    for (i, raw) in raw.enumerate() {
        let path = format!("{field}[{i}]");
        match code(fields, &path, raw, max, allowed, parse) {
            Some(value) => {
                if let Some(named) = named.as_deref_mut() {
                    named.push((path, value.clone()));
                }
                if let Some(set) = set.as_mut() {
                    set.insert(value);
                }
            }
            None => set = None,
        }
    }
    set
}

impl ConditionsOfEmployment {
    /// The conditions when every value is well formed. The counties and departments are also
    /// noted in `codes` with their paths, for the use case to look up (when their list is not
    /// too long already).
    fn parse(&self, fields: &mut Fields, codes: &mut NamedCodes) -> Option<DomainConditions> {
        let ok = at_most(fields, "conditions.tenures", &self.tenures, 3)
            & at_most(fields, "conditions.time_bases", &self.time_bases, 3);
        let counties_ok = at_most(fields, "conditions.counties", &self.counties, 100);
        let departments_ok = at_most(fields, "conditions.departments", &self.departments, 100);
        let ok = ok & at_most(fields, "conditions.shifts", &self.shifts, 5);
        let counties = code_set(
            fields,
            "conditions.counties",
            self.counties.iter().map(|c| c.0.as_str()),
            (32, |c| c.is_ascii_alphabetic() || c == '-'),
            CountyCode::parse,
            counties_ok.then_some(&mut codes.counties),
        );
        let departments = code_set(
            fields,
            "conditions.departments",
            self.departments.iter().map(|d| d.0.as_str()),
            (12, |c| c.is_ascii_alphanumeric()),
            DepartmentCode::parse,
            departments_ok.then_some(&mut codes.departments),
        );
        if !(ok && counties_ok && departments_ok) {
            return None;
        }
        Some(DomainConditions {
            tenures: self.tenures.iter().copied().map(Into::into).collect(),
            time_bases: self.time_bases.iter().copied().map(Into::into).collect(),
            counties: counties?,
            departments: departments?,
            shifts: self.shifts.iter().copied().map(Into::into).collect(),
            accepts_contact: self.accepts_contact,
        })
    }

    fn from_domain(c: &DomainConditions) -> Self {
        ConditionsOfEmployment {
            tenures: c.tenures.iter().copied().map(Into::into).collect(),
            time_bases: c.time_bases.iter().copied().map(Into::into).collect(),
            counties: c
                .counties
                .iter()
                .map(|c| CountyCodeValue(c.to_string()))
                .collect(),
            departments: c
                .departments
                .iter()
                .map(|d| DepartmentCodeValue(d.to_string()))
                .collect(),
            shifts: c.shifts.iter().copied().map(Into::into).collect(),
            accepts_contact: c.accepts_contact,
        }
    }
}

impl ProfileResponse {
    /// The response for a profile as read.
    pub fn new(view: ProfileView) -> Self {
        let profile = view.profile;
        ProfileResponse {
            first_name: view.account.first_name.to_string(),
            last_name: view.account.last_name.to_string(),
            email: view.account.email.as_ref().map(ToString::to_string),
            email_verified: view.account.email_verified_at.is_some(),
            phone: profile.phone.map(|p| p.as_str().to_owned()),
            mailing_address: profile
                .mailing_address
                .as_ref()
                .map(MailingAddress::from_domain),
            supervisors: profile
                .supervisors
                .iter()
                .map(|s| Supervisor {
                    name: s.name.clone().into(),
                    title: s.title.clone().map(Into::into),
                    phone: s.phone.as_ref().map(|p| p.as_str().to_owned().into()),
                    email: s.email.as_ref().map(|e| e.to_string().into()),
                    employer: s.employer.clone().map(Into::into),
                })
                .collect(),
            conditions: ConditionsOfEmployment::from_domain(&profile.conditions),
            updated_at: view.updated_at,
        }
    }
}
