//! Profile merge: an employee merges their other (email) account into their Employee ID
//! account, or an admin merges one person's two accounts.

mod dto;
mod handlers;

pub use dto::*;
pub use handlers::*;

use utoipa_actix_web::service_config::ServiceConfig;

/// Registers the routes under `/api/v1`.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(merge_own_profile)
        .service(request_profile_merge_code)
        .service(merge_profiles);
}
