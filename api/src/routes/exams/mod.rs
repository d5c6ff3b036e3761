//! Exams, attempts, a person's results and eligibilities, and eligible lists.

mod dto;
mod handlers;
mod mine;

pub use dto::*;
pub use handlers::*;
pub use mine::*;

use utoipa_actix_web::service_config::ServiceConfig;

/// Registers the routes under `/api/v1`.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_exams)
        .service(create_exam)
        .service(get_exam)
        .service(take_exam)
        .service(list_my_exam_results)
        .service(list_my_eligibilities)
        .service(get_eligible_list);
}
