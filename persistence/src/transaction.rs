//! Transactions as use cases need them, without diesel in the caller's signature.
//!
//! On SQLite a transaction that reads and then writes can fail at once with `SQLITE_BUSY` when
//! another connection wrote in between (the busy timeout does not apply to that upgrade). Write
//! transactions therefore begin with `BEGIN IMMEDIATE`, which takes the write lock up front and
//! waits for it under the busy timeout; reads use an ordinary deferred transaction so they never
//! queue behind writers.

use diesel::{
    Connection, QueryResult,
    connection::{AnsiTransactionManager, TransactionManager},
};

use crate::{DbConnection, RepoError};

/// Runs `f` in a transaction that will write: committed when `f` succeeds, rolled back when it
/// fails. Nested calls inside `f` (through [`read_transaction`]) become savepoints.
pub fn write_transaction<T, E>(
    conn: &mut DbConnection,
    f: impl FnOnce(&mut DbConnection) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<RepoError>,
{
    let begun = match conn {
        DbConnection::Sqlite(c) => {
            AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")
        }
        DbConnection::Postgresql(c) => AnsiTransactionManager::begin_transaction(c),
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

/// Runs `f` in a read-only transaction that sees one consistent snapshot: on PostgreSQL
/// `REPEATABLE READ, READ ONLY` (under the default `READ COMMITTED` each statement would see
/// its own); SQLite's transactions are snapshots already.
pub fn read_transaction<T, E>(
    conn: &mut DbConnection,
    f: impl FnOnce(&mut DbConnection) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<RepoError>,
{
    conn.transaction::<T, Bridge<E>, _>(|c| {
        if let DbConnection::Postgresql(pg) = c {
            diesel::RunQueryDsl::execute(
                diesel::sql_query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"),
                pg,
            )
            .map_err(Bridge::Database)?;
        }
        f(c).map_err(Bridge::Caller)
    })
    .map_err(|e| match e {
        Bridge::Caller(e) => e,
        Bridge::Database(d) => E::from(RepoError::from(d)),
    })
}

/// Carries either the caller's error or diesel's through `Connection::transaction`.
enum Bridge<E> {
    Caller(E),
    Database(diesel::result::Error),
}

impl<E> From<diesel::result::Error> for Bridge<E> {
    fn from(error: diesel::result::Error) -> Self {
        Bridge::Database(error)
    }
}
