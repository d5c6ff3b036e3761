//! Sign-in, sessions, self-service recovery, email verification and employee activation.

mod dto;
mod handlers;
mod token;

pub use dto::*;
pub use handlers::*;
pub use token::*;

use utoipa_actix_web::service_config::ServiceConfig;

/// Registers the routes under `/api/v1`.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_account)
        .service(log_in)
        .service(refresh_session)
        .service(log_out)
        .service(confirm_email_verification)
        .service(request_password_reset)
        .service(confirm_password_reset)
        .service(request_username_reminder)
        .service(get_privacy_agreement)
        .service(activate_employee)
        .service(issue_client_token);
}
