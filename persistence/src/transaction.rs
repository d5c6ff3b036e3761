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
    let begin = match conn {
        DbConnection::Sqlite(_) => "BEGIN IMMEDIATE",
        DbConnection::Postgresql(_) => "BEGIN",
    };
    run_in_transaction(conn, begin, f)
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
    let begin = match conn {
        DbConnection::Sqlite(_) => "BEGIN",
        DbConnection::Postgresql(_) => "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY",
    };
    run_in_transaction(conn, begin, f)
}

/// Begins with `begin`, runs `f`, and commits when it succeeds or rolls back when it fails.
fn run_in_transaction<T, E>(
    conn: &mut DbConnection,
    begin: &str,
    f: impl FnOnce(&mut DbConnection) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<RepoError>,
{
    let begun = match conn {
        DbConnection::Sqlite(c) => AnsiTransactionManager::begin_transaction_sql(c, begin),
        DbConnection::Postgresql(c) => AnsiTransactionManager::begin_transaction_sql(c, begin),
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
