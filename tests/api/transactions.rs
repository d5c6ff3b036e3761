//! The transactions every use case runs in (`Db::read`, `Db::write`), on the backend under test.

use diesel::{QueryableByName, RunQueryDsl, sql_types::BigInt, sql_types::Text};
use merit_api::{db::Db, error::ApiError};
use merit_persistence::{DbConnection, PoolOptions, RepoError, db};

use crate::support::TestDatabase;

fn database() -> (TestDatabase, Db) {
    let database = TestDatabase::create();
    let pool = db::build_pool(database.url(), PoolOptions::default()).expect("a pool");
    (database, Db::new(pool))
}

fn execute(conn: &mut DbConnection, sql: &str) -> Result<usize, ApiError> {
    Ok(diesel::sql_query(sql)
        .execute(conn)
        .map_err(RepoError::from)?)
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

fn probes(conn: &mut DbConnection) -> Result<i64, ApiError> {
    let counted: Count = diesel::sql_query("SELECT count(*) AS n FROM probe")
        .get_result(conn)
        .map_err(RepoError::from)?;
    Ok(counted.n)
}

#[actix_web::test]
async fn a_write_commits_when_its_use_case_succeeds_and_leaves_nothing_when_it_fails() {
    let (_database, db) = database();
    db.write(|conn| execute(conn, "CREATE TABLE probe (x INTEGER NOT NULL)"))
        .await
        .unwrap();
    let failed = db
        .write(|conn| {
            execute(conn, "INSERT INTO probe (x) VALUES (1)")?;
            Err::<(), _>(ApiError::not_found("probe"))
        })
        .await;
    assert_eq!(failed.unwrap_err().code(), "not_found");
    assert_eq!(
        db.read(probes).await.unwrap(),
        0,
        "the failed write rolled back"
    );
    db.write(|conn| execute(conn, "INSERT INTO probe (x) VALUES (2)"))
        .await
        .unwrap();
    assert_eq!(db.read(probes).await.unwrap(), 1, "the write committed");
    // The connection went back to the pool out of any transaction: the next use case on it
    // begins its own.
    for _ in 0..3 {
        db.write(|conn| execute(conn, "UPDATE probe SET x = x + 1"))
            .await
            .unwrap();
    }
}

#[derive(QueryableByName)]
struct Setting {
    #[diesel(sql_type = Text)]
    value: String,
}

fn setting(conn: &mut DbConnection, name: &str) -> Result<String, ApiError> {
    let found: Setting = diesel::sql_query(format!("SELECT current_setting('{name}') AS value"))
        .get_result(conn)
        .map_err(RepoError::from)?;
    Ok(found.value)
}

#[actix_web::test]
async fn a_read_on_postgres_sees_one_snapshot_and_cannot_write() {
    let (_database, db) = database();
    if db.read(|conn| Ok(conn.backend())).await.unwrap() != merit_persistence::Backend::Postgres {
        eprintln!("SKIP: PostgreSQL only (SQLite's transactions are snapshots already)");
        return;
    }
    db.write(|conn| execute(conn, "CREATE TABLE probe (x INTEGER NOT NULL)"))
        .await
        .unwrap();
    let (isolation, read_only) = db
        .read(|conn| {
            Ok((
                setting(conn, "transaction_isolation")?,
                setting(conn, "transaction_read_only")?,
            ))
        })
        .await
        .unwrap();
    assert_eq!(isolation, "repeatable read");
    assert_eq!(read_only, "on");
    let refused = db
        .read(|conn| execute(conn, "INSERT INTO probe (x) VALUES (1)"))
        .await;
    assert!(refused.is_err(), "a read may not write");
    assert_eq!(db.read(probes).await.unwrap(), 0);
    // A write after it is a read-write transaction again on the same pooled connections.
    let read_only = db
        .write(|conn| setting(conn, "transaction_read_only"))
        .await
        .unwrap();
    assert_eq!(read_only, "off");
}
