//! Job alert matching at scale: builds the in-memory alert index (`merit_api::alerts`) over N
//! synthetic alerts, then matches synthetic new postings against it, and reports the time per
//! posting to find every match (p50, p99, mean), the candidates checked, the memory the index
//! takes (RSS growth, bytes per alert), and checks exactness against checking every alert on a
//! sample of postings.
//!
//! `cargo run --profile bench-alerts -p merit-api --example alerts_bench -- [ALERTS...]`
//! (default: 100000 1000000; `BENCH_POSTINGS` new postings each, default 2000). `bench/alerts.sh` runs it and writes the figures to `bench/results/`.
//!
//! The alerts mix what people save: 45% name 1-3 classifications (of 400), 20% 1-2
//! departments (of 150), 20% 1-3 counties (of 58), 13% only keywords (1-2 words of 3,000), 2%
//! only a tenure or time base; most add a second filter or a salary floor. Each posting has one
//! value per filter and 40 words of duties. `BENCH_MIX=narrow` builds a narrower mix instead
//! (see `narrow_alert`: mostly classifications of 1,500 with a county).

#![allow(clippy::print_stdout, reason = "a benchmark prints its figures")]

use std::time::Instant;

use chrono::{NaiveDate, TimeZone, Utc};
use merit_api::alerts::{AlertEntry, AlertIndex, PostingFacts, index::admits};
use merit_domain::{
    alert::{AlertChannel, AlertFrequency},
    ids::{AccountId, EntityId, JobAlertId, Uuid},
    posting::SearchCriteria,
    reference::{ClassificationCode, CountyCode, DepartmentCode},
    terms::{Shift, Tenure, TimeBase},
};

const CLASSES: u64 = 400;
const DEPARTMENTS: u64 = 150;
const COUNTIES: u64 = 58;
const WORDS: u64 = 3_000;
/// Classifications in the narrow mix (California has about 1,500 in use).
const NARROW_CLASSES: u64 = 1_500;
const POSTINGS_DEFAULT: usize = 2_000;
const EXACTNESS_SAMPLE: usize = 20;

/// A small deterministic generator (xorshift), so every run builds the same alerts.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn letters(mut n: u64) -> String {
    let mut out = String::new();
    loop {
        out.push(char::from(b'a' + (n % 26) as u8));
        n /= 26;
        if n == 0 {
            return out;
        }
    }
}

fn class(n: u64) -> ClassificationCode {
    ClassificationCode::parse(&format!("C{n}")).expect("a class code")
}

fn department(n: u64) -> DepartmentCode {
    DepartmentCode::parse(&format!("D{n}")).expect("a department code")
}

fn county(n: u64) -> CountyCode {
    CountyCode::parse(&format!("cy{}", letters(n))).expect("a county code")
}

fn word(n: u64) -> String {
    format!("w{}x", letters(n))
}

/// Which synthetic alerts: `broad` (the mix above) or `narrow` (`BENCH_MIX=narrow`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mix {
    Broad,
    Narrow,
}

/// The narrow mix: what a careers-portal alert usually is, a job and a place. 70% name 1-3
/// classifications of 1,500 and, nine times in ten, 1-2 counties; 15% name 1-2 departments
/// and a county; 10% keywords (2 words of 3,000) and half of them a county; 5% one county and
/// a tenure.
fn narrow_alert(rng: &mut Rng, n: usize) -> AlertEntry {
    let mut c = SearchCriteria::default();
    let many = |rng: &mut Rng, max: u64| 1 + rng.below(max);
    let kind = rng.below(100);
    let mut counties = 0;
    match kind {
        0..70 => {
            for _ in 0..many(rng, 3) {
                c.classifications.push(class(rng.below(NARROW_CLASSES)));
            }
            if rng.below(10) != 0 {
                counties = many(rng, 2);
            }
        }
        70..85 => {
            for _ in 0..many(rng, 2) {
                c.departments.push(department(rng.below(DEPARTMENTS)));
            }
            counties = 1;
        }
        85..95 => {
            let words: Vec<String> = (0..2).map(|_| word(rng.below(WORDS))).collect();
            c.keywords = Some(words.join(" "));
            counties = rng.below(2);
        }
        _ => {
            counties = 1;
            c.tenures.push(Tenure::ALL[rng.below(3) as usize]);
        }
    }
    for _ in 0..counties {
        c.counties.push(county(rng.below(COUNTIES)));
    }
    c.classifications.dedup();
    c.counties.dedup();
    c.departments.dedup();
    AlertEntry::new(
        JobAlertId::from_uuid(Uuid::from_u128(n as u128)),
        AccountId::from_uuid(Uuid::from_u128((n / 3) as u128)),
        c,
        AlertChannel::Email,
        AlertFrequency::ALL[n % 3],
    )
}

fn alert(rng: &mut Rng, n: usize) -> AlertEntry {
    let mut c = SearchCriteria::default();
    let kind = rng.below(100);
    let many = |rng: &mut Rng, max: u64| 1 + rng.below(max);
    match kind {
        0..45 => {
            for _ in 0..many(rng, 3) {
                c.classifications.push(class(rng.below(CLASSES)));
            }
        }
        45..65 => {
            for _ in 0..many(rng, 2) {
                c.departments.push(department(rng.below(DEPARTMENTS)));
            }
        }
        65..85 => {
            for _ in 0..many(rng, 3) {
                c.counties.push(county(rng.below(COUNTIES)));
            }
        }
        85..98 => {
            let words: Vec<String> = (0..many(rng, 2)).map(|_| word(rng.below(WORDS))).collect();
            c.keywords = Some(words.join(" "));
        }
        _ => {
            if rng.below(2) == 0 {
                c.tenures.push(Tenure::ALL[rng.below(3) as usize]);
            } else {
                c.time_bases.push(TimeBase::ALL[rng.below(3) as usize]);
            }
        }
    }
    match rng.below(4) {
        0 => c.counties.push(county(rng.below(COUNTIES))),
        1 => c.salary_min = Some(rng.below(12) as i64 * 100_000),
        2 => c.tenures.push(Tenure::Permanent),
        _ => {}
    }
    c.classifications.dedup();
    c.counties.dedup();
    c.departments.dedup();
    AlertEntry::new(
        JobAlertId::from_uuid(Uuid::from_u128(n as u128)),
        AccountId::from_uuid(Uuid::from_u128((n / 3) as u128)),
        c,
        AlertChannel::Email,
        AlertFrequency::ALL[n % 3],
    )
}

fn posting(rng: &mut Rng, mix: Mix) -> PostingFacts {
    let salary_min = 300_000 + rng.below(8) as i64 * 100_000;
    let classes = match mix {
        Mix::Broad => CLASSES,
        Mix::Narrow => NARROW_CLASSES,
    };
    PostingFacts {
        department: department(rng.below(DEPARTMENTS)).as_str().to_owned(),
        classification: class(rng.below(classes)).as_str().to_owned(),
        county: county(rng.below(COUNTIES)).as_str().to_owned(),
        tenure: Tenure::ALL[rng.below(3) as usize],
        time_base: TimeBase::ALL[rng.below(3) as usize],
        shift: Shift::ALL[rng.below(Shift::ALL.len() as u64) as usize],
        internal_only: rng.below(10) == 0,
        salary_min,
        salary_max: salary_min + 200_000,
        published_at: Utc
            .with_ymd_and_hms(2026, 3, 2, 9, 30, 0)
            .single()
            .unwrap_or_default(),
        final_filing_date: NaiveDate::from_ymd_opt(2026, 4, 1).unwrap_or_default(),
        terms: (0..40)
            .flat_map(|_| merit_api::search::text::terms(&word(rng.below(WORDS))))
            .collect(),
    }
}

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        })
        .unwrap_or(0)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let at = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[at]
}

fn run(count: usize, postings_count: usize, mix: Mix) {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ count as u64);
    let before = rss_kib();
    let started = Instant::now();
    let mut index = AlertIndex::default();
    for n in 0..count {
        index.upsert(match mix {
            Mix::Broad => alert(&mut rng, n),
            Mix::Narrow => narrow_alert(&mut rng, n),
        });
    }
    let built = started.elapsed();
    let grown = rss_kib().saturating_sub(before);
    let postings: Vec<PostingFacts> = (0..postings_count)
        .map(|_| posting(&mut rng, mix))
        .collect();
    let mut times = Vec::with_capacity(postings_count);
    let (mut candidates, mut found) = (0usize, 0usize);
    for p in &postings {
        let t = Instant::now();
        let matched = index.matching(p);
        times.push(t.elapsed().as_secs_f64() * 1e3);
        found += matched.len();
        candidates += index.candidate_count(p);
    }
    times.sort_by(f64::total_cmp);
    let mean = times.iter().sum::<f64>() / times.len() as f64;
    // Exactness: the index finds exactly what checking every alert finds.
    let all: Vec<&AlertEntry> = index.iter().collect();
    let mut brute_ms = 0.0;
    for p in postings.iter().take(EXACTNESS_SAMPLE) {
        let mut a: Vec<JobAlertId> = index.matching(p).iter().map(|m| m.alert.id).collect();
        let t = Instant::now();
        let mut b: Vec<JobAlertId> = all
            .iter()
            .filter(|alert| admits(alert, p))
            .map(|alert| alert.id)
            .collect();
        brute_ms += t.elapsed().as_secs_f64() * 1e3;
        a.sort_unstable();
        b.sort_unstable();
        assert_eq!(a, b, "the index and brute force disagree");
    }
    println!(
        "| {} | {count} | {:.1} s | {:.3} | {:.3} | {:.3} | {} | {:.1} | {:.1} MiB ({:.0} B/alert) | {:.1} | exact on {EXACTNESS_SAMPLE} |",
        match mix {
            Mix::Broad => "broad",
            Mix::Narrow => "narrow",
        },
        built.as_secs_f64(),
        percentile(&times, 0.5),
        percentile(&times, 0.99),
        mean,
        candidates / postings_count,
        found as f64 / postings_count as f64,
        grown as f64 / 1024.0,
        grown as f64 * 1024.0 / count as f64,
        brute_ms / EXACTNESS_SAMPLE as f64,
    );
}

fn main() {
    let counts: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let counts = if counts.is_empty() {
        vec![100_000, 1_000_000]
    } else {
        counts
    };
    println!(
        "| mix | alerts | build | p50 ms/posting | p99 ms | mean ms | candidates/posting | matches/posting | index memory (RSS growth) | brute force ms/posting | exactness |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|");
    let postings = std::env::var("BENCH_POSTINGS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(POSTINGS_DEFAULT);
    let mix = match std::env::var("BENCH_MIX").as_deref() {
        Ok("narrow") => Mix::Narrow,
        _ => Mix::Broad,
    };
    for count in counts {
        run(count, postings, mix);
    }
}
