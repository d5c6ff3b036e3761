//! Templates between the API's shapes and the domain's: requests checked field by field
//! (every bad field reported at once, with its path), responses built from stored templates.

use chrono::NaiveDate;
use merit_domain::{
    profile::{self as domain, Period, StandardQuestion, TemplateContent},
    reference::{ClassificationCode, CodeError},
};
use merit_persistence::templates::StoredTemplate;

use super::dto::{
    Education, Language, Licence, PositionSought, Salary, StandardAnswers, TemplateRequest,
    TemplateResponse, Units, WorkExperience,
};
use crate::{
    error::ApiError,
    routes::text::{Line, Paragraphs},
    services::templates::TemplateDraft,
    validation::{Fields, at_most},
};

fn period(
    fields: &mut Fields,
    end_field: &str,
    start: Option<NaiveDate>,
    end: Option<NaiveDate>,
) -> Option<Period> {
    fields.check(end_field, "dates_out_of_order", Period::new(start, end))
}

impl TemplateRequest {
    /// The checked template, or 422 naming every bad field.
    pub fn parse(self) -> Result<TemplateDraft, ApiError> {
        let mut fields = Fields::new();
        let name = self.name.check(&mut fields, "name");
        let position_sought = self.position_sought.as_ref().and_then(|p| {
            let title = p.title.check(&mut fields, "position_sought.title");
            let classification = fields.check_optional(
                "position_sought.classification_code",
                "invalid_code",
                p.classification_code
                    .as_deref()
                    .map(|c| strict_class_code(c).and_then(ClassificationCode::parse)),
            );
            title.map(|title| domain::PositionSought {
                title,
                classification,
            })
        });
        let content = TemplateContent {
            position_sought,
            education: education(&mut fields, &self.education),
            work_experience: work_experience(&mut fields, &self.work_experience),
            licences: licences(&mut fields, &self.licences),
            languages: languages(&mut fields, &self.languages),
            answers: self.answers.to_domain(),
        };
        fields.into_result(name.map(|name| TemplateDraft {
            name,
            is_default: self.is_default,
            content,
        }))
    }
}

/// Exactly the schema's pattern (`ClassificationCode::parse` would also trim).
fn strict_class_code(raw: &str) -> Result<&str, CodeError> {
    if (1..=8).contains(&raw.len()) && raw.chars().all(|c| c.is_ascii_alphanumeric()) {
        Ok(raw)
    } else {
        Err(CodeError::Characters {
            allowed: "1 to 8 letters A-Z and digits",
        })
    }
}

fn education(fields: &mut Fields, items: &[Education]) -> Vec<domain::Education> {
    if !at_most(fields, "education", items, TemplateContent::MAX_EDUCATION) {
        return Vec::new();
    }
    let mut parsed = Vec::new();
    for (i, e) in items.iter().enumerate() {
        let at = |name: &str| format!("education[{i}].{name}");
        let school = e.school.check(fields, &at("school"));
        let location = Line::check_optional(e.location.as_ref(), fields, &at("location"));
        let degree = Line::check_optional(e.degree.as_ref(), fields, &at("degree"));
        let major = Line::check_optional(e.major.as_ref(), fields, &at("major"));
        let units = e.units.as_ref().and_then(|u| {
            if u.completed > 999 {
                fields.push(
                    &at("units.completed"),
                    "out_of_range",
                    "Units are 0 to 999.",
                );
                return None;
            }
            Some(domain::Units {
                completed: u.completed,
                kind: u.kind.into(),
            })
        });
        let attended = period(fields, &at("end_date"), e.start_date, e.end_date);
        if let (Some(school), Some(attended)) = (school, attended) {
            parsed.push(domain::Education {
                school,
                location,
                degree,
                major,
                units,
                attended,
            });
        }
    }
    parsed
}

fn work_experience(fields: &mut Fields, items: &[WorkExperience]) -> Vec<domain::WorkExperience> {
    if !at_most(
        fields,
        "work_experience",
        items,
        TemplateContent::MAX_WORK_EXPERIENCE,
    ) {
        return Vec::new();
    }
    let mut parsed = Vec::new();
    for (i, w) in items.iter().enumerate() {
        let at = |name: &str| format!("work_experience[{i}].{name}");
        let employer = w.employer.check(fields, &at("employer"));
        let title = w.title.check(fields, &at("title"));
        let address = Line::check_optional(w.address.as_ref(), fields, &at("address"));
        let supervisor_name =
            Line::check_optional(w.supervisor_name.as_ref(), fields, &at("supervisor_name"));
        let supervisor_phone = fields.check_optional(
            &at("supervisor_phone"),
            "invalid_phone",
            w.supervisor_phone
                .as_deref()
                .map(domain::PhoneNumber::parse),
        );
        let duties = Paragraphs::check_optional(w.duties.as_ref(), fields, &at("duties"));
        let reason_for_leaving = Paragraphs::check_optional(
            w.reason_for_leaving.as_ref(),
            fields,
            &at("reason_for_leaving"),
        );
        if w.hours_per_week.is_some_and(|h| !(1..=168).contains(&h)) {
            fields.push(
                &at("hours_per_week"),
                "out_of_range",
                "Hours a week are 1 to 168.",
            );
        }
        let salary = w.salary.as_ref().and_then(|s| {
            if s.amount_cents > 1_000_000_000 {
                fields.push(
                    &at("salary.amount_cents"),
                    "out_of_range",
                    "A salary is at most 1000000000 cents.",
                );
                return None;
            }
            Some(domain::Salary {
                amount_cents: s.amount_cents,
                per: s.per.into(),
            })
        });
        let period = period(fields, &at("end_date"), Some(w.start_date), w.end_date);
        if let (Some(employer), Some(title), Some(period)) = (employer, title, period) {
            parsed.push(domain::WorkExperience {
                employer,
                address,
                supervisor_name,
                supervisor_phone,
                title,
                period,
                hours_per_week: w.hours_per_week,
                salary,
                duties,
                reason_for_leaving,
            });
        }
    }
    parsed
}

fn licences(fields: &mut Fields, items: &[Licence]) -> Vec<domain::Licence> {
    if !at_most(fields, "licences", items, TemplateContent::MAX_LICENCES) {
        return Vec::new();
    }
    let mut parsed = Vec::new();
    for (i, l) in items.iter().enumerate() {
        let at = |name: &str| format!("licences[{i}].{name}");
        let name = l.name.check(fields, &at("name"));
        let issuer = Line::check_optional(l.issuer.as_ref(), fields, &at("issuer"));
        let number = Line::check_optional(l.number.as_ref(), fields, &at("number"));
        let valid = period(fields, &at("expires_on"), l.issued_on, l.expires_on);
        if let (Some(name), Some(valid)) = (name, valid) {
            parsed.push(domain::Licence {
                name,
                issuer,
                number,
                valid,
            });
        }
    }
    parsed
}

fn languages(fields: &mut Fields, items: &[Language]) -> Vec<domain::Language> {
    if !at_most(fields, "languages", items, TemplateContent::MAX_LANGUAGES) {
        return Vec::new();
    }
    let mut parsed = Vec::new();
    for (i, l) in items.iter().enumerate() {
        if let Some(language) = l
            .language
            .check(fields, &format!("languages[{i}].language"))
        {
            parsed.push(domain::Language {
                language,
                speaks: l.speaks,
                reads: l.reads,
                writes: l.writes,
            });
        }
    }
    parsed
}

const QUESTIONS: [StandardQuestion; 7] = [
    StandardQuestion::EligibleToWorkInUs,
    StandardQuestion::CurrentStateEmployee,
    StandardQuestion::FormerStateEmployee,
    StandardQuestion::VeteransPreference,
    StandardQuestion::ValidDriverLicence,
    StandardQuestion::WillingToTravel,
    StandardQuestion::WillingToRelocate,
];

impl StandardAnswers {
    fn slots(&self) -> [Option<bool>; 7] {
        [
            self.eligible_to_work_in_us,
            self.current_state_employee,
            self.former_state_employee,
            self.veterans_preference,
            self.valid_driver_licence,
            self.willing_to_travel,
            self.willing_to_relocate,
        ]
    }

    fn to_domain(&self) -> std::collections::BTreeMap<StandardQuestion, bool> {
        QUESTIONS
            .into_iter()
            .zip(self.slots())
            .filter_map(|(q, a)| a.map(|a| (q, a)))
            .collect()
    }

    fn from_domain(answers: &std::collections::BTreeMap<StandardQuestion, bool>) -> Self {
        let get = |q| answers.get(&q).copied();
        StandardAnswers {
            eligible_to_work_in_us: get(StandardQuestion::EligibleToWorkInUs),
            current_state_employee: get(StandardQuestion::CurrentStateEmployee),
            former_state_employee: get(StandardQuestion::FormerStateEmployee),
            veterans_preference: get(StandardQuestion::VeteransPreference),
            valid_driver_licence: get(StandardQuestion::ValidDriverLicence),
            willing_to_travel: get(StandardQuestion::WillingToTravel),
            willing_to_relocate: get(StandardQuestion::WillingToRelocate),
        }
    }
}

impl TemplateResponse {
    /// The response for a stored template.
    pub fn new(t: StoredTemplate) -> Self {
        let c = t.content;
        TemplateResponse {
            id: t.id.to_string(),
            name: t.name,
            is_default: t.is_default,
            position_sought: c.position_sought.map(|p| PositionSought {
                title: p.title.into(),
                classification_code: p.classification.map(|c| c.to_string().into()),
            }),
            education: c
                .education
                .into_iter()
                .map(|e| Education {
                    school: e.school.into(),
                    location: e.location.map(Into::into),
                    degree: e.degree.map(Into::into),
                    major: e.major.map(Into::into),
                    units: e.units.map(|u| Units {
                        completed: u.completed,
                        kind: u.kind.into(),
                    }),
                    start_date: e.attended.start,
                    end_date: e.attended.end,
                })
                .collect(),
            work_experience: c
                .work_experience
                .into_iter()
                .map(|w| WorkExperience {
                    employer: w.employer.into(),
                    address: w.address.map(Into::into),
                    supervisor_name: w.supervisor_name.map(Into::into),
                    supervisor_phone: w.supervisor_phone.map(|p| p.as_str().to_owned().into()),
                    title: w.title.into(),
                    start_date: w.period.start.unwrap_or_default(),
                    end_date: w.period.end,
                    hours_per_week: w.hours_per_week,
                    salary: w.salary.map(|s| Salary {
                        amount_cents: s.amount_cents,
                        per: s.per.into(),
                    }),
                    duties: w.duties.map(Into::into),
                    reason_for_leaving: w.reason_for_leaving.map(Into::into),
                })
                .collect(),
            licences: c
                .licences
                .into_iter()
                .map(|l| Licence {
                    name: l.name.into(),
                    issuer: l.issuer.map(Into::into),
                    number: l.number.map(Into::into),
                    issued_on: l.valid.start,
                    expires_on: l.valid.end,
                })
                .collect(),
            languages: c
                .languages
                .into_iter()
                .map(|l| Language {
                    language: l.language.into(),
                    speaks: l.speaks,
                    reads: l.reads,
                    writes: l.writes,
                })
                .collect(),
            answers: StandardAnswers::from_domain(&c.answers),
            version: t.version,
            created_at: t.created_at,
            updated_at: t.updated_at,
        }
    }
}
