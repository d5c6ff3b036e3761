//! Application templates, modelled on the State application (STD 678): the position sought,
//! education, work experience, licences and certificates, languages and answers to standard
//! questions. A person keeps several named templates and starts applications from them.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use thiserror::Error;

use crate::{profile::PhoneNumber, reference::ClassificationCode, terms::named_enum};

/// The most templates one person keeps.
pub const MAX_TEMPLATES_PER_PERSON: usize = 20;

/// Why a period was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum PeriodError {
    /// The end comes before the start.
    #[error("the end date must not be before the start date")]
    EndBeforeStart,
}

/// From a date to a date; either may be unknown, and an open end means "to now".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    /// The first day.
    pub start: Option<NaiveDate>,
    /// The last day, if it has ended.
    pub end: Option<NaiveDate>,
}

impl Period {
    /// A period whose end, when both are known, is not before its start.
    pub fn new(start: Option<NaiveDate>, end: Option<NaiveDate>) -> Result<Self, PeriodError> {
        match (start, end) {
            (Some(start), Some(end)) if end < start => Err(PeriodError::EndBeforeStart),
            _ => Ok(Period { start, end }),
        }
    }
}

named_enum!(
    /// How academic units are counted.
    UnitKind, "unit kind", {
        /// Semester units.
        Semester => "semester",
        /// Quarter units.
        Quarter => "quarter",
    }
);

named_enum!(
    /// What a salary amount is paid for.
    SalaryPeriod, "salary period", {
        /// Per hour.
        Hour => "hour",
        /// Per month (the State's usual unit).
        Month => "month",
        /// Per year.
        Year => "year",
    }
);

named_enum!(
    /// The standard yes-or-no questions of the application.
    StandardQuestion, "standard question", {
        /// Legally eligible to work in the United States.
        EligibleToWorkInUs => "eligible_to_work_in_us",
        /// Currently a State employee.
        CurrentStateEmployee => "current_state_employee",
        /// Ever a State employee.
        FormerStateEmployee => "former_state_employee",
        /// Claiming Veterans' Preference.
        VeteransPreference => "veterans_preference",
        /// Holds a valid driver's licence.
        ValidDriverLicence => "valid_driver_licence",
        /// Willing to travel for work.
        WillingToTravel => "willing_to_travel",
        /// Willing to relocate.
        WillingToRelocate => "willing_to_relocate",
    }
);

/// The job the template applies for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PositionSought {
    /// The position or classification title.
    pub title: String,
    /// The classification's code, when known.
    pub classification: Option<ClassificationCode>,
}

/// Units completed at a school.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Units {
    /// How many.
    pub completed: u32,
    /// Semester or quarter units.
    pub kind: UnitKind,
}

/// A school, college or training programme attended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Education {
    /// The school's name.
    pub school: String,
    /// Where it is.
    pub location: Option<String>,
    /// The degree or certificate earned.
    pub degree: Option<String>,
    /// The major or field of study.
    pub major: Option<String>,
    /// Units completed.
    pub units: Option<Units>,
    /// When the person attended.
    pub attended: Period,
}

/// Pay, in cents per period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Salary {
    /// Amount in cents.
    pub amount_cents: u64,
    /// Per hour, month or year.
    pub per: SalaryPeriod,
}

/// A job held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkExperience {
    /// The employer's name.
    pub employer: String,
    /// The employer's address.
    pub address: Option<String>,
    /// The supervisor's name.
    pub supervisor_name: Option<String>,
    /// The supervisor's phone number.
    pub supervisor_phone: Option<PhoneNumber>,
    /// The person's job title.
    pub title: String,
    /// When; the start is known, an open end means the person still works there.
    pub period: Period,
    /// Hours worked a week.
    pub hours_per_week: Option<u8>,
    /// Pay.
    pub salary: Option<Salary>,
    /// What the work involved.
    pub duties: Option<String>,
    /// Why the person left.
    pub reason_for_leaving: Option<String>,
}

/// A licence, registration or certificate held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Licence {
    /// What it is.
    pub name: String,
    /// Who issued it.
    pub issuer: Option<String>,
    /// Its number.
    pub number: Option<String>,
    /// From when until when it is valid.
    pub valid: Period,
}

/// A language besides English.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Language {
    /// The language.
    pub language: String,
    /// Speaks it.
    pub speaks: bool,
    /// Reads it.
    pub reads: bool,
    /// Writes it.
    pub writes: bool,
}

/// What an application template holds.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TemplateContent {
    /// The position sought.
    pub position_sought: Option<PositionSought>,
    /// Education, most recent first as the person orders it.
    pub education: Vec<Education>,
    /// Work experience.
    pub work_experience: Vec<WorkExperience>,
    /// Licences and certificates.
    pub licences: Vec<Licence>,
    /// Languages.
    pub languages: Vec<Language>,
    /// Yes-or-no answers to the standard questions that were answered.
    pub answers: BTreeMap<StandardQuestion, bool>,
}

impl TemplateContent {
    /// The most education entries.
    pub const MAX_EDUCATION: usize = 10;
    /// The most work experience entries.
    pub const MAX_WORK_EXPERIENCE: usize = 20;
    /// The most licences and certificates.
    pub const MAX_LICENCES: usize = 20;
    /// The most languages.
    pub const MAX_LANGUAGES: usize = 20;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_period_ending_before_it_starts_is_refused() {
        assert_eq!(
            Period::new(Some(day(2020, 5, 1)), Some(day(2019, 5, 1))),
            Err(PeriodError::EndBeforeStart)
        );
    }

    #[test]
    fn a_one_day_or_open_period_is_accepted() {
        assert!(Period::new(Some(day(2020, 5, 1)), Some(day(2020, 5, 1))).is_ok());
        assert!(Period::new(Some(day(2020, 5, 1)), None).is_ok());
        assert!(Period::new(None, Some(day(2020, 5, 1))).is_ok());
    }

    #[test]
    fn standard_questions_have_stable_names() {
        assert_eq!(
            "valid_driver_licence".parse::<StandardQuestion>(),
            Ok(StandardQuestion::ValidDriverLicence)
        );
    }
}
