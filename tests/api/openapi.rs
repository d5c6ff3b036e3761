//! `openapi.yaml` is generated from the code; this fails when the committed file drifts.

use std::path::PathBuf;

use serde_json::Value;

fn committed_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../openapi.yaml")
}

#[test]
fn the_committed_openapi_yaml_matches_the_code() {
    let generated = merit_api::openapi::yaml();
    let path = committed_path();
    if std::env::var_os("UPDATE_OPENAPI").is_some() {
        std::fs::write(&path, &generated).expect("openapi.yaml is writable");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "openapi.yaml is out of date: run `UPDATE_OPENAPI=1 cargo nextest run openapi` (or `cargo run -- openapi > openapi.yaml`) and commit it"
    );
}

#[test]
fn every_operation_has_an_id_a_summary_a_tag_and_problem_errors() {
    let document = serde_json::to_value(merit_api::openapi::document()).expect("serialises");
    let paths = document["paths"].as_object().expect("paths");
    assert!(!paths.is_empty());
    for (path, item) in paths {
        for (method, operation) in item.as_object().expect("a path item") {
            let at = format!("{method} {path}");
            assert!(operation["operationId"].is_string(), "{at}: no operationId");
            assert!(
                operation["summary"].as_str().is_some_and(|s| !s.is_empty()),
                "{at}: no summary"
            );
            assert!(
                operation["tags"].as_array().is_some_and(|t| !t.is_empty()),
                "{at}: no tag"
            );
            let responses = operation["responses"].as_object().expect("responses");
            for status in ["500", "503"] {
                assert!(responses.contains_key(status), "{at}: no {status}");
            }
            for (status, response) in responses
                .iter()
                .filter(|(s, _)| !s.starts_with('2') && !s.starts_with('3'))
            {
                let reference = response["$ref"].as_str().unwrap_or_default();
                assert!(
                    reference.starts_with("#/components/responses/"),
                    "{at} {status}: not a problem response"
                );
            }
        }
    }
    let problem: &Value = &document["components"]["responses"]["BadRequest"]["content"]["application/problem+json"]
        ["schema"];
    assert_eq!(problem["$ref"], "#/components/schemas/Problem");
}
