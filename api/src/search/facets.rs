//! Counting the results of a search by filter value.

use merit_domain::terms::{Tenure, TimeBase};

use super::index::{Index, Interner, Keys};

/// A facet value and how many results have it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FacetCount {
    /// The value (a code or a term).
    pub value: String,
    /// The value's display name, for codes (county, department, classification).
    pub name: Option<String>,
    /// How many results have it.
    pub count: usize,
}

/// Counts of the filtered results by the main filters, most frequent first (ties by value).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facets {
    /// By county.
    pub county: Vec<FacetCount>,
    /// By department.
    pub department: Vec<FacetCount>,
    /// By classification.
    pub classification: Vec<FacetCount>,
    /// By tenure.
    pub tenure: Vec<FacetCount>,
    /// By time base.
    pub time_base: Vec<FacetCount>,
}

/// Running counts, one array slot per interned value or term.
#[derive(Debug)]
pub(super) struct Counter {
    county: Vec<usize>,
    department: Vec<usize>,
    classification: Vec<usize>,
    tenure: [usize; 3],
    time_base: [usize; 3],
}

fn coded(interner: &Interner, counts: &[usize]) -> Vec<FacetCount> {
    sorted(
        counts
            .iter()
            .enumerate()
            .filter(|(_, n)| **n > 0)
            .map(|(i, n)| FacetCount {
                value: interner.names[i].clone(),
                name: Some(interner.labels[i].clone()),
                count: *n,
            })
            .collect(),
    )
}

fn terms(names: impl Iterator<Item = &'static str>, counts: &[usize]) -> Vec<FacetCount> {
    sorted(
        names
            .zip(counts)
            .filter(|(_, n)| **n > 0)
            .map(|(value, n)| FacetCount {
                value: value.to_owned(),
                name: None,
                count: *n,
            })
            .collect(),
    )
}

fn sorted(mut out: Vec<FacetCount>) -> Vec<FacetCount> {
    out.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
    out
}

impl Counter {
    pub(super) fn new(index: &Index) -> Self {
        Counter {
            county: vec![0; index.counties.names.len()],
            department: vec![0; index.departments.names.len()],
            classification: vec![0; index.classifications.names.len()],
            tenure: [0; 3],
            time_base: [0; 3],
        }
    }

    pub(super) fn add(&mut self, keys: Keys) {
        self.county[usize::from(keys.county)] += 1;
        self.department[usize::from(keys.department)] += 1;
        self.classification[usize::from(keys.classification)] += 1;
        self.tenure[keys.tenure()] += 1;
        self.time_base[keys.time_base()] += 1;
    }

    pub(super) fn finish(self, index: &Index) -> Facets {
        Facets {
            county: coded(&index.counties, &self.county),
            department: coded(&index.departments, &self.department),
            classification: coded(&index.classifications, &self.classification),
            tenure: terms(Tenure::ALL.iter().map(|t| t.as_str()), &self.tenure),
            time_base: terms(TimeBase::ALL.iter().map(|t| t.as_str()), &self.time_base),
        }
    }
}
