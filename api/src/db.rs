//! Runs database work off the actix workers, on the blocking pool, inside the request's span.

use std::sync::{
    Arc,
    atomic::{AtomicBool, Ordering},
};

use merit_persistence::{DbConnection, DbPool, read_transaction, write_transaction};

use crate::error::ApiError;

/// The handle handlers use to reach the database.
#[derive(Clone, Debug)]
pub struct Db {
    pool: DbPool,
    /// Whether migrations are applied; until then every use case answers 503.
    migrated: Arc<AtomicBool>,
}

impl Db {
    /// Wraps a pool over a migrated database.
    pub fn new(pool: DbPool) -> Self {
        Db {
            pool,
            migrated: Arc::new(AtomicBool::new(true)),
        }
    }

    /// Wraps a pool whose database may be unreachable and not migrated yet: use cases answer
    /// 503 `database_unavailable` until [`Db::mark_migrated`].
    pub fn unmigrated(pool: DbPool) -> Self {
        Db {
            pool,
            migrated: Arc::new(AtomicBool::new(false)),
        }
    }

    /// Whether migrations are applied (the database was reached at least once).
    pub fn is_migrated(&self) -> bool {
        self.migrated.load(Ordering::Acquire)
    }

    /// Records that migrations are applied: use cases run from now on.
    pub fn mark_migrated(&self) {
        self.migrated.store(true, Ordering::Release);
    }

    /// The pool, for start-up tasks that run before serving.
    pub fn pool(&self) -> &DbPool {
        &self.pool
    }

    /// Runs `f` with a pooled connection on the blocking pool, without a transaction: private,
    /// so that every use case runs in a transaction, through [`Db::read`] or [`Db::write`].
    async fn run<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConnection) -> Result<T, ApiError> + Send + 'static,
    {
        if !self.is_migrated() {
            return Err(ApiError::database_unavailable());
        }
        let pool = self.pool.clone();
        let span = tracing::Span::current();
        actix_web::web::block(move || {
            let _entered = span.enter();
            let mut conn = pool.get().map_err(|_| ApiError::database_unavailable())?;
            f(&mut conn)
        })
        .await
        .map_err(ApiError::internal)?
    }

    /// Runs a use case that reads, in one consistent snapshot.
    pub async fn read<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConnection) -> Result<T, ApiError> + Send + 'static,
    {
        self.run(move |conn| read_transaction(conn, f)).await
    }

    /// Runs a use case that writes, in one transaction that commits only if it succeeds.
    pub async fn write<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConnection) -> Result<T, ApiError> + Send + 'static,
    {
        self.run(move |conn| write_transaction(conn, f)).await
    }
}
