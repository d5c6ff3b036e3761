//! Opening, listing, reading, assigning and closing cases.

use chrono::{DateTime, Utc};
use merit_domain::{
    account::Role,
    case::{CaseKind, CaseScope, CaseStatus, CloseReason, StatusChangeError},
    ids::{AccountId, CaseId, EntityId},
};
use merit_persistence::{
    DbConnection, Page, PageRequest, RepoError, accounts,
    cases::{self, Case, CaseFilter, Subject},
};
use serde_json::json;

use super::{CaseView, office_filter, scope, staff_member, view, views, workable};
use crate::{
    auth::AuthUser,
    conditional::{IfMatch, version_tag},
    error::{ApiError, Code},
    services::audit::{self, AuditKind},
};

/// Whom a new case is about.
#[derive(Debug, Clone)]
pub enum SubjectCommand {
    /// A job seeker's account.
    Individual(AccountId),
    /// An employer organisation.
    Employer {
        /// Its name.
        name: String,
        /// Whom to speak to.
        contact_name: Option<String>,
        /// Their email.
        contact_email: Option<String>,
        /// Their phone.
        contact_phone: Option<String>,
    },
}

/// Open a case.
#[derive(Debug, Clone)]
pub struct OpenCase {
    /// Whom it is about.
    pub subject: SubjectCommand,
    /// Who works it (staff: themselves when absent; admins must name one).
    pub assigned_staff_id: Option<AccountId>,
}

/// Opens a case in the office of the staff member who will work it.
pub fn open(
    conn: &mut DbConnection,
    user: &AuthUser,
    command: OpenCase,
    now: DateTime<Utc>,
) -> Result<CaseView, ApiError> {
    let scope = scope(user)?;
    let (assigned, office) = match (&scope, command.assigned_staff_id) {
        (CaseScope::Office(office), None) => (user.id(), office.as_str().to_owned()),
        (CaseScope::Office(office), Some(id)) => {
            let member = staff_member(conn, user, id, office.as_str(), "assigned_staff_id")?;
            (member.id, office.as_str().to_owned())
        }
        (_, None) => {
            return Err(ApiError::invalid(
                "assigned_staff_id",
                "required",
                "An admin names the staff member who will work the case.",
            ));
        }
        (_, Some(id)) => {
            let member = accounts::find(conn, id)?
                .filter(|a| a.roles.has(Role::Staff) && !a.disabled)
                .ok_or_else(|| {
                    ApiError::invalid(
                        "assigned_staff_id",
                        "unknown_staff",
                        "No staff member has this id.",
                    )
                })?;
            let office = member.office.as_ref().ok_or_else(|| {
                ApiError::invalid(
                    "assigned_staff_id",
                    "unknown_staff",
                    "This staff member has no office.",
                )
            })?;
            (member.id, office.as_str().to_owned())
        }
    };
    let subject = match command.subject {
        SubjectCommand::Individual(person) => {
            accounts::find(conn, person)?
                .filter(|a| a.roles.has(Role::Applicant))
                .ok_or_else(|| {
                    ApiError::invalid(
                        "person_id",
                        "unknown_person",
                        "No job seeker has this id (find them with the quick search).",
                    )
                })?;
            Subject::Individual { person_id: person }
        }
        SubjectCommand::Employer {
            name,
            contact_name,
            contact_email,
            contact_phone,
        } => Subject::Employer {
            name,
            contact_name,
            contact_email,
            contact_phone,
        },
    };
    if let Some(existing) = cases::find_open(conn, &office, &subject)? {
        return Err(ApiError::new(
            Code::CaseAlreadyOpen,
            format!("Office {office} has an open case for them already: {existing}."),
        ));
    }
    let case = Case {
        id: CaseId::from_uuid(uuid::Uuid::now_v7()),
        office_code: office,
        subject,
        assigned_staff_id: assigned,
        status: CaseStatus::Active,
        opened_at: now,
        opened_by: user.id(),
        closed_at: None,
        closed_by: None,
        close_reason: None,
        updated_at: now,
        version: 1,
    };
    // A concurrent opening that passed the check above meets the partial unique index
    // (PostgreSQL; SQLite's write transactions are serial already).
    cases::insert(conn, &case).map_err(|e| match e {
        RepoError::Conflict { constraint } if constraint.starts_with("staff_cases_open_") => {
            ApiError::new(
                Code::CaseAlreadyOpen,
                format!(
                    "Office {} has an open case for them already.",
                    case.office_code
                ),
            )
        }
        other => other.into(),
    })?;
    audit::record(
        conn,
        AuditKind::CaseOpened,
        Some(user.id()),
        person_of(&case),
        json!({
            "case_id": case.id.to_string(),
            "office": case.office_code,
            "kind": case.subject.kind().as_str(),
            "assigned_staff_id": case.assigned_staff_id.to_string(),
        }),
        now,
    )?;
    view(conn, case)
}

/// The account a case is about, for the audit log's subject.
pub(super) fn person_of(case: &Case) -> Option<AccountId> {
    match &case.subject {
        Subject::Individual { person_id } => Some(*person_id),
        Subject::Employer { .. } => None,
    }
}

/// Which cases a list starts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ListScope {
    /// Those assigned to the caller.
    #[default]
    Mine,
    /// Every case the caller may see (their office; all offices for admins).
    All,
}

/// The filters of a case list.
#[derive(Debug, Clone, Default)]
pub struct CaseFilterCommand {
    /// Mine (the default) or all in scope.
    pub scope: ListScope,
    /// Only cases assigned to this staff member (overrides `scope`).
    pub assigned_staff_id: Option<AccountId>,
    /// Only cases with this status.
    pub status: Option<CaseStatus>,
    /// Only cases of this kind.
    pub kind: Option<CaseKind>,
}

/// A page of the cases the caller may see, newest first.
pub fn list(
    conn: &mut DbConnection,
    user: &AuthUser,
    filter: CaseFilterCommand,
    page: PageRequest<'_>,
) -> Result<Page<CaseView>, ApiError> {
    let scope = scope(user)?;
    let assigned = match (filter.assigned_staff_id, filter.scope) {
        (Some(id), _) => Some(id),
        (None, ListScope::Mine) => Some(user.id()),
        (None, ListScope::All) => None,
    };
    let found = cases::list(
        conn,
        &CaseFilter {
            office: office_filter(&scope),
            assigned_staff_id: assigned,
            status: filter.status,
            kind: filter.kind,
        },
        page,
    )?;
    let has_more = found.has_more;
    Ok(Page {
        items: views(conn, found.items)?,
        has_more,
    })
}

/// One case in the caller's scope.
pub fn get(conn: &mut DbConnection, user: &AuthUser, id: CaseId) -> Result<CaseView, ApiError> {
    let (case, _) = workable(conn, user, id)?;
    view(conn, case)
}

/// The ETag of a case version.
pub fn etag(case: &Case) -> String {
    version_tag(case.version)
}

/// Saves a change to `case` (read at its current version): 412 when it changed in between.
fn save(conn: &mut DbConnection, case: &mut Case, now: DateTime<Utc>) -> Result<(), ApiError> {
    let read_version = case.version;
    case.version += 1;
    case.updated_at = now;
    if cases::update(conn, case, read_version)? {
        Ok(())
    } else {
        Err(ApiError::PreconditionFailed)
    }
}

fn closed() -> ApiError {
    ApiError::new(
        Code::CaseClosed,
        "The case is closed. Open a new case if they come back.",
    )
}

/// Gives a case to another staff member of its office.
pub fn assign(
    conn: &mut DbConnection,
    user: &AuthUser,
    id: CaseId,
    staff: AccountId,
    if_match: &IfMatch,
    now: DateTime<Utc>,
) -> Result<CaseView, ApiError> {
    let (mut case, _) = workable(conn, user, id)?;
    if_match.check(&etag(&case))?;
    if case.status == CaseStatus::Closed {
        return Err(closed());
    }
    let member = staff_member(conn, user, staff, &case.office_code, "assigned_staff_id")?;
    if !member.roles.has(Role::Staff) {
        return Err(ApiError::invalid(
            "assigned_staff_id",
            "unknown_staff",
            format!(
                "No staff member of office {} has this id.",
                case.office_code
            ),
        ));
    }
    let from = std::mem::replace(&mut case.assigned_staff_id, member.id);
    if from != case.assigned_staff_id {
        save(conn, &mut case, now)?;
        audit::record(
            conn,
            AuditKind::CaseAssigned,
            Some(user.id()),
            person_of(&case),
            json!({
                "case_id": case.id.to_string(),
                "from": from.to_string(),
                "to": case.assigned_staff_id.to_string(),
            }),
            now,
        )?;
    }
    view(conn, case)
}

/// Moves a case to `status`; closing needs a reason, and a closed case is final.
pub fn set_status(
    conn: &mut DbConnection,
    user: &AuthUser,
    id: CaseId,
    status: CaseStatus,
    reason: Option<CloseReason>,
    if_match: &IfMatch,
    now: DateTime<Utc>,
) -> Result<CaseView, ApiError> {
    let (mut case, _) = workable(conn, user, id)?;
    if_match.check(&etag(&case))?;
    merit_domain::case::change_status(case.status, status, reason).map_err(|e| match e {
        StatusChangeError::Closed => closed(),
        StatusChangeError::ReasonRequired => {
            ApiError::invalid("reason", "reason_required", "Say why the case is closed.")
        }
        StatusChangeError::ReasonNotAllowed => ApiError::invalid(
            "reason",
            "reason_not_allowed",
            "Only closing a case takes a reason.",
        ),
    })?;
    if case.status == status {
        return view(conn, case);
    }
    let from = case.status;
    case.status = status;
    if status == CaseStatus::Closed {
        case.closed_at = Some(now);
        case.closed_by = Some(user.id());
        case.close_reason = reason;
    }
    save(conn, &mut case, now)?;
    audit::record(
        conn,
        AuditKind::CaseStatusChanged,
        Some(user.id()),
        person_of(&case),
        json!({
            "case_id": case.id.to_string(),
            "from": from.as_str(),
            "to": status.as_str(),
            "reason": reason.map(CloseReason::as_str),
        }),
        now,
    )?;
    view(conn, case)
}
