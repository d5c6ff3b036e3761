//! Contact letters (employment inquiries) and waivers of appointment, by California's rules:
//! 2 CCR §258 (the response window, and the filing-date rule), §261.1 (waiver of contact:
//! an eligible not interested is not considered for that list, and may decline any number of
//! inquiries without being charged a waiver) and §262 (the third waiver of appointment in a
//! class ends certification for it).

use chrono::{DateTime, Utc};

/// A person's answer to a contact letter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// They want to be considered.
    Interested,
    /// They do not (never a waiver of appointment: §261.1).
    NotInterested,
}

impl Answer {
    /// The answer's name in the API and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Answer::Interested => "interested",
            Answer::NotInterested => "not_interested",
        }
    }

    /// Parses an answer's name.
    pub fn parse(name: &str) -> Option<Answer> {
        [Answer::Interested, Answer::NotInterested]
            .into_iter()
            .find(|a| a.as_str() == name)
    }
}

/// Where a contact letter stands, as the department sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LetterState {
    /// Sent; the window is open and no answer yet.
    Sent,
    /// Answered interested.
    Interested,
    /// Answered not interested.
    NotInterested,
    /// No answer and the window has closed: counts as not interested (§258, §261.1).
    NoReply,
    /// No answer, but the person applied to the posting (by its final filing date, since
    /// applications are accepted only until then): never counted as not interested.
    Applied,
    /// The department recorded a waiver of appointment for the person on this posting.
    Waived,
}

impl LetterState {
    /// Every state, in the order the API lists them.
    pub const ALL: [LetterState; 6] = [
        LetterState::Sent,
        LetterState::Interested,
        LetterState::NotInterested,
        LetterState::NoReply,
        LetterState::Applied,
        LetterState::Waived,
    ];

    /// The state's name in the API.
    pub fn as_str(self) -> &'static str {
        match self {
            LetterState::Sent => "sent",
            LetterState::Interested => "interested",
            LetterState::NotInterested => "not_interested",
            LetterState::NoReply => "no_reply",
            LetterState::Applied => "applied",
            LetterState::Waived => "waived",
        }
    }
}

/// What is known about one letter at `now`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LetterFacts {
    /// The person's answer, if any.
    pub answer: Option<Answer>,
    /// When the window closes.
    pub respond_by: DateTime<Utc>,
    /// Whether the person submitted an application to the posting.
    pub applied: bool,
    /// Whether a waiver of appointment was recorded for the person on the posting.
    pub waived: bool,
}

/// The letter's state at `now`. A waiver comes first, then the person's own answer; without an
/// answer, an application keeps the person in consideration whatever the time; otherwise the
/// silence counts as not interested only from `respond_by` on.
pub fn letter_state(facts: LetterFacts, now: DateTime<Utc>) -> LetterState {
    if facts.waived {
        return LetterState::Waived;
    }
    match facts.answer {
        Some(Answer::Interested) => LetterState::Interested,
        Some(Answer::NotInterested) => LetterState::NotInterested,
        None if facts.applied => LetterState::Applied,
        None if now >= facts.respond_by => LetterState::NoReply,
        None => LetterState::Sent,
    }
}

/// Why an answer is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AnswerError {
    /// The window closed; only withdrawing interest is still possible.
    #[error("the answer was due by {0}; after that only `not_interested` is accepted")]
    Closed(DateTime<Utc>),
}

/// Whether the person may give `answer` at `now`: any answer (changing their mind included)
/// until `respond_by`; after it, only `not_interested` (an eligible may withdraw interest at any
/// time, §261.1), never a late `interested`.
pub fn may_answer(
    answer: Answer,
    respond_by: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), AnswerError> {
    if now < respond_by || answer == Answer::NotInterested {
        Ok(())
    } else {
        Err(AnswerError::Closed(respond_by))
    }
}

/// Why a waiver of appointment is recorded (§260.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WaiverReason {
    /// The person declined a job offer.
    DeclinedOffer,
    /// The person was not available within 30 calendar days of the offer (§258).
    UnavailableWithin30Days,
    /// The person failed to appear for an interview or for work.
    FailedToAppear,
}

impl WaiverReason {
    /// Every reason, in the order the API lists them.
    pub const ALL: [WaiverReason; 3] = [
        WaiverReason::DeclinedOffer,
        WaiverReason::UnavailableWithin30Days,
        WaiverReason::FailedToAppear,
    ];

    /// The reason's name in the API and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            WaiverReason::DeclinedOffer => "declined_offer",
            WaiverReason::UnavailableWithin30Days => "unavailable_within_30_days",
            WaiverReason::FailedToAppear => "failed_to_appear",
        }
    }

    /// Parses a reason's name.
    pub fn parse(name: &str) -> Option<WaiverReason> {
        WaiverReason::ALL.into_iter().find(|r| r.as_str() == name)
    }
}

/// The waivers of appointment in one class after which a person is no longer certified for it
/// (§262).
pub const WAIVERS_ENDING_CERTIFICATION: u32 = 3;

/// Whether a person with `waivers` waivers of appointment in a class may still be certified for
/// it.
pub fn certifiable(waivers: u32) -> bool {
    waivers < WAIVERS_ENDING_CERTIFICATION
}

#[cfg(test)]
mod tests {
    use chrono::TimeDelta;
    use proptest::prelude::*;

    use super::*;

    fn due() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-12-04T08:00:00Z")
            .unwrap()
            .with_timezone(&Utc)
    }

    fn facts() -> LetterFacts {
        LetterFacts {
            answer: None,
            respond_by: due(),
            applied: false,
            waived: false,
        }
    }

    #[test]
    fn silence_counts_as_not_interested_only_from_respond_by_on() {
        let just_before = due() - TimeDelta::microseconds(1);
        assert_eq!(letter_state(facts(), just_before), LetterState::Sent);
        assert_eq!(letter_state(facts(), due()), LetterState::NoReply);
    }

    #[test]
    fn an_application_is_never_counted_as_no_reply() {
        let applied = LetterFacts {
            applied: true,
            ..facts()
        };
        assert_eq!(
            letter_state(applied, due() + TimeDelta::days(30)),
            LetterState::Applied
        );
    }

    #[test]
    fn answers_and_waivers_decide_over_time() {
        let late = due() + TimeDelta::days(1);
        let interested = LetterFacts {
            answer: Some(Answer::Interested),
            ..facts()
        };
        assert_eq!(letter_state(interested, late), LetterState::Interested);
        let waived = LetterFacts {
            waived: true,
            ..interested
        };
        assert_eq!(letter_state(waived, late), LetterState::Waived);
    }

    #[test]
    fn after_the_window_only_withdrawing_interest_is_accepted() {
        let late = due();
        assert_eq!(
            may_answer(Answer::Interested, due(), late),
            Err(AnswerError::Closed(due()))
        );
        assert_eq!(may_answer(Answer::NotInterested, due(), late), Ok(()));
        let early = due() - TimeDelta::seconds(1);
        assert_eq!(may_answer(Answer::Interested, due(), early), Ok(()));
    }

    #[test]
    fn the_third_waiver_ends_certification() {
        assert!(certifiable(0));
        assert!(certifiable(2));
        assert!(!certifiable(3));
        assert!(!certifiable(4));
    }

    #[test]
    fn names_round_trip() {
        for reason in WaiverReason::ALL {
            assert_eq!(WaiverReason::parse(reason.as_str()), Some(reason));
        }
        for answer in [Answer::Interested, Answer::NotInterested] {
            assert_eq!(Answer::parse(answer.as_str()), Some(answer));
        }
        assert_eq!(Answer::parse("maybe"), None);
    }

    proptest! {
        #[test]
        fn no_reply_never_before_respond_by(offset in -1_000_000i64..1_000_000, applied in any::<bool>()) {
            let now = due() + TimeDelta::seconds(offset);
            let state = letter_state(LetterFacts { applied, ..facts() }, now);
            if state == LetterState::NoReply {
                prop_assert!(now >= due());
                prop_assert!(!applied);
            }
        }
    }
}
