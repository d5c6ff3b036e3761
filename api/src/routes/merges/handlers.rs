//! Profile merge handlers.

use actix_web::{HttpResponse, post, web};

use super::dto::{
    AdminProfileMergeRequest, MergeCodeRequest, MergeCodeResponse, OwnProfileMergeRequest,
    ProfileMergeResponse,
};
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
/// (registered by email): proves control of that account with its sign-in name and either its
/// password or a code emailed to its verified address (`POST /me/profile-merge-codes`), then
/// lists what would move and every conflict (`dry_run`, the default), or merges it into
/// this account in one transaction (`dry_run: false`). The other account is closed: its sign-in
/// answers 403 `account_merged` and its sessions end. A wrong password (or an unknown sign-in
/// name) is 422 `incorrect_password` at `source.password`, counted against that account's
/// failed sign-ins and slowed down like a failed sign-in. Both accounts having applied to the
/// same posting blocks the merge (409 `merge_blocked`) until `choices.applications` says which
/// application survives. A code that is wrong, expired, used, or was not sent for that account
/// at this employee's request is 422 `incorrect_code` at `source.code`; a wrong code counts
/// against it (five wrong tries end it). Dry runs leave a right code usable; the merge uses it
/// up (a refused merge does not).
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
    let (login, proof) = body.source.into_proof();
    let plan = merges::merge_own(&state, &user, login, proof, body.dry_run, choices).await?;
    Ok(web::Json(plan.into()))
}

/// Ask for a code to merge my other account
///
/// For an employee signed in with their Employee ID: emails a six-digit code to the verified
/// email address of their other account (named by its sign-in name), to prove control of it in
/// `POST /me/profile-merges` instead of its password. The code works for 15 minutes, once (the
/// merge uses it; dry runs do not), only for this employee and that account, and dies after
/// five wrong tries; a new code ends the earlier one. The answer is the same whether or not a
/// code was sent (no account by that name, its address not verified, disabled or locked, or
/// your own), so sign-in names cannot be probed. At most five codes per hour (429 beyond).
#[utoipa::path(
    tag = "profile merges",
    security(("bearer" = [])),
    request_body = MergeCodeRequest,
    responses(
        (status = 202, description = "A code was sent if the account can get one.", body = MergeCodeResponse),
        (status = 403, response = Forbidden),
        (status = 429, response = TooManyRequests),
    )
)]
#[post("/me/profile-merge-codes")]
pub async fn request_profile_merge_code(
    state: web::Data<AppState>,
    user: AuthUser,
    Json(body): Json<MergeCodeRequest>,
) -> Result<HttpResponse, ApiError> {
    let now = state.clock.now();
    let expires_at = state
        .db
        .write(move |conn| merges::request_code(conn, &user, &body.login, now))
        .await?;
    state.wake_mailer();
    Ok(HttpResponse::Accepted().json(MergeCodeResponse { expires_at }))
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
    let actor = admin.id();
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
