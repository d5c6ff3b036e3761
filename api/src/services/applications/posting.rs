//! What happens to applications when their posting is cancelled or filled.

use chrono::{DateTime, Utc};
use merit_domain::{
    application::{Actor, ApplicationStatus, ClosingReason, ReasonCode},
    ids::{AccountId, PostingId},
    posting::{Posting, PostingStatus},
};
use merit_persistence::{DbConnection, RepoError, applications};

use super::{
    Move,
    department::{transition_error, worked_posting},
    record,
};
use crate::{
    auth::AuthUser,
    error::{ApiError, Code},
};

/// Cancels every open application of a posting being cancelled, in the caller's transaction.
pub fn cancel_open(
    conn: &mut DbConnection,
    posting: &Posting,
    actor_id: AccountId,
    now: DateTime<Utc>,
) -> Result<usize, ApiError> {
    let open = applications::open_for_posting(conn, posting.id)?;
    let count = open.len();
    let reason = ClosingReason::ProcessEnded;
    for mut application in open {
        application
            .status
            .transition(ApplicationStatus::Cancelled, Actor::System, Some(reason))
            .map_err(transition_error)?;
        let mv = Move {
            to: ApplicationStatus::Cancelled,
            stage: None,
            reason: Some(ReasonCode::Closing(reason)),
            note: None,
            actor_id: Some(actor_id),
            notify: true,
            submitted: false,
        };
        record(conn, &mut application, posting, mv, now)?;
    }
    Ok(count)
}

/// Marks a closed posting filled: refused (409 `applications_not_final`) while any of its
/// applications lacks a final status.
pub fn fill_posting(
    conn: &mut DbConnection,
    user: &AuthUser,
    id: PostingId,
    now: DateTime<Utc>,
) -> Result<(Posting, DateTime<Utc>), ApiError> {
    let posting = worked_posting(conn, user, id)?;
    if posting.status != PostingStatus::Closed {
        return Err(ApiError::new(
            Code::PostingNotClosed,
            format!(
                "A {} posting cannot be filled; close it first.",
                posting.status.as_str()
            ),
        ));
    }
    let open = applications::count_open(conn, id)?;
    if open > 0 {
        return Err(ApiError::new(
            Code::ApplicationsNotFinal,
            format!("{open} application(s) of this posting have no final status yet."),
        ));
    }
    applications::fills::insert(conn, id, user.id(), now).map_err(|e| match e {
        RepoError::Conflict { .. } => ApiError::new(
            Code::AlreadyFilled,
            "This posting is marked filled already.",
        ),
        other => other.into(),
    })?;
    Ok((posting, now))
}
