//! Job alerts: a signed-in person's alerts, and the one-click unsubscribe of alert emails.

mod handlers;

pub use handlers::*;

use utoipa_actix_web::service_config::ServiceConfig;

/// Registers the routes under `/api/v1`.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_alerts)
        .service(create_alert)
        .service(get_alert)
        .service(replace_alert)
        .service(delete_alert)
        .service(unsubscribe_alert)
        .service(show_unsubscribe);
}
