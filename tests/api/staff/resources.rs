//! Staff resources and labour-market links: admins add, change and remove them (checked
//! fields, audited); staff read those for every office and for their own.

use reqwest::Method;
use serde_json::json;

use super::{audit, ids, world};
use crate::support::assert_problem;

const RESOURCES: &str = "/api/v1/staff/resources";
const LINKS: &str = "/api/v1/staff/labor-market-links";

#[actix_web::test]
async fn admins_manage_resources_and_staff_read_those_for_their_office() {
    let w = world().await;
    let app = &w.app;
    let admin = app.admin().await;
    let everyone = app
        .post_as(
            &admin.token,
            RESOURCES,
            &json!({"title": "  Case notes guide ", "url": "https://caljobs.example.gov/guide.pdf", "kind": "guide", "description": "How to write case notes."}),
        )
        .await;
    everyone.assert_status(201);
    assert_eq!(everyone.body["title"], "Case notes guide");
    assert_eq!(everyone.body["kind"], "guide");
    assert_eq!(everyone.body["offices"], json!([]));
    let everyone_id = everyone.body["id"].as_str().unwrap().to_owned();
    assert_eq!(
        everyone.header("location"),
        format!("{RESOURCES}/{everyone_id}")
    );
    let lao_only = app
        .post_as(
            &admin.token,
            RESOURCES,
            &json!({"title": "LAO intake video", "url": "https://video.example.gov/lao", "kind": "training_video", "offices": ["lao"]}),
        )
        .await;
    lao_only.assert_status(201);
    assert_eq!(lao_only.body["offices"], json!(["LAO"]));
    let lao_id = lao_only.body["id"].as_str().unwrap().to_owned();

    // Staff of LAO see both, newest first; SFO's staff only the one for every office.
    let chens = app.get_as(&w.chen.token, RESOURCES).await;
    chens.assert_status(200);
    assert_eq!(ids(&chens.body), vec![lao_id.clone(), everyone_id.clone()]);
    let sfos = app.get_as(&w.sfo.token, RESOURCES).await;
    assert_eq!(ids(&sfos.body), vec![everyone_id.clone()]);
    let hidden = app
        .get_as(&w.sfo.token, &format!("{RESOURCES}/{lao_id}"))
        .await;
    assert_problem(&hidden, 404, "not_found");
    let paged = app
        .get_as(&w.chen.token, &format!("{RESOURCES}?limit=1"))
        .await;
    let cursor = paged.body["next_cursor"].as_str().unwrap().to_owned();
    let next = app
        .get_as(
            &w.chen.token,
            &format!("{RESOURCES}?limit=1&cursor={cursor}"),
        )
        .await;
    assert_eq!(ids(&next.body), vec![everyone_id.clone()]);
    // A resource is not a labour-market link.
    let elsewhere = app
        .get_as(&admin.token, &format!("{LINKS}/{everyone_id}"))
        .await;
    assert_problem(&elsewhere, 404, "not_found");

    // Staff cannot add; bad fields are all reported and nothing is stored.
    let by_staff = app
        .post_as(
            &w.chen.token,
            RESOURCES,
            &json!({"title": "Mine", "url": "https://x.example.org", "kind": "form"}),
        )
        .await;
    assert_problem(&by_staff, 403, "forbidden");
    let bad = app
        .post_as(
            &admin.token,
            RESOURCES,
            &json!({"title": " ", "url": "http://plain.example.org", "kind": "form", "offices": ["L1"]}),
        )
        .await;
    assert_problem(&bad, 422, "validation_failed");
    let fields: Vec<(&str, &str)> = bad.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["field"].as_str().unwrap(), e["code"].as_str().unwrap()))
        .collect();
    assert_eq!(
        fields,
        vec![
            ("title", "blank"),
            ("url", "invalid_link"),
            ("offices[0]", "invalid_code")
        ]
    );
    let unknown_office = app
        .post_as(
            &admin.token,
            RESOURCES,
            &json!({"title": "T", "url": "https://x.example.org", "kind": "form", "offices": ["ZZZ"]}),
        )
        .await;
    assert_problem(&unknown_office, 422, "validation_failed");
    assert_eq!(unknown_office.body["errors"][0]["code"], "unknown_office");
    let all = app.get_as(&admin.token, RESOURCES).await;
    assert_eq!(ids(&all.body).len(), 2);

    // Changing one: If-Match guards it; moving it to SFO hides it from LAO.
    let path = format!("{RESOURCES}/{lao_id}");
    let stale = app
        .send(
            app.request(Method::PUT, &path)
                .bearer_auth(&admin.token)
                .header("if-match", "\"7\"")
                .json(&json!({"title": "SFO video", "url": "https://video.example.gov/sfo", "kind": "training_video", "offices": ["SFO"]})),
        )
        .await;
    assert_problem(&stale, 412, "precondition_failed");
    let moved = app
        .send_json_as(
            &admin.token,
            Method::PUT,
            &path,
            &json!({"title": "SFO video", "url": "https://video.example.gov/sfo", "kind": "training_video", "offices": ["SFO"]}),
        )
        .await;
    moved.assert_status(200);
    assert_eq!(moved.body["version"], 2);
    assert_problem(&app.get_as(&w.chen.token, &path).await, 404, "not_found");
    app.get_as(&w.sfo.token, &path).await.assert_status(200);

    // Removing.
    let removed = app
        .send(app.request(Method::DELETE, &path).bearer_auth(&admin.token))
        .await;
    removed.assert_status(204);
    assert_problem(&app.get_as(&admin.token, &path).await, 404, "not_found");
    let kinds: Vec<String> = [
        "staff_link_added",
        "staff_link_updated",
        "staff_link_removed",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    let mut counts = Vec::new();
    for kind in &kinds {
        counts.push(audit(app, kind).await.len());
    }
    assert_eq!(counts, vec![2, 1, 1]);
}

#[actix_web::test]
async fn labor_market_links_have_a_region_and_no_kind() {
    let w = world().await;
    let app = &w.app;
    let admin = app.admin().await;
    let made = app
        .post_as(
            &admin.token,
            LINKS,
            &json!({"title": "LA County labor market info", "url": "https://labormarketinfo.example.gov/la", "region": "Los Angeles County", "offices": ["LAO"]}),
        )
        .await;
    made.assert_status(201);
    assert_eq!(made.body["region"], "Los Angeles County");
    assert!(made.body.get("kind").is_none());
    let with_kind = app
        .post_as(
            &admin.token,
            LINKS,
            &json!({"title": "X", "url": "https://x.example.org", "kind": "guide"}),
        )
        .await;
    assert_problem(&with_kind, 422, "validation_failed");
    let chens = app.get_as(&w.chen.token, LINKS).await;
    assert_eq!(ids(&chens.body), vec![made.body["id"].as_str().unwrap()]);
    let sfos = app.get_as(&w.sfo.token, LINKS).await;
    assert!(ids(&sfos.body).is_empty());
    // Resources hold none of them.
    let resources = app.get_as(&w.chen.token, RESOURCES).await;
    assert!(ids(&resources.body).is_empty());
}
