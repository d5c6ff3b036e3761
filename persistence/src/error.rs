//! The one error type of repositories, mapped from diesel and the pool in one place.

use diesel::result::{DatabaseErrorKind, Error as DieselError};
use thiserror::Error;

/// What can go wrong in a repository call.
#[derive(Debug, Error)]
pub enum RepoError {
    /// The row asked for does not exist.
    #[error("not found")]
    NotFound,
    /// A unique constraint refused the write; `constraint` names it on both backends
    /// (see [`constraint_name`]).
    #[error("conflict on {constraint}")]
    Conflict {
        /// The stable constraint name, such as `departments_pkey`.
        constraint: String,
    },
    /// A row refers to another that does not exist.
    #[error("a referenced row does not exist")]
    MissingReference,
    /// Another writer changed the row first (optimistic concurrency), or SQLite stayed busy.
    #[error("the database is busy or the row changed concurrently")]
    Contended,
    /// The database cannot be reached.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// A stored row no longer parses into its domain type.
    #[error("invalid row in {table}: {reason}")]
    InvalidRow {
        /// The table holding the row.
        table: &'static str,
        /// What failed to parse.
        reason: String,
    },
    /// Migrations failed to apply.
    #[error("migration failed: {0}")]
    Migration(String),
    /// Anything else diesel reported.
    #[error(transparent)]
    Database(DieselError),
}

/// Shorthand for repository results.
pub type RepoResult<T> = Result<T, RepoError>;

impl From<DieselError> for RepoError {
    fn from(error: DieselError) -> Self {
        match error {
            DieselError::NotFound => RepoError::NotFound,
            DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
                RepoError::Conflict {
                    constraint: constraint_name(info.constraint_name(), info.message()),
                }
            }
            DieselError::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, _) => {
                RepoError::MissingReference
            }
            DieselError::DatabaseError(DatabaseErrorKind::SerializationFailure, _) => {
                RepoError::Contended
            }
            DieselError::DatabaseError(DatabaseErrorKind::ClosedConnection, info) => {
                RepoError::Unavailable(info.message().to_owned())
            }
            DieselError::DatabaseError(DatabaseErrorKind::Unknown, ref info)
                if info.message().contains("database is locked") =>
            {
                RepoError::Contended
            }
            other => RepoError::Database(other),
        }
    }
}

impl From<diesel::r2d2::PoolError> for RepoError {
    fn from(error: diesel::r2d2::PoolError) -> Self {
        RepoError::Unavailable(error.to_string())
    }
}

/// SQLite reports a unique violation by its columns (`UNIQUE constraint failed: t.a, t.b`), not
/// by name. Each named constraint of the schema is listed here with its SQLite column list, so
/// both backends give the same name.
const SQLITE_UNIQUE_COLUMNS: &[(&str, &str)] = &[
    ("departments.code", "departments_pkey"),
    ("classifications.code", "classifications_pkey"),
    ("locations.code", "locations_pkey"),
    ("offices.code", "offices_pkey"),
    ("accounts.username_key", "accounts_username_key"),
    ("accounts.email_key", "accounts_email_key"),
    ("accounts.employee_id", "accounts_employee_id_key"),
    (
        "account_roles.account_id, account_roles.role",
        "account_roles_pkey",
    ),
    ("employee_roster.employee_id", "employee_roster_pkey"),
    ("postings.id", "postings_pkey"),
    (
        "saved_searches.account_id, saved_searches.name",
        "saved_searches_name_key",
    ),
    ("profiles.account_id", "profiles_pkey"),
    ("application_templates.id", "application_templates_pkey"),
    (
        "application_templates.account_id, application_templates.name_key",
        "application_templates_name_key",
    ),
    (
        "application_templates.account_id",
        "application_templates_one_default",
    ),
    ("documents.id", "documents_pkey"),
    ("documents.object_key", "documents_object_key_key"),
    ("applications.id", "applications_pkey"),
    (
        "applications.account_id, applications.posting_id",
        "applications_one_submitted_key",
    ),
    (
        "application_attachments.application_id, application_attachments.document_id",
        "application_attachments_pkey",
    ),
    (
        "application_files.application_id, application_files.document_id",
        "application_files_pkey",
    ),
    ("application_events.id", "application_events_pkey"),
    (
        "department_stages.department_code, department_stages.position",
        "department_stages_pkey",
    ),
    (
        "department_stages.department_code, department_stages.name_key",
        "department_stages_name_key",
    ),
    (
        "idempotency_keys.account_id, idempotency_keys.scope, idempotency_keys.idempotency_key",
        "idempotency_keys_pkey",
    ),
    ("posting_fills.posting_id", "posting_fills_pkey"),
    (
        "contact_letters.posting_id, contact_letters.account_id",
        "contact_letters_posting_account_key",
    ),
    (
        "appointment_waivers.posting_id, appointment_waivers.account_id",
        "appointment_waivers_posting_account_key",
    ),
    (
        "letter_templates.office_code, letter_templates.name_key",
        "letter_templates_name_key",
    ),
];

fn constraint_name(named: Option<&str>, message: &str) -> String {
    if let Some(name) = named {
        return name.to_owned();
    }
    let columns = message
        .strip_prefix("UNIQUE constraint failed: ")
        .unwrap_or(message);
    SQLITE_UNIQUE_COLUMNS
        .iter()
        .find(|(cols, _)| *cols == columns)
        .map_or_else(|| columns.to_owned(), |(_, name)| (*name).to_owned())
}

/// Parses an id read from `table`: a row holding text that is not a canonical id is
/// `InvalidRow`, never a panic.
pub(crate) fn parse_id<T: merit_domain::ids::EntityId>(
    table: &'static str,
    text: &str,
) -> RepoResult<T> {
    text.parse()
        .map_err(|e: merit_domain::ids::InvalidId| RepoError::InvalidRow {
            table,
            reason: e.to_string(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sqlite_unique_message_maps_to_the_postgres_constraint_name() {
        assert_eq!(
            constraint_name(None, "UNIQUE constraint failed: departments.code"),
            "departments_pkey"
        );
    }

    #[test]
    fn a_named_constraint_is_kept() {
        assert_eq!(
            constraint_name(Some("offices_pkey"), "whatever"),
            "offices_pkey"
        );
    }
}
