//! Sign-in and self-service handlers.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use merit_domain::{
    account::{EmailAddress, EmployeeId, PersonName, Username},
    profile::contact_email,
};

use super::dto::{
    AcceptedResponse, EmailRequest, EmployeeActivationRequest, LoginRequest,
    PasswordResetConfirmation, PrivacyAgreementResponse, RefreshRequest, RegistrationRequest,
    TokenConfirmation, TokenResponse,
};
use crate::{
    auth::{AnySession, limits::Limited},
    error::{ApiError, Code},
    extract::Json,
    openapi::{Forbidden, TooManyRequests, Unauthorized},
    services::{
        accounts::{self, Registration},
        employees::{self, PRIVACY_AGREEMENT},
        recovery,
        sessions::{self, Refreshed},
    },
    state::AppState,
    validation::{Fields, password_errors},
};

const CHECK_YOUR_EMAIL: &str = "If an account matches, an email is on its way. It can take a few minutes; check your spam folder too.";

/// Register
///
/// Creates an applicant account and emails a link to confirm the address (needed before
/// applying). An address that already has an account gets an email saying so instead; the answer
/// is the same either way.
#[utoipa::path(
    tag = "accounts",
    request_body = RegistrationRequest,
    responses(
        (status = 202, description = "Check your email.", body = AcceptedResponse),
        (status = 409, response = crate::openapi::Conflict),
        (status = 429, response = TooManyRequests),
    )
)]
#[post("/accounts")]
pub async fn create_account(
    state: web::Data<AppState>,
    req: HttpRequest,
    Json(body): Json<RegistrationRequest>,
) -> Result<HttpResponse, ApiError> {
    state
        .limits
        .check(Limited::Registration, &state.limits.client(&req))?;
    let mut fields = Fields::new();
    let email = fields.check("email", "invalid_email", contact_email(&body.email));
    let first_name = fields.check(
        "first_name",
        "invalid_name",
        PersonName::parse(&body.first_name),
    );
    let last_name = fields.check(
        "last_name",
        "invalid_name",
        PersonName::parse(&body.last_name),
    );
    let username = fields.check_optional(
        "username",
        "invalid_username",
        body.username.as_deref().map(Username::parse),
    );
    let mut identifiers: Vec<&str> = username.iter().map(Username::as_str).collect();
    identifiers.extend(email.iter().map(EmailAddress::local_part));
    if let Err(broken) = state.password_policy().check(&body.password, &identifiers) {
        password_errors(&mut fields, "password", &broken);
    }
    let registration = fields.into_result(email.zip(first_name).zip(last_name).map(
        |((email, first_name), last_name)| Registration {
            email,
            username,
            first_name,
            last_name,
            password: body.password.0,
        },
    ))?;
    accounts::register(&state, registration).await?;
    Ok(HttpResponse::Accepted().json(AcceptedResponse {
        message: "Check your email for a link to confirm your address.",
    }))
}

/// Sign in
///
/// Signs in with a username, an email address or an Employee ID. Returns a 15-minute access
/// token and a single-use refresh token. The same 401 answers an unknown account, a wrong
/// password, and a locked or disabled account.
///
/// Failed sign-ins slow down: after the third failure for the same sign-in name (known or not)
/// within the lockout window, each further failed answer is held back, from a quarter of a
/// second doubling up to 4 seconds, so set a client timeout above that. Enough failures lock
/// the account for a while (still the same 401). An account merged into another (profile
/// merge) answers 403 `account_merged`, and only to its right password.
#[utoipa::path(
    tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in.", body = TokenResponse),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 429, response = TooManyRequests),
    )
)]
#[post("/auth/login")]
pub async fn log_in(
    state: web::Data<AppState>,
    req: HttpRequest,
    Json(body): Json<LoginRequest>,
) -> Result<web::Json<TokenResponse>, ApiError> {
    state
        .limits
        .check(Limited::Login, &state.limits.client(&req))?;
    let issued = sessions::login(&state, &body.login, body.password).await?;
    Ok(web::Json(issued.into()))
}

/// Refresh the session
///
/// Exchanges a refresh token for a new pair. Each refresh token works once: presenting a used
/// one again ends its whole session.
#[utoipa::path(
    tag = "auth",
    request_body = RefreshRequest,
    responses((status = 200, description = "A new pair.", body = TokenResponse), (status = 401, response = Unauthorized))
)]
#[post("/auth/refresh")]
pub async fn refresh_session(
    state: web::Data<AppState>,
    Json(body): Json<RefreshRequest>,
) -> Result<web::Json<TokenResponse>, ApiError> {
    let now = state.clock.now();
    let keys = state.tokens.clone();
    match state
        .db
        .write(move |conn| sessions::refresh(conn, &keys, &body.refresh_token, now))
        .await?
    {
        Refreshed::Rotated(issued) => Ok(web::Json(issued.into())),
        Refreshed::Refused | Refreshed::Reused => Err(ApiError::new(
            Code::InvalidRefreshToken,
            "This refresh token is not valid. Sign in again.",
        )),
    }
}

/// Sign out
///
/// Ends the session of the access token (its refresh token stops working too).
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    responses((status = 204, description = "Signed out."))
)]
#[post("/auth/logout")]
pub async fn log_out(
    state: web::Data<AppState>,
    AnySession(user): AnySession,
) -> Result<HttpResponse, ApiError> {
    let now = state.clock.now();
    state
        .db
        .write(move |conn| sessions::logout(conn, user.id(), user.session_id, now))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Confirm an email address
///
/// Uses the token of the link sent at registration. Each link works once.
#[utoipa::path(
    tag = "accounts",
    request_body = TokenConfirmation,
    responses((status = 204, description = "The address is verified."))
)]
#[post("/auth/email-verifications/confirm")]
pub async fn confirm_email_verification(
    state: web::Data<AppState>,
    Json(body): Json<TokenConfirmation>,
) -> Result<HttpResponse, ApiError> {
    let now = state.clock.now();
    state
        .db
        .write(move |conn| accounts::confirm_email(conn, &body.token, now))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

fn limit_recovery(
    state: &AppState,
    req: &HttpRequest,
    email: Option<&EmailAddress>,
) -> Result<(), ApiError> {
    state
        .limits
        .check(Limited::Recovery, &state.limits.client(req))?;
    match email {
        Some(email) => state.limits.check(Limited::RecoveryAddress, &email.key()),
        None => Ok(()),
    }
}

/// Forgot password
///
/// Emails a single-use link, valid 30 minutes, to reset the password of the account with this
/// address. Staff accounts get a notice to contact the service desk instead. The answer is the
/// same whether or not an account exists.
#[utoipa::path(
    tag = "accounts",
    request_body = EmailRequest,
    responses((status = 202, description = "Check your email.", body = AcceptedResponse), (status = 429, response = TooManyRequests))
)]
#[post("/auth/password-resets")]
pub async fn request_password_reset(
    state: web::Data<AppState>,
    req: HttpRequest,
    Json(body): Json<EmailRequest>,
) -> Result<HttpResponse, ApiError> {
    let email = contact_email(&body.email)
        .map_err(|e| ApiError::invalid("email", "invalid_email", e.to_string()))?;
    limit_recovery(&state, &req, Some(&email))?;
    let (now, worker) = (state.clock.now(), state.get_ref().clone());
    state
        .db
        .write(move |conn| recovery::request_reset(conn, &worker, &email, now))
        .await?;
    state.wake_mailer();
    Ok(HttpResponse::Accepted().json(AcceptedResponse {
        message: CHECK_YOUR_EMAIL,
    }))
}

/// Reset the password
///
/// Sets a new password with the token of a reset link (or of an employee's set-password link).
/// Every session of the account ends.
#[utoipa::path(
    tag = "accounts",
    request_body = PasswordResetConfirmation,
    responses((status = 204, description = "The password is set."))
)]
#[post("/auth/password-resets/confirm")]
pub async fn confirm_password_reset(
    state: web::Data<AppState>,
    Json(body): Json<PasswordResetConfirmation>,
) -> Result<HttpResponse, ApiError> {
    recovery::confirm_reset(&state, body.token.0, body.new_password.0).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Forgot username
///
/// Emails the names the accounts with this address sign in with. The answer is the same
/// whether or not an account exists.
#[utoipa::path(
    tag = "accounts",
    request_body = EmailRequest,
    responses((status = 202, description = "Check your email.", body = AcceptedResponse), (status = 429, response = TooManyRequests))
)]
#[post("/auth/username-reminders")]
pub async fn request_username_reminder(
    state: web::Data<AppState>,
    req: HttpRequest,
    Json(body): Json<EmailRequest>,
) -> Result<HttpResponse, ApiError> {
    let email = contact_email(&body.email)
        .map_err(|e| ApiError::invalid("email", "invalid_email", e.to_string()))?;
    limit_recovery(&state, &req, Some(&email))?;
    let now = state.clock.now();
    state
        .db
        .write(move |conn| recovery::remind_username(conn, &email, now))
        .await?;
    state.wake_mailer();
    Ok(HttpResponse::Accepted().json(AcceptedResponse {
        message: CHECK_YOUR_EMAIL,
    }))
}

/// The privacy agreement
///
/// The agreement employees accept before activating their Employee ID.
#[utoipa::path(tag = "employees", responses((status = 200, description = "The agreement in force.", body = PrivacyAgreementResponse)))]
#[get("/privacy-agreement")]
pub async fn get_privacy_agreement() -> web::Json<PrivacyAgreementResponse> {
    web::Json(PrivacyAgreementResponse {
        version: PRIVACY_AGREEMENT.version,
        effective_date: PRIVACY_AGREEMENT.effective_date,
        text: PRIVACY_AGREEMENT.text,
    })
}

/// Activate an Employee ID
///
/// Records the accepted privacy agreement and emails a link to set a password to the business
/// address on the employee roster. The answer is the same whatever the Employee ID.
#[utoipa::path(
    tag = "employees",
    request_body = EmployeeActivationRequest,
    responses((status = 202, description = "Check your business email.", body = AcceptedResponse), (status = 429, response = TooManyRequests))
)]
#[post("/auth/employee-activations")]
pub async fn activate_employee(
    state: web::Data<AppState>,
    req: HttpRequest,
    Json(body): Json<EmployeeActivationRequest>,
) -> Result<HttpResponse, ApiError> {
    let mut fields = Fields::new();
    let employee_id = fields.check(
        "employee_id",
        "invalid_employee_id",
        EmployeeId::parse(&body.employee_id),
    );
    if body.privacy_agreement_version != PRIVACY_AGREEMENT.version {
        fields.push(
            "privacy_agreement_version",
            "privacy_agreement_outdated",
            format!(
                "Accept the current privacy agreement, version {}.",
                PRIVACY_AGREEMENT.version
            ),
        );
    }
    let employee_id = fields.into_result(employee_id)?;
    limit_recovery(&state, &req, None)?;
    let (now, worker) = (state.clock.now(), state.get_ref().clone());
    state
        .db
        .write(move |conn| employees::activate(conn, &worker, &employee_id, now))
        .await?;
    state.wake_mailer();
    Ok(HttpResponse::Accepted().json(AcceptedResponse {
        message: "If this Employee ID is on the roster, a link to set your password is on its way to your business email.",
    }))
}
