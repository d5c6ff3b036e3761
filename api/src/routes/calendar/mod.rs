//! Staff calendars (CalJOBS "My Calendar"): appointments of staff members, office-scoped like
//! the case load, with conflict detection per staff member and upcoming and new counts.

mod dashboard;
mod dto;
mod handlers;

pub use dashboard::*;

pub use dto::*;
pub use handlers::*;

use utoipa_actix_web::service_config::ServiceConfig;

/// Registers the routes under `/api/v1`.
pub fn configure(cfg: &mut ServiceConfig) {
    // The summary before `{id}`, which would take its name for an id.
    cfg.service(get_dashboard)
        .service(set_dashboard_widgets)
        .service(get_calendar_summary)
        .service(create_appointment)
        .service(list_appointments)
        .service(get_appointment)
        .service(update_appointment)
        .service(cancel_appointment);
}
