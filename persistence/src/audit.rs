//! The audit log of security events.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;

use crate::{
    DbConnection,
    error::RepoResult,
    paging::{Page, PageRequest},
    schema::audit_events,
    time::{naive, utc},
};

/// One recorded event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEvent {
    /// Time-ordered id.
    pub id: String,
    /// When it happened.
    pub occurred_at: DateTime<Utc>,
    /// What happened (`sign_in`, `account_locked`, ...).
    pub kind: String,
    /// Who did it, when someone signed in did.
    pub actor_account_id: Option<String>,
    /// Whose account it concerns.
    pub subject_account_id: Option<String>,
    /// Details as a JSON object, never holding secrets.
    pub details: String,
}

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = audit_events)]
struct AuditRow {
    id: String,
    occurred_at: NaiveDateTime,
    kind: String,
    actor_account_id: Option<String>,
    subject_account_id: Option<String>,
    details: String,
}

/// Records an event.
pub fn record(conn: &mut DbConnection, event: &AuditEvent) -> RepoResult<()> {
    let row = AuditRow {
        id: event.id.clone(),
        occurred_at: naive(event.occurred_at),
        kind: event.kind.clone(),
        actor_account_id: event.actor_account_id.clone(),
        subject_account_id: event.subject_account_id.clone(),
        details: event.details.clone(),
    };
    diesel::insert_into(audit_events::table)
        .values(&row)
        .execute(conn)?;
    Ok(())
}

/// Filters of the audit log.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// Events done by or to this account.
    pub account_id: Option<String>,
    /// Events of this kind.
    pub kind: Option<String>,
    /// Events at or after this instant.
    pub since: Option<DateTime<Utc>>,
    /// Events before this instant.
    pub until: Option<DateTime<Utc>>,
}

/// Events matching `filter`, newest first.
pub fn list(
    conn: &mut DbConnection,
    filter: &AuditFilter,
    page: PageRequest<'_>,
) -> RepoResult<Page<AuditEvent>> {
    let mut query = audit_events::table
        .select(AuditRow::as_select())
        .into_boxed();
    if let Some(account) = &filter.account_id {
        query = query.filter(
            audit_events::subject_account_id
                .eq(account.clone())
                .or(audit_events::actor_account_id.eq(account.clone())),
        );
    }
    if let Some(kind) = &filter.kind {
        query = query.filter(audit_events::kind.eq(kind.clone()));
    }
    if let Some(since) = filter.since {
        query = query.filter(audit_events::occurred_at.ge(naive(since)));
    }
    if let Some(until) = filter.until {
        query = query.filter(audit_events::occurred_at.lt(naive(until)));
    }
    if let Some(after) = page.after {
        query = query.filter(audit_events::id.lt(after.to_owned()));
    }
    let rows: Vec<AuditRow> = query
        .order(audit_events::id.desc())
        .limit(page.fetch())
        .load(conn)?;
    let events = rows
        .into_iter()
        .map(|r| AuditEvent {
            id: r.id,
            occurred_at: utc(r.occurred_at),
            kind: r.kind,
            actor_account_id: r.actor_account_id,
            subject_account_id: r.subject_account_id,
            details: r.details,
        })
        .collect();
    Ok(Page::from_overfetch(events, page.limit))
}
