//! Applications: applicants draft, submit, follow and withdraw them; the department of the
//! posting (and admins) read the frozen snapshot and move applications through their stages.
//! Every transition appends to the history and writes its email to the outbox in the same
//! transaction, unless the stage says no notice.

mod department;
mod drafts;
mod posting;
mod reads;
mod stages;
mod submit;
mod withdraw;

pub use department::{
    BulkCommand, MoveCommand, SYNC_SETTLE, Target, bulk_move, changes_for_posting,
    list_for_posting, move_one,
};
pub use drafts::{DraftCommand, DraftPatch, create_draft, delete_draft, patch_draft};
pub use posting::{cancel_open, fill_posting};
pub use reads::{ApplicationView, Snapshot, file, get, list_mine, my_application};
pub use stages::{replace_stages, stages};
pub use submit::{IdempotencyKey, SubmitAnswer, submit};
pub use withdraw::withdraw;
pub(crate) use withdraw::withdraw_for_merge;

use chrono::{DateTime, Utc};
use merit_domain::{
    account::Role,
    application::{ApplicationStatus, ReasonCode},
    ids::{AccountId, ApplicationEventId, ApplicationId, EntityId},
    message::MessageKind,
    posting::Posting,
};
use merit_persistence::{
    DbConnection, accounts,
    applications::{self, Application, events::Event},
    postings,
};

use crate::{
    auth::AuthUser,
    conditional::version_tag,
    error::ApiError,
    services::messages::{self, EmailTo, Notice},
};

fn not_found() -> ApiError {
    ApiError::not_found("application")
}

/// The ETag of an application version.
pub fn etag(application: &Application) -> String {
    version_tag(application.version)
}

/// Whether `user` works applications to `posting`: an admin, or an employer of its department.
pub fn works_for(user: &AuthUser, posting: &Posting) -> bool {
    user.has(Role::Admin)
        || (user.has(Role::Employer)
            && user.account.department.as_ref() == Some(&posting.department))
}

/// How the caller relates to an application.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// They applied.
    Owner,
    /// They work the posting's applications.
    Department,
}

/// An application the caller may read, its posting and how they relate to it; 404 otherwise
/// (drafts are their owner's only).
fn readable(
    conn: &mut DbConnection,
    user: &AuthUser,
    id: ApplicationId,
) -> Result<(Application, Posting, Access), ApiError> {
    let application = applications::find(conn, id)?.ok_or_else(not_found)?;
    let posting = postings::find(conn, application.posting_id)?.ok_or_else(not_found)?;
    if application.account_id == user.id() {
        return Ok((application, posting, Access::Owner));
    }
    if application.status != ApplicationStatus::Draft && works_for(user, &posting) {
        return Ok((application, posting, Access::Department));
    }
    Err(not_found())
}

/// One move of an application.
#[derive(Debug, Clone)]
struct Move {
    to: ApplicationStatus,
    stage: Option<String>,
    reason: Option<ReasonCode>,
    note: Option<String>,
    actor_id: Option<AccountId>,
    notify: bool,
    /// Whether this move is the submission (its webhook event is `application.submitted`).
    submitted: bool,
}

/// Moves `application` (read at its current version) as `mv` says: saves the status, appends
/// the event and, when the move notifies, writes the email to the outbox.
fn record(
    conn: &mut DbConnection,
    application: &mut Application,
    posting: &Posting,
    mv: Move,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let read_version = application.version;
    application.status = mv.to;
    application.stage = mv.stage.clone();
    application.version += 1;
    application.updated_at = now;
    if !applications::set_status(conn, application, read_version)? {
        return Err(ApiError::PreconditionFailed);
    }
    log(conn, application, posting, mv, now)
}

/// Appends the event of a move already saved and, when it notifies, writes the email.
fn log(
    conn: &mut DbConnection,
    application: &Application,
    posting: &Posting,
    mv: Move,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let mut notice_sent = false;
    if mv.notify {
        notice_sent = notify(conn, application, posting, now)?;
    }
    let event = Event {
        id: ApplicationEventId::from_uuid(uuid::Uuid::now_v7()),
        at: now,
        status: mv.to,
        stage: mv.stage,
        reason: mv.reason.map(|r| r.as_str().to_owned()),
        note: mv.note,
        actor_id: mv.actor_id,
        notice_sent,
    };
    applications::events::append(conn, application.id, &event)?;
    crate::services::webhooks::application_event(conn, application, posting, mv.submitted, now)?;
    tracing::info!(
        application.id = %application.id,
        status = event.status.as_str(),
        notice_sent,
        "application moved"
    );
    Ok(())
}

/// Sends the applicant a notice of their application's new status (a message in their inbox,
/// and an email unless they turned those off); `false` when the account is gone.
fn notify(
    conn: &mut DbConnection,
    application: &Application,
    posting: &Posting,
    now: DateTime<Utc>,
) -> Result<bool, ApiError> {
    let Some(account) = accounts::find(conn, application.account_id)? else {
        return Ok(false);
    };
    let status = application.status.as_str().replace('_', " ");
    let notice = Notice {
        kind: MessageKind::ApplicationStatus,
        template: "application_status",
        subject: format!("Your application: {status}"),
        paragraphs: vec![
            format!(
                "The status of your application for \"{}\" is now: {status}.",
                posting.title.as_str()
            ),
            "Sign in to see its whole history under your applications.".to_owned(),
        ],
        application_id: Some(application.id),
        posting_id: Some(posting.id),
    };
    messages::send_notice(conn, &account, notice, EmailTo::OnFile, now)?;
    Ok(true)
}
