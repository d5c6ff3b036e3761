//! The connection type over both backends, the pool and the embedded migrations.

use std::{path::Path, time::Duration};

use diesel::{
    Connection, ConnectionError, PgConnection, SqliteConnection,
    connection::SimpleConnection,
    r2d2::{self, CustomizeConnection, ManageConnection, R2D2Connection},
};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::error::RepoError;

/// One connection over either backend; every repository function takes `&mut DbConnection`.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    /// A PostgreSQL connection (production).
    Postgresql(PgConnection),
    /// A SQLite connection (the embedded default).
    Sqlite(SqliteConnection),
}

impl std::fmt::Debug for DbConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self.backend() {
            Backend::Postgres => "DbConnection::Postgresql",
            Backend::Sqlite => "DbConnection::Sqlite",
        })
    }
}

/// Which database a URL points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// A SQLite file.
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

impl Backend {
    /// `postgres://` and `postgresql://` URLs are PostgreSQL; anything else names a SQLite file.
    pub fn of_url(url: &str) -> Backend {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            Backend::Sqlite
        }
    }
}

impl DbConnection {
    /// The backend behind this connection.
    pub fn backend(&self) -> Backend {
        match self {
            DbConnection::Postgresql(_) => Backend::Postgres,
            DbConnection::Sqlite(_) => Backend::Sqlite,
        }
    }
}

/// The SQLite file path of a `sqlite://PATH` URL (a bare path is accepted too).
pub fn sqlite_path(url: &str) -> &str {
    url.strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url)
}

/// Opens a connection by the URL's scheme. Unlike `MultiConnection::establish`, which tries each
/// backend in turn, this reports the real error (connection refused, bad password, ...).
pub fn establish(url: &str) -> Result<DbConnection, ConnectionError> {
    match Backend::of_url(url) {
        Backend::Postgres => Ok(DbConnection::Postgresql(PgConnection::establish(url)?)),
        Backend::Sqlite => Ok(DbConnection::Sqlite(SqliteConnection::establish(
            sqlite_path(url),
        )?)),
    }
}

/// An r2d2 manager that opens connections with [`establish`].
#[derive(Debug, Clone)]
pub struct ConnectionManager {
    url: String,
}

impl ManageConnection for ConnectionManager {
    type Connection = DbConnection;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<DbConnection, r2d2::Error> {
        establish(&self.url).map_err(r2d2::Error::ConnectionError)
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), r2d2::Error> {
        conn.ping().map_err(r2d2::Error::QueryError)
    }

    fn has_broken(&self, conn: &mut DbConnection) -> bool {
        conn.is_broken()
    }
}

/// Sets each connection up when the pool opens it.
#[derive(Debug, Clone, Copy)]
struct SessionSetup;

impl CustomizeConnection<DbConnection, r2d2::Error> for SessionSetup {
    fn on_acquire(&self, conn: &mut DbConnection) -> Result<(), r2d2::Error> {
        let setup = match conn {
            // FULL: an acknowledged write survives a power loss, not only a crash of Merit.
            DbConnection::Sqlite(_) => {
                "PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL;"
            }
            DbConnection::Postgresql(_) => "SET TIME ZONE 'UTC'",
        };
        conn.batch_execute(setup).map_err(r2d2::Error::QueryError)
    }
}

/// The connection pool.
pub type DbPool = r2d2::Pool<ConnectionManager>;

/// How the pool is sized and how long a caller waits for a connection.
#[derive(Debug, Clone, Copy)]
pub struct PoolOptions {
    /// Most connections open at once.
    pub max_size: u32,
    /// How long `get` waits before giving up (the API then answers 503).
    pub connection_timeout: Duration,
}

impl Default for PoolOptions {
    fn default() -> Self {
        PoolOptions {
            max_size: 10,
            connection_timeout: Duration::from_secs(5),
        }
    }
}

/// Builds the pool without waiting for the database: a database that is down at start makes
/// requests fail with 503 until it is back, rather than the pool refusing to exist.
///
/// Connections are opened when a caller asks for one (`min_idle` 0), never in the background
/// to top up an idle reserve: a background connect still under way when the process exits
/// races OpenSSL's at-exit clean-up inside libpq, which killed one `merit migrate` in four
/// against a PostgreSQL server with TLS (SIGSEGV after the work was done). Opened connections
/// stay in the pool until r2d2's idle timeout (10 minutes), so only the first request after a
/// quiet spell pays for a connect.
///
/// For SQLite the file's directory is created and WAL mode set once, on one connection, before
/// the pool opens several at once (setting it per connection races for an exclusive lock).
pub fn build_pool(url: &str, options: PoolOptions) -> Result<DbPool, RepoError> {
    if Backend::of_url(url) == Backend::Sqlite {
        prepare_sqlite_file(sqlite_path(url))?;
    }
    Ok(r2d2::Pool::builder()
        .max_size(options.max_size)
        .min_idle(Some(0))
        .connection_timeout(options.connection_timeout)
        .connection_customizer(Box::new(SessionSetup))
        .build_unchecked(ConnectionManager {
            url: url.to_owned(),
        }))
}

fn prepare_sqlite_file(path: &str) -> Result<(), RepoError> {
    if let Some(dir) = Path::new(path)
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
    {
        std::fs::create_dir_all(dir)
            .map_err(|e| RepoError::Unavailable(format!("cannot create {}: {e}", dir.display())))?;
    }
    let mut conn =
        SqliteConnection::establish(path).map_err(|e| RepoError::Unavailable(e.to_string()))?;
    conn.batch_execute("PRAGMA journal_mode = WAL;")?;
    Ok(())
}

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/postgres");

/// Applies every pending migration of the connection's backend; returns how many ran.
pub fn run_migrations(conn: &mut DbConnection) -> Result<usize, RepoError> {
    let source = match conn.backend() {
        Backend::Postgres => POSTGRES_MIGRATIONS,
        Backend::Sqlite => SQLITE_MIGRATIONS,
    };
    conn.run_pending_migrations(source)
        .map(|applied| applied.len())
        .map_err(|e| RepoError::Migration(e.to_string()))
}

/// Checks that the database answers a trivial query.
pub fn ping(conn: &mut DbConnection) -> Result<(), RepoError> {
    conn.ping().map_err(RepoError::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pool_opens_connections_only_when_asked() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("merit.db").display());
        let pool = build_pool(&url, PoolOptions::default()).unwrap();
        std::thread::sleep(Duration::from_millis(200));
        assert_eq!(
            pool.state().connections,
            0,
            "nothing opened in the background"
        );
        let mut conn = pool.get().unwrap();
        ping(&mut conn).unwrap();
        drop(conn);
        std::thread::sleep(Duration::from_millis(200));
        let state = pool.state();
        assert_eq!((state.connections, state.idle_connections), (1, 1));
    }
}
