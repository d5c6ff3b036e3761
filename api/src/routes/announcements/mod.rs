//! News and announcements (`/api/v1/announcements`): admins publish to staff (all, or chosen
//! offices and/or roles) for a window; staff and admins read what is addressed to them now.

mod dto;
mod handlers;

pub use dto::*;
pub use handlers::*;

use utoipa_actix_web::service_config::ServiceConfig;

/// Registers the routes under `/api/v1`.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(publish_announcement)
        .service(list_announcements)
        .service(get_announcement)
        .service(update_announcement)
        .service(withdraw_announcement)
        .service(mark_announcement_read);
}
