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
    error::ApiError,
    services::profile::{ProfileUpdate, ProfileView},
    validation::{Fields, at_most, line, optional_line},
};

impl ProfileRequest {
    /// The checked update, or 422 naming every bad field.
    pub fn parse(self) -> Result<ProfileUpdate, ApiError> {
        let mut fields = Fields::new();
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
        let mailing_address = self
            .mailing_address
            .as_ref()
            .and_then(|a| a.parse(&mut fields));
        let supervisors = supervisors(&mut fields, &self.supervisors);
        let conditions = self.conditions.parse(&mut fields);
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
        fields.into_result(update)
    }
}

fn person_name(fields: &mut Fields, field: &str, raw: &str) -> Option<PersonName> {
    let text = line(fields, field, raw, 100)?;
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
            let name = line(fields, &at("name"), &s.name, 100);
            let title = optional_line(fields, &at("title"), s.title.as_deref(), 100);
            let employer = optional_line(fields, &at("employer"), s.employer.as_deref(), 200);
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
        let line1 = line(fields, "mailing_address.line1", &self.line1, 100);
        let line2 = optional_line(fields, "mailing_address.line2", self.line2.as_deref(), 100);
        let city = line(fields, "mailing_address.city", &self.city, 100);
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
            line1: a.line1.clone(),
            line2: a.line2.clone(),
            city: a.city.clone(),
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

impl ConditionsOfEmployment {
    fn parse(&self, fields: &mut Fields) -> Option<DomainConditions> {
        let ok = at_most(fields, "conditions.tenures", &self.tenures, 3)
            & at_most(fields, "conditions.time_bases", &self.time_bases, 3)
            & at_most(fields, "conditions.counties", &self.counties, 100)
            & at_most(fields, "conditions.departments", &self.departments, 100)
            & at_most(fields, "conditions.shifts", &self.shifts, 5);
        let counties: Option<BTreeSet<CountyCode>> = self
            .counties
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let allowed = |c: char| c.is_ascii_alphabetic() || c == '-';
                code(
                    fields,
                    &format!("conditions.counties[{i}]"),
                    &c.0,
                    32,
                    allowed,
                    CountyCode::parse,
                )
            })
            .collect::<Vec<_>>()
            .into_iter()
            .collect();
        let departments: Option<BTreeSet<DepartmentCode>> = self
            .departments
            .iter()
            .enumerate()
            .map(|(i, d)| {
                code(
                    fields,
                    &format!("conditions.departments[{i}]"),
                    &d.0,
                    12,
                    |c| c.is_ascii_alphanumeric(),
                    DepartmentCode::parse,
                )
            })
            .collect::<Vec<_>>()
            .into_iter()
            .collect();
        if !ok {
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
                    name: s.name.clone(),
                    title: s.title.clone(),
                    phone: s.phone.as_ref().map(|p| p.as_str().to_owned()),
                    email: s.email.as_ref().map(ToString::to_string),
                    employer: s.employer.clone(),
                })
                .collect(),
            conditions: ConditionsOfEmployment::from_domain(&profile.conditions),
            updated_at: view.updated_at,
        }
    }
}
