//! Administration: staff and employer accounts, account search and changes, the employee
//! roster, the audit log and the email outbox. Every route needs the admin role.

mod api_clients;
mod dto;
mod handlers;
mod outbox;
mod roster;

pub use api_clients::*;
pub use dto::*;
pub use handlers::*;
pub use outbox::*;
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
        .service(list_audit_events)
        .service(list_outbox_emails)
        .service(retry_outbox_email)
        .service(create_api_client)
        .service(list_api_clients)
        .service(get_api_client)
        .service(rotate_api_client_secret)
        .service(revoke_api_client);
}
