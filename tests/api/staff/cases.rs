//! Opening, listing, reading, assigning and closing cases; quick search.

use serde_json::json;

use super::{audit, case_for, ids, open_employer, open_individual, world};
use crate::support::assert_problem;

#[actix_web::test]
async fn a_staff_member_opens_a_case_for_a_job_seeker_and_it_is_in_their_case_load() {
    let w = world().await;
    let app = &w.app;
    let response = open_individual(app, &w.chen, &w.ana.id).await;
    response.assert_status(201);
    let id = response.body["id"].as_str().unwrap().to_owned();
    assert_eq!(
        response.header("location"),
        format!("/api/v1/staff/cases/{id}")
    );
    let body = &response.body;
    assert_eq!(body["kind"], "individual");
    assert_eq!(body["office_code"], "LAO");
    assert_eq!(body["status"], "active");
    assert_eq!(body["person"]["id"], w.ana.id.as_str());
    assert_eq!(body["person"]["email"], "ana@example.org");
    assert_eq!(body["assigned_staff"]["id"], w.chen.id.as_str());
    assert_eq!(body["assigned_staff"]["last_name"], "Chen");
    assert!(body["closed_at"].is_null());

    let mine = app.get_as(&w.chen.token, "/api/v1/staff/cases").await;
    mine.assert_status(200);
    assert_eq!(ids(&mine.body), vec![id.clone()]);
    // Lee's case load is empty by default, but the office's list has it.
    let theirs = app.get_as(&w.lee.token, "/api/v1/staff/cases").await;
    assert!(ids(&theirs.body).is_empty());
    let office = app
        .get_as(&w.lee.token, "/api/v1/staff/cases?scope=all")
        .await;
    assert_eq!(ids(&office.body), vec![id.clone()]);
    let read = app
        .get_as(&w.lee.token, &format!("/api/v1/staff/cases/{id}"))
        .await;
    read.assert_status(200);
    assert_eq!(read.body["id"], id.as_str());

    let events = audit(app, "case_opened").await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["actor_account_id"], w.chen.id.as_str());
    assert_eq!(events[0]["subject_account_id"], w.ana.id.as_str());
    assert_eq!(events[0]["details"]["case_id"], id.as_str());
}

#[actix_web::test]
async fn one_open_case_per_person_and_office() {
    let w = world().await;
    let app = &w.app;
    let id = case_for(app, &w.chen, &w.ana.id).await;
    let again = open_individual(app, &w.lee, &w.ana.id).await;
    assert_problem(&again, 409, "case_already_open");
    // Another office may open its own.
    open_individual(app, &w.sfo, &w.ana.id)
        .await
        .assert_status(201);
    // Once closed, a new case may be opened.
    app.post_as(
        &w.chen.token,
        &format!("/api/v1/staff/cases/{id}/status"),
        &json!({"status": "closed", "reason": "employed"}),
    )
    .await
    .assert_status(200);
    open_individual(app, &w.lee, &w.ana.id)
        .await
        .assert_status(201);
}

#[actix_web::test]
async fn bad_bodies_are_refused_field_by_field_and_nothing_is_stored() {
    let w = world().await;
    let app = &w.app;
    let cases = "/api/v1/staff/cases";
    let missing = app
        .post_as(&w.chen.token, cases, &json!({"kind": "individual"}))
        .await;
    assert_problem(&missing, 422, "validation_failed");
    assert_eq!(missing.body["errors"][0]["field"], "person_id");
    let employer = app
        .post_as(&w.chen.token, cases, &json!({"kind": "employer", "person_id": w.ana.id, "employer": {"name": " ", "contact_email": "nope", "contact_phone": "12"}}))
        .await;
    assert_problem(&employer, 422, "validation_failed");
    let fields: Vec<&str> = employer.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    for field in [
        "person_id",
        "employer.name",
        "employer.contact_email",
        "employer.contact_phone",
    ] {
        assert!(fields.contains(&field), "{field} in {fields:?}");
    }
    // A staff member, or an account that is not a job seeker, is not a person to open a case for.
    let staff = open_individual(app, &w.chen, &w.lee.id).await;
    assert_problem(&staff, 422, "validation_failed");
    assert_eq!(staff.body["errors"][0]["code"], "unknown_person");
    let colleague = app
        .post_as(
            &w.chen.token,
            cases,
            &json!({"kind": "individual", "person_id": w.ana.id, "assigned_staff_id": w.sfo.id}),
        )
        .await;
    assert_problem(&colleague, 422, "validation_failed");
    assert_eq!(colleague.body["errors"][0]["code"], "unknown_staff");
    let all = app
        .get_as(&w.chen.token, "/api/v1/staff/cases?scope=all")
        .await;
    assert!(ids(&all.body).is_empty());
}

#[actix_web::test]
async fn cases_are_reassigned_within_the_office_only() {
    let w = world().await;
    let app = &w.app;
    let id = case_for(app, &w.chen, &w.ana.id).await;
    let path = format!("/api/v1/staff/cases/{id}/assignment");
    let moved = app
        .post_as(
            &w.chen.token,
            &path,
            &json!({"assigned_staff_id": w.lee.id}),
        )
        .await;
    moved.assert_status(200);
    assert_eq!(moved.body["assigned_staff"]["id"], w.lee.id.as_str());
    let lees = app.get_as(&w.lee.token, "/api/v1/staff/cases").await;
    assert_eq!(ids(&lees.body), vec![id.clone()]);
    let by_filter = app
        .get_as(
            &w.chen.token,
            &format!("/api/v1/staff/cases?assigned_staff_id={}", w.lee.id),
        )
        .await;
    assert_eq!(ids(&by_filter.body), vec![id.clone()]);
    let elsewhere = app
        .post_as(
            &w.chen.token,
            &path,
            &json!({"assigned_staff_id": w.sfo.id}),
        )
        .await;
    assert_problem(&elsewhere, 422, "validation_failed");
    assert_eq!(elsewhere.body["errors"][0]["code"], "unknown_staff");
    let events = audit(app, "case_assigned").await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["details"]["from"], w.chen.id.as_str());
    assert_eq!(events[0]["details"]["to"], w.lee.id.as_str());
}

#[actix_web::test]
async fn status_moves_closing_needs_a_reason_and_closed_is_final() {
    let w = world().await;
    let app = &w.app;
    let id = case_for(app, &w.chen, &w.ana.id).await;
    let path = format!("/api/v1/staff/cases/{id}/status");
    let inactive = app
        .post_as(&w.chen.token, &path, &json!({"status": "inactive"}))
        .await;
    inactive.assert_status(200);
    assert_eq!(inactive.body["status"], "inactive");
    let no_reason = app
        .post_as(&w.chen.token, &path, &json!({"status": "closed"}))
        .await;
    assert_problem(&no_reason, 422, "validation_failed");
    assert_eq!(no_reason.body["errors"][0]["code"], "reason_required");
    let stray = app
        .post_as(
            &w.chen.token,
            &path,
            &json!({"status": "active", "reason": "other"}),
        )
        .await;
    assert_eq!(stray.body["errors"][0]["code"], "reason_not_allowed");
    let bad_reason = app
        .post_as(
            &w.chen.token,
            &path,
            &json!({"status": "closed", "reason": "bored"}),
        )
        .await;
    assert_problem(&bad_reason, 422, "validation_failed");
    let closed = app
        .post_as(
            &w.chen.token,
            &path,
            &json!({"status": "closed", "reason": "moved_away"}),
        )
        .await;
    closed.assert_status(200);
    assert_eq!(closed.body["status"], "closed");
    assert_eq!(closed.body["close_reason"], "moved_away");
    assert!(closed.body["closed_at"].is_string());
    let reopen = app
        .post_as(&w.chen.token, &path, &json!({"status": "active"}))
        .await;
    assert_problem(&reopen, 409, "case_closed");
    let assign = app
        .post_as(
            &w.chen.token,
            &format!("/api/v1/staff/cases/{id}/assignment"),
            &json!({"assigned_staff_id": w.lee.id}),
        )
        .await;
    assert_problem(&assign, 409, "case_closed");
    let closed_only = app
        .get_as(&w.chen.token, "/api/v1/staff/cases?status=closed")
        .await;
    assert_eq!(ids(&closed_only.body), vec![id.clone()]);
    let active_only = app
        .get_as(&w.chen.token, "/api/v1/staff/cases?status=active")
        .await;
    assert!(ids(&active_only.body).is_empty());
    let events = audit(app, "case_status_changed").await;
    assert_eq!(events.len(), 2);
}

#[actix_web::test]
async fn the_case_list_pages_without_gaps() {
    let w = world().await;
    let app = &w.app;
    let mut opened = Vec::new();
    for i in 0..5 {
        let response = open_employer(app, &w.chen, json!({"name": format!("Employer {i}")})).await;
        response.assert_status(201);
        opened.push(response.body["id"].as_str().unwrap().to_owned());
    }
    let mut seen = Vec::new();
    let mut path = "/api/v1/staff/cases?limit=2".to_owned();
    loop {
        let page = app.get_as(&w.chen.token, &path).await;
        page.assert_status(200);
        seen.extend(ids(&page.body));
        match page.body["next_cursor"].as_str() {
            Some(cursor) => path = format!("/api/v1/staff/cases?limit=2&cursor={cursor}"),
            None => break,
        }
    }
    opened.reverse();
    assert_eq!(seen, opened);
    let foreign = app
        .get_as(&w.chen.token, "/api/v1/staff/cases?cursor=Zm9vCmJhcg")
        .await;
    assert_problem(&foreign, 400, "invalid_cursor");
    let kind = app
        .get_as(&w.chen.token, "/api/v1/staff/cases?kind=individual")
        .await;
    assert!(ids(&kind.body).is_empty());
}

#[actix_web::test]
async fn quick_search_finds_the_offices_people_and_anyone_by_exact_email() {
    let w = world().await;
    let app = &w.app;
    let case = case_for(app, &w.chen, &w.ana.id).await;
    let search = |q: &str| format!("/api/v1/staff/quick-search/individuals?q={q}");
    // Part of an email of someone with a case in the office.
    let found = app.get_as(&w.lee.token, &search("ana%40exam")).await;
    found.assert_status(200);
    assert_eq!(ids(&found.body), vec![w.ana.id.clone()]);
    assert_eq!(found.body["items"][0]["cases"][0]["id"], case.as_str());
    // Ben has no case here: part of his address finds nothing, his exact address finds him.
    let partial = app.get_as(&w.lee.token, &search("ben%40exam")).await;
    assert!(ids(&partial.body).is_empty());
    let exact = app.get_as(&w.lee.token, &search("BEN%40example.org")).await;
    assert_eq!(ids(&exact.body), vec![w.ben.id.clone()]);
    assert_eq!(exact.body["items"][0]["cases"], json!([]));
    // Another office does not see Ana's case.
    let other = app.get_as(&w.sfo.token, &search("ana%40exam")).await;
    assert!(ids(&other.body).is_empty());
    // Names match too; wildcards are plain characters.
    let name = app.get_as(&w.chen.token, &search("jane%20appl")).await;
    assert_eq!(ids(&name.body), vec![w.ana.id.clone()]);
    let wildcard = app.get_as(&w.chen.token, &search("%25")).await;
    assert!(ids(&wildcard.body).is_empty());
    let blank = app.get_as(&w.chen.token, &search("%20")).await;
    assert_problem(&blank, 422, "validation_failed");
    // An admin searches every office.
    let admin = app.admin().await;
    let all = app.get_as(&admin.token, &search("ana%40exam")).await;
    assert_eq!(ids(&all.body), vec![w.ana.id.clone()]);
}

#[actix_web::test]
async fn quick_search_finds_employers_by_name_contact_and_phone_in_the_office() {
    let w = world().await;
    let app = &w.app;
    let response = open_employer(
        app,
        &w.chen,
        json!({"name": "Harbor Freight Logistics", "contact_name": "Rosa Diaz",
               "contact_email": "rosa@harbor.example", "contact_phone": "(213) 555-0142"}),
    )
    .await;
    response.assert_status(201);
    assert_eq!(
        response.body["employer"]["name"],
        "Harbor Freight Logistics"
    );
    let id = response.body["id"].as_str().unwrap().to_owned();
    let duplicate = open_employer(app, &w.lee, json!({"name": "harbor freight logistics"})).await;
    assert_problem(&duplicate, 409, "case_already_open");
    let search = |q: &str| format!("/api/v1/staff/quick-search/employers?q={q}");
    for q in [
        "freight",
        "rosa%20d",
        "harbor.example",
        "555-0142",
        "2135550142",
    ] {
        let found = app.get_as(&w.lee.token, &search(q)).await;
        found.assert_status(200);
        assert_eq!(ids(&found.body), vec![id.clone()], "{q}");
    }
    let other = app.get_as(&w.sfo.token, &search("freight")).await;
    assert!(ids(&other.body).is_empty());
}

#[actix_web::test]
async fn an_admin_opens_a_case_in_the_named_staff_members_office() {
    let w = world().await;
    let app = &w.app;
    let admin = app.admin().await;
    let cases = "/api/v1/staff/cases";
    let unnamed = app
        .post_as(
            &admin.token,
            cases,
            &json!({"kind": "individual", "person_id": w.ana.id}),
        )
        .await;
    assert_problem(&unnamed, 422, "validation_failed");
    assert_eq!(unnamed.body["errors"][0]["field"], "assigned_staff_id");
    let opened = app
        .post_as(
            &admin.token,
            cases,
            &json!({"kind": "individual", "person_id": w.ana.id, "assigned_staff_id": w.sfo.id}),
        )
        .await;
    opened.assert_status(201);
    assert_eq!(opened.body["office_code"], "SFO");
    let sfo = app.get_as(&w.sfo.token, cases).await;
    assert_eq!(sfo.body["items"].as_array().unwrap().len(), 1);
}

#[actix_web::test]
async fn quick_search_finds_job_seekers_by_the_digits_of_their_profile_phone() {
    let w = world().await;
    let app = &w.app;
    let profile = app.get_as(&w.ana.token, "/api/v1/me/profile").await;
    profile.assert_status(200);
    let etag = profile.header("etag").to_owned();
    let body = json!({"first_name": "Ana", "last_name": "Reyes", "email": "ana@example.org", "phone": "(916) 555-0100"});
    let saved = app
        .send(
            app.request(reqwest::Method::PUT, "/api/v1/me/profile")
                .bearer_auth(&w.ana.token)
                .header("If-Match", etag)
                .json(&body),
        )
        .await;
    saved.assert_status(200);
    case_for(app, &w.chen, &w.ana.id).await;
    let search = |q: &str| format!("/api/v1/staff/quick-search/individuals?q={q}");
    for q in ["9165550100", "555-0100", "916.555", "ana%20reyes"] {
        let found = app.get_as(&w.lee.token, &search(q)).await;
        found.assert_status(200);
        assert_eq!(ids(&found.body), vec![w.ana.id.clone()], "{q}");
        assert_eq!(found.body["items"][0]["phone"], "(916) 555-0100");
    }
    // Three digits are not a phone number; nobody's name holds them.
    let short = app.get_as(&w.lee.token, &search("916")).await;
    assert!(ids(&short.body).is_empty());
}

#[actix_web::test]
async fn a_change_made_since_the_case_was_read_is_refused_with_if_match() {
    let w = world().await;
    let app = &w.app;
    let id = case_for(app, &w.chen, &w.ana.id).await;
    let path = format!("/api/v1/staff/cases/{id}");
    let read = app.get_as(&w.chen.token, &path).await;
    read.assert_status(200);
    let etag = read.header("etag").to_owned();
    assert_eq!(etag, format!("\"{}\"", read.body["version"]));
    let unchanged = app
        .send(
            app.request(reqwest::Method::GET, &path)
                .bearer_auth(&w.chen.token)
                .header("If-None-Match", &etag),
        )
        .await;
    unchanged.assert_status(304);
    // Lee makes the case inactive with the current version...
    let moved = app
        .send(
            app.request(reqwest::Method::POST, &format!("{path}/status"))
                .bearer_auth(&w.lee.token)
                .header("If-Match", &etag)
                .json(&json!({"status": "inactive"})),
        )
        .await;
    moved.assert_status(200);
    assert_ne!(moved.header("etag"), etag);
    // ...so Chen's reassignment from the old read is refused and changes nothing.
    let stale = app
        .send(
            app.request(reqwest::Method::POST, &format!("{path}/assignment"))
                .bearer_auth(&w.chen.token)
                .header("If-Match", &etag)
                .json(&json!({"assigned_staff_id": w.lee.id})),
        )
        .await;
    assert_problem(&stale, 412, "precondition_failed");
    let now = app.get_as(&w.chen.token, &path).await;
    assert_eq!(now.body["assigned_staff"]["id"], w.chen.id.as_str());
    assert_eq!(now.body["status"], "inactive");
}
