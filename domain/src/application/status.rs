//! The public status of an application and the transition table between statuses.
//!
//! The applicant always sees one of these statuses: departments work with stages of their own
//! naming, but each stage maps to exactly one public status (see [`super::stages`]).

use thiserror::Error;

use crate::terms::named_enum;

named_enum!(
    /// Where an application stands, as the applicant sees it.
    ApplicationStatus, "application status", {
        /// Started, not submitted.
        Draft => "draft",
        /// Submitted and received.
        Received => "received",
        /// The department is reviewing it.
        UnderReview => "under_review",
        /// Accepted but not considered (for instance an internal-only posting of another
        /// department).
        NotConsidered => "not_considered",
        /// Meets the minimum qualifications.
        Eligible => "eligible",
        /// Does not meet them.
        NotEligible => "not_eligible",
        /// Referred to the hiring manager.
        Referred => "referred",
        /// Not referred.
        NotReferred => "not_referred",
        /// Invited to interview.
        Interview => "interview",
        /// Offered the job.
        Offer => "offer",
        /// Hired.
        Hired => "hired",
        /// Not selected.
        NotSelected => "not_selected",
        /// Withdrawn by the applicant.
        Withdrawn => "withdrawn",
        /// The posting was cancelled.
        Cancelled => "cancelled",
    }
);

named_enum!(
    /// Why an application was closed without a hire (typed, as Greenhouse's rejection reasons).
    ClosingReason, "closing reason", {
        /// The department declined the applicant.
        WeDeclined => "we_declined",
        /// The applicant declined (or withdrew).
        TheyDeclined => "they_declined",
        /// The hiring process ended (posting cancelled, position filled elsewhere).
        ProcessEnded => "process_ended",
    }
);

/// Who moves an application.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    /// The person who applied.
    Applicant,
    /// An employer of the posting's department, or an admin.
    Department,
    /// Merit itself (submission checks, posting cancellation).
    System,
}

/// A move the transition table refuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum TransitionError {
    /// The application already has a final status.
    #[error("the application is {from}, a final status")]
    Final {
        /// The current status.
        from: ApplicationStatus,
    },
    /// Not a move from this status (or not one this actor may make).
    #[error("an application that is {from} cannot become {to}")]
    NotAllowed {
        /// The current status.
        from: ApplicationStatus,
        /// The status asked for.
        to: ApplicationStatus,
    },
    /// A closing status needs a reason.
    #[error("becoming {to} needs a reason: we_declined, they_declined or process_ended")]
    ReasonRequired {
        /// The status asked for.
        to: ApplicationStatus,
    },
    /// Only closing statuses take a reason.
    #[error("becoming {to} takes no reason")]
    ReasonNotAllowed {
        /// The status asked for.
        to: ApplicationStatus,
    },
}

impl TransitionError {
    /// The error's stable code.
    pub fn code(self) -> &'static str {
        match self {
            TransitionError::Final { .. } => "application_final",
            TransitionError::NotAllowed { .. } => "invalid_transition",
            TransitionError::ReasonRequired { .. } => "reason_required",
            TransitionError::ReasonNotAllowed { .. } => "reason_not_allowed",
        }
    }
}

impl ApplicationStatus {
    /// Whether nothing can change any more.
    pub fn is_final(self) -> bool {
        use ApplicationStatus::*;
        matches!(
            self,
            NotConsidered | NotEligible | NotReferred | Hired | NotSelected | Withdrawn | Cancelled
        )
    }

    /// Submitted and not final: the department still owes a decision.
    pub fn is_open(self) -> bool {
        self != ApplicationStatus::Draft && !self.is_final()
    }

    /// Whether reaching this status closes the application without a hire (a reason is needed).
    pub fn is_closing(self) -> bool {
        self.is_final() && self != ApplicationStatus::Hired
    }

    /// The statuses a department may move an application to (directly or through a stage).
    pub fn settable_by_department(self) -> bool {
        use ApplicationStatus::*;
        !matches!(self, Draft | Received | Withdrawn | Cancelled)
    }

    /// The statuses a department may move an application to from this one.
    fn department_moves(self) -> &'static [ApplicationStatus] {
        use ApplicationStatus::*;
        match self {
            Received => &[
                UnderReview,
                Eligible,
                NotEligible,
                NotConsidered,
                NotSelected,
            ],
            UnderReview => &[Eligible, NotEligible, NotConsidered, NotSelected],
            Eligible => &[Referred, NotReferred, NotSelected],
            Referred => &[Interview, Offer, NotSelected],
            Interview => &[Offer, NotSelected],
            Offer => &[Hired, NotSelected],
            _ => &[],
        }
    }

    /// Checks a move by `actor` to `to`, with `reason` (required for closing statuses, refused
    /// otherwise).
    pub fn transition(
        self,
        to: ApplicationStatus,
        actor: Actor,
        reason: Option<ClosingReason>,
    ) -> Result<ApplicationStatus, TransitionError> {
        if self.is_final() {
            return Err(TransitionError::Final { from: self });
        }
        let allowed = match actor {
            Actor::Department => self.department_moves().contains(&to),
            Actor::Applicant => to == ApplicationStatus::Withdrawn && self.is_open(),
            Actor::System => match to {
                ApplicationStatus::Received | ApplicationStatus::NotConsidered => {
                    self == ApplicationStatus::Draft
                }
                ApplicationStatus::Cancelled => self.is_open(),
                _ => false,
            },
        };
        if !allowed {
            return Err(TransitionError::NotAllowed { from: self, to });
        }
        match (to.is_closing(), reason) {
            (true, None) if actor == Actor::Department => {
                Err(TransitionError::ReasonRequired { to })
            }
            (false, Some(_)) => Err(TransitionError::ReasonNotAllowed { to }),
            _ => Ok(to),
        }
    }
}

/// What a withdrawal does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Withdrawal {
    /// The application becomes withdrawn now.
    Withdraw,
    /// It is withdrawn already: nothing changes (withdrawing is idempotent).
    AlreadyWithdrawn,
}

/// Why an application cannot be withdrawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum WithdrawError {
    /// A draft is deleted, not withdrawn.
    #[error("a draft is not submitted; delete it instead")]
    NotSubmitted,
    /// The applicant was hired.
    #[error("the applicant was hired")]
    Hired,
    /// It was closed otherwise (not selected, cancelled, ...).
    #[error("the application is {0} already")]
    Closed(ApplicationStatus),
}

impl WithdrawError {
    /// The error's stable code.
    pub fn code(self) -> &'static str {
        match self {
            WithdrawError::NotSubmitted => "application_not_submitted",
            WithdrawError::Hired => "already_hired",
            WithdrawError::Closed(_) => "application_final",
        }
    }
}

/// The withdrawal rule: any time before a final status (hired above all); again when withdrawn
/// already changes nothing.
pub fn withdraw(status: ApplicationStatus) -> Result<Withdrawal, WithdrawError> {
    match status {
        ApplicationStatus::Withdrawn => Ok(Withdrawal::AlreadyWithdrawn),
        ApplicationStatus::Draft => Err(WithdrawError::NotSubmitted),
        ApplicationStatus::Hired => Err(WithdrawError::Hired),
        other if other.is_final() => Err(WithdrawError::Closed(other)),
        _ => Ok(Withdrawal::Withdraw),
    }
}

#[cfg(test)]
mod tests;
