//! What happens at submission: the snapshot must cover the posting's required documents, and
//! the consideration rule of the preview (`GET /postings/{id}/eligibility`) decides whether the
//! application is accepted and whether it is considered.

use crate::{
    posting::{Consideration, Reason},
    profile::DocumentKind,
};

use super::ApplicationStatus;

/// The required document kinds no attached document covers, in the posting's order (each kind
/// once). Kinds the posting names that Merit does not know can never be covered.
pub fn missing_documents(required: &[String], attached: &[DocumentKind]) -> Vec<String> {
    let mut missing: Vec<String> = Vec::new();
    for kind in required {
        let covered = DocumentKind::parse(kind).is_some_and(|k| attached.contains(&k));
        if !covered && !missing.contains(kind) {
            missing.push(kind.clone());
        }
    }
    missing
}

/// How a submission ends, by the preview's consideration answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Accepted and considered: `received`.
    Received,
    /// Accepted but not considered, for this reason: `not_considered`.
    NotConsidered(Reason),
    /// Refused, for this (first blocking) reason.
    Refused(Reason),
}

impl Outcome {
    /// The status the application takes, when it is accepted.
    pub fn status(self) -> Option<ApplicationStatus> {
        match self {
            Outcome::Received => Some(ApplicationStatus::Received),
            Outcome::NotConsidered(_) => Some(ApplicationStatus::NotConsidered),
            Outcome::Refused(_) => None,
        }
    }
}

/// The submit-time rule: exactly the preview's [`consideration`](crate::posting::consideration)
/// answer, read as an outcome.
pub fn outcome(answer: &Consideration) -> Outcome {
    if let Some(blocking) = answer.reasons.iter().find(|r| r.blocks_applying()) {
        return Outcome::Refused(*blocking);
    }
    match answer.reasons.first() {
        Some(reason) if !answer.considered => Outcome::NotConsidered(*reason),
        _ => Outcome::Received,
    }
}

#[cfg(test)]
mod tests {
    use proptest::{prelude::*, sample::subsequence};

    use super::*;

    const ALL_REASONS: [Reason; 6] = [
        Reason::FilingClosed,
        Reason::NotAnApplicant,
        Reason::EmailNotVerified,
        Reason::EligibilityRequired,
        Reason::EligibilityExpired,
        Reason::InternalOnlyOtherDepartment,
    ];

    fn answer(reasons: Vec<Reason>) -> Consideration {
        let may_apply = !reasons.iter().any(|r| r.blocks_applying());
        Consideration {
            may_apply,
            considered: may_apply && reasons.is_empty(),
            reasons,
        }
    }

    #[test]
    fn required_kinds_must_each_be_attached() {
        let required = vec!["resume".to_owned(), "transcript".to_owned()];
        assert_eq!(
            missing_documents(&required, &[DocumentKind::Resume]),
            vec!["transcript".to_owned()]
        );
        assert!(
            missing_documents(&required, &[DocumentKind::Transcript, DocumentKind::Resume])
                .is_empty()
        );
        assert_eq!(
            missing_documents(&["unknown".into()], &[DocumentKind::Other]),
            vec!["unknown".to_owned()]
        );
    }

    #[test]
    fn an_internal_posting_of_another_department_is_accepted_but_not_considered() {
        assert_eq!(
            outcome(&answer(vec![Reason::InternalOnlyOtherDepartment])),
            Outcome::NotConsidered(Reason::InternalOnlyOtherDepartment)
        );
        assert_eq!(outcome(&answer(vec![])), Outcome::Received);
        assert_eq!(
            outcome(&answer(vec![
                Reason::InternalOnlyOtherDepartment,
                Reason::FilingClosed
            ])),
            Outcome::Refused(Reason::FilingClosed)
        );
    }

    proptest! {
        #[test]
        fn the_outcome_agrees_with_the_preview(reasons in subsequence(ALL_REASONS.to_vec(), 0..=6)) {
            let preview = answer(reasons);
            let result = outcome(&preview);
            prop_assert_eq!(result.status().is_some(), preview.may_apply);
            prop_assert_eq!(result == Outcome::Received, preview.considered);
        }

        #[test]
        fn attaching_every_required_kind_leaves_nothing_missing(
            kinds in subsequence(DocumentKind::ALL.to_vec(), 0..=7)
        ) {
            let required: Vec<String> = kinds.iter().map(|k| k.as_str().to_owned()).collect();
            prop_assert!(missing_documents(&required, &kinds).is_empty());
            prop_assert_eq!(missing_documents(&required, &[]).len(), kinds.len());
        }
    }
}
