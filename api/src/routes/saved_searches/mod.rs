//! Saved searches.

mod handlers;

pub use handlers::*;

use utoipa_actix_web::service_config::ServiceConfig;

/// Registers the routes under `/api/v1`.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_saved_searches)
        .service(create_saved_search)
        .service(get_saved_search)
        .service(replace_saved_search)
        .service(delete_saved_search)
        .service(run_saved_search);
}
