use proptest::{prelude::*, sample::select};

use super::{ApplicationStatus::*, *};

fn any_status() -> impl Strategy<Value = ApplicationStatus> {
    select(ApplicationStatus::ALL.to_vec())
}

fn any_actor() -> impl Strategy<Value = Actor> {
    select(vec![Actor::Applicant, Actor::Department, Actor::System])
}

fn any_reason() -> impl Strategy<Value = Option<ClosingReason>> {
    prop_oneof![
        Just(None),
        select(ClosingReason::ALL.to_vec()).prop_map(Some)
    ]
}

#[test]
fn the_whole_journey_is_legal_for_the_department() {
    let path = [UnderReview, Eligible, Referred, Interview, Offer, Hired];
    let mut status = Received;
    for next in path {
        status = status
            .transition(next, Actor::Department, None)
            .expect("a legal step");
    }
    assert_eq!(status, Hired);
}

#[test]
fn closing_an_application_needs_a_reason() {
    assert_eq!(
        UnderReview.transition(NotSelected, Actor::Department, None),
        Err(TransitionError::ReasonRequired { to: NotSelected })
    );
    assert_eq!(
        UnderReview.transition(
            NotSelected,
            Actor::Department,
            Some(ClosingReason::WeDeclined)
        ),
        Ok(NotSelected)
    );
}

#[test]
fn a_reason_is_refused_on_an_advancing_move() {
    assert_eq!(
        Received
            .transition(
                UnderReview,
                Actor::Department,
                Some(ClosingReason::WeDeclined)
            )
            .unwrap_err()
            .code(),
        "reason_not_allowed"
    );
}

#[test]
fn skipping_steps_is_refused() {
    let error = Received
        .transition(Offer, Actor::Department, None)
        .unwrap_err();
    assert_eq!(error.code(), "invalid_transition");
}

#[test]
fn the_department_cannot_withdraw_or_cancel_one_application() {
    for to in [Withdrawn, Cancelled, Received, Draft] {
        assert!(!to.settable_by_department());
        assert!(Interview.transition(to, Actor::Department, None).is_err());
    }
}

#[test]
fn submission_and_cancellation_are_the_system_s() {
    assert_eq!(
        Draft.transition(Received, Actor::System, None),
        Ok(Received)
    );
    assert_eq!(
        Draft.transition(NotConsidered, Actor::System, None),
        Ok(NotConsidered)
    );
    assert_eq!(
        Interview.transition(Cancelled, Actor::System, Some(ClosingReason::ProcessEnded)),
        Ok(Cancelled)
    );
    assert!(Draft.transition(Cancelled, Actor::System, None).is_err());
}

#[test]
fn withdrawing_is_allowed_until_a_final_status_and_idempotent() {
    assert_eq!(withdraw(Offer), Ok(Withdrawal::Withdraw));
    assert_eq!(withdraw(Withdrawn), Ok(Withdrawal::AlreadyWithdrawn));
    assert_eq!(withdraw(Hired), Err(WithdrawError::Hired));
    assert_eq!(withdraw(Draft), Err(WithdrawError::NotSubmitted));
    assert_eq!(withdraw(Cancelled).unwrap_err().code(), "application_final");
}

#[test]
fn every_status_name_round_trips() {
    for status in ApplicationStatus::ALL {
        assert_eq!(ApplicationStatus::parse(status.as_str()), Some(*status));
    }
}

proptest! {
    #[test]
    fn nothing_leaves_a_final_status(
        from in any_status(), to in any_status(), actor in any_actor(), reason in any_reason()
    ) {
        if from.is_final() {
            prop_assert_eq!(
                from.transition(to, actor, reason),
                Err(TransitionError::Final { from })
            );
        }
    }

    #[test]
    fn every_legal_move_goes_forward_to_another_status(
        from in any_status(), to in any_status(), actor in any_actor(), reason in any_reason()
    ) {
        if let Ok(next) = from.transition(to, actor, reason) {
            prop_assert_eq!(next, to);
            prop_assert_ne!(next, from);
            prop_assert_ne!(next, Draft);
            prop_assert!(!to.is_closing() || actor != Actor::Department || reason.is_some());
            prop_assert!(to.is_closing() || reason.is_none());
        }
    }

    #[test]
    fn the_applicant_can_only_withdraw(
        from in any_status(), to in any_status(), reason in any_reason()
    ) {
        if from.transition(to, Actor::Applicant, reason).is_ok() {
            prop_assert_eq!(to, Withdrawn);
            prop_assert!(withdraw(from).is_ok());
        }
    }

    #[test]
    fn a_withdrawal_is_possible_exactly_from_open_statuses(from in any_status()) {
        let allowed = matches!(withdraw(from), Ok(Withdrawal::Withdraw));
        prop_assert_eq!(allowed, from.is_open());
    }
}
