//! How saved searches keep their criteria: the domain's [`SearchCriteria`], encoded by this
//! layer as JSON with a version beside it, so the API's wire format can change without touching
//! stored rows.
//!
//! - Version 1 is what the first release stored: the API's filters object of that time (one
//!   code or term per filter). It is only read.
//! - Version 2 ([`CURRENT`]) is [`StoredV2`]: a list per filter and `internal_only`.

use chrono::NaiveDate;
use merit_domain::{
    posting::{SearchCriteria, SortOrder},
    reference::{ClassificationCode, CountyCode, DepartmentCode},
    terms::{Shift, Tenure, TimeBase},
};
use serde::{Deserialize, Serialize};

use crate::error::RepoError;

/// The version written today.
pub const CURRENT: i64 = 2;

/// Version 2: the domain criteria, field by field, values as their codes.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct StoredV2 {
    keywords: Option<String>,
    classifications: Vec<String>,
    departments: Vec<String>,
    counties: Vec<String>,
    tenures: Vec<String>,
    time_bases: Vec<String>,
    shifts: Vec<String>,
    internal_only: bool,
    salary_min: Option<i64>,
    salary_max: Option<i64>,
    posted_since: Option<NaiveDate>,
    closing_before: Option<NaiveDate>,
    sort: String,
}

/// Version 1: the API's filters object of the first release.
#[derive(Debug, Default, Deserialize)]
struct StoredV1 {
    q: Option<String>,
    classification: Option<String>,
    department: Option<String>,
    county: Option<String>,
    tenure: Option<String>,
    time_base: Option<String>,
    shift: Option<String>,
    salary_min_cents: Option<i64>,
    salary_max_cents: Option<i64>,
    posted_since: Option<NaiveDate>,
    closing_before: Option<NaiveDate>,
    sort: Option<String>,
}

fn invalid(reason: impl Into<String>) -> RepoError {
    RepoError::InvalidRow {
        table: "saved_searches",
        reason: reason.into(),
    }
}

fn parse_all<T, E: std::fmt::Display>(
    values: impl IntoIterator<Item = String>,
    parse: impl Fn(&str) -> Result<T, E>,
) -> Result<Vec<T>, RepoError> {
    values
        .into_iter()
        .map(|v| parse(&v).map_err(|e| invalid(format!("{v:?}: {e}"))))
        .collect()
}

fn term<T>(parse: fn(&str) -> Option<T>) -> impl Fn(&str) -> Result<T, String> {
    move |text| parse(text).ok_or_else(|| "not a known term".to_owned())
}

impl StoredV2 {
    fn into_domain(self) -> Result<SearchCriteria, RepoError> {
        Ok(SearchCriteria {
            keywords: self.keywords,
            classifications: parse_all(self.classifications, ClassificationCode::parse)?,
            departments: parse_all(self.departments, DepartmentCode::parse)?,
            counties: parse_all(self.counties, CountyCode::parse)?,
            tenures: parse_all(self.tenures, term(Tenure::parse))?,
            time_bases: parse_all(self.time_bases, term(TimeBase::parse))?,
            shifts: parse_all(self.shifts, term(Shift::parse))?,
            internal_only: self.internal_only,
            salary_min: self.salary_min,
            salary_max: self.salary_max,
            posted_since: self.posted_since,
            closing_before: self.closing_before,
            sort: SortOrder::parse(&self.sort).ok_or_else(|| invalid("unknown sort"))?,
        })
    }
}

impl From<StoredV1> for StoredV2 {
    fn from(v1: StoredV1) -> Self {
        StoredV2 {
            keywords: v1.q,
            classifications: v1.classification.into_iter().collect(),
            departments: v1.department.into_iter().collect(),
            counties: v1.county.into_iter().collect(),
            tenures: v1.tenure.into_iter().collect(),
            time_bases: v1.time_base.into_iter().collect(),
            shifts: v1.shift.into_iter().collect(),
            internal_only: false,
            salary_min: v1.salary_min_cents,
            salary_max: v1.salary_max_cents,
            posted_since: v1.posted_since,
            closing_before: v1.closing_before,
            sort: v1
                .sort
                .unwrap_or_else(|| SortOrder::Relevance.as_str().to_owned()),
        }
    }
}

/// Codes (or any values) as the text the database stores.
pub(crate) fn codes<T: ToString>(values: &[T]) -> Vec<String> {
    values.iter().map(ToString::to_string).collect()
}

fn names<T: Copy>(values: &[T], name: fn(T) -> &'static str) -> Vec<String> {
    values.iter().map(|v| name(*v).to_owned()).collect()
}

/// The criteria as stored today (version [`CURRENT`]).
pub fn encode(criteria: &SearchCriteria) -> Result<String, RepoError> {
    let stored = StoredV2 {
        keywords: criteria.keywords.clone(),
        classifications: codes(&criteria.classifications),
        departments: codes(&criteria.departments),
        counties: codes(&criteria.counties),
        tenures: names(&criteria.tenures, Tenure::as_str),
        time_bases: names(&criteria.time_bases, TimeBase::as_str),
        shifts: names(&criteria.shifts, Shift::as_str),
        internal_only: criteria.internal_only,
        salary_min: criteria.salary_min,
        salary_max: criteria.salary_max,
        posted_since: criteria.posted_since,
        closing_before: criteria.closing_before,
        sort: criteria.sort.as_str().to_owned(),
    };
    serde_json::to_string(&stored).map_err(|e| invalid(e.to_string()))
}

/// Reads criteria stored under `version`.
pub fn decode(version: i64, text: &str) -> Result<SearchCriteria, RepoError> {
    let stored: StoredV2 = match version {
        1 => serde_json::from_str::<StoredV1>(text)
            .map_err(|e| invalid(e.to_string()))?
            .into(),
        2 => serde_json::from_str(text).map_err(|e| invalid(e.to_string()))?,
        other => return Err(invalid(format!("unknown criteria version {other}"))),
    };
    stored.into_domain()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_one_rows_read_as_one_value_filters() {
        let text = r#"{"q":"analyst","county":"sacramento","tenure":"permanent","sort":"newest","salary_min_cents":100}"#;
        let criteria = decode(1, text).unwrap();
        assert_eq!(criteria.keywords.as_deref(), Some("analyst"));
        assert_eq!(
            criteria.counties,
            vec![CountyCode::parse("sacramento").unwrap()]
        );
        assert_eq!(criteria.tenures, vec![Tenure::Permanent]);
        assert_eq!(criteria.sort, SortOrder::Newest);
        assert_eq!(criteria.salary_min, Some(100));
        assert!(!criteria.internal_only);
        assert_eq!(decode(1, "{}").unwrap(), SearchCriteria::default());
    }

    #[test]
    fn the_current_version_round_trips() {
        let criteria = SearchCriteria {
            keywords: Some("nurse".into()),
            counties: vec![
                CountyCode::parse("fresno").unwrap(),
                CountyCode::parse("kern").unwrap(),
            ],
            departments: vec![DepartmentCode::parse("CDCR").unwrap()],
            time_bases: vec![TimeBase::FullTime, TimeBase::PartTime],
            internal_only: true,
            sort: SortOrder::Salary,
            ..Default::default()
        };
        let text = encode(&criteria).unwrap();
        assert_eq!(decode(CURRENT, &text).unwrap(), criteria);
    }

    #[test]
    fn unknown_versions_and_values_are_invalid_rows() {
        assert!(decode(3, "{}").is_err());
        assert!(decode(2, r#"{"counties":["x!"]}"#).is_err());
    }
}
