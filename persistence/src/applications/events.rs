//! The history of an application: one row per transition, appended, never changed.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use merit_domain::{
    application::ApplicationStatus,
    ids::{AccountId, ApplicationEventId, ApplicationId},
};

use super::bad;
use crate::{
    DbConnection,
    error::{RepoResult, parse_id},
    schema::application_events as e,
    time::{naive, utc},
};

/// One transition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// Its id (time-ordered).
    pub id: ApplicationEventId,
    /// When it happened.
    pub at: DateTime<Utc>,
    /// The public status reached.
    pub status: ApplicationStatus,
    /// The department's stage name, if the move named one.
    pub stage: Option<String>,
    /// The reason code, if any.
    pub reason: Option<String>,
    /// A note from whoever made the move.
    pub note: Option<String>,
    /// Who made the move; `None` for Merit itself.
    pub actor_id: Option<AccountId>,
    /// Whether the applicant was emailed.
    pub notice_sent: bool,
}

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = e)]
struct EventRow {
    id: String,
    at: NaiveDateTime,
    status: String,
    stage: Option<String>,
    reason: Option<String>,
    note: Option<String>,
    actor_id: Option<String>,
    notice_sent: bool,
}

/// Appends an event to application `application`'s history.
pub fn append(
    conn: &mut DbConnection,
    application: ApplicationId,
    event: &Event,
) -> RepoResult<()> {
    diesel::insert_into(e::table)
        .values((
            e::id.eq(event.id.to_string()),
            e::application_id.eq(application.to_string()),
            e::at.eq(naive(event.at)),
            e::status.eq(event.status.as_str()),
            e::stage.eq(event.stage.as_deref()),
            e::reason.eq(event.reason.as_deref()),
            e::note.eq(event.note.as_deref()),
            e::actor_id.eq(event.actor_id.map(|a| a.to_string())),
            e::notice_sent.eq(event.notice_sent),
        ))
        .execute(conn)?;
    Ok(())
}

/// The whole history, oldest first.
pub fn of(conn: &mut DbConnection, application: ApplicationId) -> RepoResult<Vec<Event>> {
    let rows: Vec<EventRow> = e::table
        .filter(e::application_id.eq(application.to_string()))
        .order(e::id.asc())
        .select(EventRow::as_select())
        .load(conn)?;
    rows.into_iter()
        .map(|r| {
            Ok(Event {
                id: parse_id("application_events", &r.id)?,
                at: utc(r.at),
                status: ApplicationStatus::parse(&r.status)
                    .ok_or_else(|| bad("application_events", "a status"))?,
                stage: r.stage,
                reason: r.reason,
                note: r.note,
                actor_id: r
                    .actor_id
                    .map(|a| parse_id("application_events", &a))
                    .transpose()?,
                notice_sent: r.notice_sent,
            })
        })
        .collect()
}
