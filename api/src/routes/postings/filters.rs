//! The search filters, shared by `GET /api/v1/postings` (query parameters) and saved searches
//! (a JSON object).

use chrono::NaiveDate;
use merit_domain::{
    posting::{CriteriaError, SearchCriteria, SortOrder},
    reference::{ClassificationCode, CountyCode, DepartmentCode},
};
use serde::{Deserialize, Serialize, de::DeserializeOwned};
use utoipa::{IntoParams, ToSchema};

use super::dto::{ShiftName, SortName, TenureName, TimeBaseName};
use crate::{
    error::{ApiError, FieldError},
    extract::parse_query_parts,
    routes::profile::{CountyCodeValue, DepartmentCodeValue},
    validation::Fields,
};

/// The filters shared by search and saved searches. A filter given several values (a repeated
/// query parameter, or an array) matches postings with any of them; different filters must all
/// match.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SearchFilters {
    /// Keywords, matched against title, classification title and duties (all must match).
    #[param(max_length = 200, pattern = r"^[^\u0000]*$")]
    #[schema(max_length = 200, example = "analyst")]
    pub q: Option<String>,
    /// Only these classifications (codes); repeat for several.
    #[serde(default)]
    #[param(max_items = 20, explode, style = Form, value_type = Option<Vec<ClassificationCodeValue>>)]
    #[schema(max_items = 20, value_type = Vec<ClassificationCodeValue>)]
    pub classification: Vec<String>,
    /// Only these departments (codes); repeat for several.
    #[serde(default)]
    #[param(max_items = 20, explode, style = Form, value_type = Option<Vec<DepartmentCodeValue>>)]
    #[schema(max_items = 20, value_type = Vec<DepartmentCodeValue>)]
    pub department: Vec<String>,
    /// Only these counties (codes); repeat for several.
    #[serde(default)]
    #[param(max_items = 20, explode, style = Form, value_type = Option<Vec<CountyCodeValue>>)]
    #[schema(max_items = 20, value_type = Vec<CountyCodeValue>)]
    pub county: Vec<String>,
    /// Only these tenures; repeat for several.
    #[serde(default)]
    #[param(max_items = 3, explode, style = Form, value_type = Option<Vec<TenureName>>)]
    #[schema(max_items = 3)]
    pub tenure: Vec<TenureName>,
    /// Only these time bases; repeat for several.
    #[serde(default)]
    #[param(max_items = 3, explode, style = Form, value_type = Option<Vec<TimeBaseName>>)]
    #[schema(max_items = 3)]
    pub time_base: Vec<TimeBaseName>,
    /// Only these shifts; repeat for several.
    #[serde(default)]
    #[param(max_items = 5, explode, style = Form, value_type = Option<Vec<ShiftName>>)]
    #[schema(max_items = 5)]
    pub shift: Vec<ShiftName>,
    /// Only postings for State employees (`internal_only` visibility). Only signed-in employees
    /// (and employers, for their own department) can see such postings; for anyone else this
    /// finds nothing.
    #[serde(default)]
    #[param(value_type = Option<bool>)]
    pub internal_only: bool,
    /// Only postings whose highest monthly salary reaches this (cents).
    #[param(minimum = 0)]
    #[schema(minimum = 0)]
    pub salary_min_cents: Option<i64>,
    /// Only postings whose lowest monthly salary is at most this (cents).
    #[param(minimum = 0)]
    #[schema(minimum = 0)]
    pub salary_max_cents: Option<i64>,
    /// Only postings opened on or after this day.
    pub posted_since: Option<NaiveDate>,
    /// Only postings whose final filing date is on or before this day.
    pub closing_before: Option<NaiveDate>,
    /// The order (default `relevance`, which is `newest` without keywords).
    pub sort: Option<SortName>,
}

/// A classification code.
#[derive(Debug, ToSchema)]
#[schema(
    value_type = String,
    pattern = "^[A-Za-z0-9]{1,8}$",
    example = "5393",
    description = "A classification's code from `GET /api/v1/classifications` (letters and digits)."
)]
#[allow(dead_code)]
pub struct ClassificationCodeValue(String);

/// The query parameters that may repeat.
const LISTS: &[&str] = &[
    "classification",
    "department",
    "county",
    "tenure",
    "time_base",
    "shift",
];

/// One term of a repeated query parameter, or 422 naming the parameter.
fn term<T: DeserializeOwned>(key: &str, value: &str) -> Result<T, ApiError> {
    serde_json::from_value(serde_json::Value::String(value.to_owned())).map_err(|_| {
        ApiError::invalid(
            key,
            "invalid",
            format!("Query parameter {key} has no value {value:?}."),
        )
    })
}

impl SearchFilters {
    /// Splits a search query string into the filters (list parameters may repeat) and the
    /// parameters named in `others` (which, like the rest, may not).
    pub fn from_query<P: DeserializeOwned>(
        query: &str,
        others: &[&str],
    ) -> Result<(SearchFilters, P), ApiError> {
        let mut rest = form_urlencoded::Serializer::new(String::new());
        let mut lists: Vec<(String, String)> = Vec::new();
        for (key, value) in form_urlencoded::parse(query.as_bytes()) {
            if LISTS.contains(&key.as_ref()) && !value.contains('\0') {
                lists.push((key.into_owned(), value.into_owned()));
            } else {
                rest.append_pair(&key, &value);
            }
        }
        let (mut filters, page): (SearchFilters, P) = parse_query_parts(&rest.finish(), others)?;
        for (key, value) in lists {
            match key.as_str() {
                "classification" => filters.classification.push(value),
                "department" => filters.department.push(value),
                "county" => filters.county.push(value),
                "tenure" => filters.tenure.push(term(&key, &value)?),
                "time_base" => filters.time_base.push(term(&key, &value)?),
                _ => filters.shift.push(term(&key, &value)?),
            }
        }
        Ok((filters, page))
    }

    /// The checked criteria, or 422 naming every bad field (a bad value of a list as
    /// `field[i]`).
    pub fn criteria(&self) -> Result<SearchCriteria, ApiError> {
        let mut fields = Fields::new();
        let classifications = codes(
            &mut fields,
            "classification",
            &self.classification,
            ClassificationCode::parse,
        );
        let departments = codes(
            &mut fields,
            "department",
            &self.department,
            DepartmentCode::parse,
        );
        let counties = codes(&mut fields, "county", &self.county, CountyCode::parse);
        fields.finish()?;
        SearchCriteria {
            keywords: self.q.clone(),
            classifications,
            departments,
            counties,
            tenures: self.tenure.iter().map(|t| (*t).into()).collect(),
            time_bases: self.time_base.iter().map(|t| (*t).into()).collect(),
            shifts: self.shift.iter().map(|s| (*s).into()).collect(),
            internal_only: self.internal_only,
            salary_min: self.salary_min_cents,
            salary_max: self.salary_max_cents,
            posted_since: self.posted_since,
            closing_before: self.closing_before,
            sort: self.sort.map_or(SortOrder::Relevance, Into::into),
        }
        .checked()
        .map_err(criteria_error)
    }
}

fn codes<T, E: std::fmt::Display>(
    fields: &mut Fields,
    field: &str,
    values: &[String],
    parse: fn(&str) -> Result<T, E>,
) -> Vec<T> {
    values
        .iter()
        .enumerate()
        .filter_map(|(i, v)| fields.check(&format!("{field}[{i}]"), "invalid_code", parse(v)))
        .collect()
}

fn criteria_error(e: CriteriaError) -> ApiError {
    let message = e.to_string();
    match e {
        CriteriaError::KeywordsTooLong(_) => ApiError::invalid("q", "too_long", message),
        CriteriaError::SalaryRange => {
            ApiError::invalid("salary_min_cents", "invalid_salary_range", message)
        }
        CriteriaError::TooManyValues { filter, .. } => ApiError::Validation {
            errors: vec![FieldError::new(filter, "too_many_values", message)],
        },
    }
}

impl From<&SearchCriteria> for SearchFilters {
    fn from(c: &SearchCriteria) -> Self {
        SearchFilters {
            q: c.keywords.clone(),
            classification: c.classifications.iter().map(ToString::to_string).collect(),
            department: c.departments.iter().map(ToString::to_string).collect(),
            county: c.counties.iter().map(ToString::to_string).collect(),
            tenure: c.tenures.iter().map(|t| (*t).into()).collect(),
            time_base: c.time_bases.iter().map(|t| (*t).into()).collect(),
            shift: c.shifts.iter().map(|s| (*s).into()).collect(),
            internal_only: c.internal_only,
            salary_min_cents: c.salary_min,
            salary_max_cents: c.salary_max,
            posted_since: c.posted_since,
            closing_before: c.closing_before,
            sort: Some(c.sort.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use merit_domain::terms::{Shift, Tenure, TimeBase};
    use utoipa::PartialSchema;

    use super::*;

    #[test]
    fn each_lists_max_items_is_the_limit_the_criteria_check() {
        let schema = serde_json::to_value(SearchFilters::schema()).unwrap();
        let max = |field: &str| schema["properties"][field]["maxItems"].as_u64().unwrap() as usize;
        for code in ["classification", "department", "county"] {
            assert_eq!(max(code), SearchCriteria::MAX_VALUES, "{code}");
        }
        assert_eq!(max("tenure"), Tenure::ALL.len());
        assert_eq!(max("time_base"), TimeBase::ALL.len());
        assert_eq!(max("shift"), Shift::ALL.len());
    }
}
