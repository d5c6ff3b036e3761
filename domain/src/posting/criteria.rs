//! What a search asks for: keywords, filters and an order. Saved searches keep the same.

use chrono::NaiveDate;
use thiserror::Error;

use crate::{
    reference::{ClassificationCode, CountyCode, DepartmentCode},
    terms::{Shift, Tenure, TimeBase},
};

/// How results are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum SortOrder {
    /// Best keyword match first (newest first without keywords).
    #[default]
    Relevance,
    /// Most recently opened first.
    Newest,
    /// Nearest final filing date first.
    ClosingSoon,
    /// Highest top salary first.
    Salary,
}

impl SortOrder {
    /// The name in the API.
    pub fn as_str(self) -> &'static str {
        match self {
            SortOrder::Relevance => "relevance",
            SortOrder::Newest => "newest",
            SortOrder::ClosingSoon => "closing_soon",
            SortOrder::Salary => "salary",
        }
    }

    /// Parses a name.
    pub fn parse(text: &str) -> Option<Self> {
        [
            SortOrder::Relevance,
            SortOrder::Newest,
            SortOrder::ClosingSoon,
            SortOrder::Salary,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }
}

/// A checked search. Each list filter admits a posting with any of its values (OR); an empty
/// list admits every posting; different filters must all admit it (AND).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchCriteria {
    /// Keywords, matched against title, classification title and duties.
    pub keywords: Option<String>,
    /// Only these classifications.
    pub classifications: Vec<ClassificationCode>,
    /// Only these departments.
    pub departments: Vec<DepartmentCode>,
    /// Only these counties.
    pub counties: Vec<CountyCode>,
    /// Only these tenures.
    pub tenures: Vec<Tenure>,
    /// Only these time bases.
    pub time_bases: Vec<TimeBase>,
    /// Only these shifts.
    pub shifts: Vec<Shift>,
    /// Only postings for State employees (`internal_only` visibility). Someone who may see no
    /// such posting finds nothing.
    pub internal_only: bool,
    /// Only postings whose top monthly salary reaches this (cents).
    pub salary_min: Option<i64>,
    /// Only postings whose lowest monthly salary is at most this (cents).
    pub salary_max: Option<i64>,
    /// Only postings opened on or after this day.
    pub posted_since: Option<NaiveDate>,
    /// Only postings whose final filing date is on or before this day.
    pub closing_before: Option<NaiveDate>,
    /// The order.
    pub sort: SortOrder,
}

/// Why criteria were refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CriteriaError {
    /// Keywords longer than [`SearchCriteria::MAX_KEYWORDS`] characters.
    #[error("keywords have at most {0} characters")]
    KeywordsTooLong(usize),
    /// A negative salary, or a minimum above the maximum.
    #[error("the salary range is empty or negative")]
    SalaryRange,
    /// More than [`SearchCriteria::MAX_VALUES`] values for one filter.
    #[error("a filter takes at most {max} values")]
    TooManyValues {
        /// The filter.
        filter: &'static str,
        /// The most values allowed.
        max: usize,
    },
}

/// Drops repeated values, keeping the first of each.
fn dedup<T: PartialEq>(values: &mut Vec<T>) {
    let mut kept: Vec<T> = Vec::with_capacity(values.len());
    for value in values.drain(..) {
        if !kept.contains(&value) {
            kept.push(value);
        }
    }
    *values = kept;
}

impl SearchCriteria {
    /// The longest keyword text.
    pub const MAX_KEYWORDS: usize = 200;
    /// The most values of one code filter (classification, department, county); an
    /// enumerated filter (tenure, time base, shift) takes at most as many values as it has.
    pub const MAX_VALUES: usize = 20;

    /// Checks the parts that depend on each other or on length; keywords are trimmed and blank
    /// keywords are none. Every value sent counts towards a filter's limit (the contract states
    /// the limit as the list's `maxItems`); repeated values are then kept once.
    pub fn checked(mut self) -> Result<Self, CriteriaError> {
        self.check_value_counts()?;
        self.dedup_filters();
        if let Some(keywords) = &self.keywords {
            if keywords.chars().count() > Self::MAX_KEYWORDS {
                return Err(CriteriaError::KeywordsTooLong(Self::MAX_KEYWORDS));
            }
            let trimmed = keywords.trim();
            self.keywords = (!trimmed.is_empty()).then(|| trimmed.to_owned());
        }
        let negative =
            self.salary_min.is_some_and(|v| v < 0) || self.salary_max.is_some_and(|v| v < 0);
        let inverted =
            matches!((self.salary_min, self.salary_max), (Some(min), Some(max)) if min > max);
        if negative || inverted {
            return Err(CriteriaError::SalaryRange);
        }
        Ok(self)
    }

    fn dedup_filters(&mut self) {
        dedup(&mut self.classifications);
        dedup(&mut self.departments);
        dedup(&mut self.counties);
        dedup(&mut self.tenures);
        dedup(&mut self.time_bases);
        dedup(&mut self.shifts);
    }

    fn check_value_counts(&self) -> Result<(), CriteriaError> {
        let counts = [
            (
                "classification",
                self.classifications.len(),
                Self::MAX_VALUES,
            ),
            ("department", self.departments.len(), Self::MAX_VALUES),
            ("county", self.counties.len(), Self::MAX_VALUES),
            ("tenure", self.tenures.len(), Tenure::ALL.len()),
            ("time_base", self.time_bases.len(), TimeBase::ALL.len()),
            ("shift", self.shifts.len(), Shift::ALL.len()),
        ];
        match counts.into_iter().find(|(_, n, max)| n > max) {
            Some((filter, _, max)) => Err(CriteriaError::TooManyValues { filter, max }),
            None => Ok(()),
        }
    }

    /// The effective order: relevance without keywords means newest.
    pub fn effective_sort(&self) -> SortOrder {
        match (self.sort, &self.keywords) {
            (SortOrder::Relevance, None) => SortOrder::Newest,
            (sort, _) => sort,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_keywords_are_none_and_relevance_falls_back_to_newest() {
        let criteria = SearchCriteria {
            keywords: Some("   ".into()),
            ..Default::default()
        }
        .checked()
        .unwrap();
        assert_eq!(criteria.keywords, None);
        assert_eq!(criteria.effective_sort(), SortOrder::Newest);
    }

    #[test]
    fn an_inverted_salary_range_is_refused() {
        let criteria = SearchCriteria {
            salary_min: Some(10),
            salary_max: Some(5),
            ..Default::default()
        };
        assert_eq!(criteria.checked(), Err(CriteriaError::SalaryRange));
    }

    #[test]
    fn repeated_values_are_kept_once_and_count_towards_the_limit() {
        let sacramento = CountyCode::parse("sacramento").unwrap();
        let criteria = SearchCriteria {
            counties: vec![sacramento.clone(), sacramento.clone()],
            ..Default::default()
        }
        .checked()
        .unwrap();
        assert_eq!(criteria.counties, vec![sacramento]);
        let many = (0..21)
            .map(|i| DepartmentCode::parse(&format!("D{i:02}")).unwrap())
            .collect();
        let criteria = SearchCriteria {
            departments: many,
            ..Default::default()
        };
        assert_eq!(
            criteria.checked(),
            Err(CriteriaError::TooManyValues {
                filter: "department",
                max: 20
            })
        );
        // Repeats count: six shifts, though all the same, are more than the five there are.
        let criteria = SearchCriteria {
            shifts: vec![Shift::ALL[0]; Shift::ALL.len() + 1],
            ..Default::default()
        };
        assert_eq!(
            criteria.checked(),
            Err(CriteriaError::TooManyValues {
                filter: "shift",
                max: Shift::ALL.len()
            })
        );
    }

    #[test]
    fn very_long_keywords_are_refused() {
        let criteria = SearchCriteria {
            keywords: Some("x".repeat(201)),
            ..Default::default()
        };
        assert_eq!(criteria.checked(), Err(CriteriaError::KeywordsTooLong(200)));
    }
}
