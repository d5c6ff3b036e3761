//! Request and response shapes of sign-in and self-service.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{
    routes::{
        strings::{EmailAddressValue, NewPasswordValue, OpaqueTokenValue},
        text::Line,
    },
    services::sessions::IssuedTokens,
};

/// Sign in.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    /// A username, an email address or an Employee ID.
    #[schema(min_length = 1, max_length = 254, example = "LAOJDOE")]
    pub login: String,
    /// The password, exactly as typed.
    #[schema(min_length = 1, max_length = 1024, example = "Tulip.Harbor7")]
    pub password: String,
}

/// How an access token is sent.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
pub enum TokenType {
    /// `Authorization: Bearer <token>`.
    Bearer,
}

/// A new pair of tokens.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)] // closes the schema: additionalProperties: false
pub struct TokenResponse {
    /// The access token: send it as `Authorization: Bearer <token>`.
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: TokenType,
    /// Seconds until the access token expires.
    #[schema(example = 900)]
    pub expires_in: i64,
    /// Exchange it at `POST /api/v1/auth/refresh` for a new pair; it works once.
    pub refresh_token: String,
    /// When true, the session can do nothing but `PUT /api/v1/me/password`.
    pub password_change_required: bool,
}

impl From<IssuedTokens> for TokenResponse {
    fn from(t: IssuedTokens) -> Self {
        TokenResponse {
            access_token: t.access_token,
            token_type: TokenType::Bearer,
            expires_in: t.expires_in,
            refresh_token: t.refresh_token,
            password_change_required: t.password_change_required,
        }
    }
}

/// Exchange a refresh token.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    /// The refresh token from the last sign-in or refresh.
    pub refresh_token: OpaqueTokenValue,
}

/// Register as an applicant.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegistrationRequest {
    /// Email address; a link to confirm it is sent there.
    pub email: EmailAddressValue,
    /// The password, checked against the password policy.
    pub password: NewPasswordValue,
    /// Given name.
    pub first_name: Line<100>,
    /// Family name.
    pub last_name: Line<100>,
    /// An optional username to sign in with, besides the email address.
    #[schema(
        min_length = 3,
        max_length = 64,
        pattern = "^[A-Za-z][A-Za-z0-9._-]*$",
        example = "jane.doe"
    )]
    pub username: Option<String>,
}

/// The answer to requests whose outcome must not reveal whether an account exists.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)] // closes the schema: additionalProperties: false
pub struct AcceptedResponse {
    /// What happens next.
    pub message: &'static str,
}

/// A token from an emailed link.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenConfirmation {
    /// The `token` parameter of the link.
    pub token: OpaqueTokenValue,
}

/// Ask for a reset link or a username reminder.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EmailRequest {
    /// The email address of the account.
    pub email: EmailAddressValue,
}

/// Set a new password with a reset or set-password link.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordResetConfirmation {
    /// The `token` parameter of the link.
    pub token: OpaqueTokenValue,
    /// The new password, checked against the password policy.
    pub new_password: NewPasswordValue,
}

/// The privacy agreement of the employee career section.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)] // closes the schema: additionalProperties: false
pub struct PrivacyAgreementResponse {
    /// The version to name when accepting it.
    #[schema(example = "2026-01")]
    pub version: &'static str,
    /// When it took effect.
    #[schema(example = "2026-01-01")]
    pub effective_date: &'static str,
    /// Its text.
    pub text: &'static str,
}

/// Activate an Employee ID.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EmployeeActivationRequest {
    /// The Employee ID: 4 to 12 digits.
    #[schema(pattern = "^[0-9]{4,12}$", example = "00123456")]
    pub employee_id: String,
    /// The version of the privacy agreement accepted.
    #[schema(min_length = 1, max_length = 32, example = "2026-01")]
    pub privacy_agreement_version: String,
}
