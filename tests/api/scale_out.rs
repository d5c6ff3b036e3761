//! Several instances over one database: the posting change log is pruned once every live
//! instance has applied it, an instance silent past the grace period reloads its whole index,
//! and other instances see a posting change at once (PostgreSQL `LISTEN/NOTIFY`; polling on
//! SQLite), also after the listening connection was cut.

use std::time::{Duration, Instant};

use diesel::{Connection, PgConnection, RunQueryDsl};
use figment::{Figment, providers::Serialized};
use merit_api::{clock::Clock, search::SearchService};
use merit_persistence::change_log;
use secrecy::ExposeSecret;
use serde_json::json;

use crate::{
    postings::{open, with_dmv_employer},
    support::{TestApp, TestUser, postgres_admin_url},
};

const GRACE: Duration = Duration::from_secs(300);

/// How many rows the change log holds, and the mark below which rows may be gone.
async fn log_state(app: &TestApp) -> (i64, i64) {
    app.db
        .read(|conn| Ok((change_log::len(conn)?, change_log::pruned_through(conn)?)))
        .await
        .unwrap()
}

/// A search index of another instance over the app's database, loaded.
async fn other_instance(app: &TestApp) -> SearchService {
    let other = SearchService::new();
    other.refresh(&app.db).await.unwrap();
    other
}

#[actix_web::test]
async fn the_change_log_is_pruned_once_every_live_instance_has_applied_it() {
    let (app, dmv) = with_dmv_employer().await;
    open(&app, &dmv, json!({"title": "Tax Auditor"})).await;
    let a = other_instance(&app).await;
    let b = other_instance(&app).await;
    let first = a.position().await.unwrap();
    assert!(first > 0);
    assert_eq!(b.position().await, Some(first));
    assert_eq!(app.state.search.position().await, Some(first));

    let now = app.clock.now();
    for instance in [&app.state.search, &b] {
        instance.heartbeat(&app.db, now, GRACE).await.unwrap();
    }
    let pruned = a.heartbeat(&app.db, now, GRACE).await.unwrap();
    assert_eq!(pruned.through, first);
    assert_eq!(log_state(&app).await, (0, first));

    // b falls behind: the changes it has not applied stay.
    open(&app, &dmv, json!({"title": "Park Ranger"})).await;
    a.refresh(&app.db).await.unwrap();
    let second = a.position().await.unwrap();
    assert!(second > first);
    assert_eq!(app.state.search.position().await, Some(second));
    for instance in [&app.state.search, &a, &b] {
        instance.heartbeat(&app.db, now, GRACE).await.unwrap();
    }
    let (rows, mark) = log_state(&app).await;
    assert_eq!(mark, first, "b's position holds the log back");
    assert!(
        rows >= 2,
        "create and publish of the second posting are kept"
    );

    // b catches up from the log (no reload), and the log empties.
    b.refresh(&app.db).await.unwrap();
    assert_eq!(b.position().await, Some(second));
    assert_eq!(b.len(), 2);
    assert_eq!(b.full_loads(), 1);
    b.heartbeat(&app.db, now, GRACE).await.unwrap();
    assert_eq!(log_state(&app).await, (0, second));

    // An instance starting on an emptied log starts at the mark and follows without reloading.
    let c = other_instance(&app).await;
    assert_eq!(c.position().await, Some(second));
    c.refresh(&app.db).await.unwrap();
    assert_eq!(c.full_loads(), 1);
    assert_eq!(c.len(), 2);
    // The change log keeps numbering above the mark.
    open(&app, &dmv, json!({"title": "Forester"})).await;
    c.refresh(&app.db).await.unwrap();
    assert!(c.position().await.unwrap() > second);
    assert_eq!((c.len(), c.full_loads()), (3, 1));
}

#[actix_web::test]
async fn an_instance_silent_past_the_grace_period_stops_holding_the_log_and_reloads_when_back() {
    let (app, dmv) = with_dmv_employer().await;
    open(&app, &dmv, json!({"title": "Tax Auditor"})).await;
    let a = other_instance(&app).await;
    let silent = other_instance(&app).await;
    let start = app.clock.now();
    for instance in [&app.state.search, &a, &silent] {
        instance.heartbeat(&app.db, start, GRACE).await.unwrap();
    }
    let behind = silent.position().await.unwrap();

    open(&app, &dmv, json!({"title": "Park Ranger"})).await;
    open(&app, &dmv, json!({"title": "Forester"})).await;
    a.refresh(&app.db).await.unwrap();
    let newest = a.position().await.unwrap();

    // Within the grace period the silent instance still holds the log back.
    let within = start + chrono::Duration::seconds(299);
    app.state
        .search
        .heartbeat(&app.db, within, GRACE)
        .await
        .unwrap();
    let pruned = a.heartbeat(&app.db, within, GRACE).await.unwrap();
    assert_eq!(pruned.through, behind);
    assert_eq!(pruned.instances, 0);
    assert!(log_state(&app).await.0 >= 4);

    // Past it, it is forgotten and the log is pruned past its position.
    let past = start + chrono::Duration::seconds(301);
    let by_app = app
        .state
        .search
        .heartbeat(&app.db, past, GRACE)
        .await
        .unwrap();
    assert_eq!(by_app.instances, 1, "the silent instance is forgotten");
    let pruned = a.heartbeat(&app.db, past, GRACE).await.unwrap();
    assert_eq!(pruned.through, newest);
    assert_eq!(log_state(&app).await, (0, newest));

    // Back, it sees that changes after its position are gone and reloads everything.
    assert_eq!(silent.len(), 1);
    silent.refresh(&app.db).await.unwrap();
    assert_eq!(silent.full_loads(), 2);
    assert_eq!(silent.len(), 3);
    assert_eq!(silent.position().await, Some(newest));
    // Then it follows the log again.
    silent.refresh(&app.db).await.unwrap();
    assert_eq!(silent.full_loads(), 2);
    assert_eq!(a.full_loads(), 1);
}

#[actix_web::test]
async fn an_instance_that_stops_on_purpose_no_longer_holds_the_log_back() {
    let (app, dmv) = with_dmv_employer().await;
    let leaving = other_instance(&app).await;
    let now = app.clock.now();
    leaving.heartbeat(&app.db, now, GRACE).await.unwrap();
    open(&app, &dmv, json!({"title": "Tax Auditor"})).await;
    let newest = app.state.search.position().await.unwrap();
    let held = app
        .state
        .search
        .heartbeat(&app.db, now, GRACE)
        .await
        .unwrap();
    assert!(held.through < newest, "the other instance holds the log");

    leaving.leave(&app.db).await;
    let pruned = app
        .state
        .search
        .heartbeat(&app.db, now, GRACE)
        .await
        .unwrap();
    assert_eq!(pruned.through, newest);
    assert_eq!(log_state(&app).await, (0, newest));
}

/// Settings of both instances: on PostgreSQL the index polls once an hour, so only a
/// notification explains a change seen within a second; SQLite has only polling.
fn follow_settings(figment: Figment) -> Figment {
    let poll_ms: u64 = if postgres_admin_url().is_some() {
        3_600_000
    } else {
        100
    };
    figment.merge(Serialized::default("search_poll_interval_ms", poll_ms))
}

/// Publishes a posting titled `title` on `writer` and waits until `reader`'s search finds it;
/// returns how long that took.
async fn propagation(
    writer: &TestApp,
    employer: &TestUser,
    reader: &TestApp,
    word: &str,
) -> Duration {
    let id = open(
        writer,
        employer,
        json!({"title": format!("{word} Specialist")}),
    )
    .await;
    let published = Instant::now();
    let path = format!("/api/v1/postings?q={word}");
    while published.elapsed() < Duration::from_secs(10) {
        let response = reader.get(&path).await;
        response.assert_status(200);
        if response.body["items"][0]["id"] == id.as_str() {
            return published.elapsed();
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    panic!("{word}: the other instance did not find the posting within 10 s");
}

/// The longest a change may take to reach the other instance in these tests (the target is a
/// p99 under 100 ms; this leaves room for a loaded test machine).
fn limit() -> Duration {
    if postgres_admin_url().is_some() {
        Duration::from_millis(1000)
    } else {
        Duration::from_millis(2000)
    }
}

#[actix_web::test]
async fn a_posting_published_on_one_instance_is_searchable_on_another_well_before_the_poll() {
    let first = TestApp::spawn_with(follow_settings).await;
    first.with_reference_data().await;
    let dmv = first.employer("Maria", "Lopez", "DMV").await;
    let second = first.spawn_beside(follow_settings).await;
    for word in [
        "Actuary",
        "Botanist",
        "Cartographer",
        "Dietitian",
        "Economist",
    ] {
        let took = propagation(&first, &dmv, &second, word).await;
        assert!(took < limit(), "{word} took {took:?}");
    }
    // And the other way round.
    let dmv_on_second = second.signed_in(&dmv.login, &dmv.password).await;
    let took = propagation(&second, &dmv_on_second, &first, "Geologist").await;
    assert!(took < limit(), "Geologist took {took:?}");
    let listening = if postgres_admin_url().is_some() {
        "merit_search_listening 1"
    } else {
        "merit_search_listening 0"
    };
    wait_for_metric(&second, listening).await;
}

/// Waits (up to 5 s) until `app`'s `/metrics` holds `line`.
async fn wait_for_metric(app: &TestApp, line: &str) {
    let start = Instant::now();
    while !app.get("/metrics").await.text.lines().any(|l| l == line) {
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "/metrics did not show {line:?} within 5 s"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The listening connections of the database at `url` (PostgreSQL).
fn listeners(url: &str) -> usize {
    let mut conn = PgConnection::establish(url).unwrap();
    diesel::sql_query(
        "SELECT pid FROM pg_stat_activity \
         WHERE application_name = 'merit-search-listener' AND datname = current_database()",
    )
    .execute(&mut conn)
    .unwrap()
}

async fn wait_for_listeners(url: &str, count: usize) {
    let start = Instant::now();
    while listeners(url) != count {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "{count} instances did not listen within 10 s"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[actix_web::test]
async fn an_instance_reconnects_when_its_listening_connection_is_cut() {
    if postgres_admin_url().is_none() {
        return; // LISTEN/NOTIFY is PostgreSQL's; SQLite instances poll.
    }
    let first = TestApp::spawn_with(follow_settings).await;
    first.with_reference_data().await;
    let dmv = first.employer("Maria", "Lopez", "DMV").await;
    let second = first.spawn_beside(follow_settings).await;
    let url = first.state.settings.database_url.expose_secret().to_owned();
    wait_for_listeners(&url, 2).await;

    let mut conn = PgConnection::establish(&url).unwrap();
    let cut = diesel::sql_query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE application_name = 'merit-search-listener' AND datname = current_database()",
    )
    .execute(&mut conn)
    .unwrap();
    assert_eq!(cut, 2);

    // A change made while the connections are down or coming back still arrives (the
    // reconnected listener wakes the index, which reads the log), and so do later ones.
    let took = propagation(&first, &dmv, &second, "Hydrologist").await;
    assert!(took < Duration::from_secs(5), "Hydrologist took {took:?}");
    wait_for_listeners(&url, 2).await;
    wait_for_metric(&second, "merit_search_listening 1").await;
    let took = propagation(&first, &dmv, &second, "Illustrator").await;
    assert!(took < limit(), "Illustrator took {took:?}");
}
