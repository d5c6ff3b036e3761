//! The index on its own, without HTTP: intersections, filters (a list filter is OR), facets,
//! paging and visibility, by example and against a plain model of the rules (proptest).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use merit_domain::{
    ids::{EntityId, PostingId, Uuid},
    posting::{
        Duties, Posting, PostingStatus, PostingTitle, SalaryRange, SearchCriteria, SortOrder,
        Viewer, Visibility, filing_closes_at,
    },
    reference::{ClassificationCode, CountyCode, DepartmentCode},
    terms::{Shift, Tenure, TimeBase},
};
use merit_persistence::reference::ReferenceNames;
use proptest::prelude::*;

use super::{Found, Index, Query, SortKey, query::gallop, text};

const COUNTIES: [&str; 3] = ["fresno", "kern", "sacramento"];
const DEPARTMENTS: [&str; 3] = ["DMV", "CDCR", "EDD"];
const CLASSIFICATIONS: [&str; 3] = ["5393", "1139", "9662"];
const WORDS: [&str; 5] = ["analyst", "officer", "nurse", "clerk", "engineer"];
/// Keyword queries: one word, or several whose lists intersect (titles are "Senior <word> job",
/// duties "Does the <word> work.").
const QUERIES: [&str; 9] = [
    "analyst",
    "officer",
    "nurse",
    "clerk",
    "engineer",
    "senior clerk",
    "clerk officer work",
    "job nurse analyst",
    "engineers senior jobs work",
];

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0).unwrap()
}

fn names() -> ReferenceNames {
    let named = |codes: &[&str], prefix: &str| {
        codes
            .iter()
            .map(|c| ((*c).to_owned(), format!("{prefix} {c}")))
            .collect()
    };
    ReferenceNames {
        departments: named(&DEPARTMENTS, "Department"),
        classifications: named(&CLASSIFICATIONS, "Class"),
        counties: named(&COUNTIES, "County"),
    }
}

/// The varying parts of a generated posting (indexes into the constants above).
#[derive(Debug, Clone)]
struct Spec {
    county: usize,
    department: usize,
    classification: usize,
    tenure: usize,
    time_base: usize,
    shift: usize,
    internal: bool,
    word: usize,
    salary_max: i64,
    days_open: i64,
    published_hours: i64,
}

fn posting(n: usize, s: &Spec) -> Posting {
    let at = now() - Duration::hours(s.published_hours);
    Posting {
        id: PostingId::from_uuid(Uuid::from_u128(
            0x0190_0000_0000_7000_8000_0000_0000_0000 + n as u128,
        )),
        department: DepartmentCode::parse(DEPARTMENTS[s.department]).unwrap(),
        classification: ClassificationCode::parse(CLASSIFICATIONS[s.classification]).unwrap(),
        title: PostingTitle::parse(&format!("Senior {} job", WORDS[s.word])).unwrap(),
        duties: Duties::parse(&format!("Does the {} work.", WORDS[s.shift % WORDS.len()])).unwrap(),
        county: CountyCode::parse(COUNTIES[s.county]).unwrap(),
        tenure: Tenure::ALL[s.tenure],
        time_base: TimeBase::ALL[s.time_base],
        shift: Shift::ALL[s.shift],
        salary: SalaryRange::new(s.salary_max / 2, s.salary_max).unwrap(),
        final_filing_date: now().date_naive() + Duration::days(s.days_open),
        required_documents: Vec::new(),
        eligibility_required: false,
        visibility: if s.internal {
            Visibility::InternalOnly
        } else {
            Visibility::Public
        },
        status: PostingStatus::Open,
        published_at: Some(at),
        created_at: at,
        updated_at: at,
        version: 1,
    }
}

fn index_of(postings: &[Posting]) -> Index {
    index_with(postings, None)
}

/// An index whose term lists take bits from `dense_min` entries (`Some(1)`: every list has
/// bits; `None`: the production threshold, which the small tests never reach, so they gallop).
fn index_with(postings: &[Posting], dense_min: Option<usize>) -> Index {
    let mut index = Index::default();
    index.dense_min = dense_min;
    let names = names();
    for p in postings {
        index.upsert(p, &names);
    }
    index
}

fn run(index: &Index, criteria: &SearchCriteria, viewer: &Viewer, limit: usize) -> Found {
    index.search(&Query {
        criteria,
        viewer,
        now: now(),
        after: None,
        limit,
    })
}

fn ids(found: &Found) -> Vec<String> {
    found.hits.iter().map(|h| h.card.id.clone()).collect()
}

fn spec(county: usize, department: usize, internal: bool) -> Spec {
    Spec {
        county,
        department,
        classification: 0,
        tenure: 0,
        time_base: 0,
        shift: 0,
        internal,
        word: 0,
        salary_max: 500_000,
        days_open: 30,
        published_hours: 1,
    }
}

fn employee_of(code: &str) -> Viewer {
    Viewer {
        employee_of: Some(DepartmentCode::parse(code).unwrap()),
        employer_of: None,
    }
}

#[test]
fn a_repeated_filter_is_an_or_and_different_filters_an_and() {
    let postings: Vec<Posting> = [spec(0, 0, false), spec(1, 1, false), spec(2, 0, false)]
        .iter()
        .enumerate()
        .map(|(n, s)| posting(n, s))
        .collect();
    let index = index_of(&postings);
    let county = |c: &str| CountyCode::parse(c).unwrap();
    let criteria = SearchCriteria {
        counties: vec![county("fresno"), county("kern")],
        ..Default::default()
    };
    let found = run(&index, &criteria, &Viewer::anonymous(), 10);
    assert_eq!(found.total, 2);
    let criteria = SearchCriteria {
        counties: vec![county("fresno"), county("kern"), county("no-such")],
        departments: vec![DepartmentCode::parse("DMV").unwrap()],
        ..Default::default()
    };
    assert_eq!(
        ids(&run(&index, &criteria, &Viewer::anonymous(), 10)),
        [postings[0].id.to_string()]
    );
    let nothing_known = SearchCriteria {
        counties: vec![county("no-such")],
        ..Default::default()
    };
    assert_eq!(
        run(&index, &nothing_known, &Viewer::anonymous(), 10).total,
        0
    );
}

#[test]
fn internal_only_finds_what_only_employees_and_the_departments_employers_see() {
    let postings: Vec<Posting> = [spec(0, 0, true), spec(1, 1, false), spec(2, 1, true)]
        .iter()
        .enumerate()
        .map(|(n, s)| posting(n, s))
        .collect();
    let index = index_of(&postings);
    let internal = SearchCriteria {
        internal_only: true,
        ..Default::default()
    };
    assert_eq!(run(&index, &internal, &Viewer::anonymous(), 10).total, 0);
    assert_eq!(
        run(&index, &SearchCriteria::default(), &Viewer::anonymous(), 10).total,
        1
    );
    assert_eq!(run(&index, &internal, &employee_of("EDD"), 10).total, 2);
    let employer = Viewer {
        employee_of: None,
        employer_of: Some(DepartmentCode::parse("CDCR").unwrap()),
    };
    assert_eq!(
        ids(&run(&index, &internal, &employer, 10)),
        [postings[2].id.to_string()]
    );
}

#[test]
fn facets_name_their_codes_and_cards_carry_names() {
    let index = index_of(&[posting(0, &spec(2, 0, false))]);
    let found = run(&index, &SearchCriteria::default(), &Viewer::anonymous(), 10);
    let county = &found.facets.county[0];
    assert_eq!(
        (county.value.as_str(), county.name.as_deref(), county.count),
        ("sacramento", Some("County sacramento"), 1)
    );
    assert_eq!(found.facets.tenure[0].name, None);
    let card = &found.hits[0].card;
    assert_eq!(card.department_name, "Department DMV");
    assert_eq!(card.classification_title, "Class 5393");
    assert_eq!(card.county_name, "County sacramento");
}

#[test]
fn a_removed_posting_is_gone_from_lists_and_facets() {
    let postings: Vec<Posting> = (0..3).map(|n| posting(n, &spec(n, n, false))).collect();
    let mut index = index_of(&postings);
    index.remove(postings[1].id);
    let found = run(&index, &SearchCriteria::default(), &Viewer::anonymous(), 10);
    assert_eq!(found.total, 2);
    assert!(found.facets.county.iter().all(|f| f.value != "kern"));
    assert_eq!(index.len(), 2);
}

fn spec_strategy() -> impl Strategy<Value = Spec> {
    (
        (
            0..3usize,
            0..3usize,
            0..3usize,
            0..3usize,
            0..3usize,
            0..5usize,
        ),
        (any::<bool>(), 0..5usize, 1..20i64, -3..20i64, 0..48i64),
    )
        .prop_map(
            |((county, department, classification, tenure, time_base, shift), rest)| Spec {
                county,
                department,
                classification,
                tenure,
                time_base,
                shift,
                internal: rest.0,
                word: rest.1,
                salary_max: rest.2 * 100_000,
                days_open: rest.3,
                published_hours: rest.4,
            },
        )
}

fn subset<T: Clone + std::fmt::Debug>(all: &'static [T]) -> impl Strategy<Value = Vec<T>> {
    proptest::sample::subsequence(all.to_vec(), 0..=all.len())
}

fn criteria_strategy() -> impl Strategy<Value = SearchCriteria> {
    (
        (
            subset(&COUNTIES),
            subset(&DEPARTMENTS),
            subset(&CLASSIFICATIONS),
            subset(Tenure::ALL),
            subset(Shift::ALL),
        ),
        (
            any::<bool>(),
            proptest::option::of(0..QUERIES.len()),
            proptest::option::of(1..20i64),
            proptest::sample::select(vec![
                SortOrder::Relevance,
                SortOrder::Newest,
                SortOrder::ClosingSoon,
                SortOrder::Salary,
            ]),
        ),
        (
            subset(TimeBase::ALL),
            proptest::option::of(-4..22i64),
            proptest::option::of(0..3i64),
        ),
    )
        .prop_map(
            |((counties, departments, classifications, tenures, shifts), rest, more)| {
                SearchCriteria {
                    counties: counties
                        .iter()
                        .map(|c| CountyCode::parse(c).unwrap())
                        .collect(),
                    departments: departments
                        .iter()
                        .map(|d| DepartmentCode::parse(d).unwrap())
                        .collect(),
                    classifications: classifications
                        .iter()
                        .map(|c| ClassificationCode::parse(c).unwrap())
                        .collect(),
                    tenures,
                    shifts,
                    internal_only: rest.0,
                    keywords: rest.1.map(|q| QUERIES[q].to_owned()),
                    salary_min: rest.2.map(|s| s * 100_000),
                    sort: rest.3,
                    time_bases: more.0,
                    closing_before: more.1.map(|days| now().date_naive() + Duration::days(days)),
                    posted_since: more.2.map(|days| now().date_naive() - Duration::days(days)),
                    ..Default::default()
                }
            },
        )
}

fn viewer_strategy() -> impl Strategy<Value = Viewer> {
    let department = proptest::option::of(proptest::sample::select(DEPARTMENTS.to_vec()));
    (department.clone(), department).prop_map(|(employee, employer)| Viewer {
        employee_of: employee.map(|d| DepartmentCode::parse(d).unwrap()),
        employer_of: employer.map(|d| DepartmentCode::parse(d).unwrap()),
    })
}

/// The rules, written plainly: what a search must find.
fn model(postings: &[Posting], c: &SearchCriteria, viewer: &Viewer) -> BTreeSet<String> {
    let any_of = |values: &[String], value: &str| {
        values.is_empty() || values.iter().any(|v| v.eq_ignore_ascii_case(value))
    };
    let codes = |v: Vec<String>| v;
    postings
        .iter()
        .filter(|p| {
            let visible = p.visibility == Visibility::Public
                || viewer.sees_internal()
                || viewer.employer_of.as_ref() == Some(&p.department);
            let words = text::terms(&format!(
                "{} {} {}",
                p.title.as_str(),
                names().classifications[p.classification.as_str()],
                p.duties.as_str()
            ));
            visible
                && p.accepting_applications(now())
                && (!c.internal_only || p.visibility == Visibility::InternalOnly)
                && any_of(
                    &codes(c.counties.iter().map(|x| x.to_string()).collect()),
                    p.county.as_str(),
                )
                && any_of(
                    &codes(c.departments.iter().map(|x| x.to_string()).collect()),
                    p.department.as_str(),
                )
                && any_of(
                    &codes(c.classifications.iter().map(|x| x.to_string()).collect()),
                    p.classification.as_str(),
                )
                && (c.tenures.is_empty() || c.tenures.contains(&p.tenure))
                && (c.time_bases.is_empty() || c.time_bases.contains(&p.time_base))
                && c.closing_before
                    .is_none_or(|before| p.final_filing_date <= before)
                && c.posted_since
                    .is_none_or(|since| p.published_at.is_some_and(|at| at.date_naive() >= since))
                && (c.shifts.is_empty() || c.shifts.contains(&p.shift))
                && c.salary_min.is_none_or(|min| p.salary.max_cents() >= min)
                && c.keywords
                    .as_deref()
                    .is_none_or(|k| text::query_terms(k, 16).iter().all(|t| words.contains(t)))
        })
        .map(|p| p.id.to_string())
        .collect()
}

/// The order of a search's results, written plainly: a document's score sums, in query order,
/// `w / (w + 1.2)` per query term, `w` counting 3 per occurrence in the title, 2 in the
/// classification title, 1 in the duties.
fn model_order(
    postings: &[Posting],
    matched: &BTreeSet<String>,
    c: &SearchCriteria,
) -> Vec<String> {
    let sort = c.effective_sort();
    let query = c
        .keywords
        .as_deref()
        .map(|k| text::query_terms(k, 16))
        .unwrap_or_default();
    let mut keyed: Vec<(i64, String)> = postings
        .iter()
        .filter(|p| matched.contains(&p.id.to_string()))
        .map(|p| {
            let primary = match sort {
                SortOrder::Relevance => {
                    let fields = [
                        (p.title.as_str().to_owned(), 3.0f32),
                        (
                            names().classifications[p.classification.as_str()].clone(),
                            2.0,
                        ),
                        (p.duties.as_str().to_owned(), 1.0),
                    ];
                    let score = query.iter().fold(0.0f32, |sum, term| {
                        let w: f32 = fields
                            .iter()
                            .map(|(field, weight)| {
                                text::terms(field).iter().filter(|t| *t == term).count() as f32
                                    * weight
                            })
                            .sum();
                        sum + w / (w + 1.2)
                    });
                    -((f64::from(score) * 1_000_000.0).round() as i64)
                }
                SortOrder::Newest => -p.published_at.map_or(0, |t| t.timestamp_micros()),
                SortOrder::ClosingSoon => filing_closes_at(p.final_filing_date).timestamp_micros(),
                SortOrder::Salary => -p.salary.max_cents(),
            };
            (primary, p.id.to_string())
        })
        .collect();
    keyed.sort_by(|a, b| {
        a.0.cmp(&b.0).then_with(|| {
            if sort == SortOrder::ClosingSoon {
                a.1.cmp(&b.1)
            } else {
                b.1.cmp(&a.1)
            }
        })
    });
    keyed.into_iter().map(|(_, id)| id).collect()
}

/// Every page of a search, following the cursor key.
fn all_pages(index: &Index, c: &SearchCriteria, viewer: &Viewer, limit: usize) -> Vec<String> {
    let mut seen = Vec::new();
    let mut after: Option<SortKey> = None;
    loop {
        let found = index.search(&Query {
            criteria: c,
            viewer,
            now: now(),
            after: after.as_ref(),
            limit,
        });
        assert!(found.hits.len() <= limit);
        seen.extend(ids(&found));
        match (found.has_more, found.hits.last()) {
            (true, Some(last)) => after = Some(last.key.clone()),
            _ => return seen,
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn the_index_finds_what_the_rules_say_counts_it_and_pages_it_whole(
        specs in proptest::collection::vec(spec_strategy(), 0..24),
        criteria in criteria_strategy(),
        viewer in viewer_strategy(),
        limit in 1..7usize,
    ) {
        let postings: Vec<Posting> =
            specs.iter().enumerate().map(|(n, s)| posting(n, s)).collect();
        for dense_min in [None, Some(1)] {
        let index = index_with(&postings, dense_min);
        let expected = model(&postings, &criteria, &viewer);
        let found = run(&index, &criteria, &viewer, 100);
        let got: BTreeSet<String> = ids(&found).into_iter().collect();
        prop_assert_eq!(&got, &expected);
        prop_assert_eq!(found.total, expected.len());

        let by_id: BTreeMap<String, &Posting> =
            postings.iter().map(|p| (p.id.to_string(), p)).collect();
        let mut counties: BTreeMap<String, usize> = BTreeMap::new();
        for id in &expected {
            *counties.entry(by_id[id].county.to_string()).or_default() += 1;
        }
        let facet: BTreeMap<String, usize> =
            found.facets.county.iter().map(|f| (f.value.clone(), f.count)).collect();
        prop_assert_eq!(facet, counties);
        let tenure_sum: usize = found.facets.tenure.iter().map(|f| f.count).sum();
        prop_assert_eq!(tenure_sum, expected.len());
        let counted = |value: &dyn Fn(&Posting) -> String| {
            let mut counts: BTreeMap<String, usize> = BTreeMap::new();
            for id in &expected {
                *counts.entry(value(by_id[id])).or_default() += 1;
            }
            counts
        };
        let facet = |counts: &[super::FacetCount]| -> BTreeMap<String, usize> {
            counts.iter().map(|f| (f.value.clone(), f.count)).collect()
        };
        prop_assert_eq!(facet(&found.facets.department), counted(&|p| p.department.to_string()));
        prop_assert_eq!(
            facet(&found.facets.classification),
            counted(&|p| p.classification.to_string())
        );
        prop_assert_eq!(facet(&found.facets.tenure), counted(&|p| p.tenure.as_str().to_owned()));
        prop_assert_eq!(
            facet(&found.facets.time_base),
            counted(&|p| p.time_base.as_str().to_owned())
        );

        prop_assert_eq!(ids(&found), model_order(&postings, &expected, &criteria));

        let paged = all_pages(&index, &criteria, &viewer, limit);
        prop_assert_eq!(&paged, &ids(&found), "pages concatenate to the whole, in order");
        }
    }
}

#[test]
fn pages_follow_each_order() {
    let postings: Vec<Posting> = (0..9)
        .map(|n| {
            let mut s = spec(n % 3, n % 3, false);
            s.salary_max = 100_000 * (1 + (n as i64 % 4));
            s.days_open = 5 + (n as i64 % 3);
            s.published_hours = (n as i64) % 2;
            posting(n, &s)
        })
        .collect();
    let index = index_of(&postings);
    for sort in [SortOrder::Newest, SortOrder::ClosingSoon, SortOrder::Salary] {
        let criteria = SearchCriteria {
            sort,
            ..Default::default()
        };
        let whole = ids(&run(&index, &criteria, &Viewer::anonymous(), 100));
        assert_eq!(whole.len(), 9);
        assert_eq!(all_pages(&index, &criteria, &Viewer::anonymous(), 2), whole);
    }
    let first_closing = NaiveDate::from_ymd_opt(2026, 3, 6).unwrap();
    let criteria = SearchCriteria {
        sort: SortOrder::ClosingSoon,
        ..Default::default()
    };
    let found = run(&index, &criteria, &Viewer::anonymous(), 1);
    assert_eq!(found.hits[0].card.final_filing_date, first_closing);
}

#[test]
fn galloping_finds_the_first_slot_not_below_the_target() {
    let list = [2, 3, 5, 8, 13, 21, 34, 55, 89];
    assert_eq!(gallop(&[], 0, 7), 0);
    assert_eq!(gallop(&list, 0, 0), 0, "below the first");
    assert_eq!(gallop(&list, 0, 2), 0, "the first itself");
    assert_eq!(gallop(&list, 0, 89), 8, "the last itself");
    assert_eq!(gallop(&list, 0, 90), 9, "beyond the last");
    assert_eq!(gallop(&list, 0, 14), 5, "between two, far from the start");
    assert_eq!(gallop(&list, 4, 5), 4, "never moves backwards");
    assert_eq!(gallop(&list, 9, 1), 9, "from the end");
    assert_eq!(gallop(&list, 20, 1), 9, "from beyond the end");
    assert_eq!(gallop(&list, 3, 55), 7, "a step overshooting the end");
}

proptest! {
    #[test]
    fn galloping_agrees_with_a_binary_search(
        set in proptest::collection::btree_set(0..400u32, 0..120),
        from in 0..130usize,
        target in 0..420u32,
    ) {
        let list: Vec<u32> = set.into_iter().collect();
        let from = from.min(list.len());
        let expected = from + list[from..].partition_point(|s| *s < target);
        prop_assert_eq!(gallop(&list, from, target), expected);
    }
}

#[test]
fn removals_and_updates_compact_the_index_without_changing_any_result() {
    let postings: Vec<Posting> = (0..3000)
        .map(|n| {
            let mut s = spec(n % 3, (n / 3) % 3, n % 7 == 0);
            s.word = n % 5;
            s.shift = (n / 5) % 5;
            s.classification = (n / 2) % 3;
            s.salary_max = 100_000 * (1 + (n as i64 % 9));
            s.published_hours = (n % 48) as i64;
            posting(n, &s)
        })
        .collect();
    for dense_min in [None, Some(1)] {
        compact_and_compare(&postings, dense_min);
    }
}

fn compact_and_compare(postings: &[Posting], dense_min: Option<usize>) {
    let names = names();
    let mut index = index_with(postings, dense_min);
    let mut kept = Vec::new();
    for (n, p) in postings.iter().enumerate() {
        if n % 3 == 0 {
            kept.push(p.clone());
        } else {
            index.remove(p.id);
        }
    }
    assert!(index.slots.len() < 3000, "dead slots were dropped");
    for p in kept.iter_mut().step_by(2) {
        p.title = PostingTitle::parse("Senior nurse analyst job").unwrap();
        index.upsert(p, &names);
    }
    assert_eq!(index.len(), kept.len());
    let fresh = index_of(&kept);
    if dense_min.is_some() {
        assert!(
            index
                .lists
                .iter()
                .all(|l| l.dense.is_some() == (l.slots.len() * 32 >= index.slots.len())),
            "every frequent list has bits, no other"
        );
        for lists in [
            &index.by_county,
            &index.by_department,
            &index.by_classification,
        ] {
            for list in lists {
                let frequent = !list.slots.is_empty() && list.slots.len() * 64 >= index.slots.len();
                assert_eq!(
                    list.bits.is_some(),
                    frequent,
                    "a frequent value has bits, no other"
                );
                if let Some(bits) = &list.bits {
                    for slot in 0..u32::try_from(index.slots.len()).unwrap() {
                        assert_eq!(bits.contains(slot), list.slots.contains(&slot));
                    }
                }
            }
        }
    }
    let county = |c: &str| CountyCode::parse(c).unwrap();
    let department = |d: &str| DepartmentCode::parse(d).unwrap();
    let searches = [
        SearchCriteria::default(),
        SearchCriteria {
            keywords: Some("nurse".to_owned()),
            ..Default::default()
        },
        SearchCriteria {
            keywords: Some("senior analyst work".to_owned()),
            counties: vec![county("kern"), county("fresno")],
            ..Default::default()
        },
        SearchCriteria {
            keywords: Some("clerk".to_owned()),
            departments: vec![department("EDD")],
            sort: SortOrder::Salary,
            ..Default::default()
        },
        SearchCriteria {
            departments: vec![department("DMV"), department("CDCR")],
            classifications: vec![ClassificationCode::parse("1139").unwrap()],
            sort: SortOrder::ClosingSoon,
            ..Default::default()
        },
    ];
    for criteria in &searches {
        for viewer in [Viewer::anonymous(), employee_of("EDD")] {
            let (got, want) = (
                run(&index, criteria, &viewer, 25),
                run(&fresh, criteria, &viewer, 25),
            );
            assert!(want.total > 0, "{criteria:?} finds something");
            assert_eq!(ids(&got), ids(&want), "{criteria:?}");
            assert_eq!((got.total, &got.facets), (want.total, &want.facets));
            assert_eq!(
                got.hits.iter().map(|h| &h.card).collect::<Vec<_>>(),
                want.hits.iter().map(|h| &h.card).collect::<Vec<_>>()
            );
            assert_eq!(
                all_pages(&index, criteria, &viewer, 40),
                all_pages(&fresh, criteria, &viewer, 40)
            );
        }
    }
}

#[test]
fn cards_carry_every_field_of_the_posting() {
    let mut p = posting(7, &spec(1, 2, true));
    p.eligibility_required = true;
    let index = index_of(std::slice::from_ref(&p));
    let found = run(&index, &SearchCriteria::default(), &employee_of("EDD"), 10);
    let card = &found.hits[0].card;
    assert_eq!(card.id, p.id.to_string());
    assert_eq!(found.hits[0].key.id, p.id.to_string());
    assert_eq!(card.title, p.title.as_str());
    assert_eq!(
        (card.department_code.as_str(), card.county_code.as_str()),
        ("EDD", "kern")
    );
    assert_eq!(card.classification_code, "5393");
    assert_eq!(
        (card.tenure, card.time_base, card.shift),
        (p.tenure, p.time_base, p.shift)
    );
    assert_eq!(
        (card.salary_min_cents, card.salary_max_cents),
        (p.salary.min_cents(), p.salary.max_cents())
    );
    assert_eq!(card.final_filing_date, p.final_filing_date);
    assert_eq!(card.published_at, p.published_at);
    assert_eq!(card.visibility, Visibility::InternalOnly);
    assert!(card.eligibility_required);
}

#[test]
fn the_running_heap_count_agrees_with_a_walk_of_the_index() {
    for dense_min in [None, Some(1)] {
        heap_count_agrees(dense_min);
    }
}

fn heap_count_agrees(dense_min: Option<usize>) {
    let names = names();
    let mut index = Index::default();
    index.dense_min = dense_min;
    // The running count is right when it equals what a walk of every list and text finds.
    let agrees = |index: &Index| index.heap_bytes() == index.table_bytes() + index.count_bytes();
    assert!(agrees(&index));
    let mut postings: Vec<Posting> = (0..3000)
        .map(|n| {
            let mut s = spec(n % 3, (n / 3) % 3, n % 5 == 0);
            s.word = n % 5;
            posting(n, &s)
        })
        .collect();
    let mut last = index.heap_bytes();
    for (n, p) in postings.iter().enumerate() {
        index.upsert(p, &names);
        if n % 500 == 0 {
            assert!(agrees(&index), "after {n} postings");
            assert!(
                index.heap_bytes() > last,
                "the count grows with the postings"
            );
            last = index.heap_bytes();
        }
    }
    assert!(agrees(&index));
    for (n, p) in postings.iter_mut().enumerate() {
        match n % 4 {
            0 => index.remove(p.id),
            1 => {
                p.title =
                    PostingTitle::parse("A much longer title for a nurse analyst job").unwrap();
                index.upsert(p, &names);
            }
            _ => {}
        }
        if n % 250 == 0 {
            assert!(agrees(&index), "after {n} changes");
        }
    }
    assert!(agrees(&index), "after compactions");
    let before = index.heap_bytes();
    index.shrink();
    assert!(agrees(&index));
    assert!(
        index.heap_bytes() < before,
        "shrinking gives back spare capacity"
    );
    for p in &postings {
        index.remove(p.id);
    }
    assert!(index.is_empty());
    assert!(agrees(&index));
}

#[test]
fn filters_and_keywords_as_bits_find_and_count_what_lists_do() {
    // Enough postings that, at the production thresholds, every county, department and
    // classification and the frequent words have bits, so their AND drives a search.
    let postings: Vec<Posting> = (0..6000)
        .map(|n| {
            let mut s = spec(n % 3, (n / 3) % 3, n % 11 == 0);
            s.word = (n / 7) % 5;
            s.shift = (n / 13) % 5;
            s.classification = (n / 17) % 3;
            s.tenure = (n / 19) % 3;
            s.time_base = (n / 23) % 3;
            s.days_open = (n % 9) as i64 - 2;
            s.salary_max = 100_000 * (1 + (n as i64 % 9));
            s.published_hours = (n % 48) as i64;
            posting(n, &s)
        })
        .collect();
    let with_bits = index_with(&postings, None);
    let without = index_with(&postings, Some(usize::MAX));
    for lists in [
        &with_bits.by_county,
        &with_bits.by_department,
        &with_bits.by_classification,
    ] {
        assert!(
            lists.iter().all(|l| l.bits.is_some()),
            "every value has bits"
        );
    }
    assert!(without.by_county.iter().all(|l| l.bits.is_none()));
    assert!(without.lists.iter().all(|l| l.dense.is_none()));
    let county = |c: &str| CountyCode::parse(c).unwrap();
    let department = |d: &str| DepartmentCode::parse(d).unwrap();
    let searches = [
        SearchCriteria {
            keywords: Some("analyst".to_owned()),
            counties: vec![county("sacramento")],
            departments: vec![department("DMV")],
            ..Default::default()
        },
        SearchCriteria {
            keywords: Some("senior work".to_owned()),
            counties: vec![county("kern"), county("fresno")],
            classifications: vec![ClassificationCode::parse("1139").unwrap()],
            sort: SortOrder::ClosingSoon,
            ..Default::default()
        },
        SearchCriteria {
            departments: vec![department("EDD"), department("CDCR")],
            tenures: vec![Tenure::Permanent],
            time_bases: vec![TimeBase::FullTime, TimeBase::PartTime],
            closing_before: Some(now().date_naive() + Duration::days(4)),
            ..Default::default()
        },
        SearchCriteria {
            keywords: Some("nurse".to_owned()),
            counties: vec![county("fresno")],
            shifts: vec![Shift::Day],
            salary_min: Some(300_000),
            sort: SortOrder::Salary,
            ..Default::default()
        },
        SearchCriteria {
            counties: vec![county("sacramento")],
            internal_only: true,
            sort: SortOrder::Newest,
            ..Default::default()
        },
    ];
    for criteria in &searches {
        for viewer in [Viewer::anonymous(), employee_of("EDD")] {
            let got = run(&with_bits, criteria, &viewer, 20);
            let want = run(&without, criteria, &viewer, 20);
            let expected = model(&postings, criteria, &viewer);
            // Only an anonymous search for internal-only postings finds nothing.
            assert_eq!(
                expected.is_empty(),
                criteria.internal_only && !viewer.sees_internal(),
                "{criteria:?}"
            );
            assert_eq!(got.total, expected.len(), "{criteria:?}");
            assert_eq!(ids(&got), ids(&want), "{criteria:?}");
            assert_eq!((got.total, &got.facets), (want.total, &want.facets));
            let every = all_pages(&with_bits, criteria, &viewer, 7);
            assert_eq!(every.len(), expected.len());
            assert_eq!(every, model_order(&postings, &expected, criteria));
        }
    }
}
