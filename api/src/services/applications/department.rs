//! The department's side: its stages, the posting's list, moves one by one or in bulk, the
//! cancellation of a posting's open applications, and marking a posting filled.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use merit_domain::{
    account::Role,
    application::{
        Actor, ApplicationStatus, ClosingReason, MAX_BULK, ReasonCode, Stage, TransitionError,
    },
    ids::{ApplicationId, PostingId},
    posting::Posting,
};
use merit_persistence::{
    DbConnection, Page, PageRequest,
    applications::{self, Application},
    postings,
};

use super::{Access, Move, readable, record, works_for};
use crate::{
    auth::AuthUser,
    conditional::{IfMatch, version_tag},
    error::{ApiError, Code},
};

/// Where a move goes: a public status, or one of the department's stages.
#[derive(Debug, Clone)]
pub enum Target {
    /// A public status (the applicant is emailed).
    Status(ApplicationStatus),
    /// A stage by name (its status; emailed unless the stage says no notice).
    Stage(String),
}

/// A move the department makes.
#[derive(Debug, Clone)]
pub struct MoveCommand {
    /// Where to.
    pub target: Target,
    /// Why, for closing statuses.
    pub reason: Option<ClosingReason>,
    /// A note kept in the history.
    pub note: Option<String>,
}

/// The same move for many applications.
#[derive(Debug, Clone)]
pub struct BulkCommand {
    /// The applications, at most [`MAX_BULK`], each once.
    pub ids: Vec<ApplicationId>,
    /// The move.
    pub command: MoveCommand,
}

pub(super) fn require_department_role(user: &AuthUser) -> Result<(), ApiError> {
    if user.has(Role::Employer) || user.has(Role::Admin) {
        Ok(())
    } else {
        Err(ApiError::new(
            Code::Forbidden,
            "This needs the employer or admin role.",
        ))
    }
}

pub(super) fn worked_posting(
    conn: &mut DbConnection,
    user: &AuthUser,
    posting: PostingId,
) -> Result<Posting, ApiError> {
    require_department_role(user)?;
    postings::find(conn, posting)?
        .filter(|p| works_for(user, p))
        .ok_or_else(|| ApiError::not_found("posting"))
}

/// How old a change must be before incremental sync lists it: longer than a write takes from
/// reading the clock to committing (the pool's 5 s wait included), so a page never passes a
/// change that is still being committed with an earlier `updated_at`.
pub const SYNC_SETTLE: chrono::TimeDelta = chrono::TimeDelta::seconds(30);

/// The posting's submitted applications (withdrawn and final ones included) changed at or
/// after `since` and settled ([`SYNC_SETTLE`]) at `now`, ordered by (last change, id); for the
/// posting's department and admins.
pub fn changes_for_posting(
    conn: &mut DbConnection,
    user: &AuthUser,
    posting: PostingId,
    status: Option<ApplicationStatus>,
    since: DateTime<Utc>,
    page: PageRequest<'_>,
    now: DateTime<Utc>,
) -> Result<Page<Application>, ApiError> {
    worked_posting(conn, user, posting)?;
    Ok(applications::changed_for_posting(
        conn,
        posting,
        status,
        since,
        now - SYNC_SETTLE,
        page,
    )?)
}

/// A page of a posting's submitted applications in the department's order.
pub fn list_for_posting(
    conn: &mut DbConnection,
    user: &AuthUser,
    posting: PostingId,
    status: Option<ApplicationStatus>,
    page: PageRequest<'_>,
) -> Result<Page<Application>, ApiError> {
    worked_posting(conn, user, posting)?;
    Ok(applications::list_for_posting(conn, posting, status, page)?)
}

pub(super) fn transition_error(error: TransitionError) -> ApiError {
    match error {
        TransitionError::ReasonRequired { .. } | TransitionError::ReasonNotAllowed { .. } => {
            ApiError::invalid(
                "reason",
                error.code(),
                format!("{}.", capitalise(&error.to_string())),
            )
        }
        TransitionError::Final { .. } => ApiError::new(
            Code::ApplicationFinal,
            format!("{}.", capitalise(&error.to_string())),
        ),
        TransitionError::NotAllowed { .. } => ApiError::new(
            Code::InvalidTransition,
            format!("{}.", capitalise(&error.to_string())),
        ),
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

type StageCache = BTreeMap<String, Vec<Stage>>;

fn resolve(
    conn: &mut DbConnection,
    cache: &mut StageCache,
    posting: &Posting,
    target: &Target,
) -> Result<(ApplicationStatus, Option<String>, bool), ApiError> {
    match target {
        Target::Status(status) => Ok((*status, None, true)),
        Target::Stage(name) => {
            let key = posting.department.as_str().to_owned();
            if !cache.contains_key(&key) {
                let found = applications::stages::of(conn, &posting.department)?;
                cache.insert(key.clone(), found);
            }
            let key_name = name.trim().to_lowercase();
            cache
                .get(&key)
                .and_then(|s| s.iter().find(|s| s.name.to_lowercase() == key_name))
                .map(|s| (s.status, Some(s.name.clone()), s.notify))
                .ok_or_else(|| {
                    ApiError::invalid(
                        "stage",
                        "unknown_stage",
                        "The department has no stage with this name.",
                    )
                })
        }
    }
}

fn apply(
    conn: &mut DbConnection,
    user: &AuthUser,
    cache: &mut StageCache,
    id: ApplicationId,
    cmd: &MoveCommand,
    if_match: &IfMatch,
    now: DateTime<Utc>,
) -> Result<Application, ApiError> {
    let (mut application, posting, access) = readable(conn, user, id)?;
    if access != Access::Department {
        return Err(ApiError::not_found("application"));
    }
    if_match.check(&version_tag(application.version))?;
    let (to, stage, notify) = resolve(conn, cache, &posting, &cmd.target)?;
    application
        .status
        .transition(to, Actor::Department, cmd.reason)
        .map_err(transition_error)?;
    let mv = Move {
        to,
        stage,
        reason: cmd.reason.map(ReasonCode::Closing),
        note: cmd.note.clone(),
        actor_id: Some(user.id()),
        notify,
        submitted: false,
    };
    record(conn, &mut application, &posting, mv, now)?;
    Ok(application)
}

/// Moves one application; `If-Match` must name its current version (428 without, 412 stale).
pub fn move_one(
    conn: &mut DbConnection,
    user: &AuthUser,
    id: ApplicationId,
    cmd: MoveCommand,
    if_match: IfMatch,
    now: DateTime<Utc>,
) -> Result<Application, ApiError> {
    require_department_role(user)?;
    let if_match = if_match.required()?;
    apply(conn, user, &mut StageCache::new(), id, &cmd, &if_match, now)
}

/// Moves every listed application, or none: the first refusal undoes the whole request.
pub fn bulk_move(
    conn: &mut DbConnection,
    user: &AuthUser,
    bulk: BulkCommand,
    now: DateTime<Utc>,
) -> Result<Vec<Application>, ApiError> {
    require_department_role(user)?;
    if bulk.ids.is_empty() || bulk.ids.len() > MAX_BULK {
        let detail = format!("List 1 to {MAX_BULK} applications.");
        return Err(ApiError::invalid("application_ids", "out_of_range", detail));
    }
    if let Some(i) = (1..bulk.ids.len()).find(|&i| bulk.ids[..i].contains(&bulk.ids[i])) {
        let field = format!("application_ids[{i}]");
        return Err(ApiError::invalid(
            &field,
            "duplicate",
            "This application is listed twice.",
        ));
    }
    let mut cache = StageCache::new();
    let mut moved = Vec::with_capacity(bulk.ids.len());
    for id in &bulk.ids {
        let done = apply(
            conn,
            user,
            &mut cache,
            *id,
            &bulk.command,
            &IfMatch::Absent,
            now,
        )
        .map_err(|e| in_bulk(e, *id))?;
        moved.push(done);
    }
    Ok(moved)
}

/// Names the application a bulk move failed on.
fn in_bulk(error: ApiError, id: ApplicationId) -> ApiError {
    match error {
        ApiError::Problem { code, detail } => ApiError::Problem {
            code,
            detail: format!("Application {id}: {detail} Nothing was changed."),
        },
        ApiError::NotFound { .. } => ApiError::NotFound {
            detail: format!("No application {id} was found here. Nothing was changed."),
        },
        other => other,
    }
}
