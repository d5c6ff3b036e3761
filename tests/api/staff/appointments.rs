//! Staff calendars: making, listing, reading, changing and cancelling appointments; conflicts
//! for one staff member; upcoming and new counts; who may do what.

use reqwest::Method;
use serde_json::{Value, json};

use super::{audit, case_for, ids, world};
use crate::support::{TestApp, TestResponse, TestUser, assert_problem};

const APPOINTMENTS: &str = "/api/v1/staff/appointments";

/// 2026-03-03 (the day after the tests start) at `hh:mm` UTC.
fn at(hh_mm: &str) -> String {
    format!("2026-03-03T{hh_mm}:00Z")
}

fn body(title: &str, from: &str, to: &str) -> Value {
    json!({"title": title, "starts_at": at(from), "ends_at": at(to), "location": "LAO office, room 2"})
}

async fn make(app: &TestApp, staff: &TestUser, body: &Value) -> TestResponse {
    app.post_as(&staff.token, APPOINTMENTS, body).await
}

async fn made(app: &TestApp, staff: &TestUser, body: &Value) -> String {
    let response = make(app, staff, body).await;
    response.assert_status(201);
    response.body["id"].as_str().unwrap().to_owned()
}

async fn put(
    app: &TestApp,
    token: &str,
    id: &str,
    etag: Option<&str>,
    body: &Value,
) -> TestResponse {
    let mut request = app
        .request(Method::PUT, &format!("{APPOINTMENTS}/{id}"))
        .bearer_auth(token)
        .json(body);
    if let Some(etag) = etag {
        request = request.header("If-Match", etag);
    }
    app.send(request).await
}

#[actix_web::test]
async fn a_staff_member_makes_an_appointment_about_a_case_and_reads_it_back() {
    let w = world().await;
    let app = &w.app;
    let case = case_for(app, &w.chen, &w.ana.id).await;
    let mut request = body("Intake interview", "10:00", "10:45");
    request["case_id"] = json!(case);
    request["video_url"] = json!("https://meet.example.org/intake-1");
    let response = make(app, &w.chen, &request).await;
    response.assert_status(201);
    let id = response.body["id"].as_str().unwrap().to_owned();
    assert_eq!(response.header("location"), format!("{APPOINTMENTS}/{id}"));
    assert_eq!(response.header("etag"), "\"1\"");
    let b = &response.body;
    assert_eq!(b["staff_id"], w.chen.id.as_str());
    assert_eq!(b["office_code"], "LAO");
    assert_eq!(b["case_id"], case.as_str());
    assert_eq!(b["status"], "scheduled");
    assert_eq!(b["starts_at"], at("10:00"));
    assert_eq!(b["ends_at"], at("10:45"));
    assert_eq!(b["video_url"], "https://meet.example.org/intake-1");
    assert_eq!(b["created_by"], w.chen.id.as_str());

    // A colleague of the office reads it; another office's staff cannot see it.
    let read = app
        .get_as(&w.lee.token, &format!("{APPOINTMENTS}/{id}"))
        .await;
    read.assert_status(200);
    assert_eq!(read.body["title"], "Intake interview");
    let hidden = app
        .get_as(&w.sfo.token, &format!("{APPOINTMENTS}/{id}"))
        .await;
    assert_problem(&hidden, 404, "not_found");

    let mine = app.get_as(&w.chen.token, APPOINTMENTS).await;
    mine.assert_status(200);
    assert_eq!(ids(&mine.body), vec![id.clone()]);
    let by_case = app
        .get_as(
            &w.lee.token,
            &format!("{APPOINTMENTS}?scope=all&case_id={case}"),
        )
        .await;
    assert_eq!(ids(&by_case.body), vec![id.clone()]);

    let events = audit(app, "appointment_created").await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["actor_account_id"], w.chen.id.as_str());
    assert_eq!(events[0]["details"]["appointment_id"], id.as_str());
}

#[actix_web::test]
async fn overlapping_appointments_of_one_staff_member_are_refused_naming_the_other() {
    let w = world().await;
    let app = &w.app;
    let first = made(app, &w.chen, &body("Intake", "10:00", "11:00")).await;
    for (from, to) in [
        ("10:30", "11:30"),
        ("09:30", "10:01"),
        ("10:15", "10:20"),
        ("09:00", "12:00"),
    ] {
        let clash = make(app, &w.chen, &body("Clash", from, to)).await;
        assert_problem(&clash, 409, "appointment_conflict");
        assert!(
            clash.body["detail"].as_str().unwrap().contains(&first),
            "{from}-{to}: {}",
            clash.body
        );
    }
    // Back to back is fine, and so is another staff member at the same time.
    made(app, &w.chen, &body("Next", "11:00", "11:30")).await;
    made(app, &w.chen, &body("Before", "09:30", "10:00")).await;
    made(app, &w.lee, &body("Lee's", "10:00", "11:00")).await;
    // A colleague cannot put Chen into the taken slot either.
    let mut for_chen = body("Booked by Lee", "10:30", "10:45");
    for_chen["staff_id"] = json!(w.chen.id);
    let clash = make(app, &w.lee, &for_chen).await;
    assert_problem(&clash, 409, "appointment_conflict");
    // Nothing of the refused ones was stored.
    let mine = app.get_as(&w.chen.token, APPOINTMENTS).await;
    assert_eq!(ids(&mine.body).len(), 3);
    // Cancelling frees the time.
    let cancel = app
        .post_as(
            &w.chen.token,
            &format!("{APPOINTMENTS}/{first}/cancel"),
            &json!({}),
        )
        .await;
    cancel.assert_status(200);
    assert_eq!(cancel.body["status"], "cancelled");
    let again = make(app, &w.lee, &for_chen).await;
    again.assert_status(201);
    assert_eq!(again.body["staff_id"], w.chen.id.as_str());
    assert_eq!(again.body["created_by"], w.lee.id.as_str());
    // Moving an appointment onto another is refused too.
    let next = ids(&app
        .get_as(
            &w.chen.token,
            &format!("{APPOINTMENTS}?from={}", at("11:00")),
        )
        .await
        .body);
    assert_eq!(next.len(), 1);
    let moved = put(
        app,
        &w.chen.token,
        &next[0],
        None,
        &body("Next", "10:40", "11:10"),
    )
    .await;
    assert_problem(&moved, 409, "appointment_conflict");
}

#[actix_web::test]
async fn bad_appointments_are_refused_field_by_field() {
    let w = world().await;
    let app = &w.app;
    let cases = [
        (
            body("Backwards", "11:00", "10:00"),
            "ends_at",
            "end_before_start",
        ),
        (
            body("Empty", "11:00", "11:00"),
            "ends_at",
            "end_before_start",
        ),
        (
            json!({"title": "Marathon", "starts_at": at("00:00"), "ends_at": "2026-03-03T12:00:01Z", "location": "Here"}),
            "ends_at",
            "too_long",
        ),
        (
            json!({"title": "Nowhere", "starts_at": at("10:00"), "ends_at": at("11:00")}),
            "location",
            "place_required",
        ),
        (
            json!({"title": "Bad link", "starts_at": at("10:00"), "ends_at": at("11:00"), "video_url": "http://meet.example.org/x"}),
            "video_url",
            "invalid_link",
        ),
        (
            json!({"title": " ", "starts_at": at("10:00"), "ends_at": at("11:00"), "location": "Here"}),
            "title",
            "blank",
        ),
        (
            json!({"title": "Other office", "starts_at": at("10:00"), "ends_at": at("11:00"), "location": "Here", "staff_id": w.sfo.id}),
            "staff_id",
            "unknown_staff",
        ),
        (
            json!({"title": "Bad id", "starts_at": at("10:00"), "ends_at": at("11:00"), "location": "Here", "case_id": "nope"}),
            "case_id",
            "invalid_id",
        ),
    ];
    for (request, field, code) in cases {
        let refused = make(app, &w.chen, &request).await;
        assert_problem(&refused, 422, "validation_failed");
        assert_eq!(refused.body["errors"][0]["field"], field, "{request}");
        assert_eq!(refused.body["errors"][0]["code"], code, "{request}");
    }
    // A case of another office is unknown here; a closed case gets no appointment.
    let sfo_case = case_for(app, &w.sfo, &w.ben.id).await;
    let mut other = body("Other office's case", "10:00", "11:00");
    other["case_id"] = json!(sfo_case);
    let refused = make(app, &w.chen, &other).await;
    assert_problem(&refused, 422, "validation_failed");
    assert_eq!(refused.body["errors"][0]["code"], "unknown_case");
    let case = case_for(app, &w.chen, &w.ana.id).await;
    app.post_as(
        &w.chen.token,
        &format!("/api/v1/staff/cases/{case}/status"),
        &json!({"status": "closed", "reason": "employed"}),
    )
    .await
    .assert_status(200);
    let mut closed = body("Closed case", "10:00", "11:00");
    closed["case_id"] = json!(case);
    assert_problem(&make(app, &w.chen, &closed).await, 409, "case_closed");
    // Nothing was stored.
    let all = app
        .get_as(&w.chen.token, &format!("{APPOINTMENTS}?scope=all"))
        .await;
    assert!(ids(&all.body).is_empty());
    // An admin must name whose calendar.
    let admin = app.admin().await;
    let unnamed = make(app, &admin, &body("Admin's", "10:00", "11:00")).await;
    assert_problem(&unnamed, 422, "validation_failed");
    assert_eq!(unnamed.body["errors"][0]["field"], "staff_id");
    let mut named = body("Admin's", "10:00", "11:00");
    named["staff_id"] = json!(w.sfo.id);
    let made = make(app, &admin, &named).await;
    made.assert_status(201);
    assert_eq!(made.body["office_code"], "SFO");
}

#[actix_web::test]
async fn changes_take_the_current_version_and_follow_the_status_rules() {
    let w = world().await;
    let app = &w.app;
    let id = made(app, &w.chen, &body("Intake", "10:00", "11:00")).await;
    let path = format!("{APPOINTMENTS}/{id}");
    let read = app.get_as(&w.chen.token, &path).await;
    let etag = read.header("etag").to_owned();
    assert_eq!(etag, "\"1\"");
    // Lee moves it to the afternoon and gives it to herself...
    let mut change = body("Intake (moved)", "14:00", "15:00");
    change["staff_id"] = json!(w.lee.id);
    let moved = put(app, &w.lee.token, &id, Some(&etag), &change).await;
    moved.assert_status(200);
    assert_eq!(moved.header("etag"), "\"2\"");
    assert_eq!(moved.body["starts_at"], at("14:00"));
    assert_eq!(moved.body["staff_id"], w.lee.id.as_str());
    // ...so Chen's change from the old read is refused and changes nothing.
    let stale = put(
        app,
        &w.chen.token,
        &id,
        Some(&etag),
        &body("Stale", "09:00", "09:30"),
    )
    .await;
    assert_problem(&stale, 412, "precondition_failed");
    let now = app.get_as(&w.chen.token, &path).await;
    assert_eq!(now.body["title"], "Intake (moved)");
    // Completed is for appointments that have started.
    let mut done = body("Intake (moved)", "14:00", "15:00");
    done["status"] = json!("completed");
    let early = put(app, &w.lee.token, &id, None, &done).await;
    assert_problem(&early, 422, "validation_failed");
    assert_eq!(early.body["errors"][0]["code"], "not_started");
    app.clock
        .advance(chrono::Duration::days(1) + chrono::Duration::hours(5));
    // The access tokens expired meanwhile.
    let lee = app.signed_in(&w.lee.login, &w.lee.password).await;
    let sfo = app.signed_in(&w.sfo.login, &w.sfo.password).await;
    let completed = put(app, &lee.token, &id, None, &done).await;
    completed.assert_status(200);
    assert_eq!(completed.body["status"], "completed");
    // Cancelled is final; cancelling again changes nothing.
    let cancel = format!("{path}/cancel");
    let cancelled = app.post_as(&lee.token, &cancel, &json!({})).await;
    cancelled.assert_status(200);
    assert_eq!(cancelled.header("etag"), "\"4\"");
    let again = app.post_as(&lee.token, &cancel, &json!({})).await;
    again.assert_status(200);
    assert_eq!(again.body["version"], 4);
    let revived = put(app, &lee.token, &id, None, &body("Back", "14:00", "15:00")).await;
    assert_problem(&revived, 409, "appointment_cancelled");
    assert_eq!(audit(app, "appointment_updated").await.len(), 2);
    assert_eq!(audit(app, "appointment_cancelled").await.len(), 1);
    // Another office's staff member cannot cancel or change it.
    let foreign = app.post_as(&sfo.token, &cancel, &json!({})).await;
    assert_problem(&foreign, 404, "not_found");
}

#[actix_web::test]
async fn lists_page_by_start_and_filter_by_range_scope_and_status() {
    let w = world().await;
    let app = &w.app;
    let a = made(app, &w.chen, &body("A", "08:00", "09:00")).await;
    let b = made(app, &w.chen, &body("B", "10:00", "11:00")).await;
    let c = made(app, &w.chen, &body("C", "12:00", "13:00")).await;
    let d = made(app, &w.lee, &body("D", "10:00", "11:00")).await;
    made(app, &w.sfo, &body("SFO", "10:00", "11:00")).await;
    // Made in another order than they happen.
    let e = made(app, &w.chen, &body("E", "06:00", "07:00")).await;

    let first = app
        .get_as(&w.chen.token, &format!("{APPOINTMENTS}?limit=2"))
        .await;
    first.assert_status(200);
    assert_eq!(ids(&first.body), vec![e.clone(), a.clone()]);
    let cursor = first.body["next_cursor"].as_str().unwrap();
    let second = app
        .get_as(
            &w.chen.token,
            &format!("{APPOINTMENTS}?limit=2&cursor={cursor}"),
        )
        .await;
    assert_eq!(ids(&second.body), vec![b.clone(), c.clone()]);
    assert!(second.body["next_cursor"].is_null());

    // The range keeps what overlaps it.
    let range = format!("{APPOINTMENTS}?from={}&to={}", at("08:30"), at("12:00"));
    let ranged = app.get_as(&w.chen.token, &range).await;
    assert_eq!(ids(&ranged.body), vec![a.clone(), b.clone()]);
    let backwards = app
        .get_as(
            &w.chen.token,
            &format!("{APPOINTMENTS}?from={}&to={}", at("12:00"), at("08:00")),
        )
        .await;
    assert_problem(&backwards, 422, "validation_failed");

    // The office's calendar; a colleague's; another office sees none of it.
    let office = app
        .get_as(&w.lee.token, &format!("{APPOINTMENTS}?scope=all"))
        .await;
    assert_eq!(
        ids(&office.body),
        vec![e.clone(), a.clone(), b.clone(), d.clone(), c.clone()]
    );
    let chens = app
        .get_as(
            &w.lee.token,
            &format!("{APPOINTMENTS}?staff_id={}", w.chen.id),
        )
        .await;
    assert_eq!(ids(&chens.body).len(), 4);
    let foreign = app
        .get_as(
            &w.sfo.token,
            &format!("{APPOINTMENTS}?staff_id={}", w.chen.id),
        )
        .await;
    assert!(ids(&foreign.body).is_empty());
    let admin = app.admin().await;
    let everything = app
        .get_as(&admin.token, &format!("{APPOINTMENTS}?scope=all"))
        .await;
    assert_eq!(ids(&everything.body).len(), 6);

    app.post_as(
        &w.chen.token,
        &format!("{APPOINTMENTS}/{a}/cancel"),
        &json!({}),
    )
    .await
    .assert_status(200);
    let cancelled = app
        .get_as(&w.chen.token, &format!("{APPOINTMENTS}?status=cancelled"))
        .await;
    assert_eq!(ids(&cancelled.body), vec![a.clone()]);

    // A cursor of another list, or a made-up key, is 400.
    let forged = merit_api::paging::encode_cursor("staff-appointments", "x_y");
    let bad = app
        .get_as(&w.chen.token, &format!("{APPOINTMENTS}?cursor={forged}"))
        .await;
    assert_problem(&bad, 400, "invalid_cursor");
}

#[actix_web::test]
async fn the_summary_counts_upcoming_and_new_appointments_of_the_caller() {
    let w = world().await;
    let app = &w.app;
    let soon = made(app, &w.chen, &body("Soon", "10:00", "11:00")).await;
    made(app, &w.chen, &body("Later", "13:00", "14:00")).await;
    let dropped = made(app, &w.chen, &body("Dropped", "15:00", "16:00")).await;
    made(app, &w.lee, &body("Lee's", "10:00", "11:00")).await;
    app.post_as(
        &w.chen.token,
        &format!("{APPOINTMENTS}/{dropped}/cancel"),
        &json!({}),
    )
    .await
    .assert_status(200);
    // One made long ago for next month, still upcoming but no longer new.
    let far = json!({"title": "Review", "starts_at": "2026-04-01T10:00:00Z", "ends_at": "2026-04-01T10:30:00Z", "location": "Here"});
    made(app, &w.chen, &far).await;
    let summary_path = format!("{APPOINTMENTS}/summary?next=1");
    let summary = app.get_as(&w.chen.token, &summary_path).await;
    summary.assert_status(200);
    assert_eq!(summary.body["upcoming"], 3);
    assert_eq!(summary.body["new"], 3);
    assert_eq!(
        ids(&json!({"items": summary.body["next"]})),
        vec![soon.clone()]
    );

    // Eight days on, the March appointments are past and nothing was made this week.
    app.clock.advance(chrono::Duration::days(8));
    let chen = app.signed_in(&w.chen.login, &w.chen.password).await;
    let lee = app.signed_in(&w.lee.login, &w.lee.password).await;
    let later = app.get_as(&chen.token, &summary_path).await;
    assert_eq!(later.body["upcoming"], 1);
    assert_eq!(later.body["new"], 0);
    let fresh = json!({"title": "Follow-up", "starts_at": "2026-03-20T10:00:00Z", "ends_at": "2026-03-20T10:30:00Z", "video_url": "https://meet.example.org/f"});
    made(app, &lee, &json!({"staff_id": w.chen.id, "title": fresh["title"], "starts_at": fresh["starts_at"], "ends_at": fresh["ends_at"], "video_url": fresh["video_url"]})).await;
    let after = app.get_as(&chen.token, &summary_path).await;
    assert_eq!(after.body["upcoming"], 2);
    assert_eq!(after.body["new"], 1);
    let bad = app
        .get_as(&chen.token, &format!("{APPOINTMENTS}/summary?next=21"))
        .await;
    assert_problem(&bad, 422, "validation_failed");
}

#[actix_web::test]
async fn each_role_gets_exactly_its_answer_from_each_calendar_endpoint() {
    let w = world().await;
    let app = &w.app;
    let id = made(app, &w.chen, &body("Intake", "08:00", "09:00")).await;
    let employer = app.employer("Elena", "Garcia", "DMV").await;
    let admin = app.admin().await;
    let roles: [(&str, Option<&str>); 6] = [
        ("staff of the office", Some(&w.lee.token)),
        ("staff of another office", Some(&w.sfo.token)),
        ("admin", Some(&admin.token)),
        ("employer", Some(&employer.token)),
        ("applicant", Some(&w.ana.token)),
        ("anonymous", None),
    ];
    let path = format!("{APPOINTMENTS}/{id}");
    let mut for_chen = body("Booked for Chen", "10:00", "10:30");
    for_chen["staff_id"] = json!(w.chen.id);
    let cells: Vec<(Method, String, Option<Value>, [u16; 6])> = vec![
        (
            Method::POST,
            APPOINTMENTS.into(),
            Some(for_chen),
            // SFO's staff cannot book LAO's; the admin finds the slot taken by then.
            [201, 422, 409, 403, 403, 401],
        ),
        (
            Method::GET,
            format!("{APPOINTMENTS}?scope=all"),
            None,
            [200, 200, 200, 403, 403, 401],
        ),
        (
            Method::GET,
            format!("{APPOINTMENTS}/summary"),
            None,
            [200, 200, 200, 403, 403, 401],
        ),
        (
            Method::GET,
            path.clone(),
            None,
            [200, 404, 200, 403, 403, 401],
        ),
        (
            Method::PUT,
            path.clone(),
            Some(body("Intake (moved)", "08:15", "09:00")),
            [200, 404, 200, 403, 403, 401],
        ),
        (
            Method::POST,
            format!("{path}/cancel"),
            None,
            [200, 404, 200, 403, 403, 401],
        ),
    ];
    let mut failures = Vec::new();
    for (method, path, body, expected) in &cells {
        for ((role, token), want) in roles.iter().zip(expected) {
            let mut request = app.request(method.clone(), path);
            if let Some(token) = token {
                request = request.bearer_auth(token);
            }
            if let Some(body) = body {
                request = request.json(body);
            }
            let got = app.send(request).await;
            if got.status != *want {
                failures.push(format!(
                    "{method} {path} as {role}: {} (wanted {want}) {}",
                    got.status, got.body
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Another office's staff see nothing of LAO's calendar, and changed nothing.
    let seen = app
        .get_as(&w.sfo.token, &format!("{APPOINTMENTS}?scope=all"))
        .await;
    assert!(ids(&seen.body).is_empty());
    let chens = app.get_as(&w.chen.token, APPOINTMENTS).await;
    assert_eq!(ids(&chens.body).len(), 2);
    assert_eq!(audit(app, "appointment_created").await.len(), 2);
    assert_eq!(audit(app, "appointment_updated").await.len(), 1);
    assert_eq!(audit(app, "appointment_cancelled").await.len(), 1);
}
