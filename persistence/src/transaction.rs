//! Transactions as use cases need them, without diesel in the caller's signature.
//!
//! On SQLite a transaction that reads and then writes can fail at once with `SQLITE_BUSY` when
//! another connection wrote in between (the busy timeout does not apply to that upgrade). Write
//! transactions therefore begin with `BEGIN IMMEDIATE`, which takes the write lock up front and
//! waits for it under the busy timeout; reads use an ordinary deferred transaction so they never
//! queue behind writers.

use diesel::{
    QueryResult,
    connection::{AnsiTransactionManager, TransactionManager},
};

use crate::{DbConnection, RepoError};

/// Runs `f` in a transaction that will write: committed when `f` succeeds, rolled back when it
/// fails. Transactions do not nest: this begins one on a connection that has none.
pub fn write_transaction<T, E>(
    conn: &mut DbConnection,
    f: impl FnOnce(&mut DbConnection) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<RepoError>,
{
    run_in_transaction(conn, WRITE, f)
}

/// Runs `f` in a read-only transaction that sees one consistent snapshot: on PostgreSQL
/// `REPEATABLE READ, READ ONLY`, set by the `BEGIN` itself rather than by a `SET TRANSACTION`
/// after it (one round trip less; under the default `READ COMMITTED` each statement would see
/// its own snapshot); SQLite's transactions are snapshots already.
pub fn read_transaction<T, E>(
    conn: &mut DbConnection,
    f: impl FnOnce(&mut DbConnection) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<RepoError>,
{
    run_in_transaction(conn, READ, f)
}

/// How a transaction begins on each backend.
struct Begin {
    sqlite: &'static str,
    postgres: &'static str,
}

const WRITE: Begin = Begin {
    sqlite: "BEGIN IMMEDIATE",
    postgres: "BEGIN",
};

const READ: Begin = Begin {
    sqlite: "BEGIN",
    postgres: "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY",
};

/// Begins as `begin` says, runs `f`, and commits when it succeeds or rolls back when it fails.
fn run_in_transaction<T, E>(
    conn: &mut DbConnection,
    begin: Begin,
    f: impl FnOnce(&mut DbConnection) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<RepoError>,
{
    let begun = match conn {
        DbConnection::Sqlite(c) => AnsiTransactionManager::begin_transaction_sql(c, begin.sqlite),
        DbConnection::Postgresql(c) => {
            AnsiTransactionManager::begin_transaction_sql(c, begin.postgres)
        }
    };
    begun.map_err(|e| E::from(RepoError::from(e)))?;
    match f(conn) {
        Ok(value) => {
            finish(conn, true).map_err(|e| E::from(RepoError::from(e)))?;
            Ok(value)
        }
        Err(error) => {
            if let Err(rollback) = finish(conn, false) {
                tracing::warn!(error = %rollback, "rollback failed");
            }
            Err(error)
        }
    }
}

fn finish(conn: &mut DbConnection, commit: bool) -> QueryResult<()> {
    match (conn, commit) {
        (DbConnection::Sqlite(c), true) => AnsiTransactionManager::commit_transaction(c),
        (DbConnection::Sqlite(c), false) => AnsiTransactionManager::rollback_transaction(c),
        (DbConnection::Postgresql(c), true) => AnsiTransactionManager::commit_transaction(c),
        (DbConnection::Postgresql(c), false) => AnsiTransactionManager::rollback_transaction(c),
    }
}
