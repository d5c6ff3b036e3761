//! Administration: staff and employer accounts, account search and changes, the employee
//! roster and the audit log. Every route needs the admin role.

mod dto;
mod handlers;
mod roster;

pub use dto::*;
pub use handlers::*;
pub use roster::*;

use utoipa_actix_web::service_config::ServiceConfig;

/// Registers the routes under `/api/v1`.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_staff_account)
        .service(create_employer_account)
        .service(list_accounts)
        .service(get_account)
        .service(update_account)
        .service(reset_account_password)
        .service(unlock_account)
        .service(import_employee_roster)
        .service(list_audit_events);
}
