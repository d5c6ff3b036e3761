//! The staff workspace (CalJOBS): case load, services and placements, quick search and report
//! indicators, for staff of an office (their office's cases) and admins (every office's).

mod convert;
pub mod correspondence;
pub mod dto;
mod handlers;
pub mod links;
pub mod surveys;

pub use dto::*;
pub use handlers::*;

use utoipa_actix_web::service_config::ServiceConfig;

/// Registers the routes under `/api/v1`.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(open_case)
        .service(list_cases)
        .service(get_case)
        .service(assign_case)
        .service(change_case_status)
        .service(record_case_activity)
        .service(list_case_activities)
        .service(record_case_placement)
        .service(list_case_placements)
        .service(search_individuals)
        .service(search_employers)
        .service(get_report_indicators)
        .service(correspondence::create_letter_template)
        .service(correspondence::list_letter_templates)
        .service(correspondence::send_correspondence)
        .service(correspondence::list_correspondence)
        .service(correspondence::count_correspondence)
        .service(links::add_staff_resource)
        .service(links::list_staff_resources)
        .service(links::get_staff_resource)
        .service(links::update_staff_resource)
        .service(links::remove_staff_resource)
        .service(links::add_labor_market_link)
        .service(links::list_labor_market_links)
        .service(links::get_labor_market_link)
        .service(links::update_labor_market_link)
        .service(links::remove_labor_market_link)
        .service(surveys::create_survey)
        .service(surveys::list_surveys)
        .service(surveys::get_survey)
        .service(surveys::answer_survey)
        .service(surveys::get_survey_results);
}
