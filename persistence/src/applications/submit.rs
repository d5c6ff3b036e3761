//! Submission: the draft becomes an application with its frozen snapshot.

use diesel::prelude::*;
use merit_domain::ids::ApplicationId;

use super::{Application, Frozen, bad};
use crate::{
    DbConnection,
    error::RepoResult,
    profiles::{profile_from_snapshot, profile_to_snapshot},
    schema::applications as a,
    templates::content,
    time::naive,
};

/// What a submission writes.
#[derive(Debug, Clone, Copy)]
pub struct Submission<'a> {
    /// The application as submitted (status, version, `submitted_at` and summary set).
    pub application: &'a Application,
    /// The profile and template frozen.
    pub frozen: &'a Frozen,
}

/// Writes a submission over the draft, if the draft is still at `version`; `false` when
/// another change came first. A second submitted application of the same person to the same
/// posting is a `Conflict` on `applications_one_submitted_key`.
pub fn submit(conn: &mut DbConnection, s: Submission<'_>, version: i64) -> RepoResult<bool> {
    let app = s.application;
    let summary = app.summary.as_ref();
    let template = s.frozen.template.as_ref();
    let template_json = template.map(|(_, c)| content::to_json(c)).transpose()?;
    let changed = diesel::update(
        a::table
            .find(app.id.to_string())
            .filter(a::version.eq(version))
            .filter(a::status.eq("draft")),
    )
    .set((
        a::status.eq(app.status.as_str()),
        a::version.eq(app.version),
        a::updated_at.eq(naive(app.updated_at)),
        a::submitted_at.eq(app.submitted_at.map(naive)),
        a::first_name.eq(summary.map(|s| s.first_name.as_str())),
        a::last_name.eq(summary.map(|s| s.last_name.as_str())),
        a::email.eq(summary.and_then(|s| s.email.as_deref())),
        a::phone.eq(summary.and_then(|s| s.phone.as_deref())),
        a::conditions_fit.eq(summary.map(|s| s.conditions_fit)),
        a::rank_band.eq(summary.and_then(|s| s.rank_band)),
        a::score.eq(summary.and_then(|s| s.score)),
        a::profile_snapshot.eq(profile_to_snapshot(&s.frozen.profile)?),
        a::template_name.eq(template.map(|(name, _)| name.as_str())),
        a::template_snapshot.eq(template_json),
        a::sort_key.eq(summary.map(|s| s.sort_key.as_str())),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}

/// The profile and template frozen at submission; `None` for a draft.
pub fn frozen(conn: &mut DbConnection, id: ApplicationId) -> RepoResult<Option<Frozen>> {
    let row: Option<(Option<String>, Option<String>, Option<String>)> = a::table
        .find(id.to_string())
        .select((a::profile_snapshot, a::template_name, a::template_snapshot))
        .first(conn)
        .optional()?;
    let Some((Some(profile), name, template)) = row else {
        return Ok(None);
    };
    let template = match (name, template) {
        (Some(name), Some(json)) => Some((name, content::from_json(&json)?)),
        (None, None) => None,
        _ => return Err(bad("applications", "a half template snapshot")),
    };
    Ok(Some(Frozen {
        profile: profile_from_snapshot(&profile)?,
        template,
    }))
}
