//! The data migration `demo_exam_ids`: the demo exams of earlier releases, stored as
//! `demo-exam-<code>`, get the UUIDs the demo loader now gives them, and so do the attempts and
//! eligibilities naming them; its down.sql gives the old ids back. Run against the migration
//! files themselves, on the backend under test.

use diesel::{QueryableByName, RunQueryDsl, connection::SimpleConnection, sql_types::Text};
use diesel_migrations::{FileBasedMigrations, MigrationHarness};
use merit_domain::ids::ExamId;
use merit_persistence::{Backend, DbConnection, db, exams};

use crate::support::TestDatabase;

/// The demo exam of classification 5393, as the demo loader names it now.
const DEMO_ID: &str = "00000000-0000-8000-8000-000000005393";
/// An exam made through the API (a UUIDv7), which the migration leaves alone.
const OTHER_ID: &str = "0190a000-0000-7000-8000-000000000001";
/// The account the migrated rows belong to.
const ACCOUNT: &str = "00000000-0000-7000-8000-00000000acc7";

fn migrations(conn: &DbConnection) -> FileBasedMigrations {
    let backend = match conn.backend() {
        Backend::Postgres => "postgres",
        Backend::Sqlite => "sqlite",
    };
    let dir = format!("{}/../migrations/{backend}", env!("CARGO_MANIFEST_DIR"));
    FileBasedMigrations::from_path(dir).expect("the migrations directory")
}

#[derive(QueryableByName)]
struct Row {
    #[diesel(sql_type = Text)]
    id: String,
}

/// The ids a query answers, in its order.
fn ids(conn: &mut DbConnection, sql: &str) -> Vec<String> {
    diesel::sql_query(sql)
        .load::<Row>(conn)
        .expect("the query runs")
        .into_iter()
        .map(|r| r.id)
        .collect()
}

fn exam_ids_everywhere(conn: &mut DbConnection) -> [Vec<String>; 3] {
    [
        ids(conn, "SELECT id FROM exams ORDER BY id"),
        ids(
            conn,
            "SELECT exam_id AS id FROM exam_attempts ORDER BY exam_attempts.id",
        ),
        ids(
            conn,
            "SELECT exam_id AS id FROM eligibilities ORDER BY attempt_id",
        ),
    ]
}

fn exam_row(id: &str) -> String {
    format!(
        "INSERT INTO exams (id, classification_code, title, description, is_open, \
         final_filing_date, list_duration_months, passing_score, retake_wait_days, questions, \
         created_by, created_at, updated_at) VALUES ('{id}', '5393', 'Analyst {id}', 'About it.', \
         TRUE, NULL, 24, 70, 180, \
         '[{{\"id\":\"q1\",\"text\":\"Years?\",\"options\":[{{\"id\":\"a\",\"text\":\"Five\",\"points\":100}}]}}]', \
         'author', '2026-01-02 03:04:05', '2026-01-02 03:04:05');"
    )
}

fn passed_attempt(attempt: &str, exam: &str) -> String {
    format!(
        "INSERT INTO exam_attempts (id, exam_id, account_id, classification_code, score, passed, \
         rank_band, answers, taken_at) VALUES ('{attempt}', '{exam}', '00000000-0000-7000-8000-00000000acc7', '5393', 100, TRUE, 1, \
         '[[\"q1\",\"a\"]]', '2026-02-01 00:00:00'); \
         INSERT INTO eligibilities (attempt_id, account_id, classification_code, exam_id, score, \
         rank_band, granted_at, expires_at) VALUES ('{attempt}', '00000000-0000-7000-8000-00000000acc7', '5393', '{exam}', 100, 1, \
         '2026-02-01 00:00:00', '2028-02-01 00:00:00');"
    )
}

/// Reverts the migrations after the one of `version`, then it: the database as the release
/// before it.
fn revert_through(conn: &mut DbConnection, source: &FileBasedMigrations, version: &str) {
    loop {
        let reverted = conn
            .revert_last_migration(source.clone())
            .expect("the newest migration reverts");
        let reverted = reverted.to_string();
        if reverted.starts_with(version) {
            return;
        }
        assert!(
            reverted.as_str() > version,
            "{version} was never reverted (reached {reverted})"
        );
    }
}

/// Reverts the migrations after demo_exam_ids, then it.
fn revert_demo_exam_ids(conn: &mut DbConnection, source: &FileBasedMigrations) {
    revert_through(conn, source, "20261206000011");
}

#[test]
fn old_demo_exam_ids_become_uuids_in_exams_attempts_and_eligibilities_and_come_back_on_revert() {
    let database = TestDatabase::create();
    let mut conn = db::establish(database.url()).expect("the test database");
    if conn.backend() == Backend::Sqlite {
        conn.batch_execute("PRAGMA foreign_keys = ON;")
            .expect("foreign keys on");
    }
    let source = migrations(&conn);
    conn.run_pending_migrations(source.clone())
        .expect("every migration runs");
    revert_demo_exam_ids(&mut conn, &source);

    // A database as an earlier release left it.
    conn.batch_execute(&format!(
        "INSERT INTO classifications (code, title) VALUES ('5393', 'Analyst'); \
         INSERT INTO accounts (id, first_name, last_name, created_at, updated_at) \
         VALUES ('00000000-0000-7000-8000-00000000acc7', 'Ana', 'Reyes', '2026-01-01 00:00:00', '2026-01-01 00:00:00'); \
         {} {} {} {}",
        exam_row("demo-exam-5393"),
        exam_row(OTHER_ID),
        passed_attempt("attempt-1", "demo-exam-5393"),
        passed_attempt("attempt-2", OTHER_ID),
    ))
    .expect("old-style rows");

    conn.run_pending_migrations(source.clone())
        .expect("demo_exam_ids runs");
    let moved = [
        vec![DEMO_ID.to_owned(), OTHER_ID.to_owned()],
        vec![DEMO_ID.to_owned(), OTHER_ID.to_owned()],
        vec![DEMO_ID.to_owned(), OTHER_ID.to_owned()],
    ];
    assert_eq!(exam_ids_everywhere(&mut conn), moved);
    let demo = ExamId::parse(DEMO_ID).expect("a canonical id");
    let exam = exams::find(&mut conn, demo)
        .expect("the repository reads it")
        .expect("the demo exam under its new id");
    assert_eq!(
        (exam.title.as_str(), exam.questions.len()),
        ("Analyst demo-exam-5393", 1),
        "the row moved whole"
    );
    let attempts = exams::attempts_at(&mut conn, ACCOUNT.parse().expect("an id"), demo)
        .expect("attempts read");
    assert_eq!(
        attempts.iter().map(|a| a.id.as_str()).collect::<Vec<_>>(),
        ["attempt-1"]
    );
    let eligibilities = exams::eligibilities_of(&mut conn, ACCOUNT.parse().expect("an id"))
        .expect("eligibilities read");
    assert!(eligibilities.iter().any(|e| e.exam_id == demo));

    revert_demo_exam_ids(&mut conn, &source);
    let old = "demo-exam-5393".to_owned();
    assert_eq!(
        exam_ids_everywhere(&mut conn),
        [
            vec![OTHER_ID.to_owned(), old.clone()],
            vec![old.clone(), OTHER_ID.to_owned()],
            vec![old, OTHER_ID.to_owned()],
        ],
        "down.sql gives the demo exam its old id back and leaves the other alone"
    );

    conn.run_pending_migrations(source)
        .expect("demo_exam_ids runs again");
    assert_eq!(exam_ids_everywhere(&mut conn), moved);
}

/// The data migration `demo_author`: what the demo loader made was created by the text `demo`;
/// it is the nil account id now (an author is an account id), and down.sql gives the text back.
/// Rows made by an account are left alone.
#[test]
fn the_demo_author_becomes_the_nil_account_id_and_comes_back_on_revert() {
    let database = TestDatabase::create();
    let mut conn = db::establish(database.url()).expect("the test database");
    let source = migrations(&conn);
    conn.run_pending_migrations(source.clone())
        .expect("every migration runs");
    revert_through(&mut conn, &source, "20261210000401");
    conn.batch_execute(&format!(
        "INSERT INTO classifications (code, title) VALUES ('5393', 'Analyst'); {} {}",
        exam_row(DEMO_ID).replace("'author'", "'demo'"),
        exam_row(OTHER_ID).replace("'author'", &format!("'{ACCOUNT}'")),
    ))
    .expect("rows as the release before left them");
    let authors =
        |conn: &mut DbConnection| ids(conn, "SELECT created_by AS id FROM exams ORDER BY exams.id");

    conn.run_pending_migrations(source.clone())
        .expect("demo_author runs");
    assert_eq!(
        authors(&mut conn),
        ["00000000-0000-0000-0000-000000000000", ACCOUNT]
    );
    assert_eq!(
        merit_api::demo::author().to_string(),
        "00000000-0000-0000-0000-000000000000",
        "the loader writes the id the migration gives"
    );

    revert_through(&mut conn, &source, "20261210000401");
    assert_eq!(authors(&mut conn), ["demo", ACCOUNT]);
}
