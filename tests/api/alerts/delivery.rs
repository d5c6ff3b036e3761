//! Matching and delivery: one message per alert and posting saying why, never twice (edits and
//! repeated passes do not re-alert), only to owners who may see the posting, digests per person
//! and period with a fixed clock, and two instances on one database without duplicates.

use std::collections::HashSet;

use chrono::{Duration, TimeZone, Utc};
use serde_json::{Value, json};

use super::{alert, alert_messages, run_worker};
use crate::postings::{open, patch, with_dmv_employer};

fn posting_ids(messages: &[Value]) -> Vec<String> {
    messages
        .iter()
        .map(|m| m["posting_id"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[actix_web::test]
async fn an_instant_alert_gets_one_message_per_matching_posting_saying_why() {
    let (app, employer) = with_dmv_employer().await;
    let ana = app.applicant("ana@example.org").await;
    let ben = app.applicant("ben@example.org").await;
    alert(
        &app,
        &ana,
        json!({"q": "analysts", "county": ["sacramento", "kern"], "classification": ["5393"]}),
        "in_app",
        "instant",
    )
    .await;
    alert(
        &app,
        &ben,
        json!({"county": ["fresno"]}),
        "in_app",
        "instant",
    )
    .await;

    let matching = open(&app, &employer, json!({})).await;
    open(&app, &employer, json!({"county_code": "fresno"})).await;
    run_worker(&app).await;

    let messages = alert_messages(&app, &ana).await;
    assert_eq!(
        posting_ids(&messages),
        std::slice::from_ref(&matching),
        "{messages:#?}"
    );
    let body = messages[0]["body"].as_str().unwrap();
    assert!(body.contains("keywords \"analysts\""), "{body}");
    assert!(body.contains("county sacramento"), "{body}");
    assert!(body.contains("classification 5393"), "{body}");
    assert!(
        !body.contains("tenure"),
        "only the criteria set are named: {body}"
    );
    assert_eq!(messages[0]["kind"], "job_alert");
    assert_eq!(
        messages[0]["emailed"], false,
        "the in-app channel sends no email"
    );
    assert_eq!(
        alert_messages(&app, &ben).await.len(),
        1,
        "Ben's Fresno posting only"
    );

    // Editing the open posting, and further passes, alert nobody again.
    patch(
        &app,
        &employer,
        &matching,
        json!({"title": "Analyst (edited)"}),
        None,
    )
    .await
    .assert_status(200);
    run_worker(&app).await;
    run_worker(&app).await;
    assert_eq!(alert_messages(&app, &ana).await.len(), 1);
    assert_eq!(alert_messages(&app, &ben).await.len(), 1);
}

#[actix_web::test]
async fn an_internal_only_posting_alerts_only_owners_who_may_see_it() {
    let (app, employer) = with_dmv_employer().await;
    let ana = app.applicant("ana@example.org").await;
    let erin = app.employee("100001", "DMV").await;
    for user in [&ana, &erin] {
        alert(&app, user, json!({}), "in_app", "instant").await;
    }
    let internal = open(&app, &employer, json!({"visibility": "internal_only"})).await;
    run_worker(&app).await;
    assert!(
        alert_messages(&app, &ana).await.is_empty(),
        "the public never hears of it"
    );
    assert_eq!(posting_ids(&alert_messages(&app, &erin).await), [internal]);

    let public = open(&app, &employer, json!({})).await;
    run_worker(&app).await;
    assert_eq!(posting_ids(&alert_messages(&app, &ana).await), [public]);
}

#[actix_web::test]
async fn an_alert_turned_off_or_edited_does_not_match_and_a_new_one_matches_at_once() {
    let (app, employer) = with_dmv_employer().await;
    let ana = app.applicant("ana@example.org").await;
    let id = alert(&app, &ana, json!({}), "in_app", "instant").await;
    super::replace(
        &app,
        &ana,
        &id,
        json!({"criteria": {"county": ["kern"]}, "channel": "in_app", "frequency": "instant", "active": true}),
    )
    .await
    .assert_status(200);
    open(&app, &employer, json!({})).await;
    run_worker(&app).await;
    assert!(
        alert_messages(&app, &ana).await.is_empty(),
        "the edit is in the index"
    );

    let kern = open(&app, &employer, json!({"county_code": "kern"})).await;
    run_worker(&app).await;
    assert_eq!(posting_ids(&alert_messages(&app, &ana).await), [kern]);

    super::replace(
        &app,
        &ana,
        &id,
        json!({"criteria": {"county": ["kern"]}, "channel": "in_app", "frequency": "instant", "active": false}),
    )
    .await
    .assert_status(200);
    open(&app, &employer, json!({"county_code": "kern"})).await;
    run_worker(&app).await;
    assert_eq!(
        alert_messages(&app, &ana).await.len(),
        1,
        "an alert that is off is silent"
    );
}

#[actix_web::test]
async fn daily_and_weekly_alerts_send_one_digest_per_person_and_period() {
    let (app, employer) = with_dmv_employer().await;
    let ana = app.applicant("ana@example.org").await;
    let ben = app.applicant("ben@example.org").await;
    // Two daily alerts of Ana match the same posting: one digest lists it once.
    alert(
        &app,
        &ana,
        json!({"county": ["sacramento"]}),
        "in_app",
        "daily",
    )
    .await;
    alert(
        &app,
        &ana,
        json!({"classification": ["5393"]}),
        "in_app",
        "daily",
    )
    .await;
    alert(&app, &ben, json!({}), "in_app", "weekly").await;

    // Monday 2026-03-02, 09:30 UTC.
    let first = open(&app, &employer, json!({})).await;
    let second = open(&app, &employer, json!({"title": "Staff Services Analyst"})).await;
    run_worker(&app).await;
    assert!(
        alert_messages(&app, &ana).await.is_empty(),
        "nothing before the day ends"
    );
    assert!(alert_messages(&app, &ben).await.is_empty());

    app.clock
        .set(Utc.with_ymd_and_hms(2026, 3, 2, 23, 59, 59).unwrap());
    run_worker(&app).await;
    // Access tokens expire as the clock moves: sign in again.
    let ana = app.signed_in(&ana.login, &ana.password).await;
    assert!(alert_messages(&app, &ana).await.is_empty());

    app.clock
        .set(Utc.with_ymd_and_hms(2026, 3, 3, 0, 0, 0).unwrap());
    let (ana, ben) = (
        app.signed_in(&ana.login, &ana.password).await,
        app.signed_in(&ben.login, &ben.password).await,
    );
    run_worker(&app).await;
    run_worker(&app).await;
    let digests = alert_messages(&app, &ana).await;
    assert_eq!(digests.len(), 1, "{digests:#?}");
    let body = digests[0]["body"].as_str().unwrap();
    assert!(body.starts_with("2 new postings"), "{body}");
    assert_eq!(body.matches(&first).count(), 1, "listed once: {body}");
    assert_eq!(body.matches(&second).count(), 1, "{body}");
    assert!(body.contains("county sacramento") && body.contains("classification 5393"));
    assert!(digests[0]["subject"].as_str().unwrap().contains("daily"));
    assert!(
        alert_messages(&app, &ben).await.is_empty(),
        "the week is not over"
    );

    // A posting of Tuesday goes into Tuesday's digest, not into Monday's again.
    let employer = app.signed_in(&employer.login, &employer.password).await;
    let third = open(&app, &employer, json!({"title": "Research Analyst"})).await;
    app.clock.advance(Duration::days(1));
    let ana = app.signed_in(&ana.login, &ana.password).await;
    run_worker(&app).await;
    let digests = alert_messages(&app, &ana).await;
    assert_eq!(digests.len(), 2);
    let tuesday = digests[0]["body"].as_str().unwrap();
    assert!(
        tuesday.starts_with("1 new posting") && tuesday.contains(&third),
        "{tuesday}"
    );
    assert_eq!(digests[0]["posting_id"], third.as_str());

    app.clock
        .set(Utc.with_ymd_and_hms(2026, 3, 9, 0, 0, 1).unwrap());
    let (ana, ben) = (
        app.signed_in(&ana.login, &ana.password).await,
        app.signed_in(&ben.login, &ben.password).await,
    );
    run_worker(&app).await;
    let weekly = alert_messages(&app, &ben).await;
    assert_eq!(weekly.len(), 1, "{weekly:#?}");
    assert!(
        weekly[0]["body"]
            .as_str()
            .unwrap()
            .starts_with("3 new postings")
    );
    assert_eq!(
        alert_messages(&app, &ana).await.len(),
        2,
        "nothing more for Ana"
    );
}

#[actix_web::test]
async fn two_instances_on_one_database_deliver_every_alert_once() {
    let (app, employer) = with_dmv_employer().await;
    let twin = app.spawn_beside(|settings| settings).await;
    let mut people = Vec::new();
    for n in 0..4 {
        let user = app.applicant(&format!("p{n}@example.org")).await;
        alert(&app, &user, json!({}), "in_app", "instant").await;
        alert(
            &app,
            &user,
            json!({"county": ["sacramento"]}),
            "in_app",
            "daily",
        )
        .await;
        people.push(user);
    }
    let mut opened = Vec::new();
    for n in 0..6 {
        opened.push(open(&app, &employer, json!({"title": format!("Analyst {n}")})).await);
    }
    for _ in 0..3 {
        tokio::join!(run_worker(&app), run_worker(&twin));
    }
    let wanted: HashSet<String> = opened.iter().cloned().collect();
    for user in &people {
        let messages = alert_messages(&app, user).await;
        assert_eq!(messages.len(), 6, "{messages:#?}");
        let got: HashSet<String> = posting_ids(&messages).into_iter().collect();
        assert_eq!(got, wanted);
    }

    let next_day = Utc.with_ymd_and_hms(2026, 3, 3, 0, 0, 0).unwrap();
    app.clock.set(next_day);
    twin.clock.set(next_day);
    for _ in 0..3 {
        tokio::join!(run_worker(&app), run_worker(&twin));
    }
    for user in &people {
        let user = app.signed_in(&user.login, &user.password).await;
        let messages = alert_messages(&app, &user).await;
        let digests: Vec<&Value> = messages
            .iter()
            .filter(|m| m["subject"].as_str().unwrap().contains("digest"))
            .collect();
        assert_eq!(digests.len(), 1, "{messages:#?}");
        assert!(
            digests[0]["body"]
                .as_str()
                .unwrap()
                .starts_with("6 new postings")
        );
    }
}

#[actix_web::test]
async fn alert_email_goes_only_by_the_email_channel_and_only_while_the_person_wants_it() {
    let (app, employer) = with_dmv_employer().await;
    let ana = app.applicant("ana@example.org").await;
    let ben = app.applicant("ben@example.org").await;
    // Ana: an in-app alert. Ben: an email alert, but job alerts are off in his email preferences.
    alert(&app, &ana, json!({}), "in_app", "instant").await;
    alert(&app, &ben, json!({}), "email", "instant").await;
    crate::messages::set_preferences(
        &app,
        &ben,
        json!({"application_status": true, "account": true, "job_alert": false, "contact_letter": true, "correspondence": true}),
    )
    .await
    .assert_status(200);

    let posting = open(&app, &employer, json!({})).await;
    run_worker(&app).await;

    for (user, address) in [(&ana, "ana@example.org"), (&ben, "ben@example.org")] {
        let messages = alert_messages(&app, user).await;
        assert_eq!(
            posting_ids(&messages),
            std::slice::from_ref(&posting),
            "the inbox gets it"
        );
        assert_eq!(messages[0]["emailed"], false, "{address}: {messages:#?}");
        let mail: Vec<String> = app
            .mail_to(address)
            .await
            .into_iter()
            .map(|m| m.subject)
            .filter(|s| s != "Confirm your email address")
            .collect();
        assert!(mail.is_empty(), "no alert email to {address}: {mail:?}");
    }

    // Ben turns job-alert email back on: the next posting is emailed.
    crate::messages::set_preferences(
        &app,
        &ben,
        json!({"application_status": true, "account": true, "job_alert": true, "contact_letter": true, "correspondence": true}),
    )
    .await
    .assert_status(200);
    open(&app, &employer, json!({"title": "Staff Services Analyst"})).await;
    run_worker(&app).await;
    let emailed: Vec<String> = app
        .mail_to("ben@example.org")
        .await
        .into_iter()
        .map(|m| m.subject)
        .filter(|s| s.starts_with("New job"))
        .collect();
    assert_eq!(emailed.len(), 1, "{emailed:?}");
    assert!(
        app.mail_to("ana@example.org")
            .await
            .iter()
            .all(|m| !m.subject.starts_with("New job")),
        "the in-app channel never emails"
    );
}
