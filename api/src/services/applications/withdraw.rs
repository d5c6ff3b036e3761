//! Withdrawal by the applicant.

use chrono::{DateTime, Utc};
use merit_domain::{
    application::{
        Actor, ApplicationStatus, ClosingReason, ReasonCode, WithdrawError, Withdrawal,
        withdraw as withdrawal,
    },
    ids::{AccountId, ApplicationId},
};
use merit_persistence::{DbConnection, applications::Application};

use super::{Access, Move, not_found, readable, record};
use crate::{
    auth::AuthUser,
    error::{ApiError, Code},
};

/// Withdraws the caller's application (any time before a final status; again is a no-op).
pub fn withdraw(
    conn: &mut DbConnection,
    user: &AuthUser,
    id: ApplicationId,
    note: Option<String>,
    now: DateTime<Utc>,
) -> Result<Application, ApiError> {
    let (mut application, posting, access) = readable(conn, user, id)?;
    if access != Access::Owner {
        return Err(not_found());
    }
    match withdrawal(application.status) {
        Err(e) => Err(ApiError::new(
            match e {
                WithdrawError::NotSubmitted => Code::ApplicationNotSubmitted,
                WithdrawError::Hired => Code::AlreadyHired,
                WithdrawError::Closed(_) => Code::ApplicationFinal,
            },
            format!("This application cannot be withdrawn: {e}."),
        )),
        Ok(Withdrawal::AlreadyWithdrawn) => Ok(application),
        Ok(Withdrawal::Withdraw) => {
            application
                .status
                .transition(ApplicationStatus::Withdrawn, Actor::Applicant, None)
                .map_err(|e| ApiError::new(Code::InvalidTransition, format!("{e}.")))?;
            let mv = Move {
                to: ApplicationStatus::Withdrawn,
                stage: None,
                reason: Some(ReasonCode::Closing(ClosingReason::TheyDeclined)),
                note,
                actor_id: Some(user.id()),
                notify: true,
                submitted: false,
            };
            record(conn, &mut application, &posting, mv, now)?;
            Ok(application)
        }
    }
}

/// Withdraws an application that a profile merge leaves with the closed account, because the
/// person's other application to the same posting is the one kept. Nothing happens to a draft
/// or an application in a final status. No notice: the merge itself is what the person did.
pub(crate) fn withdraw_for_merge(
    conn: &mut DbConnection,
    id: ApplicationId,
    actor_id: AccountId,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let Some(mut application) = merit_persistence::applications::find(conn, id)? else {
        return Ok(());
    };
    if withdrawal(application.status) != Ok(Withdrawal::Withdraw) {
        return Ok(());
    }
    let posting =
        merit_persistence::postings::find(conn, application.posting_id)?.ok_or_else(not_found)?;
    application
        .status
        .transition(ApplicationStatus::Withdrawn, Actor::Applicant, None)
        .map_err(|e| ApiError::new(Code::InvalidTransition, format!("{e}.")))?;
    let mv = Move {
        to: ApplicationStatus::Withdrawn,
        stage: None,
        reason: Some(ReasonCode::Closing(ClosingReason::TheyDeclined)),
        note: Some(
            "Withdrawn by a profile merge: the person's other application to this posting is kept."
                .to_owned(),
        ),
        actor_id: Some(actor_id),
        notify: false,
        submitted: false,
    };
    record(conn, &mut application, &posting, mv, now)
}
