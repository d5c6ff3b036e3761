//! Running a search over the index: match keywords, filter, count facets, order, page.

use std::{cmp::Ordering, sync::Arc};

use chrono::{DateTime, Utc};
use merit_domain::{
    posting::{SearchCriteria, SortOrder, Viewer},
    terms::{Tenure, TimeBase},
};

use super::{
    index::{Doc, Index, PostingCard},
    text,
};

/// The most query terms considered.
const MAX_TERMS: usize = 16;

/// Where a result sits in an order: smaller comes first; ties go by id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SortKey {
    /// The sort value (negated for descending orders).
    pub primary: i64,
    /// The posting id.
    pub id: String,
}

/// A search to run.
#[derive(Debug)]
pub struct Query<'a> {
    /// What to look for.
    pub criteria: &'a SearchCriteria,
    /// Who is looking (internal-only postings only for employees).
    pub viewer: &'a Viewer,
    /// Postings whose filing closed before this are left out.
    pub now: DateTime<Utc>,
    /// Start after this key (the cursor).
    pub after: Option<&'a SortKey>,
    /// How many results.
    pub limit: usize,
}

/// One result.
#[derive(Debug, Clone)]
pub struct Hit {
    /// The posting's card.
    pub card: Arc<PostingCard>,
    /// Its place in the order.
    pub key: SortKey,
    /// Its keyword score (0 without keywords).
    pub score: f32,
}

/// A facet value and how many results have it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FacetCount {
    /// The value (a code).
    pub value: String,
    /// How many results have it.
    pub count: usize,
}

/// Counts of the filtered results by the main filters.
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

/// A page of results with the total and facets of all results.
#[derive(Debug, Clone)]
pub struct Found {
    /// The page.
    pub hits: Vec<Hit>,
    /// Whether results follow the page.
    pub has_more: bool,
    /// How many results in all.
    pub total: usize,
    /// Counts by filter value over all results.
    pub facets: Facets,
}

/// A filter on an interned value: none, a known value, or a value no posting has.
#[derive(Debug, Clone, Copy)]
enum Wanted {
    Any,
    Is(u16),
    Nothing,
}

impl Wanted {
    fn admits(self, value: u16) -> bool {
        match self {
            Wanted::Any => true,
            Wanted::Is(wanted) => wanted == value,
            Wanted::Nothing => false,
        }
    }
}

fn wanted(interner: &super::index::Interner, code: Option<&str>) -> Wanted {
    match code {
        None => Wanted::Any,
        Some(code) => interner.get(code).map_or(Wanted::Nothing, Wanted::Is),
    }
}

/// The candidates of a search: the intersection of the keyword lists (summing weights) and the
/// lists of the county, department and classification filters, starting from the shortest list
/// so that documents are only visited once they match all of these. `None` for "every document".
fn candidates(
    index: &Index,
    keywords: Option<&str>,
    filters: &[Wanted; 3],
) -> Option<Vec<(u32, f32)>> {
    let empty: Vec<(u32, f32)> = Vec::new();
    let mut terms: Vec<&Vec<(u32, f32)>> = Vec::new();
    if let Some(keywords) = keywords {
        for term in text::query_terms(keywords, MAX_TERMS) {
            match index.term(&term) {
                Some(id) => terms.push(&index.lists[id as usize]),
                None => return Some(empty),
            }
        }
    }
    let mut plain: Vec<&[u32]> = Vec::new();
    for (wanted, lists) in filters.iter().zip([
        &index.by_county,
        &index.by_department,
        &index.by_classification,
    ]) {
        match wanted {
            Wanted::Any => {}
            Wanted::Nothing => return Some(empty),
            Wanted::Is(value) => plain.push(
                lists
                    .get(usize::from(*value))
                    .map_or(&[][..], Vec::as_slice),
            ),
        }
    }
    let shortest_term = (0..terms.len()).min_by_key(|i| terms[*i].len());
    let shortest_plain = (0..plain.len()).min_by_key(|i| plain[*i].len());
    let mut matches: Vec<(u32, f32)> = match (shortest_term, shortest_plain) {
        (None, None) => return None,
        (Some(t), Some(p)) if plain[p].len() < terms[t].len() => {
            plain.remove(p).iter().map(|s| (*s, 0.0)).collect()
        }
        (None, Some(p)) => plain.remove(p).iter().map(|s| (*s, 0.0)).collect(),
        (Some(t), _) => terms.remove(t).clone(),
    };
    for list in terms {
        matches.retain_mut(
            |(slot, score)| match list.binary_search_by_key(slot, |(s, _)| *s) {
                Ok(at) => {
                    *score += list[at].1;
                    true
                }
                Err(_) => false,
            },
        );
    }
    for list in plain {
        matches.retain(|(slot, _)| list.binary_search(slot).is_ok());
    }
    Some(matches)
}

fn primary(sort: SortOrder, doc: &Doc, score: f32) -> i64 {
    match sort {
        SortOrder::Relevance => -((f64::from(score) * 1_000_000.0).round() as i64),
        SortOrder::Newest => -doc.published_micros,
        SortOrder::ClosingSoon => doc.closes_micros,
        SortOrder::Salary => -doc.salary_max,
    }
}

/// Orders two results: by primary value, then by id (ascending for "closing soon", descending —
/// newest id first — otherwise).
fn compare(sort: SortOrder, a: (i64, &str), b: (i64, &str)) -> Ordering {
    a.0.cmp(&b.0).then_with(|| {
        if sort == SortOrder::ClosingSoon {
            a.1.cmp(b.1)
        } else {
            b.1.cmp(a.1)
        }
    })
}

fn counts(names: &[String], counts: &[usize]) -> Vec<FacetCount> {
    let mut out: Vec<FacetCount> = counts
        .iter()
        .enumerate()
        .filter(|(_, n)| **n > 0)
        .map(|(i, n)| FacetCount {
            value: names[i].clone(),
            count: *n,
        })
        .collect();
    out.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
    out
}

impl Index {
    /// Runs `query`.
    pub fn search(&self, query: &Query<'_>) -> Found {
        let criteria = query.criteria;
        let sort = criteria.effective_sort();
        let classification = wanted(
            &self.classifications,
            criteria.classification.as_ref().map(|c| c.as_str()),
        );
        let department = wanted(
            &self.departments,
            criteria.department.as_ref().map(|d| d.as_str()),
        );
        let county = wanted(&self.counties, criteria.county.as_ref().map(|c| c.as_str()));
        let candidates = candidates(
            self,
            criteria.keywords.as_deref(),
            &[county, department, classification],
        )
        .unwrap_or_else(|| {
            (0..self.slots.len())
                .filter(|s| self.slots[*s].is_some())
                .map(|s| (s as u32, 0.0))
                .collect()
        });
        let own_department = query
            .viewer
            .employer_of
            .as_ref()
            .and_then(|d| self.departments.get(d.as_str()));
        let sees_internal = query.viewer.sees_internal();
        let now = query.now.timestamp_micros();
        let posted_since = criteria
            .posted_since
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map(|t| t.and_utc().timestamp_micros());

        let mut county_counts = vec![0usize; self.counties.names.len()];
        let mut department_counts = vec![0usize; self.departments.names.len()];
        let mut classification_counts = vec![0usize; self.classifications.names.len()];
        let mut tenure_counts = [0usize; 3];
        let mut time_base_counts = [0usize; 3];
        let mut total = 0;
        let mut page: Vec<(i64, u32, f32)> = Vec::new();
        for (slot, score) in candidates {
            let Some(doc) = &self.slots[slot as usize] else {
                continue;
            };
            let visible =
                !doc.internal_only || sees_internal || own_department == Some(doc.department);
            let admitted = visible
                && doc.closes_micros > now
                && classification.admits(doc.classification)
                && department.admits(doc.department)
                && county.admits(doc.county)
                && criteria.tenure.is_none_or(|t| t == doc.tenure)
                && criteria.time_base.is_none_or(|t| t == doc.time_base)
                && criteria.shift.is_none_or(|s| s == doc.shift)
                && criteria.salary_min.is_none_or(|min| doc.salary_max >= min)
                && criteria.salary_max.is_none_or(|max| doc.salary_min <= max)
                && posted_since.is_none_or(|since| doc.published_micros >= since)
                && criteria
                    .closing_before
                    .is_none_or(|before| doc.card.final_filing_date <= before);
            if !admitted {
                continue;
            }
            total += 1;
            county_counts[doc.county as usize] += 1;
            department_counts[doc.department as usize] += 1;
            classification_counts[doc.classification as usize] += 1;
            tenure_counts[Tenure::ALL
                .iter()
                .position(|t| *t == doc.tenure)
                .unwrap_or(0)] += 1;
            time_base_counts[TimeBase::ALL
                .iter()
                .position(|t| *t == doc.time_base)
                .unwrap_or(0)] += 1;
            let key = primary(sort, doc, score);
            let after_cursor = query.after.is_none_or(|after| {
                compare(sort, (key, &doc.card.id), (after.primary, &after.id)) == Ordering::Greater
            });
            if after_cursor {
                page.push((key, slot, score));
            }
        }
        let id_of = |slot: u32| {
            self.slots[slot as usize]
                .as_ref()
                .map_or("", |d| d.card.id.as_str())
        };
        let order = |a: &(i64, u32, f32), b: &(i64, u32, f32)| {
            compare(sort, (a.0, id_of(a.1)), (b.0, id_of(b.1)))
        };
        let wanted_len = query.limit + 1;
        if page.len() > wanted_len {
            page.select_nth_unstable_by(wanted_len - 1, order);
            page.truncate(wanted_len);
        }
        page.sort_by(order);
        let has_more = page.len() > query.limit;
        page.truncate(query.limit);
        let hits = page
            .into_iter()
            .filter_map(|(key, slot, score)| {
                let doc = self.slots[slot as usize].as_ref()?;
                Some(Hit {
                    key: SortKey {
                        primary: key,
                        id: doc.card.id.clone(),
                    },
                    score,
                    card: doc.card.clone(),
                })
            })
            .collect();
        let names = |all: &[&'static str]| all.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        let facets = Facets {
            county: counts(&self.counties.names, &county_counts),
            department: counts(&self.departments.names, &department_counts),
            classification: counts(&self.classifications.names, &classification_counts),
            tenure: counts(
                &names(&Tenure::ALL.iter().map(|t| t.as_str()).collect::<Vec<_>>()),
                &tenure_counts,
            ),
            time_base: counts(
                &names(&TimeBase::ALL.iter().map(|t| t.as_str()).collect::<Vec<_>>()),
                &time_base_counts,
            ),
        };
        Found {
            hits,
            has_more,
            total,
            facets,
        }
    }
}
