//! `respond_by` across a weekend and a state holiday, answers before and after it, the
//! filing-date rule, and waivers of appointment (the third ends certification).

use serde_json::{Value, json};

use super::{again, answer, at, eligible, letters, mine, send, state_of, welcoming, world};
use crate::{applications::applied, postings::open, support::assert_problem};

#[actix_web::test]
async fn respond_by_counts_six_business_days_past_a_weekend_and_cesar_chavez_day() {
    let w = world().await;
    let app = &w.app;
    eligible(&w, "any", 100, welcoming()).await;
    // Friday 27 March 2026, 10:00 in California (PDT): Mon 30, (Tue 31 is Cesar Chavez Day),
    // Wed 1, Thu 2, Fri 3, Mon 6, Tue 7 April; due at the end of Tuesday, Pacific time.
    app.clock.set(at("2026-03-27T17:00:00Z"));
    let employer = again(app, &w.employer).await;
    let sent = send(app, &employer, &w.posting, json!({})).await;
    sent.assert_status(200);
    assert_eq!(sent.body["respond_by"], "2026-04-08T07:00:00Z");
    assert_eq!(
        letters(app, &employer, &w.posting).await[0]["respond_by"],
        "2026-04-08T07:00:00Z"
    );
}

#[actix_web::test]
async fn silence_counts_only_after_respond_by_and_never_for_someone_who_applied() {
    let w = world().await;
    let app = &w.app;
    let yes = eligible(&w, "yes", 100, welcoming()).await;
    let no = eligible(&w, "no", 95, welcoming()).await;
    let silent = eligible(&w, "silent", 90, welcoming()).await;
    let applicant = eligible(&w, "applicant", 85, welcoming()).await;
    // Monday 2 March 2026, 01:30 in California: due at the end of Tuesday 10 March (PDT).
    let sent = send(app, &w.employer, &w.posting, json!({})).await;
    assert_eq!(sent.body["respond_by"], "2026-03-11T07:00:00Z");
    let letter_of = |person: &str, all: &[Value]| {
        all.iter()
            .find(|l| l["account_id"] == person)
            .map(|l| l["id"].as_str().unwrap().to_owned())
            .unwrap()
    };
    let all = letters(app, &w.employer, &w.posting).await;

    let answered = answer(app, &yes, &letter_of(&yes.id, &all), "interested").await;
    answered.assert_status(200);
    assert_eq!(answered.body["state"], "interested");
    assert_eq!(answered.body["answer"], "interested");
    answer(app, &no, &letter_of(&no.id, &all), "not_interested")
        .await
        .assert_status(200);
    applied(app, &applicant, &w.posting).await;

    // One microsecond before respond_by: silence is still just "sent".
    app.clock.set(at("2026-03-11T06:59:59.999999Z"));
    let employer = again(app, &w.employer).await;
    let before = letters(app, &employer, &w.posting).await;
    assert_eq!(state_of(&before, &silent.id), "sent");
    assert_eq!(state_of(&before, &applicant.id), "applied");

    // From respond_by on: no reply, except for the person who applied.
    app.clock.set(at("2026-03-11T07:00:00Z"));
    let employer = again(app, &employer).await;
    let after = letters(app, &employer, &w.posting).await;
    assert_eq!(state_of(&after, &yes.id), "interested");
    assert_eq!(state_of(&after, &no.id), "not_interested");
    assert_eq!(state_of(&after, &silent.id), "no_reply");
    assert_eq!(state_of(&after, &applicant.id), "applied");

    // A late "interested" is refused and changes nothing; withdrawing interest is still taken.
    let silent = again(app, &silent).await;
    let late = answer(app, &silent, &letter_of(&silent.id, &all), "interested").await;
    assert_problem(&late, 409, "response_closed");
    assert_eq!(mine(app, &silent).await[0]["state"], "no_reply");
    let yes = again(app, &yes).await;
    let withdrawn = answer(app, &yes, &letter_of(&yes.id, &all), "not_interested").await;
    withdrawn.assert_status(200);
    assert_eq!(withdrawn.body["state"], "not_interested");
}

async fn waive(
    app: &crate::support::TestApp,
    user: &crate::support::TestUser,
    posting: &str,
    body: Value,
) -> crate::support::TestResponse {
    app.post_as(
        &user.token,
        &format!("/api/v1/postings/{posting}/waivers"),
        &body,
    )
    .await
}

#[actix_web::test]
async fn the_third_waiver_of_appointment_ends_certification_for_the_class() {
    let w = world().await;
    let app = &w.app;
    let ana = eligible(&w, "ana", 100, welcoming()).await;
    let bo = eligible(&w, "bo", 90, welcoming()).await;
    let second = open(app, &w.employer, json!({"title": "Analyst II"})).await;
    let third = open(app, &w.employer, json!({"title": "Analyst III"})).await;
    let fourth = open(app, &w.employer, json!({"title": "Analyst IV"})).await;
    for posting in [&w.posting, &second, &third] {
        send(app, &w.employer, posting, json!({}))
            .await
            .assert_status(200);
    }
    // Answering not interested is not a waiver (2 CCR §261.1).
    let first_letter = mine(app, &ana).await.last().unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    answer(app, &ana, &first_letter, "not_interested")
        .await
        .assert_status(200);

    let body = json!({"account_id": ana.id, "reason": "declined_offer"});
    let one = waive(app, &w.employer, &w.posting, body.clone()).await;
    one.assert_status(201);
    assert_eq!(one.body["waivers_in_class"], 1);
    assert_eq!(one.body["certifiable"], true);
    assert_eq!(one.body["classification_code"], "5393");
    assert_problem(
        &waive(app, &w.employer, &w.posting, body.clone()).await,
        409,
        "already_exists",
    );
    assert_eq!(
        state_of(&letters(app, &w.employer, &w.posting).await, &ana.id),
        "waived"
    );
    waive(
        app,
        &w.employer,
        &second,
        json!({"account_id": ana.id, "reason": "unavailable_within_30_days"}),
    )
    .await
    .assert_status(201);
    let three = waive(
        app,
        &w.employer,
        &third,
        json!({"account_id": ana.id, "reason": "failed_to_appear"}),
    )
    .await;
    three.assert_status(201);
    assert_eq!(three.body["waivers_in_class"], 3);
    assert_eq!(three.body["certifiable"], false);

    // The eligible list shows it; Bo is untouched.
    let list = app
        .get_as(
            &w.employer.token,
            "/api/v1/classifications/5393/eligible-list",
        )
        .await;
    list.assert_status(200);
    let items = list.body["items"].as_array().unwrap();
    let entry = |id: &str| {
        items
            .iter()
            .find(|e| e["account_id"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(
        (
            entry(&ana.id)["waivers"].clone(),
            entry(&ana.id)["certifiable"].clone()
        ),
        (json!(3), json!(false))
    );
    assert_eq!(
        (
            entry(&bo.id)["waivers"].clone(),
            entry(&bo.id)["certifiable"].clone()
        ),
        (json!(0), json!(true))
    );

    // No more letters for the class to Ana.
    let fourth_sent = send(app, &w.employer, &fourth, json!({})).await;
    assert_eq!(fourth_sent.body["sent"], 1);
    assert_eq!(fourth_sent.body["not_certifiable"], 1);
    let to: Vec<Value> = letters(app, &w.employer, &fourth)
        .await
        .iter()
        .map(|l| l["account_id"].clone())
        .collect();
    assert_eq!(to, [json!(bo.id)]);
}

#[actix_web::test]
async fn a_waiver_needs_a_candidate_of_the_posting() {
    let w = world().await;
    let app = &w.app;
    let stranger = app.applicant("stranger@example.org").await;
    let refused = waive(
        app,
        &w.employer,
        &w.posting,
        json!({"account_id": stranger.id, "reason": "declined_offer"}),
    )
    .await;
    assert_problem(&refused, 422, "validation_failed");
    assert_eq!(refused.body["errors"][0]["field"], "account_id");
    assert_eq!(refused.body["errors"][0]["code"], "not_a_candidate");
    let malformed = waive(
        app,
        &w.employer,
        &w.posting,
        json!({"account_id": "nope", "reason": "declined_offer"}),
    )
    .await;
    assert_problem(&malformed, 422, "validation_failed");
    assert_eq!(malformed.body["errors"][0]["code"], "invalid_id");
    // An applicant of the posting is a candidate even without a letter.
    applied(app, &stranger, &w.posting).await;
    waive(
        app,
        &w.employer,
        &w.posting,
        json!({"account_id": stranger.id, "reason": "declined_offer"}),
    )
    .await
    .assert_status(201);
}
