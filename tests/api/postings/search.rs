//! Search: every filter and order, relevance, totals and facets, paging while postings are
//! added, hostile input, and conditional requests.

use chrono::Duration;
use serde_json::json;

use super::{ids, open, search, with_dmv_employer};
use crate::support::{TestApp, TestUser, assert_problem};

/// Five postings with distinct attributes, published an hour apart (oldest first).
async fn corpus() -> (TestApp, TestUser, Vec<String>) {
    let (app, dmv) = with_dmv_employer().await;
    let cdcr = app.employer("Sam", "Ortiz", "CDCR").await;
    let specs = [
        (
            &dmv,
            json!({"title": "Office Technician", "classification_code": "1139", "county_code": "fresno", "tenure": "temporary", "time_base": "part_time", "shift": "evening", "salary_min_cents": 359_500, "salary_max_cents": 450_100, "final_filing_date": "2026-03-20", "duties": "Types correspondence and answers telephones."}),
        ),
        (
            &dmv,
            json!({"title": "Associate Governmental Program Analyst", "classification_code": "5393", "county_code": "sacramento", "salary_min_cents": 573_200, "salary_max_cents": 717_600, "final_filing_date": "2026-04-15", "duties": "Analyzes budgets and legislation."}),
        ),
        (
            &cdcr,
            json!({"title": "Correctional Officer", "classification_code": "9662", "county_code": "kern", "shift": "night", "salary_min_cents": 441_000, "salary_max_cents": 831_600, "final_filing_date": "2026-03-25", "duties": "Maintains custody and security; writes reports for the analyst team."}),
        ),
        (
            &cdcr,
            json!({"title": "Staff Services Analyst", "classification_code": "5157", "county_code": "sacramento", "tenure": "limited_term", "salary_min_cents": 467_200, "salary_max_cents": 728_900, "final_filing_date": "2026-04-01", "duties": "Supports program operations."}),
        ),
        (
            &dmv,
            json!({"title": "Information Technology Specialist I", "classification_code": "1402", "county_code": "los-angeles", "time_base": "intermittent", "salary_min_cents": 621_900, "salary_max_cents": 833_800, "final_filing_date": "2026-05-01", "duties": "Administers servers and databases."}),
        ),
    ];
    let mut created = Vec::new();
    for (employer, overrides) in specs {
        // Access tokens last 15 minutes: sign in again after moving the clock.
        let employer = app.signed_in(&employer.login, &employer.password).await;
        created.push(open(&app, &employer, overrides).await);
        app.clock.advance(Duration::hours(1));
    }
    let dmv = app.signed_in(&dmv.login, &dmv.password).await;
    (app, dmv, created)
}

#[actix_web::test]
async fn every_filter_narrows_the_results_and_the_total() {
    let (app, _, p) = corpus().await;
    let cases: Vec<(&str, Vec<&String>)> = vec![
        ("classification=5393", vec![&p[1]]),
        ("department=CDCR", vec![&p[3], &p[2]]),
        ("county=sacramento", vec![&p[3], &p[1]]),
        ("tenure=temporary", vec![&p[0]]),
        ("time_base=intermittent", vec![&p[4]]),
        ("shift=night", vec![&p[2]]),
        ("salary_min_cents=800000", vec![&p[4], &p[2]]),
        ("salary_max_cents=400000", vec![&p[0]]),
        (
            "salary_min_cents=500000&salary_max_cents=700000",
            vec![&p[4], &p[3], &p[2], &p[1]],
        ),
        ("closing_before=2026-03-31", vec![&p[2], &p[0]]),
        (
            "posted_since=2026-03-02&department=DMV",
            vec![&p[4], &p[1], &p[0]],
        ),
        ("posted_since=2026-03-03", vec![]),
        ("county=sacramento&department=DMV", vec![&p[1]]),
        ("department=dmv", vec![&p[4], &p[1], &p[0]]),
        ("county=no-such-county", vec![]),
    ];
    for (query, expected) in cases {
        let body = search(&app, None, query).await;
        let expected: Vec<String> = expected.into_iter().cloned().collect();
        assert_eq!(ids(&body), expected, "{query}");
        assert_eq!(body["total"], expected.len(), "{query}");
    }
}

#[actix_web::test]
async fn a_repeated_filter_matches_any_of_its_values_and_filters_still_combine() {
    let (app, _, p) = corpus().await;
    let cases: Vec<(&str, Vec<&String>)> = vec![
        ("county=fresno&county=kern", vec![&p[2], &p[0]]),
        ("county=kern&county=no-such-county", vec![&p[2]]),
        (
            "classification=5393&classification=5157",
            vec![&p[3], &p[1]],
        ),
        (
            "department=DMV&department=CDCR",
            vec![&p[4], &p[3], &p[2], &p[1], &p[0]],
        ),
        ("tenure=temporary&tenure=limited_term", vec![&p[3], &p[0]]),
        (
            "time_base=part_time&time_base=intermittent",
            vec![&p[4], &p[0]],
        ),
        ("shift=night&shift=evening", vec![&p[2], &p[0]]),
        (
            "county=sacramento&county=kern&department=CDCR",
            vec![&p[3], &p[2]],
        ),
        ("county=sacramento&county=sacramento", vec![&p[3], &p[1]]),
    ];
    for (query, expected) in cases {
        let body = search(&app, None, query).await;
        let expected: Vec<String> = expected.into_iter().cloned().collect();
        assert_eq!(ids(&body), expected, "{query}");
        assert_eq!(body["total"], expected.len(), "{query}");
    }
    let too_many: String = (b'a'..=b'u')
        .map(|c| format!("county=x{}&", c as char))
        .collect();
    let response = app.get(&format!("/api/v1/postings?{too_many}")).await;
    assert_problem(&response, 422, "validation_failed");
    assert_eq!(response.body["errors"][0]["code"], "too_many_values");
    let bad = app
        .get("/api/v1/postings?county=kern&county=no%20such")
        .await;
    assert_problem(&bad, 422, "validation_failed");
    assert_eq!(bad.body["errors"][0]["field"], "county[1]");
    let bad_term = app
        .get("/api/v1/postings?tenure=permanent&tenure=forever")
        .await;
    assert_problem(&bad_term, 422, "validation_failed");
    assert_eq!(bad_term.body["errors"][0]["field"], "tenure");
    let repeated = app.get("/api/v1/postings?q=a&q=b").await;
    assert_problem(&repeated, 400, "invalid_query");
}

#[actix_web::test]
async fn results_and_details_carry_the_names_of_their_codes() {
    let (app, _, p) = corpus().await;
    let body = search(&app, None, "classification=5393").await;
    let item = &body["items"][0];
    assert_eq!(item["department_code"], "DMV");
    assert_eq!(item["department_name"], "Department of Motor Vehicles");
    assert_eq!(
        item["classification_title"],
        "Associate Governmental Program Analyst"
    );
    assert_eq!(item["county_name"], "Sacramento");
    assert_eq!(
        body["facets"]["classification"][0]["name"],
        "Associate Governmental Program Analyst"
    );
    let detail = app.get(&format!("/api/v1/postings/{}", p[2])).await;
    detail.assert_status(200);
    assert_eq!(
        detail.body["department_name"],
        "Department of Corrections and Rehabilitation"
    );
    assert_eq!(detail.body["county_name"], "Kern");
    assert!(
        detail.body["classification_title"]
            .as_str()
            .is_some_and(|t| !t.is_empty())
    );
}

#[actix_web::test]
async fn each_order_sorts_as_it_says() {
    let (app, _, p) = corpus().await;
    assert_eq!(
        ids(&search(&app, None, "sort=newest").await),
        [
            p[4].clone(),
            p[3].clone(),
            p[2].clone(),
            p[1].clone(),
            p[0].clone()
        ]
    );
    assert_eq!(
        ids(&search(&app, None, "").await),
        [
            p[4].clone(),
            p[3].clone(),
            p[2].clone(),
            p[1].clone(),
            p[0].clone()
        ],
        "no keywords: newest"
    );
    assert_eq!(
        ids(&search(&app, None, "sort=closing_soon").await),
        [
            p[0].clone(),
            p[2].clone(),
            p[3].clone(),
            p[1].clone(),
            p[4].clone()
        ]
    );
    assert_eq!(
        ids(&search(&app, None, "sort=salary").await),
        [
            p[4].clone(),
            p[2].clone(),
            p[3].clone(),
            p[1].clone(),
            p[0].clone()
        ]
    );
}

#[actix_web::test]
async fn keywords_rank_title_matches_above_duty_matches_and_must_all_match() {
    let (app, _, p) = corpus().await;
    let analysts = search(&app, None, "q=analyst").await;
    let found = ids(&analysts);
    assert_eq!(found.len(), 3);
    assert_eq!(found[2], p[2], "a mention in the duties ranks below titles");
    assert!(found[..2].contains(&p[1]) && found[..2].contains(&p[3]));
    assert_eq!(
        ids(&search(&app, None, "q=ANALYSTS%20program").await)[0],
        p[1]
    );
    assert_eq!(
        ids(&search(&app, None, "q=analyst%20servers").await),
        Vec::<String>::new()
    );
    assert_eq!(
        ids(&search(&app, None, "q=analyst&sort=newest").await),
        [p[3].clone(), p[2].clone(), p[1].clone()]
    );
}

#[actix_web::test]
async fn facets_count_every_match_by_county_department_classification_tenure_and_time_base() {
    let (app, _, _) = corpus().await;
    let body = search(&app, None, "limit=1").await;
    assert_eq!(body["total"], 5);
    assert_eq!(ids(&body).len(), 1);
    let facets = &body["facets"];
    assert_eq!(
        facets["county"][0],
        json!({"value": "sacramento", "name": "Sacramento", "count": 2})
    );
    assert_eq!(
        facets["department"],
        json!([
            {"value": "DMV", "name": "Department of Motor Vehicles", "count": 3},
            {"value": "CDCR", "name": "Department of Corrections and Rehabilitation", "count": 2}
        ])
    );
    assert_eq!(facets["classification"].as_array().unwrap().len(), 5);
    assert_eq!(
        facets["tenure"],
        json!([{"value": "permanent", "count": 3}, {"value": "limited_term", "count": 1}, {"value": "temporary", "count": 1}])
    );
    assert_eq!(
        facets["time_base"][0],
        json!({"value": "full_time", "count": 3})
    );
    let narrowed = search(&app, None, "county=sacramento").await;
    let counts: Vec<(&str, u64)> = narrowed["facets"]["department"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["value"].as_str().unwrap(), f["count"].as_u64().unwrap()))
        .collect();
    assert_eq!(counts, [("CDCR", 1), ("DMV", 1)]);
}

#[actix_web::test]
async fn paging_has_no_duplicates_or_gaps_while_postings_are_added() {
    let (app, dmv, _) = corpus().await;
    for order in ["newest", "closing_soon", "salary", "relevance&q=analyst"] {
        let everything = ids(&search(&app, None, &format!("sort={order}&limit=100")).await);
        let first = search(&app, None, &format!("sort={order}&limit=2")).await;
        let mut seen = ids(&first);
        let mut cursor = first["next_cursor"].as_str().map(str::to_owned);
        open(&app, &dmv, json!({"title": "A newer analyst posting", "final_filing_date": "2026-06-30", "salary_max_cents": 717_600})).await;
        while let Some(c) = cursor {
            let page = search(&app, None, &format!("sort={order}&limit=2&cursor={c}")).await;
            seen.extend(ids(&page));
            cursor = page["next_cursor"].as_str().map(str::to_owned);
        }
        let mut unique = seen.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), seen.len(), "{order}: duplicates");
        for id in &everything {
            assert!(seen.contains(id), "{order}: {id} missing");
        }
    }
}

#[actix_web::test]
async fn hostile_keywords_give_a_sane_answer_or_a_validation_error() {
    let (app, _, _) = corpus().await;
    for q in [
        "%22analyst%22",
        "analyst%20AND%20NOT%20officer",
        "*",
        "analyst*",
        "NEAR(a%20b)",
        "%27%3B%20DROP%20TABLE%20postings%3B--",
        "%28%28%28",
        "%E2%80%8B",
    ] {
        let response = app.get(&format!("/api/v1/postings?q={q}")).await;
        response.assert_status(200);
    }
    let long = "a".repeat(201);
    let response = app.get(&format!("/api/v1/postings?q={long}")).await;
    assert_problem(&response, 422, "validation_failed");
    assert_eq!(response.body["errors"][0]["field"], "q");
    let sort = app.get("/api/v1/postings?sort=random").await;
    assert_problem(&sort, 422, "validation_failed");
    assert_eq!(sort.body["errors"][0]["field"], "sort");
    assert_problem(
        &app.get("/api/v1/postings?salary_min_cents=9&salary_max_cents=1")
            .await,
        422,
        "validation_failed",
    );
    assert_problem(
        &app.get("/api/v1/postings?limit=101").await,
        422,
        "validation_failed",
    );
}

#[actix_web::test]
async fn a_cursor_of_another_order_is_a_bad_request() {
    let (app, _, _) = corpus().await;
    let first = search(&app, None, "sort=newest&limit=1").await;
    let cursor = first["next_cursor"].as_str().unwrap();
    assert_problem(
        &app.get(&format!("/api/v1/postings?sort=salary&cursor={cursor}"))
            .await,
        400,
        "invalid_cursor",
    );
    assert_problem(
        &app.get("/api/v1/postings?cursor=garbage").await,
        400,
        "invalid_cursor",
    );
}

#[actix_web::test]
async fn an_unchanged_search_answers_304_to_its_etag_and_200_after_a_change() {
    let (app, dmv, _) = corpus().await;
    let first = app.get("/api/v1/postings?county=sacramento").await;
    let tag = first.header("etag").to_owned();
    assert!(!tag.is_empty());
    let again = app
        .send(
            app.request(reqwest::Method::GET, "/api/v1/postings?county=sacramento")
                .header("if-none-match", &tag),
        )
        .await;
    assert_eq!(again.status, 304);
    assert_eq!(again.text, "");
    open(&app, &dmv, json!({"county_code": "sacramento"})).await;
    let changed = app
        .send(
            app.request(reqwest::Method::GET, "/api/v1/postings?county=sacramento")
                .header("if-none-match", &tag),
        )
        .await;
    changed.assert_status(200);
    assert_ne!(changed.header("etag"), tag);
}

#[actix_web::test]
async fn a_posting_change_log_reader_never_sees_a_later_change_without_an_earlier_one() {
    use merit_persistence::postings;

    let (app, dmv) = with_dmv_employer().await;
    let first = super::draft(&app, &dmv, json!({})).await;
    let second = super::draft(&app, &dmv, json!({})).await;
    let mark = app
        .db
        .read(|c| Ok(postings::last_change(c)?))
        .await
        .unwrap();
    // Rewrites a posting in a write transaction that stays open for `hold` after its change.
    let rewrite = |id: String, hold: std::time::Duration| {
        let db = app.db.clone();
        async move {
            db.write(move |c| {
                let mut posting = postings::find(c, id.parse().unwrap())?.unwrap();
                let expected = posting.version;
                let at = posting.updated_at;
                postings::touch(&mut posting, at);
                assert!(postings::update(c, &posting, expected)?);
                std::thread::sleep(hold);
                Ok(())
            })
            .await
            .unwrap();
        }
    };
    let slow = rewrite(first.clone(), std::time::Duration::from_millis(400));
    let fast = async {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        rewrite(second.clone(), std::time::Duration::ZERO).await;
        // As soon as the later change is committed, read the log as the search index does.
        app.db
            .read(move |c| Ok(postings::changed_since(c, mark)?))
            .await
            .unwrap()
    };
    let ((), (seen, _)) = tokio::join!(slow, fast);
    let seen: Vec<String> = seen.iter().map(ToString::to_string).collect();
    assert!(seen.contains(&second), "{seen:?}");
    assert!(
        seen.contains(&first),
        "the earlier change must be visible with the later one: {seen:?}"
    );
}
