//! Who may send, list, waive and answer: the posting's department and admins; employers of
//! another department see 404, applicants and staff 403, anonymous callers 401; a person
//! answers only their own letters (another's is 404).

use serde_json::json;

use super::{answer, eligible, letters, mine, send, welcoming, world};
use crate::{staff::audit, support::assert_problem};

#[actix_web::test]
async fn only_the_postings_department_and_admins_work_its_letters() {
    let w = world().await;
    let app = &w.app;
    let ana = eligible(&w, "ana", 100, welcoming()).await;
    let other = app.employer("Otto", "Berg", "CHP").await;
    let staff = app.staff("Lee", "Chen", "LAO").await;
    let admin = app.admin().await;
    let path = format!("/api/v1/postings/{}/contact-letters", w.posting);
    let waivers = format!("/api/v1/postings/{}/waivers", w.posting);
    let waiver = json!({"account_id": ana.id, "reason": "declined_offer"});

    assert_problem(
        &send(app, &other, &w.posting, json!({})).await,
        404,
        "not_found",
    );
    assert_problem(&app.get_as(&other.token, &path).await, 404, "not_found");
    assert_problem(
        &app.post_as(&other.token, &waivers, &waiver).await,
        404,
        "not_found",
    );
    for forbidden in [&ana, &staff] {
        assert_problem(
            &send(app, forbidden, &w.posting, json!({})).await,
            403,
            "forbidden",
        );
        assert_problem(&app.get_as(&forbidden.token, &path).await, 403, "forbidden");
        assert_problem(
            &app.post_as(&forbidden.token, &waivers, &waiver).await,
            403,
            "forbidden",
        );
    }
    assert_problem(&app.post(&path, &json!({})).await, 401, "unauthenticated");
    assert_problem(&app.get(&path).await, 401, "unauthenticated");
    assert_problem(
        &app.get("/api/v1/me/contact-letters").await,
        401,
        "unauthenticated",
    );
    // Nothing was sent by any of them.
    assert!(mine(app, &ana).await.is_empty());
    // An unknown or malformed posting id is 404 too.
    assert_problem(
        &send(
            app,
            &w.employer,
            "01938f4e-7c1a-7b2e-9c3d-4e5f60718293",
            json!({}),
        )
        .await,
        404,
        "not_found",
    );
    assert_problem(
        &send(app, &w.employer, "nope", json!({})).await,
        404,
        "not_found",
    );

    // An admin may send for any department; the department sees the letter.
    let sent = send(app, &admin, &w.posting, json!({})).await;
    sent.assert_status(200);
    assert_eq!(sent.body["sent"], 1);
    let listed = letters(app, &w.employer, &w.posting).await;
    assert_eq!(listed.len(), 1);
    assert_eq!(letters(app, &admin, &w.posting).await.len(), 1);
    let letter = listed[0]["id"].as_str().unwrap();

    // Only Ana answers her letter; to anyone else it does not exist.
    let ben = app.applicant("ben@example.org").await;
    assert_problem(
        &answer(app, &ben, letter, "interested").await,
        404,
        "not_found",
    );
    assert_problem(
        &answer(app, &w.employer, letter, "interested").await,
        404,
        "not_found",
    );
    assert!(mine(app, &ben).await.is_empty());
    assert_eq!(listed[0]["state"], "sent", "nobody else's answer was kept");
    assert_problem(
        &answer(
            app,
            &ana,
            "01938f4e-7c1a-7b2e-9c3d-4e5f60718293",
            "interested",
        )
        .await,
        404,
        "not_found",
    );
    let bad = app
        .post_as(
            &ana.token,
            &format!("/api/v1/me/contact-letters/{letter}/response"),
            &json!({"answer": "maybe"}),
        )
        .await;
    assert_eq!(bad.status, 422);
    answer(app, &ana, letter, "interested")
        .await
        .assert_status(200);
    assert_eq!(
        letters(app, &w.employer, &w.posting).await[0]["state"],
        "interested"
    );

    // Every write is audited.
    assert_eq!(audit(app, "contact_letters_sent").await.len(), 1);
    assert_eq!(audit(app, "contact_letter_answered").await.len(), 1);
    app.post_as(&w.employer.token, &waivers, &waiver)
        .await
        .assert_status(201);
    let recorded = audit(app, "appointment_waiver_recorded").await;
    assert_eq!(recorded.len(), 1);
    assert_eq!(recorded[0]["subject_account_id"], ana.id);
}
