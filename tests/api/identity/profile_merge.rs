//! Profile merge: an employee's own (email) account merged into their Employee ID account, by
//! the employee (proving control with the other account's password) or by an admin. The dry
//! run lists what moves and changes nothing; the merge moves every kind (read back through the
//! target's own endpoints), closes the source and is audited; conflicts; refusals.

use reqwest::Method;
use serde_json::{Value, json};

use super::audit_events;
use crate::{
    alerts::{alert_messages, run_worker},
    applications::applied,
    postings::open,
    support::{PASSWORD, TestApp, TestResponse, TestUser, assert_problem},
};

const OWN: &str = "/api/v1/me/profile-merges";
const ADMIN: &str = "/api/v1/admin/profile-merges";

/// An app with an admin, a DMV employer with an open posting and an exam, an employee (the
/// target) and the same person's own applicant account (the source).
struct World {
    app: TestApp,
    admin: TestUser,
    employer: TestUser,
    employee: TestUser,
    applicant: TestUser,
    posting: String,
    exam: String,
}

async fn world() -> World {
    let app = TestApp::spawn().await;
    app.with_reference_data().await;
    let admin = app.admin().await;
    let employer = app.employer("Maria", "Lopez", "DMV").await;
    let posting = open(&app, &employer, json!({})).await;
    let exam = app
        .post_as(
            &employer.token,
            "/api/v1/exams",
            &json!({
                "classification_code": "5393",
                "title": "Associate Governmental Program Analyst (Training and Experience)",
                "description": "An online questionnaire about your analytical experience.",
                "list_duration_months": 24, "passing_score": 70, "retake_wait_days": 180,
                "questions": [{"text": "Years of analytical experience?", "options": [
                    {"text": "None", "points": 0}, {"text": "Two years", "points": 85}]}]
            }),
        )
        .await;
    exam.assert_status(201);
    let exam = exam.body["id"].as_str().unwrap().to_owned();
    let employee = app.employee("4001", "DMV").await;
    let applicant = app.applicant("dana@example.org").await;
    World {
        app,
        admin,
        employer,
        employee,
        applicant,
        posting,
        exam,
    }
}

/// Gives `user` one of every kind a merge moves: a profile, a default template, a document, a
/// passed exam (a result and an eligibility), a submitted application to `posting` (with its
/// résumé, and its receipt in the inbox), a saved search and a job alert.
async fn fill(w: &World, user: &TestUser) {
    let app = &w.app;
    let profile = app.get_as(&user.token, "/api/v1/me/profile").await;
    let etag = profile.header("etag").to_owned();
    let body = json!({
        "first_name": "Dana", "last_name": "Rivera", "email": "dana@example.org",
        "phone": "(916) 555-0100",
        "supervisors": [{"name": "Pat Lee"}],
        "conditions": {"tenures": ["permanent"], "time_bases": ["full_time"], "counties": ["sacramento"],
                       "departments": [], "shifts": ["day"], "accepts_contact": true}
    });
    app.send(
        app.request(Method::PUT, "/api/v1/me/profile")
            .bearer_auth(&user.token)
            .header("if-match", etag)
            .json(&body),
    )
    .await
    .assert_status(200);
    app.post_as(
        &user.token,
        "/api/v1/me/templates",
        &json!({"name": "Main", "is_default": true}),
    )
    .await
    .assert_status(201);
    app.post_as(
        &user.token,
        &format!("/api/v1/exams/{}/attempts", w.exam),
        &json!({"answers": [{"question_id": "q1", "option_id": "b"}]}),
    )
    .await
    .assert_status(201);
    applied(app, user, &w.posting).await;
    app.post_as(
        &user.token,
        "/api/v1/me/saved-searches",
        &json!({"name": "Sacramento", "criteria": {"county": ["sacramento"]}}),
    )
    .await
    .assert_status(201);
    app.post_as(
        &user.token,
        "/api/v1/me/alerts",
        &json!({"criteria": {"county": ["sacramento"]}, "channel": "in_app", "frequency": "instant"}),
    )
    .await
    .assert_status(201);
}

/// The ids of a `/me/...` list of `user`.
async fn ids(app: &TestApp, user: &TestUser, path: &str) -> Vec<String> {
    let response = app
        .get_as(&user.token, &format!("/api/v1/me/{path}?limit=100"))
        .await;
    response.assert_status(200);
    let items = response.body.get("items").unwrap_or(&response.body);
    items
        .as_array()
        .unwrap_or_else(|| panic!("{path} is a list: {}", response.body))
        .iter()
        .map(|i| {
            i.get("id")
                .or_else(|| i.get("classification_code"))
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned()
        })
        .collect()
}

const KINDS: [&str; 8] = [
    "templates",
    "documents",
    "exam-results",
    "eligibilities",
    "applications",
    "saved-searches",
    "alerts",
    "messages",
];

async fn holdings(app: &TestApp, user: &TestUser) -> Vec<Vec<String>> {
    let mut all = Vec::new();
    for kind in KINDS {
        all.push(ids(app, user, kind).await);
    }
    all
}

async fn own_merge(w: &World, password: &str, extra: Value) -> TestResponse {
    let mut body = json!({"source": {"login": "dana@example.org", "password": password}});
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    w.app.post_as(&w.employee.token, OWN, &body).await
}

async fn admin_merge(w: &World, source: &str, target: &str, extra: Value) -> TestResponse {
    let mut body = json!({"source_account_id": source, "target_account_id": target});
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    w.app.post_as(&w.admin.token, ADMIN, &body).await
}

fn count(response: &TestResponse, kind: &str) -> u64 {
    response.body["moves"][kind].as_u64().expect(kind)
}

fn conflicts_of<'a>(response: &'a TestResponse, kind: &str) -> Vec<&'a Value> {
    response.body["conflicts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["kind"] == kind)
        .collect()
}

#[actix_web::test]
async fn a_dry_run_lists_each_kind_with_its_count_and_changes_nothing() {
    let w = world().await;
    fill(&w, &w.applicant).await;
    let before_source = holdings(&w.app, &w.applicant).await;
    let before_target = holdings(&w.app, &w.employee).await;
    let messages = before_source[7].len() as u64;
    assert!(messages >= 1, "the submission's receipt is in the inbox");

    let plan = own_merge(&w, PASSWORD, json!({})).await;
    plan.assert_status(200);
    assert_eq!(plan.body["dry_run"], true, "a dry run is the default");
    assert_eq!(plan.body["merged"], false);
    assert_eq!(plan.body["can_proceed"], true);
    assert_eq!(plan.body["source_account_id"], w.applicant.id.as_str());
    assert_eq!(plan.body["target_account_id"], w.employee.id.as_str());
    for (kind, expected) in [
        ("templates", 1),
        ("documents", 1),
        ("exam_results", 1),
        ("eligibilities", 1),
        ("applications", 1),
        ("saved_searches", 1),
        ("job_alerts", 1),
        ("messages", messages),
    ] {
        assert_eq!(count(&plan, kind), expected, "{kind}");
    }
    // Names differ (the target's are the roster's): the target keeps them. The target has no
    // phone, supervisors or conditions: the source's fill the gaps.
    assert_eq!(
        plan.body["profile_fields"],
        json!(["phone", "supervisors", "conditions"])
    );
    let names = conflicts_of(&plan, "profile_field");
    assert!(names.iter().any(|c| c["field"] == "first_name"
        && c["resolution"] == "keep_target"
        && c["chosen"] == false));
    let items = plan.body["items"].as_array().unwrap();
    let template = items.iter().find(|i| i["kind"] == "template").unwrap();
    assert_eq!(template["id"], before_source[0][0].as_str());
    assert_eq!(template["name"], "Main");
    let application = items.iter().find(|i| i["kind"] == "application").unwrap();
    assert_eq!(application["posting_id"], w.posting.as_str());

    assert_eq!(holdings(&w.app, &w.applicant).await, before_source);
    assert_eq!(holdings(&w.app, &w.employee).await, before_target);
    w.app
        .sign_in("dana@example.org", PASSWORD)
        .await
        .assert_status(200);
    assert!(
        audit_events(&w.app, &w.admin, "kind=profile_merged")
            .await
            .is_empty()
    );
}

#[actix_web::test]
async fn a_merge_moves_every_kind_closes_the_source_and_is_audited() {
    let w = world().await;
    fill(&w, &w.applicant).await;
    let source = holdings(&w.app, &w.applicant).await;
    let target_before = holdings(&w.app, &w.employee).await;
    assert!(target_before.iter().all(Vec::is_empty));

    // The alert index is loaded (with the source as the alert's owner) before the merge.
    run_worker(&w.app).await;
    let merged = own_merge(&w, PASSWORD, json!({"dry_run": false})).await;
    merged.assert_status(200);
    assert_eq!(merged.body["merged"], true);
    assert_eq!(merged.body["dry_run"], false);

    // Everything is the target's now, read through its own endpoints.
    let target = holdings(&w.app, &w.employee).await;
    for (i, kind) in KINDS.iter().enumerate() {
        let mut expected = source[i].clone();
        let mut got = target[i].clone();
        expected.sort();
        got.sort();
        assert_eq!(got, expected, "{kind}");
    }
    let profile = w.app.get_as(&w.employee.token, "/api/v1/me/profile").await;
    profile.assert_status(200);
    assert_eq!(profile.body["phone"], "(916) 555-0100");
    assert_eq!(profile.body["supervisors"][0]["name"], "Pat Lee");
    assert_eq!(
        profile.body["first_name"], "Erin",
        "the target kept its name"
    );
    let templates = w
        .app
        .get_as(&w.employee.token, "/api/v1/me/templates")
        .await;
    assert_eq!(templates.body["items"][0]["is_default"], true);

    // The alert index learnt the alert's new owner: a new posting alerts the target.
    let fresh = open(
        &w.app,
        &w.employer,
        json!({"title": "Staff Services Analyst"}),
    )
    .await;
    run_worker(&w.app).await;
    let alerted = alert_messages(&w.app, &w.employee).await;
    assert_eq!(alerted.len(), 1, "the moved alert reached the target");
    assert_eq!(alerted[0]["posting_id"], fresh.as_str());

    // The source is closed: its sign-in is refused with the code, its token has ended.
    assert_problem(
        &w.app.sign_in("dana@example.org", PASSWORD).await,
        403,
        "account_merged",
    );
    assert_problem(
        &w.app.sign_in("dana@example.org", "Wrong.Guess1").await,
        401,
        "invalid_credentials",
    );
    assert_problem(
        &w.app.get_as(&w.applicant.token, "/api/v1/me").await,
        401,
        "session_ended",
    );
    let refreshed = w
        .app
        .post(
            "/api/v1/auth/refresh",
            &json!({"refresh_token": w.applicant.refresh_token}),
        )
        .await;
    assert_eq!(refreshed.status, 401);

    // Audited: who, the source, the target and what moved.
    let events = audit_events(&w.app, &w.admin, "kind=profile_merged").await;
    assert_eq!(events.len(), 1);
    let event = &events[0];
    assert_eq!(event["actor_account_id"], w.employee.id.as_str());
    assert_eq!(event["subject_account_id"], w.employee.id.as_str());
    let details = &event["details"];
    assert_eq!(details["source_account_id"], w.applicant.id.as_str());
    assert_eq!(details["via"], "self_service");
    assert_eq!(details["moved"]["template"], json!(source[0]));
    assert_eq!(details["moved"]["application"], json!(source[4]));
    let closed = audit_events(
        &w.app,
        &w.admin,
        &format!("kind=account_merged&account_id={}", w.applicant.id),
    )
    .await;
    assert_eq!(closed.len(), 1);
    assert_eq!(closed[0]["details"]["merged_into"], w.employee.id.as_str());

    // Once only, and the admin cannot re-open the closed account.
    assert_problem(
        &own_merge(&w, PASSWORD, json!({"dry_run": false})).await,
        409,
        "already_merged",
    );
    assert_problem(
        &admin_merge(&w, &w.applicant.id, &w.employee.id, json!({})).await,
        409,
        "already_merged",
    );
    let reopen = w
        .app
        .send_json_as(
            &w.admin.token,
            Method::PATCH,
            &format!("/api/v1/admin/accounts/{}", w.applicant.id),
            &json!({"disabled": false}),
        )
        .await;
    assert_problem(&reopen, 409, "already_merged");
    let account = w
        .app
        .get_as(
            &w.admin.token,
            &format!("/api/v1/admin/accounts/{}", w.applicant.id),
        )
        .await;
    assert_eq!(account.body["disabled"], true);
    assert_eq!(account.body["merged_into"], w.employee.id.as_str());
}

#[actix_web::test]
async fn both_applied_to_one_posting_blocks_until_a_choice_says_which_survives() {
    let w = world().await;
    let theirs = applied(&w.app, &w.applicant, &w.posting).await;
    let mine = applied(&w.app, &w.employee, &w.posting).await;

    let plan = own_merge(&w, PASSWORD, json!({})).await;
    plan.assert_status(200);
    assert_eq!(plan.body["can_proceed"], false);
    let clash = conflicts_of(&plan, "same_posting");
    assert_eq!(clash.len(), 1);
    assert_eq!(clash[0]["posting_id"], w.posting.as_str());
    assert_eq!(clash[0]["source_id"], theirs.as_str());
    assert_eq!(clash[0]["target_id"], mine.as_str());
    assert_eq!(clash[0]["resolution"], "choice_required");

    let blocked = own_merge(&w, PASSWORD, json!({"dry_run": false})).await;
    assert_problem(&blocked, 409, "merge_blocked");
    assert_eq!(
        ids(&w.app, &w.employee, "applications").await,
        [mine.as_str()]
    );

    // A choice for a posting that is no conflict is refused.
    let stray = own_merge(
        &w,
        PASSWORD,
        json!({"choices": {"applications": [{"posting_id": "0192f0c4-5b7e-7d1a-9c3e-2f4a6b8c0d1e", "keep": "source"}]}}),
    )
    .await;
    assert_problem(&stray, 422, "validation_failed");
    assert_eq!(
        stray.body["errors"][0]["field"],
        "choices.applications[0].posting_id"
    );
    assert_eq!(stray.body["errors"][0]["code"], "not_a_conflict");

    let chosen = json!({"dry_run": false, "choices": {"applications": [{"posting_id": w.posting, "keep": "source"}]}});
    let merged = own_merge(&w, PASSWORD, chosen).await;
    merged.assert_status(200);
    assert_eq!(
        conflicts_of(&merged, "same_posting")[0]["resolution"],
        "keep_source"
    );
    // The source's application survives on the target; the target's own went to the closed
    // account, withdrawn, and the department sees that.
    assert_eq!(
        ids(&w.app, &w.employee, "applications").await,
        [theirs.as_str()]
    );
    let old = w
        .app
        .get_as(&w.employer.token, &format!("/api/v1/applications/{mine}"))
        .await;
    old.assert_status(200);
    assert_eq!(old.body["status"], "withdrawn");
    let kept = w
        .app
        .get_as(&w.employer.token, &format!("/api/v1/applications/{theirs}"))
        .await;
    assert_eq!(kept.body["status"], "received");
}

#[actix_web::test]
async fn profile_field_choices_are_honoured_and_clashing_names_are_renamed() {
    let w = world().await;
    fill(&w, &w.applicant).await;
    for user in [&w.employee] {
        w.app
            .post_as(
                &user.token,
                "/api/v1/me/saved-searches",
                &json!({"name": "Sacramento", "criteria": {"county": ["fresno"]}}),
            )
            .await
            .assert_status(201);
        w.app
            .post_as(
                &user.token,
                "/api/v1/me/templates",
                &json!({"name": "MAIN", "is_default": true}),
            )
            .await
            .assert_status(201);
    }
    let choices = json!({"profile": {"first_name": "source", "phone": "target"}});
    let plan = own_merge(&w, PASSWORD, json!({"choices": choices})).await;
    plan.assert_status(200);
    let search = conflicts_of(&plan, "saved_search_name");
    assert_eq!(search[0]["new_name"], "Sacramento (merged)");
    assert_eq!(search[0]["resolution"], "rename");
    assert_eq!(
        conflicts_of(&plan, "template_name")[0]["new_name"],
        "Main (merged)"
    );
    assert_eq!(
        conflicts_of(&plan, "default_template")[0]["resolution"],
        "keep_target"
    );
    let first = conflicts_of(&plan, "profile_field")
        .into_iter()
        .find(|c| c["field"] == "first_name")
        .unwrap();
    assert_eq!(first["resolution"], "keep_source");
    assert_eq!(first["chosen"], true);

    let merged = own_merge(&w, PASSWORD, json!({"dry_run": false, "choices": choices})).await;
    merged.assert_status(200);
    let profile = w.app.get_as(&w.employee.token, "/api/v1/me/profile").await;
    assert_eq!(profile.body["first_name"], "Dana", "chosen: the source's");
    assert_eq!(
        profile.body["last_name"], "Employee",
        "not chosen: the target's"
    );
    assert_eq!(
        profile.body["phone"],
        Value::Null,
        "chosen: the target's (none), although by default the source's would fill the gap"
    );
    assert_eq!(
        profile.body["supervisors"][0]["name"], "Pat Lee",
        "not chosen: filled"
    );
    let searches = w
        .app
        .get_as(&w.employee.token, "/api/v1/me/saved-searches")
        .await;
    let mut names: Vec<&str> = searches.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    names.sort_unstable();
    assert_eq!(names, ["Sacramento", "Sacramento (merged)"]);
    let templates = w
        .app
        .get_as(&w.employee.token, "/api/v1/me/templates")
        .await;
    let defaults: Vec<&str> = templates.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["is_default"] == true)
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(defaults, ["MAIN"], "one default: the target's");
}

#[actix_web::test]
async fn a_wrong_password_is_refused_like_a_sign_in_and_counted_against_the_other_account() {
    let w = world().await;
    let wrong = own_merge(&w, "Wrong.Guess1", json!({"dry_run": false})).await;
    assert_problem(&wrong, 422, "validation_failed");
    assert_eq!(wrong.body["errors"][0]["field"], "source.password");
    assert_eq!(wrong.body["errors"][0]["code"], "incorrect_password");
    let unknown = w
        .app
        .post_as(
            &w.employee.token,
            OWN,
            &json!({"source": {"login": "nobody@example.org", "password": PASSWORD}}),
        )
        .await;
    assert_eq!(unknown.status, 422, "the same answer for an unknown name");
    assert_eq!(unknown.body["errors"], wrong.body["errors"]);
    let failures = audit_events(
        &w.app,
        &w.admin,
        &format!("kind=merge_proof_failed&account_id={}", w.applicant.id),
    )
    .await;
    assert_eq!(failures.len(), 1);
    assert_eq!(failures[0]["details"]["failures"], 1);
    w.app
        .sign_in("dana@example.org", PASSWORD)
        .await
        .assert_status(200);
    assert!(
        audit_events(&w.app, &w.admin, "kind=profile_merged")
            .await
            .is_empty()
    );
}

#[actix_web::test]
async fn refusals_name_what_is_wrong() {
    let w = world().await;
    let staff = w.app.staff("Lao", "Chen", "LAO").await;
    let other = w.app.applicant("other@example.org").await;

    // Self-merge, a target that is no employee, a source that is staff or an employee.
    let same = admin_merge(&w, &w.employee.id, &w.employee.id, json!({})).await;
    assert_problem(&same, 409, "merge_into_itself");
    let not_employee = admin_merge(&w, &w.applicant.id, &other.id, json!({})).await;
    assert_problem(&not_employee, 409, "merge_target_not_employee");
    let privileged = admin_merge(&w, &staff.id, &w.employee.id, json!({})).await;
    assert_problem(&privileged, 409, "merge_source_not_external");
    let second = w.app.employee("4002", "DMV").await;
    let internal = admin_merge(&w, &second.id, &w.employee.id, json!({})).await;
    assert_problem(&internal, 409, "merge_source_not_external");
    let unknown = admin_merge(
        &w,
        "0192f0c4-5b7e-7d1a-9c3e-2f4a6b8c0d1e",
        &w.employee.id,
        json!({}),
    )
    .await;
    assert_problem(&unknown, 422, "validation_failed");
    assert_eq!(unknown.body["errors"][0]["field"], "source_account_id");
    assert_eq!(unknown.body["errors"][0]["code"], "unknown_account");
    let malformed = admin_merge(&w, "dana", &w.employee.id, json!({})).await;
    assert_eq!(malformed.body["errors"][0]["code"], "invalid_id");

    // The admin path is for admins; the own path for employees.
    let body = json!({"source_account_id": w.applicant.id, "target_account_id": w.employee.id});
    assert_problem(
        &w.app.post_as(&w.employee.token, ADMIN, &body).await,
        403,
        "forbidden",
    );
    let own = json!({"source": {"login": "other@example.org", "password": PASSWORD}});
    assert_problem(
        &w.app.post_as(&w.applicant.token, OWN, &own).await,
        403,
        "forbidden",
    );

    // The admin path merges, audited with the admin as actor.
    let merged = admin_merge(
        &w,
        &w.applicant.id,
        &w.employee.id,
        json!({"dry_run": false}),
    )
    .await;
    merged.assert_status(200);
    let events = audit_events(&w.app, &w.admin, "kind=profile_merged").await;
    assert_eq!(events[0]["actor_account_id"], w.admin.id.as_str());
    assert_eq!(events[0]["details"]["via"], "admin");
    assert_problem(
        &w.app.sign_in("dana@example.org", PASSWORD).await,
        403,
        "account_merged",
    );
}

const CODES: &str = "/api/v1/me/profile-merge-codes";

/// Asks for a merge code for `login` as `user`; checks the answer is 202.
async fn ask_code(app: &TestApp, user: &TestUser, login: &str) {
    let asked = app
        .post_as(&user.token, CODES, &json!({"login": login}))
        .await;
    asked.assert_status(202);
    assert!(asked.body["expires_at"].is_string(), "{}", asked.text);
}

/// The code in the newest merge-code email to `address`.
async fn code_sent_to(app: &TestApp, address: &str) -> String {
    let mails = app.mail_to(address).await;
    let mail = mails
        .iter()
        .rev()
        .find(|m| m.subject.contains("merge accounts"))
        .unwrap_or_else(|| panic!("no merge code to {address}: {mails:#?}"));
    let start = mail.text.find("Your code: ").unwrap() + "Your code: ".len();
    mail.text[start..start + 6].to_owned()
}

async fn merge_with_code(w: &World, user: &TestUser, code: &str, dry_run: bool) -> TestResponse {
    w.app
        .post_as(
            &user.token,
            OWN,
            &json!({"source": {"login": "dana@example.org", "code": code}, "dry_run": dry_run}),
        )
        .await
}

#[track_caller]
fn assert_incorrect_code(response: &TestResponse) {
    assert_problem(response, 422, "validation_failed");
    assert_eq!(response.body["errors"][0]["field"], "source.code");
    assert_eq!(response.body["errors"][0]["code"], "incorrect_code");
}

#[actix_web::test]
async fn an_emailed_code_proves_the_other_account_once() {
    let w = world().await;
    ask_code(&w.app, &w.employee, "dana@example.org").await;
    let code = code_sent_to(&w.app, "dana@example.org").await;
    assert!(code.chars().all(|c| c.is_ascii_digit()), "{code}");
    // Only a hash is stored.
    let stored: Vec<String> = w
        .app
        .db
        .read(|conn| {
            use diesel::prelude::*;
            use merit_persistence::schema::merge_codes;
            Ok(merge_codes::table
                .select(merge_codes::code_hash)
                .load::<String>(conn)
                .map_err(merit_persistence::RepoError::from)?)
        })
        .await
        .unwrap();
    assert_eq!(stored.len(), 1);
    assert!(!stored[0].contains(&code));

    // A dry run accepts it and leaves it usable; the merge uses it.
    let dry = merge_with_code(&w, &w.employee, &code, true).await;
    dry.assert_status(200);
    let merged = merge_with_code(&w, &w.employee, &code, false).await;
    merged.assert_status(200);
    assert_eq!(merged.body["dry_run"], false, "{}", merged.text);
    assert_problem(
        &w.app.sign_in("dana@example.org", PASSWORD).await,
        403,
        "account_merged",
    );
    // Used once: the same code again is refused.
    assert_incorrect_code(&merge_with_code(&w, &w.employee, &code, true).await);
    assert_eq!(
        audit_events(&w.app, &w.admin, "kind=merge_code_sent")
            .await
            .len(),
        1
    );
}

#[actix_web::test]
async fn wrong_expired_and_someone_elses_codes_are_refused() {
    let w = world().await;
    // No code asked for yet.
    assert_incorrect_code(&merge_with_code(&w, &w.employee, "123456", true).await);

    ask_code(&w.app, &w.employee, "dana@example.org").await;
    let code = code_sent_to(&w.app, "dana@example.org").await;
    let wrong = if code == "000000" { "000001" } else { "000000" };
    assert_incorrect_code(&merge_with_code(&w, &w.employee, wrong, true).await);

    // Another employee cannot use the code sent at this employee's request.
    let other = w.app.employee("4002", "DMV").await;
    assert_incorrect_code(&merge_with_code(&w, &other, &code, true).await);
    // Nor can it be used for another account.
    let elsewhere = w.app.applicant("eve@example.org").await;
    let foreign = w
        .app
        .post_as(
            &w.employee.token,
            OWN,
            &json!({"source": {"login": "eve@example.org", "code": code}}),
        )
        .await;
    assert_incorrect_code(&foreign);
    drop(elsewhere);

    // The right one still works after a wrong try...
    merge_with_code(&w, &w.employee, &code, true)
        .await
        .assert_status(200);
    // ...but not once expired.
    w.app.clock.advance(chrono::Duration::minutes(16));
    let later = w.app.signed_in(&w.employee.login, PASSWORD).await;
    assert_incorrect_code(&merge_with_code(&w, &later, &code, true).await);
    let admin = w.app.signed_in(&w.admin.login, &w.admin.password).await;
    let failures = audit_events(
        &w.app,
        &admin,
        &format!("kind=merge_proof_failed&account_id={}", w.applicant.id),
    )
    .await;
    assert_eq!(failures.len(), 1, "the one wrong try of the live code");
    assert_eq!(failures[0]["details"]["proof"], "code");
}

#[actix_web::test]
async fn a_code_dies_after_five_wrong_tries_and_a_new_one_ends_the_old() {
    let w = world().await;
    ask_code(&w.app, &w.employee, "dana@example.org").await;
    let first = code_sent_to(&w.app, "dana@example.org").await;
    ask_code(&w.app, &w.employee, "dana@example.org").await;
    let second = code_sent_to(&w.app, "dana@example.org").await;
    if first != second {
        assert_incorrect_code(&merge_with_code(&w, &w.employee, &first, true).await);
    }
    let wrong = if second == "999999" {
        "999998"
    } else {
        "999999"
    };
    for _ in 0..5 {
        assert_incorrect_code(&merge_with_code(&w, &w.employee, wrong, true).await);
    }
    assert_incorrect_code(&merge_with_code(&w, &w.employee, &second, true).await);
}

#[actix_web::test]
async fn codes_go_only_to_a_verified_address_and_are_limited_per_hour() {
    let w = world().await;
    // An unknown name and an unverified account get the same answer, and no email.
    ask_code(&w.app, &w.employee, "nobody@example.org").await;
    w.app
        .register("unverified@example.org")
        .await
        .assert_status(202);
    let before = w.app.mail_to("unverified@example.org").await.len();
    ask_code(&w.app, &w.employee, "unverified@example.org").await;
    assert_eq!(w.app.mail_to("unverified@example.org").await.len(), before);
    // Only employees may ask.
    let refused = w
        .app
        .post_as(
            &w.applicant.token,
            CODES,
            &json!({"login": "dana@example.org"}),
        )
        .await;
    assert_problem(&refused, 403, "forbidden");
    // Five codes an hour.
    for _ in 0..5 {
        ask_code(&w.app, &w.employee, "dana@example.org").await;
    }
    let limited = w
        .app
        .post_as(
            &w.employee.token,
            CODES,
            &json!({"login": "dana@example.org"}),
        )
        .await;
    assert_eq!(limited.status, 429, "{}", limited.text);
    // Password and code together are not a proof.
    let both = w
        .app
        .post_as(
            &w.employee.token,
            OWN,
            &json!({"source": {"login": "dana@example.org", "password": PASSWORD, "code": "123456"}}),
        )
        .await;
    assert_eq!(both.status, 422, "{}", both.text);
}
