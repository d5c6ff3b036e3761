//! The JSON form of a template's content, as stored. It mirrors the domain's
//! [`TemplateContent`]; reading it back re-checks the values that have domain types.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use merit_domain::{
    profile::{
        Education, Language, Licence, Period, PhoneNumber, PositionSought, Salary, TemplateContent,
        Units, WorkExperience,
    },
    reference::ClassificationCode,
};
use serde::{Deserialize, Serialize};

use crate::error::{RepoError, RepoResult};

fn bad(reason: impl ToString) -> RepoError {
    RepoError::InvalidRow {
        table: "application_templates",
        reason: reason.to_string(),
    }
}

#[derive(Debug, Serialize, Deserialize)]
struct PositionJson {
    title: String,
    classification_code: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
struct PeriodJson {
    start: Option<NaiveDate>,
    end: Option<NaiveDate>,
}

#[derive(Debug, Serialize, Deserialize)]
struct UnitsJson {
    completed: u32,
    kind: String,
}

#[derive(Debug, Serialize, Deserialize)]
struct EducationJson {
    school: String,
    location: Option<String>,
    degree: Option<String>,
    major: Option<String>,
    units: Option<UnitsJson>,
    attended: PeriodJson,
}

#[derive(Debug, Serialize, Deserialize)]
struct SalaryJson {
    amount_cents: u64,
    per: String,
}

#[derive(Debug, Serialize, Deserialize)]
struct WorkJson {
    employer: String,
    address: Option<String>,
    supervisor_name: Option<String>,
    supervisor_phone: Option<String>,
    title: String,
    period: PeriodJson,
    hours_per_week: Option<u8>,
    salary: Option<SalaryJson>,
    duties: Option<String>,
    reason_for_leaving: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
struct LicenceJson {
    name: String,
    issuer: Option<String>,
    number: Option<String>,
    valid: PeriodJson,
}

#[derive(Debug, Serialize, Deserialize)]
struct LanguageJson {
    language: String,
    speaks: bool,
    reads: bool,
    writes: bool,
}

/// The stored form of [`TemplateContent`].
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(default)]
struct ContentJson {
    position_sought: Option<PositionJson>,
    education: Vec<EducationJson>,
    work_experience: Vec<WorkJson>,
    licences: Vec<LicenceJson>,
    languages: Vec<LanguageJson>,
    answers: BTreeMap<String, bool>,
}

fn period_json(p: &Period) -> PeriodJson {
    PeriodJson {
        start: p.start,
        end: p.end,
    }
}

fn period(p: PeriodJson) -> RepoResult<Period> {
    Period::new(p.start, p.end).map_err(bad)
}

/// Serialises content for its TEXT column.
pub fn to_json(content: &TemplateContent) -> RepoResult<String> {
    let json = ContentJson {
        position_sought: content.position_sought.as_ref().map(|p| PositionJson {
            title: p.title.clone(),
            classification_code: p.classification.as_ref().map(|c| c.as_str().to_owned()),
        }),
        education: content
            .education
            .iter()
            .map(|e| EducationJson {
                school: e.school.clone(),
                location: e.location.clone(),
                degree: e.degree.clone(),
                major: e.major.clone(),
                units: e.units.map(|u| UnitsJson {
                    completed: u.completed,
                    kind: u.kind.as_str().to_owned(),
                }),
                attended: period_json(&e.attended),
            })
            .collect(),
        work_experience: content
            .work_experience
            .iter()
            .map(|w| WorkJson {
                employer: w.employer.clone(),
                address: w.address.clone(),
                supervisor_name: w.supervisor_name.clone(),
                supervisor_phone: w.supervisor_phone.as_ref().map(|p| p.as_str().to_owned()),
                title: w.title.clone(),
                period: period_json(&w.period),
                hours_per_week: w.hours_per_week,
                salary: w.salary.map(|s| SalaryJson {
                    amount_cents: s.amount_cents,
                    per: s.per.as_str().to_owned(),
                }),
                duties: w.duties.clone(),
                reason_for_leaving: w.reason_for_leaving.clone(),
            })
            .collect(),
        licences: content
            .licences
            .iter()
            .map(|l| LicenceJson {
                name: l.name.clone(),
                issuer: l.issuer.clone(),
                number: l.number.clone(),
                valid: period_json(&l.valid),
            })
            .collect(),
        languages: content
            .languages
            .iter()
            .map(|l| LanguageJson {
                language: l.language.clone(),
                speaks: l.speaks,
                reads: l.reads,
                writes: l.writes,
            })
            .collect(),
        answers: content
            .answers
            .iter()
            .map(|(q, a)| (q.as_str().to_owned(), *a))
            .collect(),
    };
    serde_json::to_string(&json).map_err(bad)
}

/// Reads content back from its TEXT column.
pub fn from_json(text: &str) -> RepoResult<TemplateContent> {
    let json: ContentJson = serde_json::from_str(text).map_err(bad)?;
    Ok(TemplateContent {
        position_sought: json
            .position_sought
            .map(|p| -> RepoResult<_> {
                Ok(PositionSought {
                    title: p.title,
                    classification: p
                        .classification_code
                        .as_deref()
                        .map(ClassificationCode::parse)
                        .transpose()
                        .map_err(bad)?,
                })
            })
            .transpose()?,
        education: json
            .education
            .into_iter()
            .map(|e| -> RepoResult<_> {
                Ok(Education {
                    school: e.school,
                    location: e.location,
                    degree: e.degree,
                    major: e.major,
                    units: e
                        .units
                        .map(|u| -> RepoResult<_> {
                            Ok(Units {
                                completed: u.completed,
                                kind: u.kind.parse().map_err(bad)?,
                            })
                        })
                        .transpose()?,
                    attended: period(e.attended)?,
                })
            })
            .collect::<RepoResult<_>>()?,
        work_experience: json
            .work_experience
            .into_iter()
            .map(|w| -> RepoResult<_> {
                Ok(WorkExperience {
                    employer: w.employer,
                    address: w.address,
                    supervisor_name: w.supervisor_name,
                    supervisor_phone: w
                        .supervisor_phone
                        .as_deref()
                        .map(PhoneNumber::parse)
                        .transpose()
                        .map_err(bad)?,
                    title: w.title,
                    period: period(w.period)?,
                    hours_per_week: w.hours_per_week,
                    salary: w
                        .salary
                        .map(|s| -> RepoResult<_> {
                            Ok(Salary {
                                amount_cents: s.amount_cents,
                                per: s.per.parse().map_err(bad)?,
                            })
                        })
                        .transpose()?,
                    duties: w.duties,
                    reason_for_leaving: w.reason_for_leaving,
                })
            })
            .collect::<RepoResult<_>>()?,
        licences: json
            .licences
            .into_iter()
            .map(|l| -> RepoResult<_> {
                Ok(Licence {
                    name: l.name,
                    issuer: l.issuer,
                    number: l.number,
                    valid: period(l.valid)?,
                })
            })
            .collect::<RepoResult<_>>()?,
        languages: json
            .languages
            .into_iter()
            .map(|l| Language {
                language: l.language,
                speaks: l.speaks,
                reads: l.reads,
                writes: l.writes,
            })
            .collect(),
        answers: json
            .answers
            .into_iter()
            .map(|(q, a)| q.parse().map(|q| (q, a)).map_err(bad))
            .collect::<RepoResult<_>>()?,
    })
}
