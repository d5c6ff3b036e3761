//! Contact letters: departments send them about a posting to the people on its eligible list,
//! see each letter's state and record waivers of appointment; people list and answer theirs.

mod dto;
mod handlers;

pub use dto::*;
pub use handlers::*;

use utoipa_actix_web::service_config::ServiceConfig;

/// Registers the routes under `/api/v1`.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(send_contact_letters)
        .service(list_contact_letters)
        .service(record_waiver)
        .service(list_my_contact_letters)
        .service(answer_contact_letter);
}
