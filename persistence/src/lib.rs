//! Merit's persistence: one diesel code path over SQLite (embedded) and PostgreSQL.
//!
//! Row types carry the diesel derives and convert to and from `merit_domain` types; nothing
//! diesel leaks past this crate except [`DbConnection`], the handle that repository functions
//! take. Repositories never open or commit transactions: the use case that calls them does.

pub mod accounts;
pub mod alerts;
pub mod announcements;
pub mod api_clients;
pub mod applications;
pub mod appointments;
mod audience;
pub mod audit;
pub mod cases;
pub mod change_log;
pub mod correspondence;
pub mod dashboard;
pub mod db;
pub mod documents;
pub mod error;
pub mod exams;
pub mod letters;
pub mod merge_codes;
pub mod merges;
pub mod messages;
pub mod outbox;
pub mod paging;
pub mod postings;
pub mod profiles;
pub mod reference;
pub mod roster;
pub mod saved_searches;
pub mod schema;
pub mod sessions;
pub mod staff_links;
pub mod surveys;
pub mod templates;
pub mod time;
pub mod tokens;
pub mod transaction;
pub mod webhooks;

pub use db::{Backend, DbConnection, DbPool, PoolOptions};
pub use error::{RepoError, RepoResult};
pub use paging::{Page, PageRequest};
pub use transaction::{read_transaction, write_transaction};
