//! The visibility matrix: who sees an internal-only posting in search results, totals, facets
//! and by id.

use merit_domain::account::RosterStatus;
use serde_json::json;

use super::{ids, open, search, with_dmv_employer};
use crate::support::assert_problem;

#[actix_web::test]
async fn internal_only_postings_are_seen_by_employees_of_any_department_and_nobody_else() {
    let (app, dmv_employer) = with_dmv_employer().await;
    let public = open(&app, &dmv_employer, json!({"title": "Public analyst job"})).await;
    // Unlike the public one in every faceted term, so each facet shows whether it leaks.
    let internal = open(
        &app,
        &dmv_employer,
        json!({"title": "Internal analyst job", "visibility": "internal_only",
               "classification_code": "1139", "county_code": "kern",
               "tenure": "temporary", "time_base": "part_time"}),
    )
    .await;
    let internal_terms = [
        ("county", "kern"),
        ("classification", "1139"),
        ("tenure", "temporary"),
        ("time_base", "part_time"),
    ];

    let applicant = app.applicant("applicant@example.org").await;
    let dmv_employee = app.employee("1001", "DMV").await;
    let cdcr_employee = app.employee("2001", "CDCR").await;
    let separated = app.employee("1002", "DMV").await;
    app.put_on_roster("1002", "DMV", "e1002@dmv.ca.gov", RosterStatus::Separated)
        .await;
    let cdcr_employer = app.employer("Sam", "Ortiz", "CDCR").await;

    let viewers = [
        ("anonymous", None, false),
        ("applicant", Some(applicant.token.clone()), false),
        (
            "employee of the posting's department",
            Some(dmv_employee.token.clone()),
            true,
        ),
        (
            "employee of another department",
            Some(cdcr_employee.token.clone()),
            true,
        ),
        ("separated employee", Some(separated.token.clone()), false),
        (
            "employer of another department",
            Some(cdcr_employer.token.clone()),
            false,
        ),
    ];
    for (who, token, sees_internal) in viewers {
        let results = search(&app, token.as_deref(), "").await;
        let found = ids(&results);
        assert!(
            found.contains(&public),
            "{who} should see the public posting"
        );
        assert_eq!(found.contains(&internal), sees_internal, "{who}: list");
        assert_eq!(
            results["total"],
            if sees_internal { 2 } else { 1 },
            "{who}: total"
        );
        assert_eq!(
            results["facets"]["department"],
            json!([{"value": "DMV", "name": "Department of Motor Vehicles", "count": if sees_internal { 2 } else { 1 }}]),
            "{who}: facets"
        );
        for (facet, value) in internal_terms {
            let counts = results["facets"][facet].as_array().unwrap();
            let listed = counts.iter().any(|c| c["value"] == value);
            assert_eq!(listed, sees_internal, "{who}: {facet} facet");
            let sum: i64 = counts.iter().map(|c| c["count"].as_i64().unwrap()).sum();
            assert_eq!(
                sum,
                results["total"].as_i64().unwrap(),
                "{who}: {facet} counts"
            );
        }
        if let Some(token) = &token {
            let saved = app
                .post_as(
                    token,
                    "/api/v1/me/saved-searches",
                    &json!({"name": "Analyst jobs", "criteria": {"q": "analyst"}}),
                )
                .await;
            saved.assert_status(201);
            let run = app
                .get_as(
                    token,
                    &format!(
                        "/api/v1/me/saved-searches/{}/results",
                        saved.body["id"].as_str().unwrap()
                    ),
                )
                .await;
            run.assert_status(200);
            assert_eq!(
                ids(&run.body).contains(&internal),
                sees_internal,
                "{who}: saved search"
            );
        }
        let only_internal = search(&app, token.as_deref(), "internal_only=true").await;
        let expected: Vec<&str> = if sees_internal {
            vec![internal.as_str()]
        } else {
            vec![]
        };
        assert_eq!(ids(&only_internal), expected, "{who}: internal_only=true");
        assert_eq!(
            only_internal["total"],
            expected.len(),
            "{who}: internal_only total"
        );
        let keyword = search(&app, token.as_deref(), "q=internal").await;
        assert_eq!(
            keyword["total"],
            if sees_internal { 1 } else { 0 },
            "{who}: keyword total"
        );
        let path = format!("/api/v1/postings/{internal}");
        let read = match &token {
            Some(token) => app.get_as(token, &path).await,
            None => app.get(&path).await,
        };
        if sees_internal {
            read.assert_status(200);
        } else {
            assert_problem(&read, 404, "not_found");
        }
    }
}

#[actix_web::test]
async fn the_posting_departments_employer_sees_its_internal_only_postings() {
    let (app, dmv_employer) = with_dmv_employer().await;
    let internal = open(&app, &dmv_employer, json!({"visibility": "internal_only"})).await;
    assert_eq!(
        ids(&search(&app, Some(&dmv_employer.token), "").await),
        [internal.as_str()]
    );
    assert_eq!(
        ids(&search(&app, Some(&dmv_employer.token), "internal_only=true").await),
        [internal.as_str()]
    );
    app.get_as(&dmv_employer.token, &format!("/api/v1/postings/{internal}"))
        .await
        .assert_status(200);
}

#[actix_web::test]
async fn a_bad_token_on_a_public_search_is_refused_not_treated_as_anonymous() {
    let (app, _) = with_dmv_employer().await;
    let response = app.get_as("not-a-token", "/api/v1/postings").await;
    assert_problem(&response, 401, "unauthenticated");
}
