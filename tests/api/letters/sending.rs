//! Who gets a letter, once per person and posting, and what the person receives.

use serde_json::{Value, json};

use super::{eligible, letters, mine, send, welcoming, world};
use crate::support::{Mail, TestApp};

/// The contact letters emailed to `address`.
async fn letter_mail(app: &TestApp, address: &str) -> Vec<Mail> {
    app.mail_to(address)
        .await
        .into_iter()
        .filter(|m| m.subject.starts_with("Are you interested"))
        .collect()
}

#[actix_web::test]
async fn letters_go_once_to_eligibles_who_accept_contact_and_whose_conditions_fit() {
    let w = world().await;
    let app = &w.app;
    let any = eligible(&w, "any", 100, welcoming()).await;
    let sac = eligible(
        &w,
        "sac",
        95,
        json!({"counties": ["sacramento"], "tenures": ["permanent"], "accepts_contact": true}),
    )
    .await;
    // Will not work in Sacramento: the posting does not fit.
    let fresno = eligible(
        &w,
        "fresno",
        90,
        json!({"counties": ["fresno"], "accepts_contact": true}),
    )
    .await;
    // Fits, but does not accept contact letters.
    let quiet = eligible(&w, "quiet", 85, json!({"accepts_contact": false})).await;

    let first = send(app, &w.employer, &w.posting, json!({})).await;
    first.assert_status(200);
    assert_eq!(first.body["sent"], 2);
    assert_eq!(first.body["skipped"], 0);

    let listed = letters(app, &w.employer, &w.posting).await;
    let to: Vec<&str> = listed
        .iter()
        .map(|l| l["account_id"].as_str().unwrap())
        .collect();
    assert_eq!(to, [any.id.as_str(), sac.id.as_str()]);
    assert!(listed.iter().all(|l| l["state"] == "sent"));
    assert_eq!(listed[0]["rank_band"], "95-100");
    assert_eq!(listed[0]["posting_id"], w.posting);
    assert_eq!(listed[0]["respond_by"], first.body["respond_by"]);
    assert_eq!(listed[0]["answer"], Value::Null);

    // The person sees it in the inbox (and it was emailed), with the letter id to answer.
    let inbox = app
        .get_as(&any.token, "/api/v1/me/messages?kind=contact_letter")
        .await;
    inbox.assert_status(200);
    let messages = inbox.body["items"].as_array().unwrap();
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0]["posting_id"], w.posting);
    assert_eq!(messages[0]["emailed"], true);
    assert_eq!(messages[0]["id"], listed[0]["message_id"]);
    let letter_id = listed[0]["id"].as_str().unwrap();
    assert!(messages[0]["body"].as_str().unwrap().contains(letter_id));
    let mail = letter_mail(app, "any@example.org").await;
    assert_eq!(mail.len(), 1);
    assert!(
        mail[0]
            .subject
            .contains("Associate Governmental Program Analyst")
    );
    assert!(mail[0].text.contains(letter_id));
    for person in [&fresno, &quiet] {
        assert!(mine(app, person).await.is_empty());
        let theirs = app
            .get_as(&person.token, "/api/v1/me/messages?kind=contact_letter")
            .await;
        assert_eq!(theirs.body["items"], json!([]));
    }
    assert_eq!(mine(app, &any).await[0]["id"], letter_id);

    // Again: nobody new, nothing sent twice. A newcomer on the list gets the only new letter.
    let again = send(app, &w.employer, &w.posting, json!({})).await;
    assert_eq!(
        (
            &again.body["sent"],
            &again.body["already_sent"],
            &again.body["skipped"]
        ),
        (&json!(0), &json!(2), &json!(2))
    );
    let newcomer = eligible(&w, "newcomer", 70, welcoming()).await;
    let third = send(app, &w.employer, &w.posting, json!({})).await;
    assert_eq!(third.body["sent"], 1);
    assert_eq!(third.body["already_sent"], 2);
    assert_eq!(letters(app, &w.employer, &w.posting).await.len(), 3);
    assert_eq!(mine(app, &newcomer).await.len(), 1);
    assert_eq!(mine(app, &any).await.len(), 1, "still one letter for any");
    assert_eq!(letter_mail(app, "any@example.org").await.len(), 1);
}

#[actix_web::test]
async fn the_department_narrows_by_rank_band_and_conditions_of_employment() {
    let w = world().await;
    let app = &w.app;
    eligible(&w, "top", 100, welcoming()).await;
    let part = eligible(
        &w,
        "part",
        90,
        json!({"time_bases": ["part_time", "full_time"], "accepts_contact": true}),
    )
    .await;
    eligible(
        &w,
        "full",
        70,
        json!({"time_bases": ["full_time"], "accepts_contact": true}),
    )
    .await;

    let banded = send(
        app,
        &w.employer,
        &w.posting,
        json!({"lowest_rank_band": "95-100"}),
    )
    .await;
    assert_eq!(banded.body["sent"], 1);
    // part_time narrows to people who take part-time work (and the posting still fits them).
    let narrowed = send(
        app,
        &w.employer,
        &w.posting,
        json!({"time_base": "part_time", "county": "sacramento"}),
    )
    .await;
    assert_eq!(narrowed.body["sent"], 1);
    assert_eq!(narrowed.body["already_sent"], 1, "top takes any time base");
    let listed = letters(app, &w.employer, &w.posting).await;
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[1]["account_id"], part.id);

    // Bad filters are 422 at their field and send nothing.
    let bad = send(
        app,
        &w.employer,
        &w.posting,
        json!({"lowest_rank_band": "60-64", "county": "not a county"}),
    )
    .await;
    crate::support::assert_problem(&bad, 422, "validation_failed");
    let fields: Vec<&str> = bad.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert!(fields.contains(&"lowest_rank_band"), "{fields:?}");
    assert_eq!(letters(app, &w.employer, &w.posting).await.len(), 2);
}

#[actix_web::test]
async fn letters_need_a_posting_that_accepts_applications() {
    let w = world().await;
    let app = &w.app;
    eligible(&w, "any", 100, welcoming()).await;
    let draft = crate::postings::draft(app, &w.employer, json!({})).await;
    crate::support::assert_problem(
        &send(app, &w.employer, &draft, json!({})).await,
        409,
        "filing_closed",
    );
    // After the final filing date (30 April 2026, end of day in California).
    app.clock.set(super::at("2026-05-01T08:00:00Z"));
    let employer = super::again(app, &w.employer).await;
    crate::support::assert_problem(
        &send(app, &employer, &w.posting, json!({})).await,
        409,
        "filing_closed",
    );
    assert!(letters(app, &employer, &w.posting).await.is_empty());
}
