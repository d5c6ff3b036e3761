//! The caller's inbox (every notice Merit sent them) and which kinds also go by email.

mod dto;
mod handlers;

pub use dto::*;
pub use handlers::*;

use utoipa_actix_web::service_config::ServiceConfig;

/// Registers the routes under `/api/v1`.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_messages)
        .service(get_unread_message_count)
        .service(get_message)
        .service(update_message)
        .service(get_notification_preferences)
        .service(replace_notification_preferences);
}
