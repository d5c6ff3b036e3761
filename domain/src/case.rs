//! Staff cases (CalJOBS case load): the kinds of case, their status and its moves, the reasons
//! that close one, the closed list of services staff record, and who may work a case.

use crate::reference::OfficeCode;

/// Defines a closed set of codes with their stable names.
macro_rules! codes {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name {
            $($(#[$vdoc])* $variant),+
        }

        impl $name {
            /// Every value, in order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable name (API and database).
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }

            /// Parses a stable name.
            pub fn parse(text: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.as_str() == text)
            }
        }
    };
}

codes!(
    /// Whom a case is about.
    CaseKind {
        /// A job seeker (an applicant account).
        Individual => "individual",
        /// An employer organisation, named on the case.
        Employer => "employer",
    }
);

codes!(
    /// Where a case stands.
    CaseStatus {
        /// Being worked.
        Active => "active",
        /// Kept open but not being worked for now.
        Inactive => "inactive",
        /// Finished, with a reason; final.
        Closed => "closed",
    }
);

codes!(
    /// Why a case was closed.
    CloseReason {
        /// The person found work (or the employer filled its needs).
        Employed => "employed",
        /// The planned services were given.
        ServicesCompleted => "services_completed",
        /// No contact could be made.
        NoContact => "no_contact",
        /// The person or employer moved out of the office's area.
        MovedAway => "moved_away",
        /// They no longer want services.
        DeclinedServices => "declined_services",
        /// Another office or programme took the case over.
        Transferred => "transferred",
        /// Anything else.
        Other => "other",
    }
);

codes!(
    /// The services staff record on a case (the documented code list).
    ActivityCode {
        /// An orientation to the office's services.
        Orientation => "orientation",
        /// A referral to a job opening.
        JobReferral => "job_referral",
        /// Help writing or improving a résumé.
        ResumeAssistance => "resume_assistance",
        /// A workshop attended.
        Workshop => "workshop",
        /// Career counselling.
        CareerCounseling => "career_counseling",
        /// An assessment of skills.
        SkillsAssessment => "skills_assessment",
        /// Help searching for work.
        JobSearchAssistance => "job_search_assistance",
        /// A follow-up contact.
        FollowUp => "follow_up",
    }
);

/// Why a status change is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum StatusChangeError {
    /// The case is closed: it takes no more changes.
    #[error("the case is closed")]
    Closed,
    /// Closing needs a reason.
    #[error("closing a case needs a reason")]
    ReasonRequired,
    /// Only closing takes a reason.
    #[error("only closing a case takes a reason")]
    ReasonNotAllowed,
}

/// Checks a move of a case from `from` to `to` with `reason`: any open status may go to any
/// status (the same one is a no-op), closing needs a reason and nothing else takes one, and a
/// closed case is final (a person who comes back gets a new case).
pub fn change_status(
    from: CaseStatus,
    to: CaseStatus,
    reason: Option<CloseReason>,
) -> Result<(), StatusChangeError> {
    match (to, reason) {
        (CaseStatus::Closed, None) => return Err(StatusChangeError::ReasonRequired),
        (CaseStatus::Active | CaseStatus::Inactive, Some(_)) => {
            return Err(StatusChangeError::ReasonNotAllowed);
        }
        _ => {}
    }
    if from == CaseStatus::Closed {
        return Err(StatusChangeError::Closed);
    }
    Ok(())
}

/// What a signed-in person may work: no cases, one office's, or every office's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaseScope {
    /// Neither staff nor admin.
    None,
    /// Staff of this office.
    Office(OfficeCode),
    /// An admin: every office.
    All,
}

impl CaseScope {
    /// The scope of a person with these roles and office. An admin sees all; a staff member
    /// their own office (a staff account without an office sees nothing).
    pub fn of(is_admin: bool, is_staff: bool, office: Option<&OfficeCode>) -> CaseScope {
        match (is_admin, is_staff, office) {
            (true, _, _) => CaseScope::All,
            (false, true, Some(office)) => CaseScope::Office(office.clone()),
            _ => CaseScope::None,
        }
    }

    /// Whether a case of `office` is in scope.
    pub fn covers(&self, office: &OfficeCode) -> bool {
        match self {
            CaseScope::None => false,
            CaseScope::Office(own) => own == office,
            CaseScope::All => true,
        }
    }
}

/// The most cents an hourly wage may be ($1,000.00 an hour).
pub const MAX_HOURLY_WAGE_CENTS: i64 = 100_000;

#[cfg(test)]
mod tests {
    use super::*;

    fn lao() -> OfficeCode {
        OfficeCode::parse("LAO").unwrap()
    }

    #[test]
    fn closing_needs_a_reason_and_only_closing_takes_one() {
        use CaseStatus::*;
        assert_eq!(
            change_status(Active, Closed, None),
            Err(StatusChangeError::ReasonRequired)
        );
        assert_eq!(
            change_status(Active, Inactive, Some(CloseReason::Other)),
            Err(StatusChangeError::ReasonNotAllowed)
        );
        assert_eq!(
            change_status(Inactive, Closed, Some(CloseReason::Employed)),
            Ok(())
        );
        assert_eq!(change_status(Inactive, Active, None), Ok(()));
        assert_eq!(change_status(Active, Active, None), Ok(()));
    }

    #[test]
    fn a_closed_case_is_final() {
        for to in CaseStatus::ALL {
            let reason = (*to == CaseStatus::Closed).then_some(CloseReason::Other);
            assert_eq!(
                change_status(CaseStatus::Closed, *to, reason),
                Err(StatusChangeError::Closed)
            );
        }
    }

    #[test]
    fn staff_see_their_office_admins_all_others_nothing() {
        let sfo = OfficeCode::parse("SFO").unwrap();
        let staff = CaseScope::of(false, true, Some(&lao()));
        assert!(staff.covers(&lao()));
        assert!(!staff.covers(&sfo));
        assert!(CaseScope::of(true, false, None).covers(&sfo));
        assert!(!CaseScope::of(false, false, Some(&lao())).covers(&lao()));
        assert!(!CaseScope::of(false, true, None).covers(&lao()));
    }

    #[test]
    fn codes_round_trip() {
        for code in ActivityCode::ALL {
            assert_eq!(ActivityCode::parse(code.as_str()), Some(*code));
        }
        assert_eq!(ActivityCode::ALL.len(), 8);
        assert_eq!(CloseReason::parse("nope"), None);
    }
}
