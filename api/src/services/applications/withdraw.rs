//! Withdrawal by the applicant.

use chrono::{DateTime, Utc};
use merit_domain::{
    application::{
        Actor, ApplicationStatus, ClosingReason, ReasonCode, WithdrawError, Withdrawal,
        withdraw as withdrawal,
    },
    ids::ApplicationId,
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
