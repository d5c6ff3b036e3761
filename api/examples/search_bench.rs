//! Search at scale, in process: builds the search index (`merit_api::search::Index`) over N demo
//! postings (`merit demo --postings N`'s, about 95% open), then runs the 20 searches of
//! `bench/search-queries.txt` (keyword + county + department, 20 rows, total and facets, as
//! `bench/search.sh` asks them over HTTP) in turn, and reports the CPU time per search (p50,
//! p99, mean) and the index's heap, without HTTP, JSON or a quiet machine's second core.
//!
//! `cargo run --release -p merit-api --example search_bench -- [POSTINGS...]` (default:
//! 50000 200000 500000; `BENCH_ROUNDS` passes over the 20 searches, default 200).

#![allow(clippy::print_stdout, reason = "a benchmark prints its figures")]

use std::{collections::HashMap, time::Instant};

use chrono::Utc;
use merit_api::{
    demo::{generate_postings, reference},
    search::{Index, Query},
};
use merit_domain::{
    posting::{PostingStatus, SearchCriteria, Viewer},
    reference::{CountyCode, DepartmentCode},
};
use merit_persistence::reference::ReferenceNames;

fn main() {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![50_000, 200_000, 500_000]
    } else {
        sizes
    };
    let rounds: usize = std::env::var("BENCH_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(200);
    let queries: Vec<SearchCriteria> = include_str!("../../bench/search-queries.txt")
        .lines()
        .filter_map(|line| {
            let mut fields = line.split('\t');
            let (q, county, department) = (fields.next()?, fields.next()?, fields.next()?);
            Some(SearchCriteria {
                keywords: Some(q.to_owned()),
                counties: vec![CountyCode::parse(county).ok()?],
                departments: vec![DepartmentCode::parse(department).ok()?],
                ..Default::default()
            })
        })
        .collect();
    let names = ReferenceNames {
        departments: reference::DEPARTMENTS
            .iter()
            .map(|(c, n)| ((*c).to_owned(), (*n).to_owned()))
            .collect(),
        classifications: reference::CLASSIFICATIONS
            .iter()
            .map(|(c, n)| ((*c).to_owned(), (*n).to_owned()))
            .collect(),
        counties: HashMap::new(),
    };
    let viewer = Viewer::anonymous();
    for size in sizes {
        let now = Utc::now();
        let postings = generate_postings(size, now).expect("demo postings");
        let started = Instant::now();
        let mut index = Index::default();
        for posting in postings.iter().filter(|p| p.status == PostingStatus::Open) {
            index.upsert(posting, &names);
        }
        index.shrink();
        let load = started.elapsed();
        drop(postings);
        let mut times = Vec::with_capacity(rounds * queries.len());
        let mut results = 0usize;
        for _ in 0..rounds {
            for criteria in &queries {
                let started = Instant::now();
                let found = index.search(&Query {
                    criteria,
                    viewer: &viewer,
                    now,
                    after: None,
                    limit: 20,
                });
                times.push(started.elapsed().as_secs_f64() * 1e3);
                results += found.total;
            }
        }
        times.sort_by(f64::total_cmp);
        let mean = times.iter().sum::<f64>() / times.len() as f64;
        println!(
            "{size} postings ({} open): load {:.1} s, index heap {} MiB ({} B/posting); \
             per search: p50 {:.3} ms, p99 {:.3} ms, mean {:.3} ms ({:.0}/s on one core); \
             {} results a search on average",
            index.len(),
            load.as_secs_f64(),
            index.heap_bytes() >> 20,
            index.heap_bytes() / index.len().max(1),
            times[times.len() / 2],
            times[times.len() * 99 / 100],
            mean,
            1e3 / mean,
            results / times.len(),
        );
    }
}
