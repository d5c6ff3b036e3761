//! The signed-in person's own account.

mod dto;
mod handlers;

pub use dto::*;
pub use handlers::*;

use utoipa_actix_web::service_config::ServiceConfig;

/// Registers the routes under `/api/v1`.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(get_me)
        .service(change_password)
        .service(resend_email_verification);
}
