//! Profile merge handlers.

use actix_web::{post, web};

use super::dto::{AdminProfileMergeRequest, OwnProfileMergeRequest, ProfileMergeResponse};
use crate::{
    auth::{Admin, AuthUser},
    error::ApiError,
    extract::Json,
    openapi::{Conflict, Forbidden, TooManyRequests},
    services::merges::{self, MergeCommand, Via},
    state::AppState,
    validation::Fields,
};

/// Merge my other account into this one
///
/// For an employee signed in with their Employee ID who also has an account of their own
/// (registered by email): proves control of that account with its sign-in name and password,
/// then lists what would move and every conflict (`dry_run`, the default), or merges it into
/// this account in one transaction (`dry_run: false`). The other account is closed: its sign-in
/// answers 403 `account_merged` and its sessions end. A wrong password (or an unknown sign-in
/// name) is 422 `incorrect_password` at `source.password`, counted against that account's
/// failed sign-ins and slowed down like a failed sign-in. Both accounts having applied to the
/// same posting blocks the merge (409 `merge_blocked`) until `choices.applications` says which
/// application survives.
#[utoipa::path(
    tag = "profile merges",
    security(("bearer" = [])),
    request_body = OwnProfileMergeRequest,
    responses(
        (status = 200, description = "The plan, or what the merge did.", body = ProfileMergeResponse),
        (status = 403, response = Forbidden),
        (status = 409, response = Conflict),
        (status = 429, response = TooManyRequests),
    )
)]
#[post("/me/profile-merges")]
pub async fn merge_own_profile(
    state: web::Data<AppState>,
    user: AuthUser,
    Json(body): Json<OwnProfileMergeRequest>,
) -> Result<web::Json<ProfileMergeResponse>, ApiError> {
    let mut fields = Fields::new();
    let choices = body.choices.parse(&mut fields);
    fields.finish()?;
    let plan = merges::merge_own(
        &state,
        &user,
        body.source.login,
        body.source.password,
        body.dry_run,
        choices,
    )
    .await?;
    Ok(web::Json(plan.into()))
}

/// Merge two accounts of one person
///
/// The service desk merges a person's own (email) account into their Employee ID account,
/// having checked that both are the same person's: lists what would move and every conflict
/// (`dry_run`, the default), or merges in one transaction (`dry_run: false`). The source is
/// closed (its sign-in answers 403 `account_merged`, its sessions end).
#[utoipa::path(
    tag = "profile merges",
    security(("bearer" = [])),
    request_body = AdminProfileMergeRequest,
    responses(
        (status = 200, description = "The plan, or what the merge did.", body = ProfileMergeResponse),
        (status = 403, response = Forbidden),
        (status = 409, response = Conflict),
    )
)]
#[post("/admin/profile-merges")]
pub async fn merge_profiles(
    state: web::Data<AppState>,
    Admin(admin): Admin,
    Json(body): Json<AdminProfileMergeRequest>,
) -> Result<web::Json<ProfileMergeResponse>, ApiError> {
    let (source, target, dry_run, choices) = body.parse()?;
    let command = MergeCommand {
        source,
        target,
        dry_run,
        choices,
        via: Via::Admin,
    };
    let now = state.clock.now();
    let actor = admin.id().to_owned();
    let plan = if dry_run {
        state
            .db
            .read(move |conn| merges::merge(conn, actor, command, now))
            .await?
    } else {
        state
            .db
            .write(move |conn| merges::merge(conn, actor, command, now))
            .await?
    };
    Ok(web::Json(plan.into()))
}
