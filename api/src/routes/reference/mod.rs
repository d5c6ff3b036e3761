//! Reference data: departments, classifications, locations and offices.

mod dto;
mod handlers;

pub use dto::*;
pub use handlers::*;

use utoipa_actix_web::service_config::ServiceConfig;

/// Registers the reference routes under `/api/v1`.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_departments)
        .service(list_classifications)
        .service(list_locations)
        .service(list_offices)
        .service(create_department)
        .service(create_classification)
        .service(create_location)
        .service(create_office);
}
