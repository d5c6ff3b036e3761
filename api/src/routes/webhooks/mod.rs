//! Webhook endpoints of API clients, managed by admins (and by a client with `webhooks:manage`,
//! its own): subscriptions, signing secrets and
//! their rotation, deliveries, the delivery log and redelivery.

mod dto;
mod handlers;

pub use dto::*;
pub use handlers::*;

use utoipa_actix_web::service_config::ServiceConfig;

/// Registers the routes under `/api/v1`.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_webhook_endpoint)
        .service(list_webhook_endpoints)
        .service(get_webhook_endpoint)
        .service(replace_webhook_endpoint)
        .service(delete_webhook_endpoint)
        .service(rotate_webhook_secret)
        .service(list_webhook_deliveries)
        .service(list_webhook_attempts)
        .service(redeliver_webhook)
        .service(create_own_webhook_endpoint)
        .service(list_own_webhook_endpoints)
        .service(get_own_webhook_endpoint)
        .service(replace_own_webhook_endpoint)
        .service(delete_own_webhook_endpoint)
        .service(rotate_own_webhook_secret)
        .service(list_own_webhook_deliveries)
        .service(list_own_webhook_attempts)
        .service(redeliver_own_webhook);
}
