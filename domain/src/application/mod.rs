//! Applications: the public status machine, the reasons that close an application, withdrawal,
//! a department's own stages, and the rules checked at submission.

mod stages;
mod status;
mod submission;

pub use stages::{MAX_STAGES, Stage, StageError, StageSet};
pub use status::{
    Actor, ApplicationStatus, ClosingReason, TransitionError, WithdrawError, Withdrawal, withdraw,
};
pub use submission::{Outcome, missing_documents, outcome};

/// The reason code recorded with a transition: a closing reason, or the consideration reason
/// that made a submission not considered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReasonCode {
    /// A typed closing reason.
    Closing(ClosingReason),
    /// Why a submission was accepted but not considered.
    Consideration(crate::posting::Reason),
}

impl ReasonCode {
    /// The stable code.
    pub fn as_str(self) -> &'static str {
        match self {
            ReasonCode::Closing(reason) => reason.as_str(),
            ReasonCode::Consideration(reason) => reason.code(),
        }
    }
}

/// The most applications one bulk transition moves.
pub const MAX_BULK: usize = 500;
