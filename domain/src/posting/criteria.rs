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

/// A checked search.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchCriteria {
    /// Keywords, matched against title, classification title and duties.
    pub keywords: Option<String>,
    /// Only this classification.
    pub classification: Option<ClassificationCode>,
    /// Only this department.
    pub department: Option<DepartmentCode>,
    /// Only this county.
    pub county: Option<CountyCode>,
    /// Only this tenure.
    pub tenure: Option<Tenure>,
    /// Only this time base.
    pub time_base: Option<TimeBase>,
    /// Only this shift.
    pub shift: Option<Shift>,
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
}

impl SearchCriteria {
    /// The longest keyword text.
    pub const MAX_KEYWORDS: usize = 200;

    /// Checks the parts that depend on each other or on length; keywords are trimmed and blank
    /// keywords are none.
    pub fn checked(mut self) -> Result<Self, CriteriaError> {
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
    fn very_long_keywords_are_refused() {
        let criteria = SearchCriteria {
            keywords: Some("x".repeat(201)),
            ..Default::default()
        };
        assert_eq!(criteria.checked(), Err(CriteriaError::KeywordsTooLong(200)));
    }
}
