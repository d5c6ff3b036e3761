//! Postings: search, details, the consideration preview, and employers' management.

mod dto;
mod filters;
mod handlers;
mod search;

pub use dto::*;
pub use filters::*;
pub use handlers::*;
pub use search::*;

use utoipa_actix_web::service_config::ServiceConfig;

/// Registers the routes under `/api/v1`.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(search_postings)
        .service(create_posting)
        .service(get_posting)
        .service(update_posting)
        .service(get_posting_eligibility)
        .service(publish_posting)
        .service(close_posting)
        .service(cancel_posting)
        .service(list_department_postings);
}
