//! Correspondence: an office's reusable letter templates with merge fields, and letters made
//! from them for the person of a case, delivered to that person's inbox (message kind
//! `correspondence`) and by email unless they turned that kind off, in one transaction.
//! Office-scoped like cases: staff use and see their own office's templates and letters,
//! admins every office's. [`created_count`] is the dashboard's "correspondence created".

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use merit_domain::{
    calendar::{end_of_pacific_day, start_of_pacific_day},
    case::CaseScope,
    correspondence::{self as rules, MergeValues},
    ids::{AccountId, CaseId, CorrespondenceId, EntityId, LetterTemplateId},
    message::MessageKind,
    reference::OfficeCode,
};
use merit_persistence::{
    DbConnection, Page, PageRequest, RepoError, accounts,
    cases::Subject,
    correspondence::{self as repo, LetterFilter, LetterTemplate},
    reference,
};
use serde_json::json;

use super::{office_filter, scope, workable};
use crate::{
    auth::AuthUser,
    error::{ApiError, Code},
    services::{
        audit::{self, AuditKind},
        messages::{self, EmailTo, Notice},
    },
};

/// A new template (its texts' merge fields already checked).
#[derive(Debug, Clone)]
pub struct NewTemplate {
    /// The office (staff: their own when absent; admins must name one).
    pub office: Option<OfficeCode>,
    /// The name, unique in the office.
    pub name: String,
    /// The subject line.
    pub subject: String,
    /// The body.
    pub body: String,
}

/// The office a write goes to: the staff member's own, or the one an admin names.
fn target_office(
    conn: &mut DbConnection,
    scope: &CaseScope,
    named: Option<OfficeCode>,
) -> Result<String, ApiError> {
    let office = match (scope, named) {
        (CaseScope::Office(own), None) => own.clone(),
        (_, Some(office)) if scope.covers(&office) => office,
        (CaseScope::Office(_), Some(_)) => {
            return Err(ApiError::invalid(
                "office_code",
                "unknown_office",
                "Staff write templates for their own office only.",
            ));
        }
        (_, None) => {
            return Err(ApiError::invalid(
                "office_code",
                "required",
                "An admin names the office the template is for.",
            ));
        }
        (_, Some(office)) => office,
    };
    if reference::find_office(conn, office.as_str())?.is_none() {
        return Err(ApiError::invalid(
            "office_code",
            "unknown_office",
            "No office has this code.",
        ));
    }
    Ok(office.as_str().to_owned())
}

/// Creates a template; 409 `template_name_taken` when the office has one of that name.
/// Audited as `letter_template_created`.
pub fn create_template(
    conn: &mut DbConnection,
    user: &AuthUser,
    command: NewTemplate,
    now: DateTime<Utc>,
) -> Result<LetterTemplate, ApiError> {
    let scope = scope(user)?;
    let office = target_office(conn, &scope, command.office)?;
    let template = LetterTemplate {
        id: LetterTemplateId::from_uuid(uuid::Uuid::now_v7()),
        office_code: office,
        name: command.name,
        subject: command.subject,
        body: command.body,
        created_by: user.id(),
        created_at: now,
    };
    repo::insert_template(conn, &template).map_err(|e| match e {
        RepoError::Conflict { .. } => ApiError::new(
            Code::TemplateNameTaken,
            "The office has a letter template of this name.",
        ),
        other => other.into(),
    })?;
    audit::record(
        conn,
        AuditKind::LetterTemplateCreated,
        Some(user.id()),
        None,
        json!({"template_id": template.id.to_string(), "office_code": template.office_code}),
        now,
    )?;
    Ok(template)
}

/// A page of the templates the caller may use, newest first.
pub fn templates(
    conn: &mut DbConnection,
    user: &AuthUser,
    page: PageRequest<'_>,
) -> Result<Page<LetterTemplate>, ApiError> {
    let scope = scope(user)?;
    Ok(repo::templates(
        conn,
        office_filter(&scope).as_deref(),
        page,
    )?)
}

/// A letter to send.
#[derive(Debug, Clone, Copy)]
pub struct SendLetter {
    /// The case whose person it goes to.
    pub case: CaseId,
    /// The template.
    pub template: LetterTemplateId,
}

/// Makes a letter from a template of the case's office for the case's person and delivers it
/// (inbox and email). 404 for a case outside the caller's office, 409 `case_closed` and
/// `not_an_individual_case`, 422 `unknown_template` at `template_id` for a template of another
/// office or none. Audited as `correspondence_sent` (the subject is the person).
pub fn send(
    conn: &mut DbConnection,
    user: &AuthUser,
    command: SendLetter,
    now: DateTime<Utc>,
) -> Result<repo::Letter, ApiError> {
    let (case, _) = workable(conn, user, command.case)?;
    if case.closed_at.is_some() {
        return Err(ApiError::new(
            Code::CaseClosed,
            "Letters go to the person of an open case.",
        ));
    }
    let Subject::Individual { person_id } = &case.subject else {
        return Err(ApiError::new(
            Code::NotAnIndividualCase,
            "Correspondence goes to the person of an individual's case.",
        ));
    };
    let template = repo::find_template(conn, command.template)?
        .filter(|t| t.office_code == case.office_code)
        .ok_or_else(|| {
            ApiError::invalid(
                "template_id",
                "unknown_template",
                "The case's office has no letter template with this id.",
            )
        })?;
    let person = accounts::find(conn, *person_id)?
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("a case names a missing account")))?;
    let office_name = reference::find_office(conn, &case.office_code)?
        .map(|o| o.name.as_str().to_owned())
        .unwrap_or_else(|| case.office_code.clone());
    let values = MergeValues {
        first_name: person.first_name.as_str().to_owned(),
        last_name: person.last_name.as_str().to_owned(),
        case_id: case.id.to_string(),
        staff_name: format!(
            "{} {}",
            user.account.first_name.as_str(),
            user.account.last_name.as_str()
        ),
        office_name,
    };
    let subject = rules::render(&template.subject, &values).map_err(ApiError::internal)?;
    let body = rules::render(&template.body, &values).map_err(ApiError::internal)?;
    let paragraphs: Vec<String> = body
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect();
    let notice = Notice {
        kind: MessageKind::Correspondence,
        template: "correspondence",
        subject: subject.clone(),
        paragraphs,
        application_id: None,
        posting_id: None,
    };
    let message = messages::send_notice(conn, &person, notice, EmailTo::OnFile, now)?;
    let letter = repo::Letter {
        id: CorrespondenceId::from_uuid(uuid::Uuid::now_v7()),
        case_id: case.id,
        template_id: template.id,
        office_code: case.office_code.clone(),
        account_id: message.account_id,
        staff_id: user.id(),
        subject,
        body,
        message_id: message.id,
        created_at: now,
    };
    repo::insert(conn, &letter)?;
    audit::record(
        conn,
        AuditKind::CorrespondenceSent,
        Some(user.id()),
        Some(*person_id),
        json!({
            "correspondence_id": letter.id.to_string(),
            "case_id": case.id.to_string(),
            "template_id": template.id.to_string(),
        }),
        now,
    )?;
    Ok(letter)
}

/// Which letters a list or count covers.
#[derive(Debug, Clone, Copy, Default)]
pub struct LetterQuery {
    /// Only the caller's own (`true`), or the office's (all offices' for admins).
    pub mine: bool,
    /// The first day (Pacific time), if any.
    pub from: Option<NaiveDate>,
    /// The last day (Pacific time, inclusive), if any.
    pub to: Option<NaiveDate>,
}

fn filter_for(user: &AuthUser, query: LetterQuery) -> Result<LetterFilter, ApiError> {
    let scope = scope(user)?;
    if let (Some(from), Some(to)) = (query.from, query.to)
        && to < from
    {
        return Err(ApiError::invalid(
            "to",
            "dates_out_of_order",
            "`to` may not be before `from`.",
        ));
    }
    Ok(LetterFilter {
        office: office_filter(&scope),
        staff: if query.mine { Some(user.id()) } else { None },
        from: query.from.map(start_of_pacific_day),
        to: query.to.map(end_of_pacific_day),
    })
}

/// A page of the letters sent by the caller (`mine`) or their office, newest first.
pub fn list(
    conn: &mut DbConnection,
    user: &AuthUser,
    query: LetterQuery,
    page: PageRequest<'_>,
) -> Result<Page<repo::Letter>, ApiError> {
    let filter = filter_for(user, query)?;
    Ok(repo::list(conn, &filter, page)?)
}

/// Letters created in a period: the total and per staff member.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CreatedCounts {
    /// All of them.
    pub total: i64,
    /// Per staff member who created any.
    pub per_staff: BTreeMap<String, i64>,
}

/// How many letters the caller (`mine`) or their office created in the period, per staff
/// member.
pub fn counts(
    conn: &mut DbConnection,
    user: &AuthUser,
    query: LetterQuery,
) -> Result<CreatedCounts, ApiError> {
    let filter = filter_for(user, query)?;
    let mut counts = CreatedCounts::default();
    let mut after: Option<String> = None;
    let limit = merit_domain::paging::PageLimit::parse(100).map_err(ApiError::internal)?;
    loop {
        let page = repo::list(
            conn,
            &filter,
            PageRequest {
                after: after.as_deref(),
                limit,
            },
        )?;
        for letter in &page.items {
            counts.total += 1;
            *counts
                .per_staff
                .entry(letter.staff_id.to_string())
                .or_default() += 1;
        }
        if !page.has_more {
            break;
        }
        after = page.items.last().map(|l| l.id.to_string());
    }
    Ok(counts)
}

/// "Correspondence created": how many letters `staff` created in `[from, to)` (the dashboard's
/// widget).
pub fn created_count(
    conn: &mut DbConnection,
    staff: AccountId,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<i64, ApiError> {
    Ok(repo::count(
        conn,
        &LetterFilter {
            office: None,
            staff: Some(staff),
            from: Some(from),
            to: Some(to),
        },
    )?)
}
