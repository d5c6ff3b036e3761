//! One daily job-alert digest run for N people, on SQLite (a temporary file) and on PostgreSQL
//! (a fresh database on `BENCH_POSTGRES_URL`'s server, dropped afterwards).
//!
//! Set-up (timed, but not part of the figures): migrations; the demo reference data and
//! `BENCH_DEMO_POSTINGS` demo postings (default 40), of which the open public ones are matched;
//! N applicant accounts with an email address on file, each with one daily email alert (half
//! of them two), and for each person the matches (hits) of 1-5 of those postings recorded in
//! today's period, where the real matcher admits them (`alerts::index::admits`). Rows are
//! written by the persistence crate's own functions, a thousand people per transaction.
//!
//! Timed: the digest pass exactly as the worker runs it (`alerts::worker::send_digests`):
//! `due_digests` a batch of `DIGEST_BATCH` at a time in a read transaction, then
//! `deliver_digest` for each in its own write transaction through `merit_api::db::Db`, with the
//! clock at 00:05 UTC the next day. Reported: people per second, the whole pass, p50/p99/max per
//! digest, the time spent looking up due digests, and the messages, outbox emails and digests
//! written, which must each equal N (every person one digest, none twice); a second pass must
//! send nothing. The run stops with an error otherwise.
//!
//! `cargo run --profile bench-alerts -p merit-api --example digest_bench -- [PEOPLE] [sqlite|postgres|both]`
//! (default 100000 both). `bench/digest.sh` runs it and writes the figures to `bench/results/`.
//! Diagnostics, to see what the commits' flushes cost: `BENCH_SQLITE_DIR` puts the SQLite file
//! elsewhere (e.g. `/dev/shm`, where fsync is free), `BENCH_POSTGRES_SYNCHRONOUS_COMMIT=off`
//! sets that on the benchmark database (commits do not wait for the WAL flush).

#![allow(clippy::print_stdout, reason = "a benchmark prints its figures")]

use std::time::{Duration, Instant};

use anyhow::{Context, bail, ensure};
use chrono::{DateTime, Days, NaiveTime, TimeZone, Utc};
use diesel::{ExpressionMethods, QueryDsl, RunQueryDsl, connection::SimpleConnection};
use merit_api::{
    alerts::{AlertEntry, PostingFacts, index::admits, worker::DIGEST_BATCH},
    db::Db,
    error::ApiError,
    services::alerts::{UnsubscribeLinks, deliver_digest, due_digests},
};
use merit_domain::{
    account::{EmailAddress, PersonName, Role},
    alert::{AlertChannel, AlertFrequency},
    ids::{AccountId, EntityId, JobAlertId},
    posting::{Posting, SearchCriteria, Visibility},
};
use merit_persistence::{
    DbConnection, PoolOptions,
    accounts::{self, NewAccount},
    alerts::{self, DigestKey, Hit, JobAlert},
    db::{build_pool, establish, run_migrations},
    postings, reference,
    schema::{job_alert_digests, job_alert_hits, messages, outbox_emails},
    time::naive,
    write_transaction,
};

const PEOPLE_DEFAULT: usize = 100_000;
/// People written per set-up transaction.
const SETUP_BATCH: usize = 1_000;
/// The most postings one person's digest lists.
const MOST_PER_PERSON: u64 = 5;

/// A small deterministic generator (xorshift), so every run makes the same people.
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

/// An open public posting and what the matcher sees of it.
struct Target {
    posting: Posting,
    facts: PostingFacts,
}

/// The day the matches were found in, and the instant the digest pass runs (the next day).
struct Clock {
    day_start: DateTime<Utc>,
    run_at: DateTime<Utc>,
}

fn clock() -> Clock {
    let today = Utc::now().date_naive();
    let midnight = |d: chrono::NaiveDate| Utc.from_utc_datetime(&d.and_time(NaiveTime::MIN));
    let next = today + Days::new(1);
    Clock {
        day_start: midnight(today),
        run_at: midnight(next) + chrono::Duration::minutes(5),
    }
}

fn criteria_of(targets: &[&Target], by_county: bool) -> SearchCriteria {
    let mut c = SearchCriteria::default();
    for t in targets {
        if by_county {
            c.counties.push(t.posting.county.clone());
        } else {
            c.classifications.push(t.posting.classification.clone());
        }
    }
    c.counties.sort_by(|a, b| a.as_str().cmp(b.as_str()));
    c.counties.dedup();
    c.classifications.sort_by(|a, b| a.as_str().cmp(b.as_str()));
    c.classifications.dedup();
    c
}

/// Writes one person: the account, one or two daily email alerts and their hits. Returns the
/// number of hits recorded.
fn person(
    conn: &mut DbConnection,
    rng: &mut Rng,
    n: usize,
    targets: &[Target],
    clock: &Clock,
) -> anyhow::Result<usize> {
    let id = AccountId::from_uuid(uuid::Uuid::now_v7());
    let email = EmailAddress::parse(&format!("person{n}@example.org"))?;
    let first = PersonName::parse("Pat")?;
    let last = PersonName::parse("Applicant")?;
    accounts::insert(
        conn,
        &NewAccount {
            id,
            username: None,
            email: Some(&email),
            employee_id: None,
            first_name: &first,
            last_name: &last,
            password_hash: None,
            temporary_password_expires_at: None,
            department: None,
            office: None,
            roles: &[Role::Applicant],
        },
        clock.day_start,
    )?;
    // 1-5 distinct postings this person's alerts matched today.
    let count = 1 + rng.below(MOST_PER_PERSON) as usize;
    let first_at = rng.below(targets.len() as u64) as usize;
    let chosen: Vec<&Target> = (0..count.min(targets.len()))
        .map(|k| &targets[(first_at + k) % targets.len()])
        .collect();
    // Alert 1 names the postings' classifications; half the people also watch the first
    // posting's county, so some postings are matched by two alerts (listed once, both reasons).
    let mut watched = vec![criteria_of(&chosen, false)];
    if rng.below(2) == 0 {
        watched.push(criteria_of(&chosen[..1], true));
    }
    let made: Vec<JobAlert> = watched
        .into_iter()
        .map(|criteria| JobAlert {
            id: JobAlertId::from_uuid(uuid::Uuid::now_v7()),
            account_id: id,
            saved_search_id: None,
            criteria,
            channel: AlertChannel::Email,
            frequency: AlertFrequency::Daily,
            active: true,
            created_at: clock.day_start,
            updated_at: clock.day_start,
        })
        .collect();
    alerts::insert_many(conn, &made)?;
    let (period_start, due_at) = AlertFrequency::Daily.period(clock.day_start);
    let mut hits = 0;
    for (k, target) in chosen.iter().enumerate() {
        for alert in &made {
            let entry = AlertEntry::new(
                alert.id,
                id,
                alert.criteria.clone(),
                alert.channel,
                alert.frequency,
            );
            if !admits(&entry, &target.facts) {
                continue;
            }
            let found_at = clock.day_start + chrono::Duration::minutes(60 + 90 * k as i64);
            let inserted = alerts::insert_hit(
                conn,
                &Hit {
                    alert_id: alert.id,
                    posting_id: target.posting.id,
                    account_id: id,
                    frequency: AlertFrequency::Daily.as_str().to_owned(),
                    period_start: naive(period_start),
                    due_at: naive(due_at),
                    created_at: naive(found_at),
                    delivered_at: None,
                    message_id: None,
                },
            )?;
            hits += usize::from(inserted);
        }
    }
    ensure!(hits > 0, "person {n} has no match");
    Ok(hits)
}

/// Migrates, loads the demo postings and writes `people` people; returns the hits recorded.
async fn set_up(db: &Db, people: usize, clock: &Clock) -> anyhow::Result<usize> {
    let mut conn = db.pool().get()?;
    run_migrations(&mut conn)?;
    drop(conn);
    let demo_postings = std::env::var("BENCH_DEMO_POSTINGS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(40);
    merit_api::demo::load_with(db, demo_postings).await?;
    let mut conn = db.pool().get()?;
    let mut targets = Vec::new();
    for posting in postings::all_open(&mut conn)? {
        if posting.visibility != Visibility::Public {
            continue;
        }
        let title = reference::find_classification(&mut conn, posting.classification.as_str())?
            .map(|c| c.title.as_str().to_owned())
            .unwrap_or_default();
        let facts = PostingFacts::of(&posting, &title);
        targets.push(Target { posting, facts });
    }
    if targets.len() < MOST_PER_PERSON as usize {
        bail!("only {} open public demo postings", targets.len());
    }
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ people as u64);
    let mut hits = 0;
    let mut n = 0;
    while n < people {
        let end = (n + SETUP_BATCH).min(people);
        hits += write_transaction(&mut conn, |conn| -> anyhow::Result<usize> {
            let mut hits = 0;
            for k in n..end {
                hits += person(conn, &mut rng, k, &targets, clock)?;
            }
            Ok(hits)
        })?;
        n = end;
    }
    Ok(hits)
}

/// What one digest pass did.
struct Pass {
    sent: usize,
    claimed: usize,
    elapsed: Duration,
    lookups: Duration,
    per_digest: Vec<f64>,
}

/// The worker's `send_digests`, with each step timed.
async fn send_digests(
    db: &Db,
    links: &UnsubscribeLinks,
    now: DateTime<Utc>,
) -> Result<Pass, ApiError> {
    let started = Instant::now();
    let mut pass = Pass {
        sent: 0,
        claimed: 0,
        elapsed: Duration::ZERO,
        lookups: Duration::ZERO,
        per_digest: Vec::new(),
    };
    let mut after: Option<DigestKey> = None;
    loop {
        let looked = Instant::now();
        let from = after.take();
        let due = db
            .read(move |conn| due_digests(conn, now, from.as_ref(), DIGEST_BATCH))
            .await?;
        pass.lookups += looked.elapsed();
        let Some(last) = due.last() else {
            break;
        };
        after = Some(last.clone());
        for key in due {
            let links = links.clone();
            let one = Instant::now();
            let delivered = db
                .write(move |conn| deliver_digest(conn, &links, &key, now))
                .await?;
            pass.per_digest.push(one.elapsed().as_secs_f64() * 1e3);
            pass.claimed += 1;
            pass.sent += usize::from(delivered);
        }
    }
    pass.elapsed = started.elapsed();
    Ok(pass)
}

fn count(conn: &mut DbConnection, what: &str) -> anyhow::Result<i64> {
    Ok(match what {
        "messages" => messages::table
            .filter(messages::kind.eq("job_alert"))
            .count()
            .get_result(conn)?,
        "emails" => outbox_emails::table.count().get_result(conn)?,
        "digests" => job_alert_digests::table
            .filter(job_alert_digests::message_id.is_not_null())
            .count()
            .get_result(conn)?,
        "undelivered" => job_alert_hits::table
            .filter(job_alert_hits::delivered_at.is_null())
            .count()
            .get_result(conn)?,
        _ => bail!("nothing counts {what}"),
    })
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let at = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[at]
}

async fn run(backend: &str, url: &str, people: usize) -> anyhow::Result<()> {
    let clock = clock();
    let db = Db::new(build_pool(url, PoolOptions::default())?);
    let started = Instant::now();
    let hits = set_up(&db, people, &clock).await?;
    let setup = started.elapsed();
    let links = UnsubscribeLinks::new(
        "https://careers.example.gov",
        b"digest benchmark signing secret",
    );
    let mut first = send_digests(&db, &links, clock.run_at).await?;
    let second = send_digests(&db, &links, clock.run_at).await?;
    let mut conn = db.pool().get()?;
    let messages = count(&mut conn, "messages")?;
    let emails = count(&mut conn, "emails")?;
    let digests = count(&mut conn, "digests")?;
    let undelivered = count(&mut conn, "undelivered")?;
    drop(conn);
    first.per_digest.sort_by(f64::total_cmp);
    let n = people as i64;
    println!(
        "| {backend} | {people} | {hits} | {:.0} s | {} | {:.1} s | {:.0} | {:.2} | {:.2} | {:.2} | {:.1} s | {messages} | {emails} | {digests} | {} |",
        setup.as_secs_f64(),
        first.sent,
        first.elapsed.as_secs_f64(),
        first.sent as f64 / first.elapsed.as_secs_f64(),
        percentile(&first.per_digest, 0.5),
        percentile(&first.per_digest, 0.99),
        first.per_digest.last().copied().unwrap_or(0.0),
        first.lookups.as_secs_f64(),
        second.sent,
    );
    ensure!(
        first.sent == people,
        "{} digests sent for {people} people",
        first.sent
    );
    ensure!(first.claimed == people, "{} digests claimed", first.claimed);
    ensure!(
        messages == n && emails == n && digests == n,
        "messages {messages}, emails {emails}, digests {digests} for {people} people"
    );
    ensure!(undelivered == 0, "{undelivered} matches left undelivered");
    ensure!(
        second.sent == 0 && second.claimed == 0,
        "a second pass sent {}",
        second.sent
    );
    Ok(())
}

async fn sqlite(people: usize) -> anyhow::Result<()> {
    let dir = match std::env::var_os("BENCH_SQLITE_DIR") {
        Some(base) => tempfile::tempdir_in(base)?,
        None => tempfile::tempdir()?,
    };
    let path = dir.path().join("merit.db");
    let url = format!("sqlite://{}", path.display());
    let label = match std::env::var("BENCH_SQLITE_DIR") {
        Ok(base) => format!("SQLite (file in {base})"),
        Err(_) => "SQLite".to_owned(),
    };
    run(&label, &url, people).await
}

async fn postgres(people: usize) -> anyhow::Result<()> {
    let admin = std::env::var("BENCH_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned());
    let (server, _) = admin
        .rsplit_once('/')
        .context("BENCH_POSTGRES_URL names no database")?;
    let name = format!("merit_digest_bench_{}", std::process::id());
    let mut conn = establish(&admin)?;
    conn.batch_execute(&format!("CREATE DATABASE {name}"))?;
    // A diagnostic: without waiting for the WAL flush at each commit.
    let label = match std::env::var("BENCH_POSTGRES_SYNCHRONOUS_COMMIT").as_deref() {
        Ok("off") => {
            conn.batch_execute(&format!(
                "ALTER DATABASE {name} SET synchronous_commit = off"
            ))?;
            "PostgreSQL (synchronous_commit off)"
        }
        _ => "PostgreSQL",
    };
    let outcome = run(label, &format!("{server}/{name}"), people).await;
    conn.batch_execute(&format!("DROP DATABASE {name} WITH (FORCE)"))?;
    outcome
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let people = args
        .iter()
        .find_map(|a| a.parse().ok())
        .unwrap_or(PEOPLE_DEFAULT);
    let which = args
        .iter()
        .find(|a| a.parse::<usize>().is_err())
        .map_or("both", String::as_str);
    println!(
        "| backend | people | matches | set-up | digests sent | whole pass | people/s | p50 ms/digest | p99 ms | max ms | due look-ups | messages | outbox emails | digest rows | second pass sent |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    match which {
        "sqlite" => sqlite(people).await,
        "postgres" => postgres(people).await,
        "both" => {
            sqlite(people).await?;
            postgres(people).await
        }
        other => bail!("unknown backend {other} (sqlite, postgres or both)"),
    }
}
