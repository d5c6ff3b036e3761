//! Drafts, publishing, closing and cancelling; department isolation; optimistic concurrency.

use chrono::Duration;
use serde_json::json;

use super::{draft, ids, open, patch, search, with_dmv_employer};
use crate::support::assert_problem;

#[actix_web::test]
async fn a_draft_is_invisible_to_everyone_but_its_department_until_published() {
    let (app, employer) = with_dmv_employer().await;
    let id = draft(&app, &employer, json!({})).await;
    assert_problem(
        &app.get(&format!("/api/v1/postings/{id}")).await,
        404,
        "not_found",
    );
    assert_eq!(search(&app, None, "").await["total"], 0);
    let own = app
        .get_as(&employer.token, &format!("/api/v1/postings/{id}"))
        .await;
    own.assert_status(200);
    assert_eq!(own.body["status"], "draft");

    let published = app
        .post_as(
            &employer.token,
            &format!("/api/v1/postings/{id}/publish"),
            &json!({}),
        )
        .await;
    published.assert_status(200);
    assert_eq!(published.body["status"], "open");
    assert_eq!(published.body["published_at"], "2026-03-02T09:30:00Z");
    assert_eq!(ids(&search(&app, None, "").await), [id.as_str()]);
    app.get(&format!("/api/v1/postings/{id}"))
        .await
        .assert_status(200);
}

#[actix_web::test]
async fn closing_removes_a_posting_from_search_but_keeps_it_readable() {
    let (app, employer) = with_dmv_employer().await;
    let id = open(&app, &employer, json!({})).await;
    let closed = app
        .post_as(
            &employer.token,
            &format!("/api/v1/postings/{id}/close"),
            &json!({}),
        )
        .await;
    closed.assert_status(200);
    assert_eq!(closed.body["status"], "closed");
    assert_eq!(closed.body["accepting_applications"], false);
    assert_eq!(search(&app, None, "").await["total"], 0);
    let read = app.get(&format!("/api/v1/postings/{id}")).await;
    assert_eq!(read.body["status"], "closed");
}

#[actix_web::test]
async fn illegal_transitions_are_refused_with_a_conflict() {
    let (app, employer) = with_dmv_employer().await;
    let id = draft(&app, &employer, json!({})).await;
    assert_problem(
        &app.post_as(
            &employer.token,
            &format!("/api/v1/postings/{id}/close"),
            &json!({}),
        )
        .await,
        409,
        "invalid_transition",
    );
    app.post_as(
        &employer.token,
        &format!("/api/v1/postings/{id}/cancel"),
        &json!({}),
    )
    .await
    .assert_status(200);
    for action in ["publish", "close", "cancel"] {
        let response = app
            .post_as(
                &employer.token,
                &format!("/api/v1/postings/{id}/{action}"),
                &json!({}),
            )
            .await;
        assert_problem(&response, 409, "invalid_transition");
    }
    assert_problem(
        &patch(&app, &employer, &id, json!({}), None).await,
        409,
        "posting_not_editable",
    );
}

#[actix_web::test]
async fn cancelling_an_open_posting_takes_it_out_of_search_and_ends_its_filing() {
    let (app, employer) = with_dmv_employer().await;
    let id = open(&app, &employer, json!({})).await;
    assert_eq!(search(&app, None, "").await["total"], 1);
    let cancelled = app
        .post_as(
            &employer.token,
            &format!("/api/v1/postings/{id}/cancel"),
            &json!({}),
        )
        .await;
    cancelled.assert_status(200);
    assert_eq!(cancelled.body["status"], "cancelled");
    assert_eq!(cancelled.body["accepting_applications"], false);
    assert_eq!(search(&app, None, "").await["total"], 0);
    let read = app
        .get_as(&employer.token, &format!("/api/v1/postings/{id}"))
        .await;
    assert_eq!(read.body["status"], "cancelled");
    for action in ["publish", "close"] {
        let again = app
            .post_as(
                &employer.token,
                &format!("/api/v1/postings/{id}/{action}"),
                &json!({}),
            )
            .await;
        assert_problem(&again, 409, "invalid_transition");
    }
}

#[actix_web::test]
async fn a_salary_written_with_a_decimal_point_is_the_same_whole_number_of_cents() {
    let (app, employer) = with_dmv_employer().await;
    let created = app
        .post_as(
            &employer.token,
            "/api/v1/postings",
            &super::posting_body(
                json!({"salary_min_cents": 573_200.0, "salary_max_cents": 717_600.0}),
            ),
        )
        .await;
    created.assert_status(201);
    assert_eq!(created.body["salary_min_cents"], 573_200);
    let fraction = app
        .post_as(
            &employer.token,
            "/api/v1/postings",
            &super::posting_body(json!({"salary_min_cents": 573_200.5})),
        )
        .await;
    assert_problem(&fraction, 422, "validation_failed");
    assert_eq!(fraction.body["errors"][0]["field"], "salary_min_cents");
}

#[actix_web::test]
async fn a_posting_whose_filing_date_passed_cannot_be_published() {
    let (app, employer) = with_dmv_employer().await;
    let id = draft(&app, &employer, json!({"final_filing_date": "2026-03-01"})).await;
    let response = app
        .post_as(
            &employer.token,
            &format!("/api/v1/postings/{id}/publish"),
            &json!({}),
        )
        .await;
    assert_problem(&response, 422, "validation_failed");
    assert_eq!(response.body["errors"][0]["code"], "filing_date_passed");
}

#[actix_web::test]
async fn a_posting_past_its_final_filing_date_is_closed_for_applying_though_nobody_closed_it() {
    let (app, employer) = with_dmv_employer().await;
    let id = open(&app, &employer, json!({"final_filing_date": "2026-03-10"})).await;
    assert_eq!(search(&app, None, "").await["total"], 1);
    // The end of 10 March in California is 08:00 UTC on 11 March.
    app.clock.set(
        chrono::DateTime::parse_from_rfc3339("2026-03-11T07:59:59Z")
            .unwrap()
            .to_utc(),
    );
    assert_eq!(
        app.get(&format!("/api/v1/postings/{id}")).await.body["accepting_applications"],
        true
    );
    app.clock.advance(Duration::seconds(1));
    let read = app.get(&format!("/api/v1/postings/{id}")).await;
    assert_eq!(read.body["status"], "open");
    assert_eq!(read.body["accepting_applications"], false);
    assert_eq!(search(&app, None, "").await["total"], 0);
}

#[actix_web::test]
async fn a_copy_read_before_the_final_filing_date_is_not_confirmed_as_current_after_it() {
    let (app, employer) = with_dmv_employer().await;
    let id = open(&app, &employer, json!({"final_filing_date": "2026-03-10"})).await;
    let path = format!("/api/v1/postings/{id}");
    let before = app.get(&path).await;
    let tag = before.header("etag").to_owned();
    assert_eq!(before.body["accepting_applications"], true);
    let conditional = |tag: String| {
        app.send(
            app.request(reqwest::Method::GET, &path)
                .header("if-none-match", tag),
        )
    };
    conditional(tag.clone()).await.assert_status(304);

    // The filing closes at the end of 10 March in California; the version does not change.
    app.clock.set(
        chrono::DateTime::parse_from_rfc3339("2026-03-11T08:00:00Z")
            .unwrap()
            .to_utc(),
    );
    let after = conditional(tag.clone()).await;
    after.assert_status(200);
    assert_eq!(after.body["accepting_applications"], false);
    assert_eq!(after.body["version"], before.body["version"]);
    let closed_tag = after.header("etag").to_owned();
    assert_ne!(closed_tag, tag);
    conditional(closed_tag.clone()).await.assert_status(304);

    // The tag served after the date still names the current version for a change.
    let employer = app.signed_in(&employer.login, &employer.password).await;
    let extended = patch(
        &app,
        &employer,
        &id,
        json!({"final_filing_date": "2026-03-31"}),
        Some(&closed_tag),
    )
    .await;
    extended.assert_status(200);
    assert_eq!(extended.body["accepting_applications"], true);
}

#[actix_web::test]
async fn an_employer_cannot_touch_another_departments_postings() {
    let (app, dmv) = with_dmv_employer().await;
    let cdcr = app.employer("Sam", "Ortiz", "CDCR").await;
    let draft_id = draft(&app, &dmv, json!({})).await;
    let open_id = open(&app, &dmv, json!({})).await;
    assert_problem(
        &app.get_as(&cdcr.token, &format!("/api/v1/postings/{draft_id}"))
            .await,
        404,
        "not_found",
    );
    for id in [&draft_id, &open_id] {
        assert_problem(
            &patch(&app, &cdcr, id, json!({"title": "Hijacked title"}), None).await,
            404,
            "not_found",
        );
        for action in ["publish", "close", "cancel"] {
            let response = app
                .post_as(
                    &cdcr.token,
                    &format!("/api/v1/postings/{id}/{action}"),
                    &json!({}),
                )
                .await;
            assert_problem(&response, 404, "not_found");
        }
    }
    assert_problem(
        &app.get_as(&cdcr.token, "/api/v1/departments/DMV/postings")
            .await,
        404,
        "not_found",
    );
    let read = app
        .get_as(&dmv.token, &format!("/api/v1/postings/{open_id}"))
        .await;
    assert_eq!(read.body["title"], "Associate Governmental Program Analyst");
}

#[actix_web::test]
async fn only_employers_create_postings() {
    let (app, _) = with_dmv_employer().await;
    let applicant = app.applicant("pat@example.org").await;
    let response = app
        .post_as(
            &applicant.token,
            "/api/v1/postings",
            &super::posting_body(json!({})),
        )
        .await;
    assert_problem(&response, 403, "forbidden");
    assert_problem(
        &app.post("/api/v1/postings", &super::posting_body(json!({})))
            .await,
        401,
        "unauthenticated",
    );
}

#[actix_web::test]
async fn a_stale_if_match_is_refused_and_the_current_one_accepted() {
    let (app, employer) = with_dmv_employer().await;
    let id = draft(&app, &employer, json!({})).await;
    let read = app
        .get_as(&employer.token, &format!("/api/v1/postings/{id}"))
        .await;
    let tag = read.header("etag").to_owned();
    assert_eq!(tag, "\"1\"");
    let first = patch(
        &app,
        &employer,
        &id,
        json!({"title": "Analyst, first edit"}),
        Some(&tag),
    )
    .await;
    first.assert_status(200);
    assert_eq!(first.header("etag"), "\"2\"");
    let second = patch(
        &app,
        &employer,
        &id,
        json!({"title": "Analyst, lost update"}),
        Some(&tag),
    )
    .await;
    assert_problem(&second, 412, "precondition_failed");
    let now = app
        .get_as(&employer.token, &format!("/api/v1/postings/{id}"))
        .await;
    assert_eq!(now.body["title"], "Analyst, first edit");
}

#[actix_web::test]
async fn invalid_posting_fields_are_all_reported_and_nothing_is_stored() {
    let (app, employer) = with_dmv_employer().await;
    let body = super::posting_body(json!({
        "classification_code": "BAD CODE",
        "title": "x",
        "salary_min_cents": 900_000,
        "salary_max_cents": 100_000,
        "required_documents": ["résumé"]
    }));
    let response = app
        .post_as(&employer.token, "/api/v1/postings", &body)
        .await;
    assert_problem(&response, 422, "validation_failed");
    let fields: Vec<&str> = response.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        [
            "classification_code",
            "title",
            "salary_max_cents",
            "required_documents[0]"
        ]
    );
    let unknown = app
        .post_as(
            &employer.token,
            "/api/v1/postings",
            &super::posting_body(json!({"classification_code": "ZZZZ"})),
        )
        .await;
    assert_eq!(unknown.body["errors"][0]["code"], "unknown_classification");
    let list = app
        .get_as(&employer.token, "/api/v1/departments/DMV/postings")
        .await;
    assert_eq!(list.body["items"], json!([]));
}

#[actix_web::test]
async fn an_employer_lists_every_posting_of_their_department_newest_first() {
    let (app, employer) = with_dmv_employer().await;
    let first = draft(&app, &employer, json!({})).await;
    let second = open(&app, &employer, json!({})).await;
    let list = app
        .get_as(&employer.token, "/api/v1/departments/DMV/postings")
        .await;
    list.assert_status(200);
    assert_eq!(ids(&list.body), [second, first]);
}

#[actix_web::test]
async fn a_posting_path_id_that_is_not_a_canonical_uuid_is_not_found() {
    let (app, employer) = super::with_dmv_employer().await;
    let id = super::open(&app, &employer, serde_json::json!({})).await;
    let upper = id.to_uppercase();
    for bad in [
        "not-an-id",
        "1",
        upper.as_str(),
        &format!("{{{id}}}"),
        &id.replace('-', ""),
    ] {
        let read = app.get(&format!("/api/v1/postings/{bad}")).await;
        crate::support::assert_problem(&read, 404, "not_found");
        let close = app
            .post_as(
                &employer.token,
                &format!("/api/v1/postings/{bad}/close"),
                &serde_json::json!({}),
            )
            .await;
        crate::support::assert_problem(&close, 404, "not_found");
    }
    app.get(&format!("/api/v1/postings/{id}"))
        .await
        .assert_status(200);
}
