//! Who may see a posting: the one rule every query applies.

use crate::reference::DepartmentCode;

use super::PostingStatus;

/// Who a posting is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Visibility {
    /// Everyone, signed in or not.
    Public,
    /// Signed-in State employees of any department.
    InternalOnly,
}

impl Visibility {
    /// The name in the API and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Visibility::Public => "public",
            Visibility::InternalOnly => "internal_only",
        }
    }

    /// Parses a name.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "public" => Some(Visibility::Public),
            "internal_only" => Some(Visibility::InternalOnly),
            _ => None,
        }
    }
}

/// Who is looking.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Viewer {
    /// The department of a signed-in employee on the active roster.
    pub employee_of: Option<DepartmentCode>,
    /// The department of a signed-in employer.
    pub employer_of: Option<DepartmentCode>,
}

impl Viewer {
    /// Someone not signed in (or signed in without employee or employer standing).
    pub fn anonymous() -> Self {
        Viewer::default()
    }

    /// Whether internal-only postings are shown to this viewer.
    pub fn sees_internal(&self) -> bool {
        self.employee_of.is_some()
    }
}

/// Whether `viewer` may see a posting of `department` with this `visibility` and `status`.
/// A department's employers see all its postings, drafts included. Everyone else never sees
/// drafts; public postings are for everyone; internal-only ones for active employees of any
/// department (separated employees are no longer employees).
pub fn can_see(
    visibility: Visibility,
    status: PostingStatus,
    department: &DepartmentCode,
    viewer: &Viewer,
) -> bool {
    if viewer.employer_of.as_ref() == Some(department) {
        return true;
    }
    if status == PostingStatus::Draft {
        return false;
    }
    match visibility {
        Visibility::Public => true,
        Visibility::InternalOnly => viewer.sees_internal(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dept(code: &str) -> DepartmentCode {
        DepartmentCode::parse(code).unwrap()
    }

    fn employee_of(code: &str) -> Viewer {
        Viewer {
            employee_of: Some(dept(code)),
            employer_of: None,
        }
    }

    fn employer_of(code: &str) -> Viewer {
        Viewer {
            employee_of: None,
            employer_of: Some(dept(code)),
        }
    }

    #[test]
    fn public_open_postings_are_seen_by_everyone() {
        for viewer in [Viewer::anonymous(), employee_of("DMV"), employer_of("CDCR")] {
            assert!(can_see(
                Visibility::Public,
                PostingStatus::Open,
                &dept("DMV"),
                &viewer
            ));
        }
    }

    #[test]
    fn internal_only_postings_are_seen_by_employees_of_any_department() {
        let open = PostingStatus::Open;
        assert!(can_see(
            Visibility::InternalOnly,
            open,
            &dept("DMV"),
            &employee_of("DMV")
        ));
        assert!(can_see(
            Visibility::InternalOnly,
            open,
            &dept("DMV"),
            &employee_of("CDCR")
        ));
        assert!(!can_see(
            Visibility::InternalOnly,
            open,
            &dept("DMV"),
            &Viewer::anonymous()
        ));
        assert!(!can_see(
            Visibility::InternalOnly,
            open,
            &dept("DMV"),
            &employer_of("CDCR")
        ));
    }

    #[test]
    fn drafts_are_seen_only_by_their_departments_employers() {
        assert!(can_see(
            Visibility::Public,
            PostingStatus::Draft,
            &dept("DMV"),
            &employer_of("DMV")
        ));
        assert!(!can_see(
            Visibility::Public,
            PostingStatus::Draft,
            &dept("DMV"),
            &employer_of("CDCR")
        ));
        assert!(!can_see(
            Visibility::Public,
            PostingStatus::Draft,
            &dept("DMV"),
            &employee_of("DMV")
        ));
    }
}
