//! "My Staff Dashboard": every chosen widget with its data in one request; choosing widgets.

use reqwest::Method;
use serde_json::json;

use super::{audit, case_for, world};
use crate::support::assert_problem;

const DASHBOARD: &str = "/api/v1/staff/dashboard";
const WIDGETS: &str = "/api/v1/staff/dashboard/widgets";

#[actix_web::test]
async fn the_dashboard_shows_every_chosen_widget_with_its_data_in_order() {
    let w = world().await;
    let app = &w.app;
    let admin = app.admin().await;
    let ana_case = case_for(app, &w.chen, &w.ana.id).await;
    case_for(app, &w.chen, &w.ben.id).await;
    // One letter by Chen, one by Lee (Lee's is not Chen's correspondence).
    let template = app
        .post_as(
            &w.chen.token,
            "/api/v1/staff/correspondence/templates",
            &json!({"name": "Hello", "subject": "Hello {{first_name}}", "body": "See you soon."}),
        )
        .await;
    template.assert_status(201);
    let letter = json!({"case_id": ana_case, "template_id": template.body["id"]});
    for staff in [&w.chen, &w.lee] {
        app.post_as(&staff.token, "/api/v1/staff/correspondence", &letter)
            .await
            .assert_status(201);
    }
    let appointment = json!({"title": "Intake", "starts_at": "2026-03-03T10:00:00Z", "ends_at": "2026-03-03T11:00:00Z", "location": "Room 2"});
    app.post_as(&w.chen.token, "/api/v1/staff/appointments", &appointment)
        .await
        .assert_status(201);
    app.post_as(
        &admin.token,
        "/api/v1/announcements",
        &json!({"title": "News", "body": "x"}),
    )
    .await
    .assert_status(201);

    // The default set: every widget.
    let response = app.get_as(&w.chen.token, DASHBOARD).await;
    response.assert_status(200);
    let widgets = response.body["widgets"].as_array().unwrap();
    let kinds: Vec<&str> = widgets
        .iter()
        .map(|w| w["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        vec![
            "active_case_load",
            "my_messages",
            "my_calendar",
            "latest_announcements",
            "my_report_indicators",
            "my_correspondence",
            "need_help",
            "labor_market_services",
            "surveys"
        ]
    );
    assert_eq!(
        widgets[0]["case_load"],
        json!([{"status": "active", "count": 2}, {"status": "inactive", "count": 0}, {"status": "closed", "count": 0}])
    );
    assert_eq!(widgets[1]["messages"], json!({"unread": 0, "read": 0}));
    assert_eq!(widgets[2]["calendar"]["upcoming"], 1);
    assert_eq!(widgets[2]["calendar"]["new"], 1);
    assert_eq!(widgets[2]["calendar"]["next"][0]["title"], "Intake");
    assert_eq!(widgets[3]["announcements"]["unread"], 1);
    assert_eq!(widgets[3]["announcements"]["latest"][0]["title"], "News");
    assert_eq!(widgets[4]["indicators"]["cases_opened"], 2);
    assert_eq!(
        widgets[5]["correspondence"],
        json!({"created_this_month": 1})
    );
    // Each widget carries only its own data.
    assert!(widgets[5].get("case_load").is_none());

    // Chosen: two, in this order.
    let chosen = app
        .send_json_as(
            &w.chen.token,
            Method::PUT,
            WIDGETS,
            &json!({"widgets": ["my_calendar", "active_case_load"]}),
        )
        .await;
    chosen.assert_status(200);
    assert_eq!(
        chosen.body["widgets"],
        json!(["my_calendar", "active_case_load"])
    );
    let mine = app.get_as(&w.chen.token, DASHBOARD).await;
    let kinds: Vec<&str> = mine.body["widgets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, vec!["my_calendar", "active_case_load"]);
    // Lee's is still the default.
    let lees = app.get_as(&w.lee.token, DASHBOARD).await;
    assert_eq!(lees.body["widgets"].as_array().unwrap().len(), 9);
    assert_eq!(lees.body["widgets"][0]["case_load"][0]["count"], 0);

    let twice = app
        .send_json_as(
            &w.chen.token,
            Method::PUT,
            WIDGETS,
            &json!({"widgets": ["my_calendar", "my_messages", "my_calendar"]}),
        )
        .await;
    assert_problem(&twice, 422, "validation_failed");
    assert_eq!(twice.body["errors"][0]["field"], "widgets[2]");
    let unknown = app
        .send_json_as(
            &w.chen.token,
            Method::PUT,
            WIDGETS,
            &json!({"widgets": ["weather"]}),
        )
        .await;
    assert_problem(&unknown, 422, "validation_failed");
    let still = app.get_as(&w.chen.token, DASHBOARD).await;
    assert_eq!(still.body["widgets"].as_array().unwrap().len(), 2);
    assert_eq!(audit(app, "dashboard_widgets_changed").await.len(), 1);
}

#[actix_web::test]
async fn each_role_gets_exactly_its_answer_from_the_dashboard() {
    let w = world().await;
    let app = &w.app;
    let admin = app.admin().await;
    let employer = app.employer("Elena", "Garcia", "DMV").await;
    let roles: [(&str, Option<&str>, u16); 6] = [
        ("staff of the office", Some(&w.lee.token), 200),
        ("staff of another office", Some(&w.sfo.token), 200),
        ("admin", Some(&admin.token), 200),
        ("employer", Some(&employer.token), 403),
        ("applicant", Some(&w.ana.token), 403),
        ("anonymous", None, 401),
    ];
    case_for(app, &w.chen, &w.ana.id).await;
    for (role, token, want) in roles {
        for (method, path, body) in [
            (Method::GET, DASHBOARD, None),
            (
                Method::PUT,
                WIDGETS,
                Some(json!({"widgets": ["active_case_load"]})),
            ),
        ] {
            let mut request = app.request(method.clone(), path);
            if let Some(token) = token {
                request = request.bearer_auth(token);
            }
            if let Some(body) = &body {
                request = request.json(body);
            }
            let got = app.send(request).await;
            assert_eq!(got.status, want, "{method} {path} as {role}: {}", got.body);
        }
    }
    // Each sees only their own case load: nobody but Chen has a case.
    for token in [&w.lee.token, &w.sfo.token, &admin.token] {
        let mine = app.get_as(token, DASHBOARD).await;
        assert_eq!(mine.body["widgets"][0]["case_load"][0]["count"], 0);
    }
    let chens = app.get_as(&w.chen.token, DASHBOARD).await;
    assert_eq!(chens.body["widgets"][0]["case_load"][0]["count"], 1);
}

#[actix_web::test]
async fn the_resource_labor_market_and_survey_widgets_show_what_is_for_me() {
    let w = world().await;
    let app = &w.app;
    let admin = app.admin().await;
    for (title, offices) in [
        ("Guide", json!([])),
        ("LAO video", json!(["LAO"])),
        ("SFO form", json!(["SFO"])),
    ] {
        app.post_as(
            &admin.token,
            "/api/v1/staff/resources",
            &json!({"title": title, "url": "https://r.example.gov", "kind": "guide", "offices": offices}),
        )
        .await
        .assert_status(201);
    }
    app.post_as(
        &admin.token,
        "/api/v1/staff/labor-market-links",
        &json!({"title": "LMI", "url": "https://lmi.example.gov", "region": "California"}),
    )
    .await
    .assert_status(201);
    let closes = (crate::support::start_of_tests() + chrono::Duration::days(3)).to_rfc3339();
    let mut ids = Vec::new();
    for title in ["First", "Second"] {
        let made = app
            .post_as(
                &admin.token,
                "/api/v1/staff/surveys",
                &json!({"title": title, "closes_at": closes, "questions": [{"prompt": "Rate us", "kind": "rating"}]}),
            )
            .await;
        made.assert_status(201);
        ids.push(made.body["id"].as_str().unwrap().to_owned());
    }
    app.post_as(
        &w.chen.token,
        &format!("/api/v1/staff/surveys/{}/responses", ids[1]),
        &json!({"answers": [{"rating": 3}]}),
    )
    .await
    .assert_status(204);
    app.send_json_as(
        &w.chen.token,
        Method::PUT,
        WIDGETS,
        &json!({"widgets": ["surveys", "need_help", "labor_market_services"]}),
    )
    .await
    .assert_status(200);
    let mine = app.get_as(&w.chen.token, DASHBOARD).await;
    mine.assert_status(200);
    let widgets = &mine.body["widgets"];
    assert_eq!(widgets[0]["kind"], "surveys");
    assert_eq!(widgets[0]["surveys"]["open"], 2);
    assert_eq!(widgets[0]["surveys"]["unanswered"], 1);
    assert_eq!(widgets[0]["surveys"]["latest"]["title"], "Second");
    assert_eq!(widgets[0]["surveys"]["latest"]["answered"], true);
    assert_eq!(widgets[1]["resources"]["count"], 2);
    let titles: Vec<&str> = widgets[1]["resources"]["latest"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, vec!["LAO video", "Guide"]);
    assert_eq!(widgets[2]["labor_market_links"]["count"], 1);
    assert_eq!(
        widgets[2]["labor_market_links"]["latest"][0]["region"],
        "California"
    );
    assert!(widgets[2].get("resources").is_none());
    // SFO's staff member sees SFO's form, not LAO's video, and has answered nothing.
    let sfo = app.get_as(&w.sfo.token, DASHBOARD).await;
    let sfo_widgets = sfo.body["widgets"].as_array().unwrap();
    let help = sfo_widgets
        .iter()
        .find(|w| w["kind"] == "need_help")
        .unwrap();
    assert_eq!(help["resources"]["count"], 2);
    assert_eq!(help["resources"]["latest"][0]["title"], "SFO form");
    let surveys = sfo_widgets.iter().find(|w| w["kind"] == "surveys").unwrap();
    assert_eq!(surveys["surveys"]["unanswered"], 2);
}

#[actix_web::test]
async fn my_report_indicators_count_my_work_on_my_offices_cases_this_month() {
    let w = world().await;
    let app = &w.app;
    let admin = app.admin().await;
    // The tests' clock: 2 March 2026, 01:30 in Los Angeles; the month is 1 to 2 March.
    let ana = case_for(app, &w.chen, &w.ana.id).await;
    let ben = case_for(app, &w.lee, &w.ben.id).await;
    let sfo = case_for(app, &w.sfo, &w.ana.id).await;
    let record = |token: String, case: String, body: serde_json::Value| async move {
        app.post_as(
            &token,
            &format!("/api/v1/staff/cases/{case}/activities"),
            &body,
        )
        .await
        .assert_status(201);
    };
    let chen = w.chen.token.clone();
    record(
        chen.clone(),
        ana.clone(),
        json!({"code": "workshop", "provided_on": "2026-03-02"}),
    )
    .await;
    record(
        chen.clone(),
        ana.clone(),
        json!({"code": "workshop", "provided_on": "2026-03-01"}),
    )
    .await;
    // Last month's is not this month's.
    record(
        chen.clone(),
        ana.clone(),
        json!({"code": "workshop", "provided_on": "2026-02-27"}),
    )
    .await;
    // Recorded by an admin (of no office) and credited to Chen: Chen's, in the case's office.
    record(
        admin.token.clone(),
        ana.clone(),
        json!({"code": "orientation", "provided_on": "2026-03-02", "staff_id": w.chen.id}),
    )
    .await;
    // Lee's work on LAO's case, and the admin's own on SFO's: not Chen's.
    record(
        w.lee.token.clone(),
        ben.clone(),
        json!({"code": "job_referral", "provided_on": "2026-03-02"}),
    )
    .await;
    record(
        admin.token.clone(),
        sfo.clone(),
        json!({"code": "follow_up", "provided_on": "2026-03-02"}),
    )
    .await;
    app.post_as(
        &admin.token,
        &format!("/api/v1/staff/cases/{ana}/placements"),
        &json!({"employer_name": "Acme", "job_title": "Clerk", "start_date": "2026-03-02", "hourly_wage_cents": 2000, "staff_id": w.chen.id}),
    )
    .await
    .assert_status(201);
    app.post_as(
        &w.sfo.token,
        &format!("/api/v1/staff/cases/{sfo}/placements"),
        &json!({"employer_name": "Acme", "job_title": "Clerk", "start_date": "2026-03-02", "hourly_wage_cents": 2000}),
    )
    .await
    .assert_status(201);

    app.send_json_as(
        &w.chen.token,
        Method::PUT,
        WIDGETS,
        &json!({"widgets": ["my_report_indicators"]}),
    )
    .await
    .assert_status(200);
    let mine = app.get_as(&w.chen.token, DASHBOARD).await;
    mine.assert_status(200);
    let indicators = &mine.body["widgets"][0]["indicators"];
    let count = |code: &str| {
        indicators["activities"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["code"] == code)
            .unwrap()["count"]
            .clone()
    };
    assert_eq!(count("workshop"), 2, "{indicators}");
    assert_eq!(count("orientation"), 1);
    assert_eq!(count("job_referral"), 0);
    assert_eq!(count("follow_up"), 0);
    assert_eq!(indicators["placements"], 1);
    assert_eq!(indicators["cases_opened"], 1);
    assert_eq!(indicators["cases_closed"], 0);
    // The same as the report of Chen's work over the month says.
    let report = app
        .get_as(
            &w.chen.token,
            &format!(
                "/api/v1/staff/report-indicators?from=2026-03-01&to=2026-03-02&staff_id={}",
                w.chen.id
            ),
        )
        .await;
    report.assert_status(200);
    assert_eq!(&report.body["totals"], indicators);
    // The admin's own service and SFO's placement count in SFO, the office of their cases.
    let sfo_report = app
        .get_as(
            &admin.token,
            "/api/v1/staff/report-indicators?from=2026-03-01&to=2026-03-02&office_code=SFO",
        )
        .await;
    sfo_report.assert_status(200);
    assert_eq!(sfo_report.body["totals"]["placements"], 1);
    let follow_ups = sfo_report.body["totals"]["activities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["code"] == "follow_up")
        .unwrap()["count"]
        .clone();
    assert_eq!(follow_ups, 1);
}
