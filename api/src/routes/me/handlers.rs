//! The caller's own account.

use actix_web::{HttpRequest, HttpResponse, get, post, put, web};

use super::dto::{AccountResponse, PasswordChangeRequest};
use crate::{
    auth::{AnySession, AuthUser, limits::Limited},
    error::ApiError,
    extract::Json,
    openapi::{Conflict, Forbidden, TooManyRequests},
    routes::auth::AcceptedResponse,
    services::accounts,
    state::AppState,
};

/// Who am I
///
/// The signed-in account: names, roles, bindings and whether its password must be changed.
#[utoipa::path(
    tag = "me",
    security(("bearer" = [])),
    responses((status = 200, description = "The caller's account.", body = AccountResponse), (status = 403, response = Forbidden))
)]
#[get("/me")]
pub async fn get_me(state: web::Data<AppState>, user: AuthUser) -> web::Json<AccountResponse> {
    let on_roster = user.employee.is_some();
    web::Json(AccountResponse::new(
        user.account,
        on_roster,
        state.clock.now(),
    ))
}

/// Change my password
///
/// Checks the current password, then sets the new one; every other session ends. A session
/// signed in with a temporary password can do nothing else until this succeeds. A wrong
/// current password counts towards the account's lockout like a failed sign-in; while the
/// account is locked, the answer is 429.
#[utoipa::path(
    tag = "me",
    security(("bearer" = [])),
    request_body = PasswordChangeRequest,
    responses(
        (status = 204, description = "The password is changed."),
        (status = 429, response = TooManyRequests),
    )
)]
#[put("/me/password")]
pub async fn change_password(
    state: web::Data<AppState>,
    AnySession(user): AnySession,
    Json(body): Json<PasswordChangeRequest>,
) -> Result<HttpResponse, ApiError> {
    accounts::change_password(&state, &user, body.current_password, body.new_password.0).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Resend the email confirmation
///
/// Sends a new link to confirm the account's email address; earlier links stop working.
/// Rate-limited like the other emails people can ask for: per client and per address (429
/// with `Retry-After`).
#[utoipa::path(
    tag = "me",
    security(("bearer" = [])),
    responses(
        (status = 202, description = "A new link is on its way.", body = AcceptedResponse),
        (status = 403, response = Forbidden),
        (status = 409, response = Conflict),
        (status = 429, response = TooManyRequests),
    )
)]
#[post("/me/email-verifications")]
pub async fn resend_email_verification(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    state
        .limits
        .check(Limited::Recovery, &state.limits.client(&req))?;
    if let Some(email) = &user.account.email {
        state.limits.check(Limited::RecoveryAddress, &email.key())?;
    }
    let (now, worker) = (state.clock.now(), state.get_ref().clone());
    state
        .db
        .write(move |conn| accounts::resend_verification(conn, &worker, &user, now))
        .await?;
    state.wake_mailer();
    Ok(HttpResponse::Accepted().json(AcceptedResponse {
        message: "Check your email for a new link.",
    }))
}
