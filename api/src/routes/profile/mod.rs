//! The caller's profile and the export of everything Merit holds about them.

mod convert;
mod dto;
mod export;
mod handlers;

pub use dto::*;
pub use export::*;
pub use handlers::*;

use utoipa_actix_web::service_config::ServiceConfig;

/// Registers the routes under `/api/v1`.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(get_profile)
        .service(replace_profile)
        .service(patch_profile)
        .service(get_export);
}
