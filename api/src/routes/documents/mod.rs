//! The caller's documents: multipart upload, list, metadata, download and delete.

mod dto;
mod handlers;
mod multipart;

pub use dto::*;
pub use handlers::*;

use utoipa_actix_web::service_config::ServiceConfig;

/// Registers the routes under `/api/v1`.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_documents)
        .service(upload_document)
        .service(get_document)
        .service(download_document)
        .service(delete_document);
}
