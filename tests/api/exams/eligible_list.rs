//! The eligible list counts each person once, by their best active result, and is there for
//! staff as well as employers and admins.

use chrono::Duration;
use serde_json::{Value, json};

use super::{again, exam_body, setup, take};

fn emails(body: &Value) -> Vec<&str> {
    body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["email"].as_str().unwrap())
        .collect()
}

#[actix_web::test]
async fn a_person_with_two_active_passes_is_listed_once_with_the_better_one() {
    let (app, employer, first) = setup().await;
    let second = app
        .post_as(
            &employer.token,
            "/api/v1/exams",
            &exam_body(json!({"title": "Associate Governmental Program Analyst (written)"})),
        )
        .await
        .body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let carl = app.applicant("carl@example.org").await;
    let ana = app.applicant("ana@example.org").await;
    let bo = app.applicant("bo@example.org").await;
    // Carl's better pass comes first, Ana's second: the better one counts, not the latest.
    let carl_best = take(&app, &carl, &second, 100).await;
    carl_best.assert_status(201);
    take(&app, &ana, &first, 85).await.assert_status(201);
    take(&app, &bo, &first, 90).await.assert_status(201);
    app.clock.advance(Duration::days(1));
    let (carl, ana) = (again(&app, &carl).await, again(&app, &ana).await);
    let carl_worse = take(&app, &carl, &first, 70).await;
    assert_eq!(carl_worse.body["rank_band"], "70-74");
    let ana_best = take(&app, &ana, &second, 95).await;
    ana_best.assert_status(201);

    let employer = again(&app, &employer).await;
    let list = app
        .get_as(
            &employer.token,
            "/api/v1/classifications/5393/eligible-list",
        )
        .await;
    list.assert_status(200);
    assert_eq!(
        emails(&list.body),
        ["carl@example.org", "ana@example.org", "bo@example.org"]
    );
    let items = &list.body["items"];
    assert_eq!(items[0]["rank_band"], "95-100");
    assert_eq!(
        items[0]["expires_at"],
        carl_best.body["eligibility_expires_at"]
    );
    assert_eq!(items[1]["rank_band"], "95-100");
    assert_eq!(
        items[1]["expires_at"],
        ana_best.body["eligibility_expires_at"]
    );
    assert_eq!(items[2]["rank_band"], "90-94");

    // One entry per page: still each person once, in the same order.
    let mut walked = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let after = cursor.map(|c| format!("&cursor={c}")).unwrap_or_default();
        let page = app
            .get_as(
                &employer.token,
                &format!("/api/v1/classifications/5393/eligible-list?limit=1{after}"),
            )
            .await;
        page.assert_status(200);
        walked.extend(emails(&page.body).into_iter().map(str::to_owned));
        cursor = page.body["next_cursor"].as_str().map(str::to_owned);
        if cursor.is_none() {
            break;
        }
    }
    assert_eq!(walked, emails(&list.body));
}

#[actix_web::test]
async fn staff_get_the_eligible_list() {
    let (app, _, exam) = setup().await;
    let ana = app.applicant("ana@example.org").await;
    take(&app, &ana, &exam, 95).await.assert_status(201);
    let staff = app.staff("Lee", "Park", "SAC").await;
    let list = app
        .get_as(&staff.token, "/api/v1/classifications/5393/eligible-list")
        .await;
    list.assert_status(200);
    assert_eq!(emails(&list.body), ["ana@example.org"]);
    assert_eq!(list.body["items"][0]["rank_band"], "95-100");
}
