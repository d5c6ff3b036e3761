//! Running a search over the index: match keywords, filter, count facets, order, page, in one
//! pass over the shortest list.

use std::{borrow::Cow, cmp::Ordering, sync::Arc};

use chrono::{DateTime, Utc};
use merit_domain::{
    ids::{Uuid, parse_uuid},
    posting::{SearchCriteria, SortOrder, Viewer, first_open_filing_date},
    terms::{Tenure, TimeBase},
};

use super::{
    facets::{Counter, Facets},
    index::{
        Bits, Doc, Index, Interner, Keys, PostingCard, TermList, ValueList, day_number, position,
        saturated,
    },
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
        let mut known: Vec<u16> = codes.filter_map(|c| interner.get(c)).collect();
        known.sort_unstable();
        known.dedup();
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

    /// How many slots the lists of the wanted values hold (`None` for no restriction).
    fn size(&self, lists: &[ValueList]) -> Option<usize> {
        match self {
            Wanted::Any => None,
            Wanted::Nothing => Some(0),
            Wanted::OneOf(values) => Some(values.iter().map(|v| list(lists, *v).len()).sum()),
        }
    }

    /// The ascending slots having any of the wanted values (`None` for no restriction).
    fn slots<'i>(&self, lists: &'i [ValueList]) -> Option<Cow<'i, [u32]>> {
        match self {
            Wanted::Any => None,
            Wanted::Nothing => Some(Cow::Borrowed(&[])),
            Wanted::OneOf(values) if values.len() == 1 => {
                Some(Cow::Borrowed(list(lists, values[0])))
            }
            Wanted::OneOf(values) => {
                // Each document has one value, so the lists are disjoint.
                let mut union: Vec<u32> = values
                    .iter()
                    .flat_map(|v| list(lists, *v))
                    .copied()
                    .collect();
                union.sort_unstable();
                Some(Cow::Owned(union))
            }
        }
    }

    /// The bits of every wanted value, when each has bits (`None` otherwise, and for no
    /// restriction): a slot passes the filter if one of them has it.
    fn bits<'i>(&self, lists: &'i [ValueList]) -> Option<Vec<&'i Bits>> {
        match self {
            Wanted::OneOf(values) => values
                .iter()
                .map(|v| lists.get(usize::from(*v))?.bits.as_ref())
                .collect(),
            Wanted::Any | Wanted::Nothing => None,
        }
    }
}

fn list(lists: &[ValueList], value: u16) -> &[u32] {
    lists
        .get(usize::from(value))
        .map_or(&[][..], |l| l.slots.as_slice())
}

/// What a search checks on a slot's [`Keys`] before anything else: that it is live, the interned
/// filters (county, department, classification), the visibility rule and the internal-only
/// filter.
struct Coded {
    county: Wanted,
    department: Wanted,
    classification: Wanted,
    own_department: Option<u16>,
    sees_internal: bool,
    internal_only: bool,
}

impl Coded {
    fn new(index: &Index, criteria: &SearchCriteria, viewer: &Viewer) -> Self {
        Coded {
            own_department: viewer
                .employer_of
                .as_ref()
                .and_then(|d| index.departments.get(d.as_str())),
            sees_internal: viewer.sees_internal(),
            internal_only: criteria.internal_only,
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

    fn admits(&self, keys: Keys) -> bool {
        keys.live()
            && self.county.admits(keys.county)
            && self.department.admits(keys.department)
            && self.classification.admits(keys.classification)
            && (!self.internal_only || keys.internal_only())
            && (!keys.internal_only()
                || self.sees_internal
                || self.own_department == Some(keys.department))
    }
}

/// The keyword lists of a search in query order, or `None` when a term is in no document.
fn keyword_lists<'i>(index: &'i Index, keywords: Option<&str>) -> Option<Vec<&'i TermList>> {
    let mut lists = Vec::new();
    for term in keywords.map_or_else(Vec::new, |k| text::query_terms(k, MAX_TERMS)) {
        lists.push(&index.lists[index.term(&term)? as usize]);
    }
    Some(lists)
}

/// The first position at or after `from` in ascending `list` whose slot is not below `target`
/// (`list.len()` if none): galloping (steps 1, 2, 4, ... then a binary search within the last
/// step), so walking a list forward costs O(log gap) per probe, never more than a scan.
pub(super) fn gallop(list: &[u32], from: usize, target: u32) -> usize {
    if from >= list.len() || list[from] >= target {
        return from.min(list.len());
    }
    // Invariant: list[low] < target.
    let mut low = from;
    let mut step = 1;
    while low + step < list.len() && list[low + step] < target {
        low += step;
        step *= 2;
    }
    let high = (low + step).min(list.len());
    low + 1 + list[low + 1..high].partition_point(|s| *s < target)
}

/// Where the search starts: the shortest of the keyword lists and the filters' slot lists, or
/// the bits of every keyword and filter ANDed a word at a time.
enum Driver<'i> {
    Term(usize),
    Slots(Cow<'i, [u32]>),
    Bits(Vec<Vec<&'i [u64]>>),
    Everything,
}

/// The AND of `sources` at word `at`, each source the OR of its bit arrays (a filter with
/// several wanted values); a word past an array's end is 0.
fn and_word(sources: &[Vec<&[u64]>], at: usize) -> u64 {
    let mut word = u64::MAX;
    for source in sources {
        let mut any = 0;
        for bits in source {
            any |= bits.get(at).copied().unwrap_or(0);
        }
        word &= any;
        if word == 0 {
            break;
        }
    }
    word
}

/// Visits every document that has all keywords and passes the coded filters, in slot order,
/// with its [`Keys`] and score (0 without keywords). When every keyword and every filter has
/// bits and their ANDing a word at a time costs less than walking the shortest list, that AND
/// drives; otherwise the shortest list (a keyword's or a filter's) drives. Each candidate is
/// checked first against the bits of the other filters and keywords (small arrays that stay in
/// the CPU cache), then on its [`Keys`] (one compact array, the first read of anything of the
/// candidate's own), then against the other keyword lists, walked forward by galloping,
/// shortest first; so the cost follows the shortest list, not the longest, and a rejected
/// candidate rarely costs a read outside the cache.
fn matches(
    index: &Index,
    keywords: Option<&str>,
    coded: &Coded,
    mut visit: impl FnMut(u32, Keys, f32),
) {
    let Some(terms) = keyword_lists(index, keywords) else {
        return;
    };
    let filters = [
        (&coded.county, &index.by_county),
        (&coded.department, &index.by_department),
        (&coded.classification, &index.by_classification),
    ];
    let shortest_term = (0..terms.len()).min_by_key(|i| terms[*i].slots.len());
    let shortest_plain = (0..filters.len())
        .filter_map(|f| Some((filters[f].0.size(filters[f].1)?, f)))
        .min_by_key(|(size, _)| *size);
    let shortest = match (shortest_term, shortest_plain) {
        (Some(t), Some((size, _))) => Some(terms[t].slots.len().min(size)),
        (Some(t), None) => Some(terms[t].slots.len()),
        (None, Some((size, _))) => Some(size),
        (None, None) => None,
    };
    // Every restriction as bits, if each has them.
    let all_bits: Option<Vec<Vec<&[u64]>>> = terms
        .iter()
        .map(|list| list.dense.as_ref().map(|d| vec![d.bits.words.as_slice()]))
        .chain(
            filters
                .iter()
                .filter(|(wanted, _)| !matches!(wanted, Wanted::Any))
                .map(|(wanted, lists)| {
                    wanted
                        .bits(lists)
                        .map(|all| all.into_iter().map(|b| b.words.as_slice()).collect())
                }),
        )
        .collect();
    let words = index.slots.len().div_ceil(64);
    let bits_driver = match (all_bits, shortest) {
        (Some(sources), Some(shortest)) if words * sources.len() <= 2 * shortest => Some(sources),
        _ => None,
    };
    let (driver, driving_filter) = match (bits_driver, shortest_term, shortest_plain) {
        (Some(sources), _, _) => (Driver::Bits(sources), None),
        (None, Some(t), Some((size, _))) if terms[t].slots.len() <= size => (Driver::Term(t), None),
        (None, Some(t), None) => (Driver::Term(t), None),
        (None, _, Some((_, f))) => match filters[f].0.slots(filters[f].1) {
            Some(slots) => (Driver::Slots(slots), Some(f)),
            None => (Driver::Everything, None),
        },
        (None, None, None) => (Driver::Everything, None),
    };
    // The bits of the filters that do not drive (a candidate of the AND passes them all).
    let filter_bits: Vec<Vec<&Bits>> = if matches!(driver, Driver::Bits(_)) {
        Vec::new()
    } else {
        (0..filters.len())
            .filter(|f| driving_filter != Some(*f))
            .filter_map(|f| filters[f].0.bits(filters[f].1))
            .collect()
    };
    // The other keyword lists, shortest first (they reject soonest), with a cursor each.
    let mut others: Vec<(usize, usize)> = (0..terms.len())
        .filter(|t| !matches!(driver, Driver::Term(d) if d == *t))
        .map(|t| (t, 0))
        .collect();
    // Lists with bits first: a bit test in a small array that stays in the CPU cache, cheaper
    // than reading the candidate's keys (one random read in an array of 12 bytes a slot).
    others.sort_by_key(|(t, _)| (terms[*t].dense.is_none(), terms[*t].slots.len()));
    let with_bits = others
        .iter()
        .take_while(|(t, _)| terms[*t].dense.is_some())
        .count();
    let mut raw = [0u16; MAX_TERMS];
    let mut candidate = |slot: u32, driver_weight: Option<(usize, u16)>| {
        if !filter_bits
            .iter()
            .all(|values| values.iter().any(|bits| bits.contains(slot)))
        {
            return;
        }
        let (bits, galloped) = others.split_at_mut(with_bits);
        for (t, cursor) in bits.iter_mut() {
            let list = terms[*t];
            let Some(at) = list.find(slot, cursor) else {
                return;
            };
            raw[*t] = list.weights[at];
        }
        let Some(keys) = index.keys.get(slot as usize) else {
            return;
        };
        if !coded.admits(*keys) {
            return;
        }
        for (t, cursor) in galloped.iter_mut() {
            let list = terms[*t];
            let Some(at) = list.find(slot, cursor) else {
                return;
            };
            raw[*t] = list.weights[at];
        }
        if let Some((t, weight)) = driver_weight {
            raw[t] = weight;
        }
        // Summed in query order, whichever list drove, so a score depends on its document only.
        let score = raw[..terms.len()]
            .iter()
            .fold(0.0f32, |sum, weight| sum + saturated(*weight));
        visit(slot, *keys, score);
    };
    match driver {
        Driver::Term(t) => {
            let list = terms[t];
            for (slot, weight) in list.slots.iter().zip(&list.weights) {
                candidate(*slot, Some((t, *weight)));
            }
        }
        Driver::Slots(slots) => {
            for slot in slots.iter() {
                candidate(*slot, None);
            }
        }
        Driver::Bits(sources) => {
            let words = sources
                .iter()
                .map(|source| source.iter().map(|bits| bits.len()).max().unwrap_or(0))
                .min()
                .unwrap_or(0);
            for at in 0..words {
                let mut word = and_word(&sources, at);
                while word != 0 {
                    let bit = word.trailing_zeros();
                    word &= word - 1;
                    candidate(u32::try_from(at * 64).unwrap_or(u32::MAX) + bit, None);
                }
            }
        }
        Driver::Everything => {
            for slot in 0..index.slots.len() {
                candidate(u32::try_from(slot).unwrap_or(u32::MAX), None);
            }
        }
    }
}

/// The sort value of a keyword score (higher scores first).
fn relevance(score: f32) -> i64 {
    -((f64::from(score) * 1_000_000.0).round() as i64)
}

fn primary(sort: SortOrder, doc: &Doc, score: f32) -> i64 {
    match sort {
        SortOrder::Relevance => relevance(score),
        SortOrder::Newest => -doc.published_micros(),
        SortOrder::ClosingSoon => doc.closes_micros,
        SortOrder::Salary => -doc.salary_max,
    }
}

/// Orders two ids' places on equal primary values: ascending for "closing soon", descending —
/// newest id first — otherwise.
fn by_id<T: Ord>(sort: SortOrder, a: T, b: T) -> Ordering {
    if sort == SortOrder::ClosingSoon {
        a.cmp(&b)
    } else {
        b.cmp(&a)
    }
}

/// Whether a list filter admits `value`: an empty list admits everything.
fn any_of<T: PartialEq>(values: &[T], value: T) -> bool {
    values.is_empty() || values.contains(&value)
}

/// The rules a document must pass besides the coded filters, visibility and keywords: those
/// on its [`Keys`] (still open, tenure, time base, closing date) and, only when the criteria
/// have them, those that read the document (shift, salary, publication date).
struct Admission<'q> {
    criteria: &'q SearchCriteria,
    /// The earliest final filing date still open, in days.
    open_from: i32,
    closing_before: Option<i32>,
    /// The wanted tenures and time bases by position, as bit masks (all bits: any).
    tenures: u16,
    time_bases: u16,
    posted_since: Option<i64>,
    /// Whether a criterion reads the document.
    reads_doc: bool,
}

/// The positions of `values` in `all` as a bit mask; all bits when `values` is empty.
fn mask<T: PartialEq>(all: &[T], values: &[T]) -> u16 {
    if values.is_empty() {
        return u16::MAX;
    }
    values
        .iter()
        .fold(0, |mask, value| mask | (1 << position(all, value)))
}

impl<'q> Admission<'q> {
    fn new(query: &Query<'q>) -> Self {
        let c = query.criteria;
        Admission {
            criteria: c,
            open_from: day_number(first_open_filing_date(query.now)),
            closing_before: c.closing_before.map(day_number),
            tenures: mask(Tenure::ALL, &c.tenures),
            time_bases: mask(TimeBase::ALL, &c.time_bases),
            posted_since: c
                .posted_since
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|t| t.and_utc().timestamp_micros()),
            reads_doc: !c.shifts.is_empty()
                || c.salary_min.is_some()
                || c.salary_max.is_some()
                || c.posted_since.is_some(),
        }
    }

    fn admits_keys(&self, keys: Keys) -> bool {
        keys.filing_day >= self.open_from
            && self.tenures & (1 << keys.tenure()) != 0
            && self.time_bases & (1 << keys.time_base()) != 0
            && self
                .closing_before
                .is_none_or(|before| keys.filing_day <= before)
    }

    fn admits_doc(&self, doc: &Doc) -> bool {
        let c = self.criteria;
        any_of(&c.shifts, doc.shift)
            && c.salary_min.is_none_or(|min| doc.salary_max >= min)
            && c.salary_max.is_none_or(|max| doc.salary_min <= max)
            && self
                .posted_since
                .is_none_or(|since| doc.published_micros() >= since)
    }
}

/// The cursor's key, with its id as a number when it is a canonical id (numbers order as the
/// canonical text does; any other text is compared as text).
struct After<'q> {
    primary: i64,
    text: &'q str,
    id: Option<u128>,
}

impl After<'_> {
    /// Whether a document with `key` and `id` comes after the cursor in `sort` order.
    fn precedes(&self, sort: SortOrder, key: i64, id: u128) -> bool {
        match key.cmp(&self.primary) {
            Ordering::Less => false,
            Ordering::Greater => true,
            Ordering::Equal => {
                let order = match self.id {
                    Some(after) => by_id(sort, id, after),
                    None => {
                        let mut buffer = Uuid::encode_buffer();
                        let text = Uuid::from_u128(id).hyphenated().encode_lower(&mut buffer);
                        by_id(sort, &*text, self.text)
                    }
                };
                order == Ordering::Greater
            }
        }
    }
}

/// A result on its way to a page: sort value, id, slot, score.
type Entry = (i64, u128, u32, f32);

/// Keeps the first `keep` entries in `sort` order out of any number pushed, in amortised
/// constant time per entry and `O(keep)` memory.
struct Best {
    sort: SortOrder,
    keep: usize,
    entries: Vec<Entry>,
    /// Once `keep` entries are kept, the sort value of the last of them: an entry with a
    /// greater one cannot be among the first `keep`, so it need not be read or pushed.
    cutoff: Option<i64>,
}

impl Best {
    fn new(sort: SortOrder, keep: usize) -> Self {
        Best {
            sort,
            keep,
            entries: Vec::new(),
            cutoff: None,
        }
    }

    /// Whether an entry with sort value `primary` could be among the first `keep`.
    fn may_keep(&self, primary: i64) -> bool {
        self.cutoff.is_none_or(|cutoff| primary <= cutoff)
    }

    fn order(sort: SortOrder) -> impl Fn(&Entry, &Entry) -> Ordering {
        move |a, b| a.0.cmp(&b.0).then_with(|| by_id(sort, a.1, b.1))
    }

    fn push(&mut self, entry: Entry) {
        self.entries.push(entry);
        if self.entries.len() >= (2 * self.keep).max(64) {
            self.trim();
        }
    }

    fn trim(&mut self) {
        if self.entries.len() > self.keep {
            if self.keep > 0 {
                self.entries
                    .select_nth_unstable_by(self.keep - 1, Self::order(self.sort));
                self.cutoff = Some(self.entries[self.keep - 1].0);
            }
            self.entries.truncate(self.keep);
        }
    }

    /// The kept entries, in order.
    fn finish(mut self) -> Vec<Entry> {
        self.trim();
        self.entries.sort_by(Self::order(self.sort));
        self.entries
    }
}

impl Index {
    /// Runs `query`.
    pub fn search(&self, query: &Query<'_>) -> Found {
        let sort = query.criteria.effective_sort();
        let coded = Coded::new(self, query.criteria, query.viewer);
        let admission = Admission::new(query);
        let after = query.after.map(|after| After {
            primary: after.primary,
            text: &after.id,
            id: parse_uuid(&after.id).ok().map(|id| id.as_u128()),
        });
        let mut counter = Counter::new(self);
        let mut total = 0;
        let mut best = Best::new(sort, query.limit + 1);
        matches(
            self,
            query.criteria.keywords.as_deref(),
            &coded,
            |slot, keys, score| {
                if !admission.admits_keys(keys) {
                    return;
                }
                // The document is read only when a criterion, the order or the page needs it.
                let read = || self.slots.get(slot as usize).and_then(Option::as_ref);
                let mut doc = None;
                if admission.reads_doc {
                    doc = read();
                    if !doc.is_some_and(|doc| admission.admits_doc(doc)) {
                        return;
                    }
                }
                total += 1;
                counter.add(keys);
                let key = if sort == SortOrder::Relevance {
                    relevance(score)
                } else {
                    doc = doc.or_else(read);
                    let Some(doc) = doc else { return };
                    primary(sort, doc, score)
                };
                if !best.may_keep(key) || after.as_ref().is_some_and(|after| key < after.primary) {
                    return;
                }
                let Some(doc) = doc.or_else(read) else { return };
                if after
                    .as_ref()
                    .is_none_or(|after| after.precedes(sort, key, doc.id))
                {
                    best.push((key, doc.id, slot, score));
                }
            },
        );
        let mut page = best.finish();
        let has_more = page.len() > query.limit;
        page.truncate(query.limit);
        let hits = page
            .into_iter()
            .filter_map(|(key, _, slot, score)| {
                let doc = self.slots[slot as usize].as_ref()?;
                let card = self.card(doc, self.keys[slot as usize]);
                Some(Hit {
                    key: SortKey {
                        primary: key,
                        id: card.id.clone(),
                    },
                    score,
                    card: Arc::new(card),
                })
            })
            .collect();
        Found {
            hits,
            has_more,
            total,
            facets: counter.finish(self),
        }
    }
}
