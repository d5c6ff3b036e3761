//! Applications: applicants draft, submit, follow and withdraw them; departments list, read
//! and move them through their stages.

mod convert;
mod department;
mod department_dto;
pub mod dto;
mod handlers;
mod me;
mod stages;

pub use department::*;
pub use department_dto::*;
pub use dto::*;
pub use handlers::*;
pub use me::*;
pub use stages::*;

use utoipa_actix_web::service_config::ServiceConfig;

/// Registers the routes under `/api/v1`.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_application)
        .service(get_application)
        .service(update_application)
        .service(delete_application)
        .service(submit_application)
        .service(withdraw_application)
        .service(list_my_applications)
        .service(get_my_application)
        .service(list_posting_applications)
        .service(change_application_status)
        .service(bulk_change_application_status)
        .service(get_application_stages)
        .service(replace_application_stages)
        .service(download_application_document)
        .service(fill_posting);
}
