//! A fresh database per test: a SQLite file in a temporary directory, or a new PostgreSQL
//! database (dropped afterwards) when `MERIT_TEST_POSTGRES_URL` names a server.

use diesel::{Connection, PgConnection, RunQueryDsl};
use tempfile::TempDir;

/// The PostgreSQL server URL tests use, if any (any database on it; tests create their own).
///
/// Unless the URL says otherwise, tests connect without TLS: the server is a local one, and with
/// TLS libpq's OpenSSL registers an at-exit clean-up that races the connection pool's threads
/// when a test process ends, which now and then kills a test that had passed with SIGSEGV
/// (diesel-rs/diesel#3441, sfackler/r2d2#137).
pub fn postgres_admin_url() -> Option<String> {
    std::env::var("MERIT_TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty())
        .map(|url| without_tls_unless_asked(&url))
}

fn without_tls_unless_asked(url: &str) -> String {
    if url.contains("sslmode=") {
        url.to_owned()
    } else if url.contains('?') {
        format!("{url}&sslmode=disable")
    } else {
        format!("{url}?sslmode=disable")
    }
}

/// A database that exists for one test.
pub struct TestDatabase {
    url: String,
    postgres: Option<(String, String)>,
    _dir: Option<TempDir>,
}

impl TestDatabase {
    /// A fresh, empty database of the backend under test.
    pub fn create() -> TestDatabase {
        match postgres_admin_url() {
            Some(admin) => Self::create_postgres(&admin),
            None => {
                let dir = tempfile::tempdir().expect("a temporary directory");
                let url = format!("sqlite://{}", dir.path().join("merit.db").display());
                TestDatabase {
                    url,
                    postgres: None,
                    _dir: Some(dir),
                }
            }
        }
    }

    fn create_postgres(admin: &str) -> TestDatabase {
        let name = format!("merit_test_{}", uuid::Uuid::new_v4().simple());
        let mut conn =
            PgConnection::establish(admin).expect("MERIT_TEST_POSTGRES_URL is reachable");
        diesel::sql_query(format!("CREATE DATABASE {name}"))
            .execute(&mut conn)
            .expect("CREATE DATABASE");
        TestDatabase {
            url: with_database(admin, &name),
            postgres: Some((admin.to_owned(), name)),
            _dir: None,
        }
    }

    /// Another handle on the database at `url` that leaves it in place when dropped (for a
    /// second instance over the same database; the first keeps and drops it).
    pub fn shared(url: &str) -> TestDatabase {
        TestDatabase {
            url: url.to_owned(),
            postgres: None,
            _dir: None,
        }
    }

    /// The database's URL.
    pub fn url(&self) -> &str {
        &self.url
    }
}

/// `admin` with its database name replaced by `name`.
pub fn with_database(admin: &str, name: &str) -> String {
    let (base, query) = admin
        .split_once('?')
        .map_or((admin, None), |(b, q)| (b, Some(q)));
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let server = match base[scheme_end..].find('/') {
        Some(i) => &base[..scheme_end + i],
        None => base,
    };
    match query {
        Some(q) => format!("{server}/{name}?{q}"),
        None => format!("{server}/{name}"),
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Some((admin, name)) = &self.postgres
            && let Ok(mut conn) = PgConnection::establish(admin)
        {
            let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .execute(&mut conn);
        }
    }
}
