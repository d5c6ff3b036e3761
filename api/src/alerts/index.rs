//! Matching a new posting against every alert without one query (or one check) per alert.
//!
//! A term-filtered presearch (Lucene Monitor's idea, see `docs/ARCHITECTURE.md`): each alert
//! is filed under the values of ONE of its list filters, the most selective it has
//! (classification, then department, county, a keyword term, shift, time base, tenure); an
//! alert with none of these is filed under "any". A posting has one value per filter and a set
//! of terms, so the only alerts that can match it are those filed under one of its values or
//! terms, or under "any": the candidates. Each candidate is then checked exactly
//! ([`matches`]), with the same rules as search. The result is exact (a property test compares
//! it with checking every alert), and a posting costs a handful of hash look-ups plus the
//! candidates, not the number of alerts.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use merit_domain::{
    alert::{AlertChannel, AlertFrequency},
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
    pub id: String,
    /// Its owner.
    pub account_id: String,
    /// What it watches for.
    pub criteria: SearchCriteria,
    /// Its keyword terms (folded and stemmed as search does).
    pub terms: Vec<String>,
    /// Inbox only or inbox and email.
    pub channel: AlertChannel,
    /// When it is delivered.
    pub frequency: AlertFrequency,
}

impl AlertEntry {
    /// An entry for these criteria (the terms are computed here).
    pub fn new(
        id: String,
        account_id: String,
        criteria: SearchCriteria,
        channel: AlertChannel,
        frequency: AlertFrequency,
    ) -> Self {
        let terms = criteria
            .keywords
            .as_deref()
            .map_or_else(Vec::new, |k| text::query_terms(k, MAX_TERMS));
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
        let mut terms = HashSet::new();
        for field in [
            posting.title.as_str(),
            classification_title,
            posting.duties.as_str(),
        ] {
            terms.extend(text::terms(field));
        }
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
            terms,
        }
    }
}

fn any_of<T: PartialEq>(values: &[T], value: &T) -> bool {
    values.is_empty() || values.contains(value)
}

fn dollars(cents: i64) -> String {
    format!("${}", cents / 100)
}

/// Whether `alert` admits `posting` (visibility aside: that depends on the owner, see the
/// worker), with the same rules as search; when it does, why: one sentence per criterion set.
pub fn matches(alert: &AlertEntry, posting: &PostingFacts) -> Option<Vec<String>> {
    let c = &alert.criteria;
    let since = c.posted_since.map(|d| d.and_time(NaiveTime::MIN).and_utc());
    let admitted = any_of(
        &c.classifications
            .iter()
            .map(|x| x.as_str())
            .collect::<Vec<_>>(),
        &posting.classification.as_str(),
    ) && any_of(
        &c.departments.iter().map(|x| x.as_str()).collect::<Vec<_>>(),
        &posting.department.as_str(),
    ) && any_of(
        &c.counties.iter().map(|x| x.as_str()).collect::<Vec<_>>(),
        &posting.county.as_str(),
    ) && any_of(&c.tenures, &posting.tenure)
        && any_of(&c.time_bases, &posting.time_base)
        && any_of(&c.shifts, &posting.shift)
        && (!c.internal_only || posting.internal_only)
        && c.salary_min.is_none_or(|min| posting.salary_max >= min)
        && c.salary_max.is_none_or(|max| posting.salary_min <= max)
        && since.is_none_or(|since| posting.published_at >= since)
        && c.closing_before
            .is_none_or(|before| posting.final_filing_date <= before)
        && alert.terms.iter().all(|t| posting.terms.contains(t));
    if !admitted {
        return None;
    }
    let mut why = Vec::new();
    if let Some(keywords) = c.keywords.as_deref().filter(|_| !alert.terms.is_empty()) {
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
    Some(why)
}

/// The filter values an alert is filed under (each once): the most selective list filter it
/// has.
fn anchors(alert: &AlertEntry) -> Vec<String> {
    let mut keys = anchor_values(alert);
    keys.sort_unstable();
    keys.dedup();
    keys
}

fn anchor_values(alert: &AlertEntry) -> Vec<String> {
    let c = &alert.criteria;
    if !c.classifications.is_empty() {
        return c.classifications.iter().map(|v| format!("c:{v}")).collect();
    }
    if !c.departments.is_empty() {
        return c.departments.iter().map(|v| format!("d:{v}")).collect();
    }
    if !c.counties.is_empty() {
        return c.counties.iter().map(|v| format!("y:{v}")).collect();
    }
    if let Some(term) = alert.terms.iter().max_by_key(|t| t.len()) {
        return vec![format!("k:{term}")];
    }
    if !c.shifts.is_empty() {
        return c
            .shifts
            .iter()
            .map(|v| format!("s:{}", v.as_str()))
            .collect();
    }
    if !c.time_bases.is_empty() {
        return c
            .time_bases
            .iter()
            .map(|v| format!("b:{}", v.as_str()))
            .collect();
    }
    if !c.tenures.is_empty() {
        return c
            .tenures
            .iter()
            .map(|v| format!("t:{}", v.as_str()))
            .collect();
    }
    vec![ANY.to_owned()]
}

const ANY: &str = "*";

/// The keys a posting is looked up under.
fn posting_keys(posting: &PostingFacts) -> Vec<String> {
    let mut keys = vec![
        ANY.to_owned(),
        format!("c:{}", posting.classification),
        format!("d:{}", posting.department),
        format!("y:{}", posting.county),
        format!("s:{}", posting.shift.as_str()),
        format!("b:{}", posting.time_base.as_str()),
        format!("t:{}", posting.tenure.as_str()),
    ];
    keys.extend(posting.terms.iter().map(|t| format!("k:{t}")));
    keys
}

/// The alert index: every active alert, filed under its anchor values.
#[derive(Debug, Default)]
pub struct AlertIndex {
    slots: Vec<Option<AlertEntry>>,
    free: Vec<u32>,
    by_id: HashMap<String, u32>,
    lists: HashMap<Box<str>, Vec<u32>>,
}

/// A match: the alert and why it matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Matched<'i> {
    /// The alert.
    pub alert: &'i AlertEntry,
    /// Why (one sentence per criterion).
    pub reasons: Vec<String>,
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

    /// Adds or replaces an alert.
    pub fn upsert(&mut self, alert: AlertEntry) {
        self.remove(&alert.id);
        let slot = self.free.pop().unwrap_or_else(|| {
            self.slots.push(None);
            u32::try_from(self.slots.len() - 1).unwrap_or(u32::MAX)
        });
        for key in anchors(&alert) {
            self.lists
                .entry(key.into_boxed_str())
                .or_default()
                .push(slot);
        }
        self.by_id.insert(alert.id.clone(), slot);
        self.slots[slot as usize] = Some(alert);
    }

    /// Removes an alert, if indexed.
    pub fn remove(&mut self, id: &str) {
        let Some(slot) = self.by_id.remove(id) else {
            return;
        };
        if let Some(alert) = self.slots[slot as usize].take() {
            for key in anchors(&alert) {
                if let Some(list) = self.lists.get_mut(key.as_str()) {
                    if let Some(at) = list.iter().position(|s| *s == slot) {
                        list.swap_remove(at);
                    }
                    if list.is_empty() {
                        self.lists.remove(key.as_str());
                    }
                }
            }
        }
        self.free.push(slot);
    }

    /// How many alerts are candidates for `posting` (for figures).
    pub fn candidate_count(&self, posting: &PostingFacts) -> usize {
        posting_keys(posting)
            .iter()
            .filter_map(|k| self.lists.get(k.as_str()))
            .map(Vec::len)
            .sum()
    }

    /// Every alert that admits `posting`, with why.
    pub fn matching(&self, posting: &PostingFacts) -> Vec<Matched<'_>> {
        let mut found = Vec::new();
        for key in posting_keys(posting) {
            let Some(list) = self.lists.get(key.as_str()) else {
                continue;
            };
            for slot in list {
                if let Some(alert) = &self.slots[*slot as usize]
                    && let Some(reasons) = matches(alert, posting)
                {
                    found.push(Matched { alert, reasons });
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
    use merit_domain::reference::{ClassificationCode, CountyCode, DepartmentCode};
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
            frequency in 0usize..3,
        ) -> AlertEntry {
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
                ..SearchCriteria::default()
            };
            AlertEntry::new(format!("a{id}"), "owner".into(), criteria, AlertChannel::InApp, AlertFrequency::ALL[frequency])
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
            let mut all: HashMap<String, AlertEntry> = HashMap::new();
            for alert in alerts {
                index.upsert(alert.clone());
                all.insert(alert.id.clone(), alert);
            }
            let ids: Vec<String> = all.keys().cloned().collect();
            for r in removed {
                if let Some(id) = ids.get(r) {
                    index.remove(id);
                    all.remove(id);
                }
            }
            prop_assert_eq!(index.len(), all.len());
            for (a, b) in postings {
                let posting = facts(a, b);
                let mut found: Vec<String> =
                    index.matching(&posting).into_iter().map(|m| m.alert.id.clone()).collect();
                let mut brute: Vec<String> = all
                    .values()
                    .filter(|alert| matches(alert, &posting).is_some())
                    .map(|alert| alert.id.clone())
                    .collect();
                found.sort();
                brute.sort();
                let distinct: HashSet<&String> = found.iter().collect();
                prop_assert_eq!(distinct.len(), found.len(), "no alert is found twice");
                prop_assert_eq!(found, brute);
            }
        }
    }

    #[test]
    fn reasons_name_the_criteria_that_matched() {
        let alert = AlertEntry::new(
            "a".into(),
            "o".into(),
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
