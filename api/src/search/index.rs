//! The in-memory search index over open postings.
//!
//! Each open posting is a document in a slot: its id, title and the few figures a search filters
//! or sorts on, about 80 bytes; its card is rebuilt from these (and the interned names) only for
//! the hits of a page. What a search checks first for every candidate (whether the slot is live,
//! its county, department and classification interned to small integers, whether it is
//! internal-only, its tenure, time base and final filing date) sits apart in one array of 12
//! bytes a slot ([`Keys`]), so rejecting a candidate, counting the facets and checking the
//! filing-date cut-off read a few megabytes instead of a document far away in memory. Each term
//! has a posting list sorted by slot, with the term's raw weight in that document (title ×3,
//! classification title ×2, duties ×1, summed; saturated as `w / (w + 1.2)` when scored), so
//! keyword queries intersect lists; frequent terms, counties, departments and classifications
//! also keep their slots as bits, so a search tests (or ANDs) them before it reads anything
//! of a candidate's own. A document's score depends on that document alone, so scores
//! do not move when other postings come and go, and relevance pages stay stable.
//!
//! New documents always take the next slot, so every list grows by appending. A removed
//! document leaves a dead slot that searches skip; once dead slots are a quarter of all, the
//! index compacts: live documents are renumbered in order (lists stay sorted) and the dead
//! entries dropped from every list. So neither the document nor the lists need to remember
//! which terms a document has.

use std::{collections::HashMap, mem::size_of};

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use merit_domain::{
    ids::{EntityId, PostingId, Uuid},
    posting::{Posting, Visibility, filing_closes_at},
    terms::{Shift, Tenure, TimeBase},
};
use merit_persistence::reference::ReferenceNames;

use super::{query::gallop, text};

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
            let stored = &mut self.labels[usize::from(*id)];
            if stored.is_empty() && !label.is_empty() {
                label.clone_into(stored);
            }
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

    fn name(&self, id: u16) -> &str {
        self.names.get(usize::from(id)).map_or("", String::as_str)
    }

    fn label(&self, id: u16) -> &str {
        self.labels.get(usize::from(id)).map_or("", String::as_str)
    }

    fn heap_bytes(&self) -> usize {
        let strings: usize = self
            .names
            .iter()
            .chain(&self.labels)
            .map(String::capacity)
            .sum();
        strings * 2 + self.ids.capacity() * (size_of::<(String, u16)>() + 1)
    }
}

/// What a search checks first about a slot: whether it is live, its interned county,
/// department and classification, whether it is internal-only, its tenure and time base (for
/// the facets and their filters) and its final filing date (whether it is still open). Twelve
/// bytes, in one array, so a search reads a result's document only when it must (for a filter
/// on shift, salary or publication date, or to place it on the page).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Keys {
    pub(super) county: u16,
    pub(super) department: u16,
    pub(super) classification: u16,
    flags: u8,
    /// The position of the tenure in [`Tenure::ALL`] (low four bits) and of the time base in
    /// [`TimeBase::ALL`] (high four bits).
    terms: u8,
    /// The final filing date, in days from the common era.
    pub(super) filing_day: i32,
}

impl Keys {
    const LIVE: u8 = 1;
    const INTERNAL: u8 = 2;

    /// Whether the slot holds a document (not removed).
    pub(super) fn live(self) -> bool {
        self.flags & Self::LIVE != 0
    }

    /// Whether the document is internal-only.
    pub(super) fn internal_only(self) -> bool {
        self.flags & Self::INTERNAL != 0
    }

    /// The tenure's position in [`Tenure::ALL`].
    pub(super) fn tenure(self) -> usize {
        usize::from(self.terms & 0x0f)
    }

    /// The time base's position in [`TimeBase::ALL`].
    pub(super) fn time_base(self) -> usize {
        usize::from(self.terms >> 4)
    }
}

/// The position of `value` in `all` (0 if absent, which cannot happen for an enum's `ALL`).
pub(super) fn position<T: PartialEq>(all: &[T], value: &T) -> usize {
    all.iter().position(|v| v == value).unwrap_or(0)
}

/// A date as days from the common era, as [`Keys`] holds it.
pub(super) fn day_number(date: NaiveDate) -> i32 {
    date.num_days_from_ce()
}

/// One indexed posting: what filters, sorts and the card need besides its [`Keys`], and
/// nothing else.
#[derive(Debug)]
pub(super) struct Doc {
    /// The posting id as a number: numbers order as the ids' canonical text does.
    pub(super) id: u128,
    pub(super) salary_min: i64,
    pub(super) salary_max: i64,
    pub(super) closes_micros: i64,
    pub(super) published_at: Option<DateTime<Utc>>,
    title: Box<str>,
    pub(super) final_filing_date: NaiveDate,
    pub(super) tenure: Tenure,
    pub(super) time_base: TimeBase,
    pub(super) shift: Shift,
    eligibility_required: bool,
}

impl Doc {
    /// When it was published, in microseconds (0 when never).
    pub(super) fn published_micros(&self) -> i64 {
        self.published_at.map_or(0, |t| t.timestamp_micros())
    }
}

/// A term's documents, by ascending slot, with the term's raw weight in each (a whole number:
/// 3 per occurrence in the title, 2 in the classification title, 1 in the duties).
#[derive(Debug, Default)]
pub(super) struct TermList {
    pub(super) slots: Vec<u32>,
    pub(super) weights: Vec<u16>,
    /// For a frequent term, its slots as bits too, so a search asks whether a candidate has
    /// the term in constant time instead of galloping through a long list.
    pub(super) dense: Option<Dense>,
}

impl TermList {
    /// The position in the list of `slot`'s entry, if the term is in that document; `cursor`
    /// (where the last probe of this list ended) only moves forward, so probes must come in
    /// ascending slot order.
    pub(super) fn find(&self, slot: u32, cursor: &mut usize) -> Option<usize> {
        if let Some(dense) = &self.dense {
            return dense.position(slot);
        }
        *cursor = gallop(&self.slots, *cursor, slot);
        (self.slots.get(*cursor) == Some(&slot)).then_some(*cursor)
    }

    fn push(&mut self, slot: u32, raw: u16, bytes: &mut usize) {
        if let Some(dense) = &mut self.dense {
            dense.push(slot, self.slots.len(), bytes);
        }
        push_counted(&mut self.slots, slot, bytes);
        push_counted(&mut self.weights, raw, bytes);
    }

    /// Gives the list its bits if it is frequent among `documents` slots (or drops them if it
    /// no longer is, after a compaction).
    fn densify(&mut self, documents: usize, dense_min: usize, bytes: &mut usize) {
        let frequent = self.slots.len() >= dense_min && self.slots.len() * DENSE_SHARE >= documents;
        let slots = &self.slots;
        keep_bits(
            &mut self.dense,
            frequent,
            || Dense::of(slots),
            Dense::heap_bytes,
            bytes,
        );
    }

    fn heap_bytes(&self) -> usize {
        self.slots.capacity() * size_of::<u32>()
            + self.weights.capacity() * size_of::<u16>()
            + self.dense.as_ref().map_or(0, Dense::heap_bytes)
    }

    fn shrink(&mut self) {
        self.slots.shrink_to_fit();
        self.weights.shrink_to_fit();
        if let Some(dense) = &mut self.dense {
            dense.bits.words.shrink_to_fit();
            dense.before.shrink_to_fit();
        }
    }
}

/// A term list takes bits once it holds at least one slot in this many (and at least
/// [`DENSE_MIN`] entries): its bits then cost at most what its list does.
const DENSE_SHARE: usize = 32;

/// The fewest entries of a list with bits (a short list gallops fast enough).
const DENSE_MIN: usize = 1024;

/// A frequent term's slots as bits, 64 slots a word, with how many of its list's entries come
/// before each word: a slot's entry in the list is that count plus the bits set below it in
/// its word. Three bytes per 16 slots of the whole index.
#[derive(Debug, Default)]
pub(super) struct Dense {
    pub(super) bits: Bits,
    before: Vec<u32>,
}

impl Dense {
    fn of(slots: &[u32]) -> Self {
        let mut dense = Dense::default();
        let mut ignored = 0;
        for (at, slot) in slots.iter().enumerate() {
            dense.push(*slot, at, &mut ignored);
        }
        dense
    }

    /// Adds `slot` (above every slot already in), the list's entry number `at`.
    fn push(&mut self, slot: u32, at: usize, bytes: &mut usize) {
        let words = (slot / 64) as usize + 1;
        while self.before.len() < words {
            // Every entry so far is below a new word's first slot.
            push_counted(
                &mut self.before,
                u32::try_from(at).unwrap_or(u32::MAX),
                bytes,
            );
        }
        self.bits.insert(slot, bytes);
    }

    /// The list's entry number of `slot`, if the term is in that document.
    pub(super) fn position(&self, slot: u32) -> Option<usize> {
        let word = (slot / 64) as usize;
        let bits = *self.bits.words.get(word)?;
        let bit = 1u64 << (slot % 64);
        (bits & bit != 0)
            .then(|| self.before[word] as usize + (bits & (bit - 1)).count_ones() as usize)
    }

    fn heap_bytes(&self) -> usize {
        self.bits.heap_bytes() + self.before.capacity() * size_of::<u32>()
    }
}

/// A coded filter value's list takes bits too once it holds at least one slot in this many
/// (and at least [`DENSE_MIN`] entries): its bits then cost at most twice what its list does,
/// and at most 64 values of a filter have them.
const FILTER_SHARE: usize = 64;

/// Slots as bits, 64 slots a word (slot `s` is bit `s % 64` of word `s / 64`).
#[derive(Debug, Default)]
pub(super) struct Bits {
    pub(super) words: Vec<u64>,
}

impl Bits {
    fn of(slots: &[u32]) -> Self {
        let mut bits = Bits::default();
        for slot in slots {
            bits.insert(*slot, &mut 0);
        }
        bits
    }

    /// Sets `slot`'s bit, adding what the words grew by to `bytes`.
    fn insert(&mut self, slot: u32, bytes: &mut usize) {
        let word = (slot / 64) as usize;
        while self.words.len() <= word {
            push_counted(&mut self.words, 0, bytes);
        }
        self.words[word] |= 1 << (slot % 64);
    }

    /// Whether `slot`'s bit is set.
    pub(super) fn contains(&self, slot: u32) -> bool {
        self.words
            .get((slot / 64) as usize)
            .is_some_and(|word| word & (1u64 << (slot % 64)) != 0)
    }

    fn heap_bytes(&self) -> usize {
        self.words.capacity() * size_of::<u64>()
    }
}

/// The slots having one value of a coded filter (a county, department or classification),
/// ascending (dead slots included until the next compaction), and for a frequent value the
/// same slots as [`Bits`], so a search checks the filter on a candidate with one bit test in an
/// array that stays in the CPU cache, before it reads anything of the candidate itself.
#[derive(Debug, Default)]
pub(super) struct ValueList {
    pub(super) slots: Vec<u32>,
    pub(super) bits: Option<Bits>,
}

impl ValueList {
    fn push(&mut self, slot: u32, bytes: &mut usize) {
        if let Some(bits) = &mut self.bits {
            bits.insert(slot, bytes);
        }
        push_counted(&mut self.slots, slot, bytes);
    }

    /// Gives the list its bits if it is frequent among `documents` slots (or drops them if it
    /// no longer is, after a compaction).
    fn densify(&mut self, documents: usize, dense_min: usize, bytes: &mut usize) {
        let frequent =
            self.slots.len() >= dense_min && self.slots.len() * FILTER_SHARE >= documents;
        let slots = &self.slots;
        keep_bits(
            &mut self.bits,
            frequent,
            || Bits::of(slots),
            Bits::heap_bytes,
            bytes,
        );
    }

    fn heap_bytes(&self) -> usize {
        self.slots.capacity() * size_of::<u32>() + self.bits.as_ref().map_or(0, Bits::heap_bytes)
    }

    fn shrink(&mut self) {
        self.slots.shrink_to_fit();
        if let Some(bits) = &mut self.bits {
            bits.words.shrink_to_fit();
        }
    }
}

/// Builds a list's bits (`build`) when it is `frequent` and has none, or drops them when it no
/// longer is, keeping the index's heap count `bytes` in step.
fn keep_bits<B>(
    bits: &mut Option<B>,
    frequent: bool,
    build: impl FnOnce() -> B,
    heap_bytes: impl Fn(&B) -> usize,
    bytes: &mut usize,
) {
    match (bits.as_ref(), frequent) {
        (None, true) => {
            let built = build();
            *bytes += heap_bytes(&built);
            *bits = Some(built);
        }
        (Some(old), false) => {
            *bytes -= heap_bytes(old);
            *bits = None;
        }
        _ => {}
    }
}

/// The saturated weight of a raw weight (what a term adds to a document's score).
pub(super) fn saturated(raw: u16) -> f32 {
    let weight = f32::from(raw);
    weight / (weight + 1.2)
}

/// The index itself; guarded by a lock in [`super::SearchService`].
#[derive(Debug, Default)]
pub struct Index {
    /// Documents by slot; `None` for a removed document until the next compaction.
    pub(super) slots: Vec<Option<Doc>>,
    /// What a search checks first, by slot (dead slots not live).
    pub(super) keys: Vec<Keys>,
    /// The heap bytes of what grows with the documents, kept as they come and go: titles,
    /// the posting lists' and slot lists' buffers, terms' and words' text (the containers'
    /// own tables are added when asked, see [`Index::heap_bytes`]).
    counted: usize,
    /// How many slots are `None`.
    dead: usize,
    by_id: HashMap<PostingId, u32>,
    terms: HashMap<String, u32>,
    /// Folded words already seen, to their term, so each distinct word is stemmed once.
    words: HashMap<Box<str>, u32>,
    pub(super) lists: Vec<TermList>,
    pub(super) counties: Interner,
    pub(super) departments: Interner,
    pub(super) classifications: Interner,
    /// Slots by interned county, department and classification, ascending, so that a
    /// selective filter can drive a search instead of visiting every document (dead slots
    /// included until the next compaction).
    /// Frequent values also keep their slots as bits ([`ValueList`]).
    pub(super) by_county: Vec<ValueList>,
    pub(super) by_department: Vec<ValueList>,
    pub(super) by_classification: Vec<ValueList>,
    /// The fewest entries of a list with bits, term or value ([`DENSE_MIN`] when `None`; tests
    /// lower it).
    pub(super) dense_min: Option<usize>,
}

/// Pushes `value`, adding what the buffer grew by to `bytes`.
fn push_counted<T>(list: &mut Vec<T>, value: T, bytes: &mut usize) {
    let before = list.capacity();
    list.push(value);
    *bytes += (list.capacity() - before) * size_of::<T>();
}

/// Appends `slot` (the newest, of `documents`) to the list of `value`, giving the list bits
/// once it is frequent.
fn list_push(
    lists: &mut Vec<ValueList>,
    value: u16,
    slot: u32,
    (documents, dense_min): (usize, usize),
    bytes: &mut usize,
) {
    let value = usize::from(value);
    if lists.len() <= value {
        lists.resize_with(value + 1, ValueList::default);
    }
    let list = &mut lists[value];
    list.push(slot, bytes);
    if list.bits.is_none() {
        list.densify(documents, dense_min, bytes);
    }
}

const FIELD_WEIGHTS: [u16; 3] = [3, 2, 1];

/// Compaction runs once this many slots are dead and they are at least a quarter of all.
const COMPACT_AFTER: usize = 1024;

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
        let slot = u32::try_from(self.slots.len()).unwrap_or(u32::MAX);
        let name = |map: &HashMap<String, String>, code: &str| {
            map.get(code).map_or("", String::as_str).to_owned()
        };
        let classification_title = name(&names.classifications, posting.classification.as_str());
        self.index_terms(
            [
                posting.title.as_str(),
                &classification_title,
                posting.duties.as_str(),
            ],
            slot,
        );
        let doc = Doc {
            id: posting.id.uuid().as_u128(),
            salary_min: posting.salary.min_cents(),
            salary_max: posting.salary.max_cents(),
            closes_micros: filing_closes_at(posting.final_filing_date).timestamp_micros(),
            published_at: posting.published_at,
            title: posting.title.as_str().into(),
            final_filing_date: posting.final_filing_date,
            tenure: posting.tenure,
            time_base: posting.time_base,
            shift: posting.shift,
            eligibility_required: posting.eligibility_required,
        };
        let keys = Keys {
            county: self.counties.intern(
                posting.county.as_str(),
                &name(&names.counties, posting.county.as_str()),
            ),
            department: self.departments.intern(
                posting.department.as_str(),
                &name(&names.departments, posting.department.as_str()),
            ),
            classification: self
                .classifications
                .intern(posting.classification.as_str(), &classification_title),
            flags: Keys::LIVE
                | if posting.visibility == Visibility::InternalOnly {
                    Keys::INTERNAL
                } else {
                    0
                },
            terms: u8::try_from(
                position(Tenure::ALL, &posting.tenure)
                    | (position(TimeBase::ALL, &posting.time_base) << 4),
            )
            .unwrap_or(0),
            filing_day: day_number(posting.final_filing_date),
        };
        let growth = (self.slots.len() + 1, self.dense_min.unwrap_or(DENSE_MIN));
        let bytes = &mut self.counted;
        list_push(&mut self.by_county, keys.county, slot, growth, bytes);
        list_push(
            &mut self.by_department,
            keys.department,
            slot,
            growth,
            bytes,
        );
        list_push(
            &mut self.by_classification,
            keys.classification,
            slot,
            growth,
            bytes,
        );
        *bytes += doc.title.len();
        self.slots.push(Some(doc));
        self.keys.push(keys);
        self.by_id.insert(posting.id, slot);
    }

    /// The term of a folded word (not a stop word), stemming each distinct word once.
    fn term_of_word(&mut self, word: &str) -> u32 {
        if let Some(term) = self.words.get(word) {
            return *term;
        }
        let stemmed = text::stem(word);
        let next = u32::try_from(self.lists.len()).unwrap_or(u32::MAX);
        let stemmed_bytes = stemmed.capacity();
        let term = *self.terms.entry(stemmed).or_insert(next);
        if term == next {
            self.lists.push(TermList::default());
            self.counted += stemmed_bytes;
        }
        self.words.insert(word.into(), term);
        self.counted += word.len();
        term
    }

    /// Appends `slot` (the newest) to the list of every term of its title, classification
    /// title and duties, with its raw weight.
    fn index_terms(&mut self, fields: [&str; 3], slot: u32) {
        let mut weights: Vec<(u32, u16)> = Vec::new();
        for (field, weight) in fields.into_iter().zip(FIELD_WEIGHTS) {
            let folded = text::fold(field);
            for word in text::words(&folded) {
                let term = self.term_of_word(word);
                weights.push((term, weight));
            }
        }
        weights.sort_unstable_by_key(|(term, _)| *term);
        let mut at = 0;
        while at < weights.len() {
            let term = weights[at].0;
            let mut raw: u16 = 0;
            while at < weights.len() && weights[at].0 == term {
                raw = raw.saturating_add(weights[at].1);
                at += 1;
            }
            let list = &mut self.lists[term as usize];
            list.push(slot, raw, &mut self.counted);
            if list.dense.is_none() {
                let documents = self.slots.len() + 1;
                let dense_min = self.dense_min.unwrap_or(DENSE_MIN);
                list.densify(documents, dense_min, &mut self.counted);
            }
        }
    }

    /// Removes a posting, if indexed.
    pub fn remove(&mut self, id: PostingId) {
        let Some(slot) = self.by_id.remove(&id) else {
            return;
        };
        if let Some(doc) = self.slots[slot as usize].take() {
            self.counted -= doc.title.len();
            self.keys[slot as usize] = Keys::default();
            self.dead += 1;
        }
        if self.dead >= COMPACT_AFTER && self.dead * 4 >= self.slots.len() {
            self.compact();
        }
    }

    /// Renumbers the live documents in order and drops dead slots from every list.
    pub(super) fn compact(&mut self) {
        const GONE: u32 = u32::MAX;
        let dense_min = self.dense_min.unwrap_or(DENSE_MIN);
        let mut renumbered = Vec::with_capacity(self.slots.len());
        let mut next = 0u32;
        for doc in &self.slots {
            if doc.is_some() {
                renumbered.push(next);
                next += 1;
            } else {
                renumbered.push(GONE);
            }
        }
        let live = |slot: &mut u32| {
            let new = renumbered[*slot as usize];
            *slot = new;
            new != GONE
        };
        for list in &mut self.lists {
            let mut kept = 0;
            for at in 0..list.slots.len() {
                let mut slot = list.slots[at];
                if live(&mut slot) {
                    list.slots[kept] = slot;
                    list.weights[kept] = list.weights[at];
                    kept += 1;
                }
            }
            list.slots.truncate(kept);
            list.weights.truncate(kept);
            list.shrink();
            list.dense = None;
            list.densify(
                usize::try_from(next).unwrap_or(usize::MAX),
                dense_min,
                &mut 0,
            );
        }
        for lists in [
            &mut self.by_county,
            &mut self.by_department,
            &mut self.by_classification,
        ] {
            for list in lists.iter_mut() {
                list.slots.retain_mut(|slot| live(slot));
                list.bits = None;
                list.densify(
                    usize::try_from(next).unwrap_or(usize::MAX),
                    dense_min,
                    &mut 0,
                );
                list.shrink();
            }
        }
        for slot in self.by_id.values_mut() {
            *slot = renumbered[*slot as usize];
        }
        self.keys.retain(|keys| keys.live());
        self.keys.shrink_to_fit();
        self.slots.retain(Option::is_some);
        self.slots.shrink_to_fit();
        self.dead = 0;
        self.counted = self.count_bytes();
    }

    /// Gives back what the buffers hold beyond their contents (after a full load, where lists
    /// grew by doubling).
    pub fn shrink(&mut self) {
        for list in &mut self.lists {
            list.shrink();
        }
        self.lists.shrink_to_fit();
        for lists in [
            &mut self.by_county,
            &mut self.by_department,
            &mut self.by_classification,
        ] {
            for list in lists.iter_mut() {
                list.shrink();
            }
        }
        self.slots.shrink_to_fit();
        self.keys.shrink_to_fit();
        self.by_id.shrink_to_fit();
        self.terms.shrink_to_fit();
        self.words.shrink_to_fit();
        self.counted = self.count_bytes();
    }

    /// The card of a live document.
    pub(super) fn card(&self, doc: &Doc, keys: Keys) -> PostingCard {
        PostingCard {
            id: Uuid::from_u128(doc.id).hyphenated().to_string(),
            title: doc.title.to_string(),
            department_code: self.departments.name(keys.department).to_owned(),
            department_name: self.departments.label(keys.department).to_owned(),
            classification_code: self.classifications.name(keys.classification).to_owned(),
            classification_title: self.classifications.label(keys.classification).to_owned(),
            county_code: self.counties.name(keys.county).to_owned(),
            county_name: self.counties.label(keys.county).to_owned(),
            tenure: doc.tenure,
            time_base: doc.time_base,
            shift: doc.shift,
            salary_min_cents: doc.salary_min,
            salary_max_cents: doc.salary_max,
            final_filing_date: doc.final_filing_date,
            published_at: doc.published_at,
            visibility: if keys.internal_only() {
                Visibility::InternalOnly
            } else {
                Visibility::Public
            },
            eligibility_required: doc.eligibility_required,
        }
    }

    /// An estimate of the heap bytes the index holds (its allocations' sizes, not counting the
    /// allocator's own overhead), for `/metrics` and the benchmark. Constant time: what grows
    /// with the documents is counted as they come and go, the containers' tables are read off
    /// their capacities.
    pub fn heap_bytes(&self) -> usize {
        self.counted + self.table_bytes()
    }

    /// The heap bytes of the containers' own tables and of the interners (a few hundred codes).
    pub(super) fn table_bytes(&self) -> usize {
        let coded_tables: usize = [
            &self.by_county,
            &self.by_department,
            &self.by_classification,
        ]
        .iter()
        .map(|lists| lists.capacity() * size_of::<ValueList>())
        .sum();
        self.slots.capacity() * size_of::<Option<Doc>>()
            + self.keys.capacity() * size_of::<Keys>()
            + self.lists.capacity() * size_of::<TermList>()
            + coded_tables
            + self.terms.capacity() * (size_of::<(String, u32)>() + 1)
            + self.words.capacity() * (size_of::<(Box<str>, u32)>() + 1)
            + self.by_id.capacity() * (size_of::<(PostingId, u32)>() + 1)
            + self.counties.heap_bytes()
            + self.departments.heap_bytes()
            + self.classifications.heap_bytes()
    }

    /// What [`Index::heap_bytes`] keeps a running count of, counted afresh by walking
    /// everything (after a compaction, and to test the running count).
    pub(super) fn count_bytes(&self) -> usize {
        let titles: usize = self.slots.iter().flatten().map(|d| d.title.len()).sum();
        let lists: usize = self.lists.iter().map(TermList::heap_bytes).sum();
        let coded: usize = [
            &self.by_county,
            &self.by_department,
            &self.by_classification,
        ]
        .iter()
        .flat_map(|lists| lists.iter())
        .map(ValueList::heap_bytes)
        .sum();
        let terms: usize = self.terms.keys().map(String::capacity).sum();
        let words: usize = self.words.keys().map(|w| w.len()).sum();
        titles + lists + coded + terms + words
    }
}
