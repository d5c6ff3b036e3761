//! The in-memory search index over open postings.
//!
//! Each open posting is a document with its filter values interned to small integers, its
//! display card, and a weight per term (title ×3, classification title ×2, duties ×1, summed,
//! then saturated as `w / (w + 1.2)`). A term's posting list is sorted by slot, so keyword
//! queries intersect lists. A document's score depends on that document alone, so scores do not
//! move when other postings come and go, and relevance pages stay stable.

use std::{collections::HashMap, sync::Arc};

use chrono::{DateTime, NaiveDate, Utc};
use merit_domain::{
    ids::PostingId,
    posting::{Posting, Visibility, filing_closes_at},
    terms::{Shift, Tenure, TimeBase},
};
use merit_persistence::reference::ReferenceNames;

use super::text;

/// What a search result shows of a posting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostingCard {
    /// Opaque id.
    pub id: String,
    /// Working title.
    pub title: String,
    /// The department's code.
    pub department_code: String,
    /// The department's name.
    pub department_name: String,
    /// The classification's code.
    pub classification_code: String,
    /// The classification's title.
    pub classification_title: String,
    /// The county's code.
    pub county_code: String,
    /// The county's name.
    pub county_name: String,
    /// Tenure.
    pub tenure: Tenure,
    /// Time base.
    pub time_base: TimeBase,
    /// Shift.
    pub shift: Shift,
    /// Lowest monthly salary, cents.
    pub salary_min_cents: i64,
    /// Highest monthly salary, cents.
    pub salary_max_cents: i64,
    /// Last day to apply.
    pub final_filing_date: NaiveDate,
    /// When it opened.
    pub published_at: Option<DateTime<Utc>>,
    /// Public or internal only.
    pub visibility: Visibility,
    /// Whether list eligibility is required.
    pub eligibility_required: bool,
}

impl PostingCard {
    /// The card of `posting`, with the names of its codes (blank for a code `names` lacks).
    fn new(posting: &Posting, names: &ReferenceNames) -> Self {
        let name =
            |map: &HashMap<String, String>, code: &str| map.get(code).cloned().unwrap_or_default();
        PostingCard {
            id: posting.id.to_string(),
            title: posting.title.as_str().to_owned(),
            department_code: posting.department.to_string(),
            department_name: name(&names.departments, posting.department.as_str()),
            classification_code: posting.classification.to_string(),
            classification_title: name(&names.classifications, posting.classification.as_str()),
            county_code: posting.county.to_string(),
            county_name: name(&names.counties, posting.county.as_str()),
            tenure: posting.tenure,
            time_base: posting.time_base,
            shift: posting.shift,
            salary_min_cents: posting.salary.min_cents(),
            salary_max_cents: posting.salary.max_cents(),
            final_filing_date: posting.final_filing_date,
            published_at: posting.published_at,
            visibility: posting.visibility,
            eligibility_required: posting.eligibility_required,
        }
    }
}

/// Codes to small integers, for counting facets in arrays; each code keeps its display name.
#[derive(Debug, Default)]
pub(super) struct Interner {
    ids: HashMap<String, u16>,
    pub(super) names: Vec<String>,
    pub(super) labels: Vec<String>,
}

impl Interner {
    pub(super) fn intern(&mut self, name: &str, label: &str) -> u16 {
        if let Some(id) = self.ids.get(name) {
            return *id;
        }
        let id = u16::try_from(self.names.len()).unwrap_or(u16::MAX);
        self.ids.insert(name.to_owned(), id);
        self.names.push(name.to_owned());
        self.labels.push(label.to_owned());
        id
    }

    pub(super) fn get(&self, name: &str) -> Option<u16> {
        self.ids.get(name).copied()
    }
}

/// One indexed posting.
#[derive(Debug)]
pub(super) struct Doc {
    pub(super) card: Arc<PostingCard>,
    pub(super) county: u16,
    pub(super) department: u16,
    pub(super) classification: u16,
    pub(super) tenure: Tenure,
    pub(super) time_base: TimeBase,
    pub(super) shift: Shift,
    pub(super) internal_only: bool,
    pub(super) salary_min: i64,
    pub(super) salary_max: i64,
    pub(super) published_micros: i64,
    pub(super) closes_micros: i64,
    terms: Vec<u32>,
}

/// The index itself; guarded by a lock in [`super::SearchService`].
#[derive(Debug, Default)]
pub struct Index {
    pub(super) slots: Vec<Option<Doc>>,
    free: Vec<u32>,
    by_id: HashMap<PostingId, u32>,
    terms: HashMap<String, u32>,
    pub(super) lists: Vec<Vec<(u32, f32)>>,
    pub(super) counties: Interner,
    pub(super) departments: Interner,
    pub(super) classifications: Interner,
    /// Sorted slots by interned county, department and classification, so filters intersect
    /// lists instead of visiting every document.
    pub(super) by_county: Vec<Vec<u32>>,
    pub(super) by_department: Vec<Vec<u32>>,
    pub(super) by_classification: Vec<Vec<u32>>,
}

fn list_insert(lists: &mut Vec<Vec<u32>>, value: u16, slot: u32) {
    let value = usize::from(value);
    if lists.len() <= value {
        lists.resize_with(value + 1, Vec::new);
    }
    let list = &mut lists[value];
    if let Err(at) = list.binary_search(&slot) {
        list.insert(at, slot);
    }
}

fn list_remove(lists: &mut [Vec<u32>], value: u16, slot: u32) {
    if let Some(list) = lists.get_mut(usize::from(value))
        && let Ok(at) = list.binary_search(&slot)
    {
        list.remove(at);
    }
}

const FIELD_WEIGHTS: [f32; 3] = [3.0, 2.0, 1.0];

impl Index {
    /// How many postings are indexed.
    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    /// Whether nothing is indexed.
    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }

    /// The id of a term, if any document has it.
    pub(super) fn term(&self, term: &str) -> Option<u32> {
        self.terms.get(term).copied()
    }

    /// Adds or replaces an open posting; `names` gives the names shown beside its codes.
    pub fn upsert(&mut self, posting: &Posting, names: &ReferenceNames) {
        self.remove(posting.id);
        let card = PostingCard::new(posting, names);
        let slot = self.free.pop().unwrap_or_else(|| {
            self.slots.push(None);
            u32::try_from(self.slots.len() - 1).unwrap_or(u32::MAX)
        });
        let terms = self.index_terms(&card, posting.duties.as_str(), slot);
        let doc = Doc {
            county: self.counties.intern(&card.county_code, &card.county_name),
            department: self
                .departments
                .intern(&card.department_code, &card.department_name),
            classification: self
                .classifications
                .intern(&card.classification_code, &card.classification_title),
            tenure: posting.tenure,
            time_base: posting.time_base,
            shift: posting.shift,
            internal_only: posting.visibility == Visibility::InternalOnly,
            salary_min: posting.salary.min_cents(),
            salary_max: posting.salary.max_cents(),
            published_micros: posting.published_at.map_or(0, |t| t.timestamp_micros()),
            closes_micros: filing_closes_at(posting.final_filing_date).timestamp_micros(),
            terms,
            card: Arc::new(card),
        };
        list_insert(&mut self.by_county, doc.county, slot);
        list_insert(&mut self.by_department, doc.department, slot);
        list_insert(&mut self.by_classification, doc.classification, slot);
        self.slots[slot as usize] = Some(doc);
        self.by_id.insert(posting.id, slot);
    }

    /// Adds `slot` to the list of every term of its title, classification title and duties,
    /// with its saturated weight; the ids of those terms.
    fn index_terms(&mut self, card: &PostingCard, duties: &str, slot: u32) -> Vec<u32> {
        let mut weights: HashMap<String, f32> = HashMap::new();
        let fields = [card.title.as_str(), &card.classification_title, duties];
        for (field, weight) in fields.into_iter().zip(FIELD_WEIGHTS) {
            for term in text::terms(field) {
                *weights.entry(term).or_default() += weight;
            }
        }
        let mut term_ids = Vec::with_capacity(weights.len());
        for (term, weight) in weights {
            let next = u32::try_from(self.lists.len()).unwrap_or(u32::MAX);
            let id = *self.terms.entry(term).or_insert(next);
            if id == next {
                self.lists.push(Vec::new());
            }
            let list = &mut self.lists[id as usize];
            let at = list.partition_point(|(s, _)| *s < slot);
            list.insert(at, (slot, weight / (weight + 1.2)));
            term_ids.push(id);
        }
        term_ids
    }

    /// Removes a posting, if indexed.
    pub fn remove(&mut self, id: PostingId) {
        let Some(slot) = self.by_id.remove(&id) else {
            return;
        };
        if let Some(doc) = self.slots[slot as usize].take() {
            list_remove(&mut self.by_county, doc.county, slot);
            list_remove(&mut self.by_department, doc.department, slot);
            list_remove(&mut self.by_classification, doc.classification, slot);
            for term in doc.terms {
                let list = &mut self.lists[term as usize];
                if let Ok(at) = list.binary_search_by_key(&slot, |(s, _)| *s) {
                    list.remove(at);
                }
            }
        }
        self.free.push(slot);
    }
}
