//! The posting lifecycle: draft → open → closed, and cancelled from draft or open.

use thiserror::Error;

/// Where a posting is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PostingStatus {
    /// Being written; only its department sees it.
    Draft,
    /// Published and accepting applications (until the final filing date).
    Open,
    /// No longer accepting applications.
    Closed,
    /// Withdrawn.
    Cancelled,
}

/// What an employer can do to a posting's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PostingAction {
    /// Open a draft.
    Publish,
    /// Stop accepting applications.
    Close,
    /// Withdraw a draft or an open posting.
    Cancel,
}

/// An action the current status does not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
#[error("a {from} posting cannot be {action}")]
pub struct TransitionError {
    /// The current status.
    pub from: &'static str,
    /// The action, in the past tense.
    pub action: &'static str,
}

impl PostingStatus {
    /// The status's name in the API and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            PostingStatus::Draft => "draft",
            PostingStatus::Open => "open",
            PostingStatus::Closed => "closed",
            PostingStatus::Cancelled => "cancelled",
        }
    }

    /// Parses a status's name.
    pub fn parse(text: &str) -> Option<Self> {
        [
            PostingStatus::Draft,
            PostingStatus::Open,
            PostingStatus::Closed,
            PostingStatus::Cancelled,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }

    /// The status after `action`, or why it is not allowed.
    pub fn apply(self, action: PostingAction) -> Result<PostingStatus, TransitionError> {
        use PostingAction::*;
        use PostingStatus::*;
        match (self, action) {
            (Draft, Publish) => Ok(Open),
            (Open, Close) => Ok(Closed),
            (Draft | Open, Cancel) => Ok(Cancelled),
            (from, action) => Err(TransitionError {
                from: from.as_str(),
                action: match action {
                    Publish => "published",
                    Close => "closed",
                    Cancel => "cancelled",
                },
            }),
        }
    }

    /// Whether its content may still be edited.
    pub fn editable(self) -> bool {
        matches!(self, PostingStatus::Draft | PostingStatus::Open)
    }
}

#[cfg(test)]
mod tests {
    use super::{PostingAction::*, PostingStatus::*};

    #[test]
    fn the_legal_transitions() {
        assert_eq!(Draft.apply(Publish), Ok(Open));
        assert_eq!(Open.apply(Close), Ok(Closed));
        assert_eq!(Draft.apply(Cancel), Ok(Cancelled));
        assert_eq!(Open.apply(Cancel), Ok(Cancelled));
    }

    #[test]
    fn every_other_transition_is_refused() {
        for (from, action) in [
            (Draft, Close),
            (Open, Publish),
            (Closed, Publish),
            (Closed, Close),
            (Closed, Cancel),
            (Cancelled, Publish),
            (Cancelled, Close),
            (Cancelled, Cancel),
        ] {
            assert!(from.apply(action).is_err(), "{from:?} {action:?}");
        }
    }

    #[test]
    fn closed_and_cancelled_postings_are_not_editable() {
        assert!(Draft.editable() && Open.editable());
        assert!(!Closed.editable() && !Cancelled.editable());
    }
}
