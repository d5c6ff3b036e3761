//! "May I apply, and will I be considered?": the answer a person gets before applying.

use chrono::{DateTime, Utc};

use super::{Posting, Visibility};
use crate::reference::DepartmentCode;

/// The viewer's standing on the eligible list of the posting's classification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EligibilityStanding {
    /// Never passed the exam (or no result is known).
    None,
    /// On the list now.
    Active,
    /// Was on the list; the eligibility has expired.
    Expired,
}

/// Why someone may not apply, or will not be considered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// The posting is not open, or its final filing date has passed.
    FilingClosed,
    /// Only applicants apply (staff, employer and admin accounts do not).
    NotAnApplicant,
    /// The email address must be confirmed before applying.
    EmailNotVerified,
    /// The posting needs list eligibility for its classification, which the person lacks.
    EligibilityRequired,
    /// The person's eligibility for the classification has expired.
    EligibilityExpired,
    /// An internal-only posting of another department: the application is accepted but not
    /// considered.
    InternalOnlyOtherDepartment,
}

impl Reason {
    /// The reason's stable code.
    pub fn code(self) -> &'static str {
        match self {
            Reason::FilingClosed => "filing_closed",
            Reason::NotAnApplicant => "not_an_applicant",
            Reason::EmailNotVerified => "email_not_verified",
            Reason::EligibilityRequired => "eligibility_required",
            Reason::EligibilityExpired => "eligibility_expired",
            Reason::InternalOnlyOtherDepartment => "internal_only_other_department",
        }
    }

    /// Whether this reason stops the application (rather than only its consideration).
    pub fn blocks_applying(self) -> bool {
        !matches!(self, Reason::InternalOnlyOtherDepartment)
    }
}

/// The answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Consideration {
    /// Whether an application would be accepted.
    pub may_apply: bool,
    /// Whether it would be considered.
    pub considered: bool,
    /// Every reason that applies.
    pub reasons: Vec<Reason>,
}

/// The person asking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// Holds the applicant role.
    pub is_applicant: bool,
    /// Has a confirmed email address.
    pub email_verified: bool,
    /// The department of an active employee.
    pub employee_of: Option<DepartmentCode>,
}

/// Whether `candidate` may apply to `posting` at `now` and would be considered, with
/// `eligibility` their standing for the posting's classification. The caller has already
/// checked that the candidate may see the posting.
pub fn consideration(
    posting: &Posting,
    candidate: &Candidate,
    eligibility: EligibilityStanding,
    now: DateTime<Utc>,
) -> Consideration {
    let mut reasons = Vec::new();
    if !posting.accepting_applications(now) {
        reasons.push(Reason::FilingClosed);
    }
    if !candidate.is_applicant {
        reasons.push(Reason::NotAnApplicant);
    }
    if !candidate.email_verified {
        reasons.push(Reason::EmailNotVerified);
    }
    if posting.eligibility_required {
        match eligibility {
            EligibilityStanding::Active => {}
            EligibilityStanding::Expired => reasons.push(Reason::EligibilityExpired),
            EligibilityStanding::None => reasons.push(Reason::EligibilityRequired),
        }
    }
    if posting.visibility == Visibility::InternalOnly
        && candidate.employee_of.as_ref() != Some(&posting.department)
    {
        reasons.push(Reason::InternalOnlyOtherDepartment);
    }
    let may_apply = !reasons.iter().any(|r| r.blocks_applying());
    Consideration {
        may_apply,
        considered: may_apply && reasons.is_empty(),
        reasons,
    }
}
