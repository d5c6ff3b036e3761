//! Applications: drafts, submissions with their frozen snapshot, and status changes. The
//! history (`events`), the frozen documents (`files`), departments' stages, idempotency keys
//! and filled postings have modules of their own.

pub mod events;
pub mod files;
pub mod fills;
pub mod idempotency;
pub mod stages;

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use merit_domain::{
    application::ApplicationStatus,
    ids::{AccountId, ApplicationId, DocumentId, PostingId, TemplateId},
    profile::{Profile, TemplateContent},
};

use crate::{
    DbConnection,
    error::{RepoError, RepoResult, parse_id},
    schema::{application_attachments as att, applications as a},
    time::{naive, utc},
};

pub(crate) fn bad(table: &'static str, reason: impl ToString) -> RepoError {
    RepoError::InvalidRow {
        table,
        reason: reason.to_string(),
    }
}

/// Who applied and how they rank, frozen at submission (what department lists show).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// Given name.
    pub first_name: String,
    /// Family name.
    pub last_name: String,
    /// Email address.
    pub email: Option<String>,
    /// Phone number.
    pub phone: Option<String>,
    /// Whether the applicant's conditions of employment fit the posting.
    pub conditions_fit: bool,
    /// Rank band on the classification's eligible list, if on it.
    pub rank_band: Option<i32>,
    /// Score on that list.
    pub score: Option<i32>,
    /// The key departments' lists are ordered by (rank band, score, submission, id).
    pub sort_key: String,
}

/// An application as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Application {
    /// Its id.
    pub id: ApplicationId,
    /// The posting applied to.
    pub posting_id: PostingId,
    /// The applicant.
    pub account_id: AccountId,
    /// The template chosen for the draft, if any.
    pub template_id: Option<TemplateId>,
    /// The public status.
    pub status: ApplicationStatus,
    /// The department's stage name, when the last move named one.
    pub stage: Option<String>,
    /// Grows by one at every change (the ETag).
    pub version: i64,
    /// When the draft was started.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
    /// When it was submitted.
    pub submitted_at: Option<DateTime<Utc>>,
    /// Frozen at submission.
    pub summary: Option<Summary>,
}

/// The content frozen at submission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frozen {
    /// The profile as it was.
    pub profile: Profile,
    /// The template's name and content, when one was chosen.
    pub template: Option<(String, TemplateContent)>,
}

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = a)]
struct ApplicationRow {
    id: String,
    posting_id: String,
    account_id: String,
    template_id: Option<String>,
    status: String,
    stage: Option<String>,
    version: i64,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    submitted_at: Option<NaiveDateTime>,
    first_name: Option<String>,
    last_name: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    conditions_fit: Option<bool>,
    rank_band: Option<i32>,
    score: Option<i32>,
    sort_key: Option<String>,
}

/// The table rows here are read from, named in an invalid row's error.
const TABLE: &str = "applications";

impl ApplicationRow {
    fn into_domain(self) -> RepoResult<Application> {
        let summary = match (self.first_name, self.last_name) {
            (Some(first_name), Some(last_name)) => Some(Summary {
                first_name,
                last_name,
                email: self.email,
                phone: self.phone,
                conditions_fit: self.conditions_fit.unwrap_or(false),
                rank_band: self.rank_band,
                score: self.score,
                sort_key: self.sort_key.unwrap_or_default(),
            }),
            _ => None,
        };
        Ok(Application {
            id: parse_id(TABLE, &self.id)?,
            posting_id: parse_id(TABLE, &self.posting_id)?,
            account_id: parse_id(TABLE, &self.account_id)?,
            template_id: self
                .template_id
                .as_deref()
                .map(|t| parse_id(TABLE, t))
                .transpose()?,
            status: ApplicationStatus::parse(&self.status)
                .ok_or_else(|| bad("applications", "a status"))?,
            stage: self.stage,
            version: self.version,
            created_at: utc(self.created_at),
            updated_at: utc(self.updated_at),
            submitted_at: self.submitted_at.map(utc),
            summary,
        })
    }
}

fn load(rows: Vec<ApplicationRow>) -> RepoResult<Vec<Application>> {
    rows.into_iter().map(ApplicationRow::into_domain).collect()
}

/// Inserts a new draft.
pub fn insert_draft(conn: &mut DbConnection, draft: &Application) -> RepoResult<()> {
    diesel::insert_into(a::table)
        .values((
            a::id.eq(draft.id.to_string()),
            a::posting_id.eq(draft.posting_id.to_string()),
            a::account_id.eq(draft.account_id.to_string()),
            a::template_id.eq(draft.template_id.map(|t| t.to_string())),
            a::status.eq(draft.status.as_str()),
            a::version.eq(draft.version),
            a::created_at.eq(naive(draft.created_at)),
            a::updated_at.eq(naive(draft.updated_at)),
        ))
        .execute(conn)?;
    Ok(())
}

/// An application by id.
pub fn find(conn: &mut DbConnection, id: ApplicationId) -> RepoResult<Option<Application>> {
    a::table
        .find(id.to_string())
        .select(ApplicationRow::as_select())
        .first(conn)
        .optional()?
        .map(ApplicationRow::into_domain)
        .transpose()
}

/// Saves a draft's template and bumps its version, if it is still at `version`.
pub fn update_draft(
    conn: &mut DbConnection,
    draft: &Application,
    version: i64,
) -> RepoResult<bool> {
    let changed = diesel::update(
        a::table
            .find(draft.id.to_string())
            .filter(a::version.eq(version))
            .filter(a::status.eq("draft")),
    )
    .set((
        a::template_id.eq(draft.template_id.map(|t| t.to_string())),
        a::version.eq(draft.version),
        a::updated_at.eq(naive(draft.updated_at)),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}

/// Replaces the documents a draft names, in order.
pub fn set_attachments(
    conn: &mut DbConnection,
    id: ApplicationId,
    documents: &[DocumentId],
) -> RepoResult<()> {
    diesel::delete(att::table.filter(att::application_id.eq(id.to_string()))).execute(conn)?;
    for (position, document) in documents.iter().enumerate() {
        diesel::insert_into(att::table)
            .values((
                att::application_id.eq(id.to_string()),
                att::document_id.eq(document.to_string()),
                att::position.eq(i32::try_from(position).unwrap_or(i32::MAX)),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// The documents a draft names, in order.
pub fn attachments(conn: &mut DbConnection, id: ApplicationId) -> RepoResult<Vec<DocumentId>> {
    let ids: Vec<String> = att::table
        .filter(att::application_id.eq(id.to_string()))
        .order(att::position.asc())
        .select(att::document_id)
        .load(conn)?;
    ids.iter()
        .map(|i| parse_id("application_attachments", i))
        .collect()
}

/// Deletes a draft; `false` when there was no draft with this id.
pub fn delete_draft(conn: &mut DbConnection, id: ApplicationId) -> RepoResult<bool> {
    let deleted = diesel::delete(a::table.find(id.to_string()).filter(a::status.eq("draft")))
        .execute(conn)?;
    Ok(deleted == 1)
}

/// Moves an application to `status` (and `stage`) if it is still at `version`; bumps the
/// version. `false` when another change came first.
pub fn set_status(
    conn: &mut DbConnection,
    application: &Application,
    version: i64,
) -> RepoResult<bool> {
    let changed = diesel::update(
        a::table
            .find(application.id.to_string())
            .filter(a::version.eq(version)),
    )
    .set((
        a::status.eq(application.status.as_str()),
        a::stage.eq(application.stage.as_deref()),
        a::version.eq(application.version),
        a::updated_at.eq(naive(application.updated_at)),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}

mod submit;
pub use submit::{Submission, frozen, submit};

mod lists;
pub use lists::{
    change_key, changed_for_posting, count_open, is_change_key, list_for_posting, list_mine,
    open_for_posting, submitted_to,
};
