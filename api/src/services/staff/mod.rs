//! The staff workspace's case load: cases for individuals and employers, the services and
//! placements recorded on them, quick search and report indicators.
//!
//! Office scoping is decided in one place, [`scope`] and [`workable`]: staff see and change
//! only their own office's cases, admins every office's; anyone else is refused with 403
//! before anything is read, and a case outside the caller's scope is 404 (ids cannot be
//! probed). Every use case starts with one of the two.

pub mod appointments;
mod case_load;
pub mod correspondence;
pub mod dashboard;
pub mod links;
mod records;
mod reports;
mod search;
pub mod surveys;

pub use case_load::{
    CaseFilterCommand, ListScope, OpenCase, SubjectCommand, assign, etag, get, list, open,
    set_status,
};
pub use records::{
    RecordActivity, RecordPlacement, activities, placements, record_activity, record_placement,
};
pub use reports::{Indicators, Report, ReportQuery, StaffIndicators, indicators, own_indicators};
pub use search::{IndividualHit, search_employers, search_individuals};

use merit_domain::{
    account::{Account, Role},
    case::CaseScope,
    ids::{AccountId, CaseId},
};
use merit_persistence::{
    DbConnection, accounts,
    cases::{self, Case, Named, Subject},
};

use crate::{
    auth::AuthUser,
    error::{ApiError, Code},
};

/// What the caller may work: 403 `forbidden` for anyone who is neither staff with an office
/// nor an admin.
pub fn scope(user: &AuthUser) -> Result<CaseScope, ApiError> {
    match CaseScope::of(
        user.has(Role::Admin),
        user.has(Role::Staff),
        user.account.office.as_ref(),
    ) {
        CaseScope::None => Err(ApiError::new(
            Code::Forbidden,
            "The staff workspace is for staff of an office and admins.",
        )),
        scope => Ok(scope),
    }
}

/// The office a scope limits lists to (`None`: every office).
pub fn office_filter(scope: &CaseScope) -> Option<String> {
    match scope {
        CaseScope::Office(office) => Some(office.as_str().to_owned()),
        _ => None,
    }
}

fn not_found() -> ApiError {
    ApiError::not_found("case")
}

/// A case the caller may work, with their scope; 403 for callers with no scope, 404 for a case
/// that does not exist or belongs to another office.
pub fn workable(
    conn: &mut DbConnection,
    user: &AuthUser,
    id: CaseId,
) -> Result<(Case, CaseScope), ApiError> {
    let scope = scope(user)?;
    let case = cases::find(conn, id)?.ok_or_else(not_found)?;
    let office = merit_domain::reference::OfficeCode::parse(&case.office_code)
        .map_err(ApiError::internal)?;
    if !scope.covers(&office) {
        return Err(not_found());
    }
    Ok((case, scope))
}

/// A staff member of `office` (or the caller themselves), for assignments and credits;
/// 422 `unknown_staff` at `field` otherwise.
pub fn staff_member(
    conn: &mut DbConnection,
    user: &AuthUser,
    id: AccountId,
    office: &str,
    field: &str,
) -> Result<Account, ApiError> {
    let found = accounts::find(conn, id)?.filter(|a| {
        a.id == user.id()
            || (a.roles.has(Role::Staff)
                && !a.disabled
                && a.office.as_ref().is_some_and(|o| o.as_str() == office))
    });
    found.ok_or_else(|| {
        ApiError::invalid(
            field,
            "unknown_staff",
            format!("No staff member of office {office} has this id."),
        )
    })
}

/// A case with the names of whom it is about and who works it.
#[derive(Debug, Clone)]
pub struct CaseView {
    /// The case.
    pub case: Case,
    /// The individual, for an individual's case.
    pub person: Option<Named>,
    /// The assigned staff member.
    pub assigned: Option<Named>,
}

/// The views of `cases`, names read in one query.
pub fn views(conn: &mut DbConnection, found: Vec<Case>) -> Result<Vec<CaseView>, ApiError> {
    let mut ids: Vec<AccountId> = Vec::new();
    for case in &found {
        ids.push(case.assigned_staff_id);
        if let Subject::Individual { person_id } = &case.subject {
            ids.push(*person_id);
        }
    }
    ids.sort();
    ids.dedup();
    let names = cases::names(conn, &ids)?;
    let name = |id: AccountId| names.iter().find(|n| n.id == id).cloned();
    Ok(found
        .into_iter()
        .map(|case| CaseView {
            person: match &case.subject {
                Subject::Individual { person_id } => name(*person_id),
                Subject::Employer { .. } => None,
            },
            assigned: name(case.assigned_staff_id),
            case,
        })
        .collect())
}

/// The view of one case.
pub fn view(conn: &mut DbConnection, case: Case) -> Result<CaseView, ApiError> {
    views(conn, vec![case])?
        .pop()
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("a view went missing")))
}
