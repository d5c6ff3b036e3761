//! Running a search over the index: match keywords, filter, count facets, order, page.

use std::{borrow::Cow, cmp::Ordering, sync::Arc};

use chrono::{DateTime, Utc};
use merit_domain::posting::{SearchCriteria, SortOrder, Viewer};

use super::{
    facets::{Counter, Facets},
    index::{Doc, Index, Interner, PostingCard},
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

/// A filter on an interned value: none, any of some known values (OR), or only values no
/// posting has.
#[derive(Debug, Clone)]
enum Wanted {
    Any,
    OneOf(Vec<u16>),
    Nothing,
}

impl Wanted {
    fn new<'c>(interner: &Interner, codes: impl ExactSizeIterator<Item = &'c str>) -> Self {
        if codes.len() == 0 {
            return Wanted::Any;
        }
        let known: Vec<u16> = codes.filter_map(|c| interner.get(c)).collect();
        if known.is_empty() {
            Wanted::Nothing
        } else {
            Wanted::OneOf(known)
        }
    }

    fn admits(&self, value: u16) -> bool {
        match self {
            Wanted::Any => true,
            Wanted::OneOf(values) => values.contains(&value),
            Wanted::Nothing => false,
        }
    }

    /// The sorted slots having any of the wanted values (`None` for no restriction).
    fn slots<'i>(&self, lists: &'i [Vec<u32>]) -> Option<Cow<'i, [u32]>> {
        let list = |value: &u16| {
            lists
                .get(usize::from(*value))
                .map_or(&[][..], Vec::as_slice)
        };
        match self {
            Wanted::Any => None,
            Wanted::Nothing => Some(Cow::Borrowed(&[])),
            Wanted::OneOf(values) if values.len() == 1 => Some(Cow::Borrowed(list(&values[0]))),
            Wanted::OneOf(values) => {
                let mut union: Vec<u32> = values.iter().flat_map(list).copied().collect();
                union.sort_unstable();
                union.dedup();
                Some(Cow::Owned(union))
            }
        }
    }
}

/// The interned filters of a search: county, department, classification.
struct Coded {
    county: Wanted,
    department: Wanted,
    classification: Wanted,
}

impl Coded {
    fn new(index: &Index, criteria: &SearchCriteria) -> Self {
        Coded {
            county: Wanted::new(
                &index.counties,
                criteria.counties.iter().map(|c| c.as_str()),
            ),
            department: Wanted::new(
                &index.departments,
                criteria.departments.iter().map(|d| d.as_str()),
            ),
            classification: Wanted::new(
                &index.classifications,
                criteria.classifications.iter().map(|c| c.as_str()),
            ),
        }
    }

    fn admits(&self, doc: &Doc) -> bool {
        self.county.admits(doc.county)
            && self.department.admits(doc.department)
            && self.classification.admits(doc.classification)
    }
}

/// The keyword lists of a search, or `None` when a term is in no document.
fn keyword_lists<'i>(index: &'i Index, keywords: Option<&str>) -> Option<Vec<&'i [(u32, f32)]>> {
    let mut lists = Vec::new();
    for term in keywords.map_or_else(Vec::new, |k| text::query_terms(k, MAX_TERMS)) {
        lists.push(index.lists[index.term(&term)? as usize].as_slice());
    }
    Some(lists)
}

/// The candidates of a search: the intersection of the keyword lists (summing weights) and the
/// slot lists of the county, department and classification filters (each the union of its
/// values' lists), starting from the shortest so that documents are only visited once they
/// match all of these. `None` for "every document".
fn candidates(index: &Index, keywords: Option<&str>, coded: &Coded) -> Option<Vec<(u32, f32)>> {
    let Some(mut terms) = keyword_lists(index, keywords) else {
        return Some(Vec::new());
    };
    let mut plain: Vec<Cow<'_, [u32]>> = [
        coded.county.slots(&index.by_county),
        coded.department.slots(&index.by_department),
        coded.classification.slots(&index.by_classification),
    ]
    .into_iter()
    .flatten()
    .collect();
    let shortest_term = (0..terms.len()).min_by_key(|i| terms[*i].len());
    let shortest_plain = (0..plain.len()).min_by_key(|i| plain[*i].len());
    let mut matches: Vec<(u32, f32)> = match (shortest_term, shortest_plain) {
        (None, None) => return None,
        (Some(t), Some(p)) if plain[p].len() < terms[t].len() => {
            plain.remove(p).iter().map(|s| (*s, 0.0)).collect()
        }
        (None, Some(p)) => plain.remove(p).iter().map(|s| (*s, 0.0)).collect(),
        (Some(t), _) => terms.remove(t).to_vec(),
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

/// Whether a list filter admits `value`: an empty list admits everything.
fn any_of<T: PartialEq>(values: &[T], value: T) -> bool {
    values.is_empty() || values.contains(&value)
}

/// The rules a document must pass besides the coded filters and keywords.
struct Admission<'q> {
    criteria: &'q SearchCriteria,
    own_department: Option<u16>,
    sees_internal: bool,
    now: i64,
    posted_since: Option<i64>,
}

impl<'q> Admission<'q> {
    fn new(index: &Index, query: &Query<'q>) -> Self {
        Admission {
            criteria: query.criteria,
            own_department: query
                .viewer
                .employer_of
                .as_ref()
                .and_then(|d| index.departments.get(d.as_str())),
            sees_internal: query.viewer.sees_internal(),
            now: query.now.timestamp_micros(),
            posted_since: query
                .criteria
                .posted_since
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|t| t.and_utc().timestamp_micros()),
        }
    }

    fn visible(&self, doc: &Doc) -> bool {
        !doc.internal_only || self.sees_internal || self.own_department == Some(doc.department)
    }

    fn admits(&self, doc: &Doc) -> bool {
        let c = self.criteria;
        self.visible(doc)
            && doc.closes_micros > self.now
            && (!c.internal_only || doc.internal_only)
            && any_of(&c.tenures, doc.tenure)
            && any_of(&c.time_bases, doc.time_base)
            && any_of(&c.shifts, doc.shift)
            && c.salary_min.is_none_or(|min| doc.salary_max >= min)
            && c.salary_max.is_none_or(|max| doc.salary_min <= max)
            && self
                .posted_since
                .is_none_or(|since| doc.published_micros >= since)
            && c.closing_before
                .is_none_or(|before| doc.card.final_filing_date <= before)
    }
}

impl Index {
    /// Runs `query`.
    pub fn search(&self, query: &Query<'_>) -> Found {
        let sort = query.criteria.effective_sort();
        let coded = Coded::new(self, query.criteria);
        let admission = Admission::new(self, query);
        let candidates = candidates(self, query.criteria.keywords.as_deref(), &coded)
            .unwrap_or_else(|| self.every_slot());
        let mut counter = Counter::new(self);
        let mut total = 0;
        let mut page: Vec<(i64, u32, f32)> = Vec::new();
        for (slot, score) in candidates {
            let Some(doc) = &self.slots[slot as usize] else {
                continue;
            };
            if !(coded.admits(doc) && admission.admits(doc)) {
                continue;
            }
            total += 1;
            counter.add(doc);
            let key = primary(sort, doc, score);
            let after_cursor = query.after.is_none_or(|after| {
                compare(sort, (key, &doc.card.id), (after.primary, &after.id)) == Ordering::Greater
            });
            if after_cursor {
                page.push((key, slot, score));
            }
        }
        let (hits, has_more) = self.page(sort, page, query.limit);
        Found {
            hits,
            has_more,
            total,
            facets: counter.finish(self),
        }
    }

    fn every_slot(&self) -> Vec<(u32, f32)> {
        (0..self.slots.len())
            .filter(|s| self.slots[*s].is_some())
            .map(|s| (s as u32, 0.0))
            .collect()
    }

    /// The first `limit` results in `sort` order, and whether more follow.
    fn page(
        &self,
        sort: SortOrder,
        mut page: Vec<(i64, u32, f32)>,
        limit: usize,
    ) -> (Vec<Hit>, bool) {
        let id_of = |slot: u32| {
            self.slots[slot as usize]
                .as_ref()
                .map_or("", |d| d.card.id.as_str())
        };
        let order = |a: &(i64, u32, f32), b: &(i64, u32, f32)| {
            compare(sort, (a.0, id_of(a.1)), (b.0, id_of(b.1)))
        };
        let wanted_len = limit + 1;
        if page.len() > wanted_len {
            page.select_nth_unstable_by(wanted_len - 1, order);
            page.truncate(wanted_len);
        }
        page.sort_by(order);
        let has_more = page.len() > limit;
        page.truncate(limit);
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
        (hits, has_more)
    }
}
