//! HTTP routes: one module per area, each with thin handlers and its DTOs.

pub mod admin;
pub mod alerts;
pub mod announcements;
pub mod applications;
pub mod auth;
pub mod calendar;
pub mod documents;
pub mod exams;
pub mod letters;
pub mod me;
pub mod merges;
pub mod messages;
pub mod numbers;
pub mod postings;
pub mod profile;
pub mod reference;
pub mod saved_searches;
pub mod service;
pub mod staff;
pub mod strings;
pub mod templates;
pub mod terms;
pub mod text;
pub mod webhooks;

use utoipa_actix_web::{scope, service_config::ServiceConfig};

/// Registers every route (used both to serve and to build the OpenAPI document).
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(service::get_healthz)
        .service(service::get_readyz)
        .service(service::get_metrics);
    cfg.service(
        scope("/api/v1")
            .configure(reference::configure)
            .configure(auth::configure)
            .configure(me::configure)
            .configure(profile::configure)
            .configure(templates::configure)
            .configure(documents::configure)
            .configure(admin::configure)
            .configure(merges::configure)
            .configure(postings::configure)
            .configure(saved_searches::configure)
            .configure(alerts::configure)
            .configure(exams::configure)
            .configure(applications::configure)
            .configure(messages::configure)
            .configure(letters::configure)
            .configure(staff::configure)
            .configure(calendar::configure)
            .configure(announcements::configure)
            .configure(webhooks::configure),
    );
}
