//! Matching a new posting against every alert without one query (or one check) per alert.
//!
//! A term-filtered presearch (Lucene Monitor's idea, see `docs/ARCHITECTURE.md`): each alert
//! is filed under the values of ONE of its list filters, the most selective it has
//! (classification, then department, county, a keyword term, shift, time base, tenure); an
//! alert with none of these is filed under "any". A posting has one value per filter and a set
//! of terms, so the only alerts that can match it are those filed under one of its values or
//! terms, or under "any": the candidates. Each candidate is then checked exactly, with the same
//! rules as search ([`admits`]). The result is exact (a property test compares it with checking
//! every alert), and a posting costs a handful of hash look-ups plus the candidates, not the
//! number of alerts.
//!
//! The lists hold a compact copy of each alert's criteria (codes and terms as interned numbers,
//! the enum filters as bit masks, bounds as integers: 64 bytes, no pointer to follow in the
//! common case), so checking a candidate reads the list in order instead of chasing the alert's
//! heap data. Matching yields only the alerts; why each matched ([`reasons`]) is written when
//! the match is delivered (an instant message or a digest), from the alert's criteria and the
//! posting.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, Utc};
use merit_domain::{
    alert::{AlertChannel, AlertFrequency},
    ids::{AccountId, JobAlertId},
    posting::{Posting, SearchCriteria, Visibility},
    terms::{Shift, Tenure, TimeBase},
};

use crate::search::text;

/// At most this many keyword terms count, as in search.
const MAX_TERMS: usize = 16;

/// One alert as the index keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertEntry {
    /// The alert's id.
    pub id: JobAlertId,
    /// Its owner.
    pub account_id: AccountId,
    /// What it watches for.
    pub criteria: SearchCriteria,
    /// Its keyword terms (folded and stemmed as search does).
    pub terms: Vec<String>,
    /// Inbox only or inbox and email.
    pub channel: AlertChannel,
    /// When it is delivered.
    pub frequency: AlertFrequency,
}

fn keyword_terms(criteria: &SearchCriteria) -> Vec<String> {
    criteria
        .keywords
        .as_deref()
        .map_or_else(Vec::new, |k| text::query_terms(k, MAX_TERMS))
}

impl AlertEntry {
    /// An entry for these criteria (the terms are computed here).
    pub fn new(
        id: JobAlertId,
        account_id: AccountId,
        criteria: SearchCriteria,
        channel: AlertChannel,
        frequency: AlertFrequency,
    ) -> Self {
        let terms = keyword_terms(&criteria);
        AlertEntry {
            id,
            account_id,
            criteria,
            terms,
            channel,
            frequency,
        }
    }
}

/// What matching needs of a posting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostingFacts {
    /// The department's code.
    pub department: String,
    /// The classification's code.
    pub classification: String,
    /// The county's code.
    pub county: String,
    /// Tenure.
    pub tenure: Tenure,
    /// Time base.
    pub time_base: TimeBase,
    /// Shift.
    pub shift: Shift,
    /// Internal-only visibility.
    pub internal_only: bool,
    /// Lowest monthly salary, cents.
    pub salary_min: i64,
    /// Highest monthly salary, cents.
    pub salary_max: i64,
    /// When it opened.
    pub published_at: DateTime<Utc>,
    /// Last day to apply.
    pub final_filing_date: NaiveDate,
    /// The terms of its title, classification title and duties.
    pub terms: HashSet<String>,
}

impl PostingFacts {
    /// The facts of `posting`, whose classification is titled `classification_title`.
    pub fn of(posting: &Posting, classification_title: &str) -> Self {
        let mut facts = PostingFacts::without_terms(posting);
        for field in [
            posting.title.as_str(),
            classification_title,
            posting.duties.as_str(),
        ] {
            facts.terms.extend(text::terms(field));
        }
        facts
    }

    /// The facts of `posting` but its terms: enough for [`reasons`], not for matching.
    pub fn without_terms(posting: &Posting) -> Self {
        PostingFacts {
            department: posting.department.as_str().to_owned(),
            classification: posting.classification.as_str().to_owned(),
            county: posting.county.as_str().to_owned(),
            tenure: posting.tenure,
            time_base: posting.time_base,
            shift: posting.shift,
            internal_only: posting.visibility == Visibility::InternalOnly,
            salary_min: posting.salary.min_cents(),
            salary_max: posting.salary.max_cents(),
            published_at: posting.published_at.unwrap_or(posting.updated_at),
            final_filing_date: posting.final_filing_date,
            terms: HashSet::new(),
        }
    }
}

fn any_of<T: PartialEq>(values: &[T], value: &T) -> bool {
    values.is_empty() || values.contains(value)
}

fn any_code<C: AsRef<str>>(values: &[C], value: &str) -> bool {
    values.is_empty() || values.iter().any(|v| v.as_ref() == value)
}

fn dollars(cents: i64) -> String {
    format!("${}", cents / 100)
}

/// Whether `alert` admits `posting` (visibility aside: that depends on the owner, see the
/// worker), with the same rules as search. The reference the index is checked against.
pub fn admits(alert: &AlertEntry, posting: &PostingFacts) -> bool {
    let c = &alert.criteria;
    let since = c.posted_since.map(|d| d.and_time(NaiveTime::MIN).and_utc());
    any_code(&c.classifications, &posting.classification)
        && any_code(&c.departments, &posting.department)
        && any_code(&c.counties, &posting.county)
        && any_of(&c.tenures, &posting.tenure)
        && any_of(&c.time_bases, &posting.time_base)
        && any_of(&c.shifts, &posting.shift)
        && (!c.internal_only || posting.internal_only)
        && c.salary_min.is_none_or(|min| posting.salary_max >= min)
        && c.salary_max.is_none_or(|max| posting.salary_min <= max)
        && since.is_none_or(|since| posting.published_at >= since)
        && c.closing_before
            .is_none_or(|before| posting.final_filing_date <= before)
        && alert.terms.iter().all(|t| posting.terms.contains(t))
}

/// Why an alert with `criteria` admits `posting`: one sentence per criterion set. Written when
/// a match is delivered (an instant message, a digest), not when it is found.
pub fn reasons(criteria: &SearchCriteria, posting: &PostingFacts) -> Vec<String> {
    let c = criteria;
    let mut why = Vec::new();
    if let Some(keywords) = c.keywords.as_deref()
        && !keyword_terms(c).is_empty()
    {
        why.push(format!("keywords \"{keywords}\""));
    }
    let mut one = |name: &str, set: bool, value: &str| {
        if set {
            why.push(format!("{name} {value}"));
        }
    };
    one(
        "classification",
        !c.classifications.is_empty(),
        &posting.classification,
    );
    one("department", !c.departments.is_empty(), &posting.department);
    one("county", !c.counties.is_empty(), &posting.county);
    one("tenure", !c.tenures.is_empty(), posting.tenure.as_str());
    one(
        "time base",
        !c.time_bases.is_empty(),
        posting.time_base.as_str(),
    );
    one("shift", !c.shifts.is_empty(), posting.shift.as_str());
    if c.internal_only {
        why.push("for State employees only".to_owned());
    }
    if let Some(min) = c.salary_min {
        why.push(format!(
            "salary up to {} reaches {}",
            dollars(posting.salary_max),
            dollars(min)
        ));
    }
    if let Some(max) = c.salary_max {
        why.push(format!(
            "salary from {} is at most {}",
            dollars(posting.salary_min),
            dollars(max)
        ));
    }
    if let Some(since) = c.posted_since {
        why.push(format!("opened on or after {since}"));
    }
    if let Some(before) = c.closing_before {
        why.push(format!(
            "final filing date {} is on or before {before}",
            posting.final_filing_date
        ));
    }
    if why.is_empty() {
        why.push("every new posting".to_owned());
    }
    why
}

/// Whether `alert` admits `posting` and, when it does, why ([`admits`] and [`reasons`]).
pub fn matches(alert: &AlertEntry, posting: &PostingFacts) -> Option<Vec<String>> {
    admits(alert, posting).then(|| reasons(&alert.criteria, posting))
}

// ---------------------------------------------------------------------------------------------
// The compact lists
// ---------------------------------------------------------------------------------------------

/// The kinds of value an alert is filed under (the high half of a list key).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
enum Dim {
    Any = 0,
    Classification = 1,
    Department = 2,
    County = 3,
    Term = 4,
    Shift = 5,
    TimeBase = 6,
    Tenure = 7,
}

fn key(dim: Dim, value: u32) -> u64 {
    (u64::from(dim as u8) << 32) | u64::from(value)
}

/// A value no interned code or term has (an unknown posting value matches no list filter).
const UNKNOWN: u32 = u32::MAX;

/// The number of each code and term, given when an alert first names it (never taken back:
/// there are as many as distinct values ever named, a few thousand).
#[derive(Debug, Default)]
struct Interner {
    numbers: [HashMap<Box<str>, u32>; 4],
}

/// The interned kinds, in the order of [`Rec::counts`].
const CODE_DIMS: [Dim; 4] = [Dim::Classification, Dim::Department, Dim::County, Dim::Term];

impl Interner {
    fn map(&self, dim: Dim) -> &HashMap<Box<str>, u32> {
        &self.numbers[dim as usize - 1]
    }

    fn intern(&mut self, dim: Dim, value: &str) -> u32 {
        let map = &mut self.numbers[dim as usize - 1];
        if let Some(n) = map.get(value) {
            return *n;
        }
        let n = u32::try_from(map.len()).unwrap_or(UNKNOWN - 1);
        map.insert(value.into(), n);
        n
    }

    fn number(&self, dim: Dim, value: &str) -> u32 {
        self.map(dim).get(value).copied().unwrap_or(UNKNOWN)
    }
}

fn bit<T: PartialEq>(all: &[T], value: &T) -> u8 {
    all.iter()
        .position(|v| v == value)
        .map_or(0, |at| 1u8 << (at as u32))
}

fn mask<T: PartialEq>(all: &[T], values: &[T]) -> u8 {
    values.iter().fold(0, |m, v| m | bit(all, v))
}

/// How many values a record keeps inline; more go to [`AlertIndex::spilled`].
const INLINE: usize = 4;

/// A compact copy of one alert's criteria, as a list keeps it (64 bytes).
#[derive(Debug, Clone)]
struct Rec {
    /// The alert's slot.
    slot: u32,
    /// Tenures, time bases, shifts (bit masks by position in `ALL`; 0: any).
    tenures: u8,
    time_bases: u8,
    shifts: u8,
    internal_only: bool,
    /// How many classifications, departments, counties and terms (in that order in `values`).
    counts: [u16; 4],
    /// Whether the values are in `spilled` rather than inline.
    spilled: bool,
    /// The last filing day allowed (days from the common era; `i32::MAX`: any).
    closing_before: i32,
    /// The posting's highest salary must reach this (`i64::MIN`: any).
    salary_min: i64,
    /// The posting's lowest salary must be at most this (`i64::MAX`: any).
    salary_max: i64,
    /// The posting must have opened at or after this (Unix seconds; `i64::MIN`: any).
    posted_since: i64,
    /// The interned values, when at most [`INLINE`].
    inline: [u32; INLINE],
}

/// A posting as the compact check sees it.
#[derive(Debug)]
struct Probe {
    codes: [u32; 3],
    tenure: u8,
    time_base: u8,
    shift: u8,
    internal_only: bool,
    salary_min: i64,
    salary_max: i64,
    published: i64,
    final_filing: i32,
    /// Interned terms (the ones no alert names are left out), sorted.
    terms: Vec<u32>,
}

impl Rec {
    fn new(slot: u32, alert: &AlertEntry, values: &[Vec<u32>; 4]) -> (Self, Option<Box<[u32]>>) {
        let c = &alert.criteria;
        let counts = values
            .each_ref()
            .map(|v| u16::try_from(v.len()).unwrap_or(u16::MAX));
        let all: Vec<u32> = values.iter().flatten().copied().collect();
        let spilled = all.len() > INLINE;
        let mut inline = [UNKNOWN; INLINE];
        if !spilled {
            inline[..all.len()].copy_from_slice(&all);
        }
        let rec = Rec {
            slot,
            tenures: mask(Tenure::ALL, &c.tenures),
            time_bases: mask(TimeBase::ALL, &c.time_bases),
            shifts: mask(Shift::ALL, &c.shifts),
            internal_only: c.internal_only,
            counts,
            spilled,
            closing_before: c.closing_before.map_or(i32::MAX, |d| d.num_days_from_ce()),
            salary_min: c.salary_min.unwrap_or(i64::MIN),
            salary_max: c.salary_max.unwrap_or(i64::MAX),
            posted_since: c.posted_since.map_or(i64::MIN, |d| {
                d.and_time(NaiveTime::MIN).and_utc().timestamp()
            }),
            inline,
        };
        (rec, spilled.then(|| all.into_boxed_slice()))
    }

    /// Whether the alert admits the posting: [`admits`] on the compact form.
    #[inline]
    fn admits(&self, p: &Probe, spilled: &HashMap<u32, Box<[u32]>>) -> bool {
        let masks_ok = (self.tenures == 0 || self.tenures & p.tenure != 0)
            && (self.time_bases == 0 || self.time_bases & p.time_base != 0)
            && (self.shifts == 0 || self.shifts & p.shift != 0)
            && (!self.internal_only || p.internal_only)
            && p.salary_max >= self.salary_min
            && p.salary_min <= self.salary_max
            && p.published >= self.posted_since
            && p.final_filing <= self.closing_before;
        if !masks_ok {
            return false;
        }
        if self.counts == [0; 4] {
            return true;
        }
        let values: &[u32] = if self.spilled {
            match spilled.get(&self.slot) {
                Some(v) => v,
                None => return false,
            }
        } else {
            &self.inline
        };
        let mut at = 0;
        for (i, count) in self.counts.iter().enumerate() {
            let n = usize::from(*count);
            let Some(these) = values.get(at..at + n) else {
                return false;
            };
            at += n;
            if n == 0 {
                continue;
            }
            let ok = match i {
                0..3 => these.contains(&p.codes[i]),
                _ => these.iter().all(|t| p.terms.binary_search(t).is_ok()),
            };
            if !ok {
                return false;
            }
        }
        true
    }
}

/// The alert index: every active alert, filed under its anchor values.
#[derive(Debug, Default)]
pub struct AlertIndex {
    slots: Vec<Option<AlertEntry>>,
    free: Vec<u32>,
    by_id: HashMap<JobAlertId, u32>,
    interner: Interner,
    /// List key ([`key`]) to the compact records of the alerts filed under it.
    lists: HashMap<u64, Vec<Rec>>,
    /// The values of the records with more than [`INLINE`], by slot.
    spilled: HashMap<u32, Box<[u32]>>,
}

/// A match: the alert (why it matched is written at delivery, see [`reasons`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Matched<'i> {
    /// The alert.
    pub alert: &'i AlertEntry,
}

impl AlertIndex {
    /// How many alerts are indexed.
    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    /// Whether none is.
    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }

    /// The list keys an alert is filed under (each once): the values of the most selective
    /// list filter it has (interned: an alert being removed finds the numbers it was given).
    fn anchors(&mut self, alert: &AlertEntry) -> Vec<u64> {
        let c = &alert.criteria;
        let mut keys: Vec<u64> = if !c.classifications.is_empty() {
            c.classifications
                .iter()
                .map(|v| {
                    key(
                        Dim::Classification,
                        self.interner.intern(Dim::Classification, v.as_str()),
                    )
                })
                .collect()
        } else if !c.departments.is_empty() {
            c.departments
                .iter()
                .map(|v| {
                    key(
                        Dim::Department,
                        self.interner.intern(Dim::Department, v.as_str()),
                    )
                })
                .collect()
        } else if !c.counties.is_empty() {
            c.counties
                .iter()
                .map(|v| key(Dim::County, self.interner.intern(Dim::County, v.as_str())))
                .collect()
        } else if let Some(term) = alert.terms.iter().max_by_key(|t| t.len()) {
            vec![key(Dim::Term, self.interner.intern(Dim::Term, term))]
        } else if !c.shifts.is_empty() {
            c.shifts
                .iter()
                .map(|v| key(Dim::Shift, u32::from(bit(Shift::ALL, v))))
                .collect()
        } else if !c.time_bases.is_empty() {
            c.time_bases
                .iter()
                .map(|v| key(Dim::TimeBase, u32::from(bit(TimeBase::ALL, v))))
                .collect()
        } else if !c.tenures.is_empty() {
            c.tenures
                .iter()
                .map(|v| key(Dim::Tenure, u32::from(bit(Tenure::ALL, v))))
                .collect()
        } else {
            vec![key(Dim::Any, 0)]
        };
        keys.sort_unstable();
        keys.dedup();
        keys
    }

    /// Adds or replaces an alert.
    pub fn upsert(&mut self, alert: AlertEntry) {
        self.remove(alert.id);
        let slot = self.free.pop().unwrap_or_else(|| {
            self.slots.push(None);
            u32::try_from(self.slots.len() - 1).unwrap_or(u32::MAX)
        });
        let c = &alert.criteria;
        let values: [Vec<u32>; 4] = [
            c.classifications
                .iter()
                .map(|v| self.interner.intern(Dim::Classification, v.as_str()))
                .collect(),
            c.departments
                .iter()
                .map(|v| self.interner.intern(Dim::Department, v.as_str()))
                .collect(),
            c.counties
                .iter()
                .map(|v| self.interner.intern(Dim::County, v.as_str()))
                .collect(),
            alert
                .terms
                .iter()
                .map(|t| self.interner.intern(Dim::Term, t))
                .collect(),
        ];
        let (rec, spilled) = Rec::new(slot, &alert, &values);
        if let Some(values) = spilled {
            self.spilled.insert(slot, values);
        }
        for key in self.anchors(&alert) {
            self.lists.entry(key).or_default().push(rec.clone());
        }
        self.by_id.insert(alert.id, slot);
        self.slots[slot as usize] = Some(alert);
    }

    /// Removes an alert, if indexed.
    pub fn remove(&mut self, id: JobAlertId) {
        let Some(slot) = self.by_id.remove(&id) else {
            return;
        };
        if let Some(alert) = self.slots[slot as usize].take() {
            for key in self.anchors(&alert) {
                if let Some(list) = self.lists.get_mut(&key) {
                    if let Some(at) = list.iter().position(|r| r.slot == slot) {
                        list.swap_remove(at);
                    }
                    if list.is_empty() {
                        self.lists.remove(&key);
                    }
                }
            }
        }
        self.spilled.remove(&slot);
        self.free.push(slot);
    }

    fn probe(&self, posting: &PostingFacts) -> Probe {
        let i = &self.interner;
        let mut terms: Vec<u32> = posting
            .terms
            .iter()
            .map(|t| i.number(Dim::Term, t))
            .filter(|n| *n != UNKNOWN)
            .collect();
        terms.sort_unstable();
        Probe {
            codes: [
                i.number(Dim::Classification, &posting.classification),
                i.number(Dim::Department, &posting.department),
                i.number(Dim::County, &posting.county),
            ],
            tenure: bit(Tenure::ALL, &posting.tenure),
            time_base: bit(TimeBase::ALL, &posting.time_base),
            shift: bit(Shift::ALL, &posting.shift),
            internal_only: posting.internal_only,
            salary_min: posting.salary_min,
            salary_max: posting.salary_max,
            published: posting.published_at.timestamp(),
            final_filing: posting.final_filing_date.num_days_from_ce(),
            terms,
        }
    }

    /// The keys a posting is looked up under (the ones with a list).
    fn posting_lists<'s>(&'s self, probe: &Probe) -> impl Iterator<Item = &'s Vec<Rec>> + 's {
        let mut keys = vec![
            key(Dim::Any, 0),
            key(Dim::Shift, u32::from(probe.shift)),
            key(Dim::TimeBase, u32::from(probe.time_base)),
            key(Dim::Tenure, u32::from(probe.tenure)),
        ];
        for (at, dim) in CODE_DIMS[..3].iter().enumerate() {
            if probe.codes[at] != UNKNOWN {
                keys.push(key(*dim, probe.codes[at]));
            }
        }
        keys.extend(probe.terms.iter().map(|t| key(Dim::Term, *t)));
        keys.into_iter().filter_map(|k| self.lists.get(&k))
    }

    /// How many alerts are candidates for `posting` (for figures).
    pub fn candidate_count(&self, posting: &PostingFacts) -> usize {
        let probe = self.probe(posting);
        self.posting_lists(&probe).map(Vec::len).sum()
    }

    /// Every alert that admits `posting` (why: [`reasons`], at delivery).
    pub fn matching(&self, posting: &PostingFacts) -> Vec<Matched<'_>> {
        let probe = self.probe(posting);
        let mut found = Vec::new();
        for list in self.posting_lists(&probe) {
            for rec in list {
                if rec.admits(&probe, &self.spilled)
                    && let Some(alert) = &self.slots[rec.slot as usize]
                {
                    found.push(Matched { alert });
                }
            }
        }
        found
    }

    /// Every indexed alert (tests and figures).
    pub fn iter(&self) -> impl Iterator<Item = &AlertEntry> {
        self.slots.iter().flatten()
    }
}

#[cfg(test)]
mod tests {
    use merit_domain::{
        ids::{EntityId, Uuid},
        reference::{ClassificationCode, CountyCode, DepartmentCode},
    };
    use proptest::prelude::*;

    use super::*;

    const CLASSES: [&str; 4] = ["5157", "1139", "9872", "4801"];
    const DEPARTMENTS: [&str; 3] = ["CDCR", "DMV", "CALTRANS"];
    const COUNTIES: [&str; 3] = ["sacramento", "fresno", "kern"];
    const WORDS: [&str; 5] = ["analyst", "nurse", "office", "technician", "engineer"];

    fn facts(
        (class, dept, county, tenure, time_base, shift): (usize, usize, usize, usize, usize, usize),
        (internal, salary_min, words): (bool, i64, Vec<usize>),
    ) -> PostingFacts {
        PostingFacts {
            department: DEPARTMENTS[dept].to_owned(),
            classification: CLASSES[class].to_owned(),
            county: COUNTIES[county].to_owned(),
            tenure: Tenure::ALL[tenure % Tenure::ALL.len()],
            time_base: TimeBase::ALL[time_base % TimeBase::ALL.len()],
            shift: Shift::ALL[shift % Shift::ALL.len()],
            internal_only: internal,
            salary_min: salary_min * 100_000,
            salary_max: salary_min * 100_000 + 200_000,
            published_at: DateTime::parse_from_rfc3339("2026-03-04T10:00:00Z")
                .unwrap()
                .with_timezone(&Utc),
            final_filing_date: NaiveDate::from_ymd_opt(2026, 4, 1).unwrap(),
            terms: words
                .into_iter()
                .flat_map(|w| text::terms(WORDS[w]))
                .collect(),
        }
    }

    fn pick<T: Clone>(all: &[T], mask: u8) -> Vec<T> {
        all.iter()
            .enumerate()
            .filter(|(i, _)| mask & (1 << i) != 0)
            .map(|(_, v)| v.clone())
            .collect()
    }

    prop_compose! {
        fn alert_strategy()(
            id in 0u32..1_000_000,
            masks in (0u8..16, 0u8..8, 0u8..8, 0u8..8, 0u8..8, 0u8..16),
            keyword in proptest::option::of(0usize..5),
            internal in any::<bool>(),
            salary_min in proptest::option::of(0i64..6),
            salary_max in proptest::option::of(0i64..6),
            dates in (proptest::option::of(3u32..6), proptest::option::of(0u32..3)),
            frequency in 0usize..3,
        ) -> AlertEntry {
            let (since, closing) = dates;
            let (classes, depts, counties, tenures, time_bases, shifts) = masks;
            let criteria = SearchCriteria {
                keywords: keyword.map(|k| WORDS[k].to_owned()),
                classifications: pick(&CLASSES, classes).iter().map(|c| ClassificationCode::parse(c).unwrap()).collect(),
                departments: pick(&DEPARTMENTS, depts).iter().map(|c| DepartmentCode::parse(c).unwrap()).collect(),
                counties: pick(&COUNTIES, counties).iter().map(|c| CountyCode::parse(c).unwrap()).collect(),
                tenures: pick(Tenure::ALL, tenures),
                time_bases: pick(TimeBase::ALL, time_bases),
                shifts: pick(Shift::ALL, shifts),
                internal_only: internal,
                salary_min: salary_min.map(|s| s * 100_000),
                salary_max: salary_max.map(|s| s * 100_000),
                posted_since: since.and_then(|d| NaiveDate::from_ymd_opt(2026, 3, d)),
                closing_before: closing.and_then(|d| NaiveDate::from_ymd_opt(2026, 3, 30 + d).or(NaiveDate::from_ymd_opt(2026, 4, 1))),
                ..SearchCriteria::default()
            };
            AlertEntry::new(JobAlertId::from_uuid(Uuid::from_u128(u128::from(id))), AccountId::from_uuid(Uuid::from_u128(0)), criteria, AlertChannel::InApp, AlertFrequency::ALL[frequency])
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        /// The index finds exactly the alerts that checking every alert finds, after inserts,
        /// replacements and removals.
        #[test]
        fn the_index_finds_exactly_what_brute_force_finds(
            alerts in proptest::collection::vec(alert_strategy(), 0..120),
            removed in proptest::collection::vec(0usize..120, 0..20),
            postings in proptest::collection::vec(
                ((0usize..4, 0usize..3, 0usize..3, 0usize..3, 0usize..3, 0usize..4),
                 (any::<bool>(), 0i64..6, proptest::collection::vec(0usize..5, 0..4))),
                1..8,
            ),
        ) {
            let mut index = AlertIndex::default();
            let mut all: HashMap<JobAlertId, AlertEntry> = HashMap::new();
            for alert in alerts {
                index.upsert(alert.clone());
                all.insert(alert.id, alert);
            }
            let ids: Vec<JobAlertId> = all.keys().copied().collect();
            for r in removed {
                if let Some(&id) = ids.get(r) {
                    index.remove(id);
                    all.remove(&id);
                }
            }
            prop_assert_eq!(index.len(), all.len());
            for (a, b) in postings {
                let posting = facts(a, b);
                let mut found: Vec<JobAlertId> =
                    index.matching(&posting).into_iter().map(|m| m.alert.id).collect();
                let mut brute: Vec<JobAlertId> = all
                    .values()
                    .filter(|alert| matches(alert, &posting).is_some())
                    .map(|alert| alert.id)
                    .collect();
                found.sort();
                brute.sort();
                let distinct: HashSet<&JobAlertId> = found.iter().collect();
                prop_assert_eq!(distinct.len(), found.len(), "no alert is found twice");
                prop_assert_eq!(found, brute);
            }
        }
    }

    #[test]
    fn a_list_record_is_one_cache_line() {
        assert_eq!(std::mem::size_of::<Rec>(), 64);
    }

    #[test]
    fn reasons_name_the_criteria_that_matched() {
        let alert = AlertEntry::new(
            JobAlertId::from_uuid(Uuid::from_u128(1)),
            AccountId::from_uuid(Uuid::from_u128(2)),
            SearchCriteria {
                keywords: Some("Analysts".into()),
                counties: vec![
                    CountyCode::parse("sacramento").unwrap(),
                    CountyCode::parse("kern").unwrap(),
                ],
                salary_min: Some(500_000),
                ..SearchCriteria::default()
            },
            AlertChannel::Email,
            AlertFrequency::Instant,
        );
        let posting = facts((0, 0, 0, 0, 0, 0), (false, 4, vec![0]));
        let why = matches(&alert, &posting).expect("it matches");
        assert_eq!(
            why,
            [
                "keywords \"Analysts\"",
                "county sacramento",
                "salary up to $6000 reaches $5000"
            ]
        );
        let elsewhere = facts((0, 0, 1, 0, 0, 0), (false, 4, vec![0]));
        assert!(matches(&alert, &elsewhere).is_none());
    }
}
