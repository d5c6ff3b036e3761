//! Sessions: refresh rotation and reuse detection, logout, password changes, disabled accounts
//! and token lifetimes.

use chrono::Duration;
use serde_json::json;

use super::{audit_events, change_password, kinds, me, patch_account, refresh};
use crate::support::{PASSWORD, TestApp, assert_problem};

const NEW_PASSWORD: &str = "Lantern.Quay58";

#[actix_web::test]
async fn a_refresh_rotates_the_pair_and_the_old_refresh_token_then_fails() {
    let app = TestApp::spawn().await;
    let user = app.applicant("rotate@example.org").await;
    let rotated = refresh(&app, &user.refresh_token).await;
    rotated.assert_status(200);
    let new_access = rotated.body["access_token"].as_str().unwrap();
    let new_refresh = rotated.body["refresh_token"].as_str().unwrap();
    assert_ne!(new_refresh, user.refresh_token);
    assert_eq!(rotated.body["expires_in"], 900);
    me(&app, new_access).await.assert_status(200);
    me(&app, &user.token).await.assert_status(200);

    // The next rotation works from the newest token.
    refresh(&app, new_refresh).await.assert_status(200);
    assert_problem(
        &refresh(&app, "not-a-refresh-token").await,
        401,
        "invalid_refresh_token",
    );
}

#[actix_web::test]
async fn reusing_a_used_refresh_token_ends_the_whole_session() {
    let app = TestApp::spawn().await;
    let user = app.applicant("reuse@example.org").await;
    let other_device = app.signed_in("reuse@example.org", PASSWORD).await;
    let rotated = refresh(&app, &user.refresh_token).await;
    rotated.assert_status(200);
    let newer_access = rotated.body["access_token"].as_str().unwrap();
    let newer_refresh = rotated.body["refresh_token"].as_str().unwrap();

    assert_problem(
        &refresh(&app, &user.refresh_token).await,
        401,
        "invalid_refresh_token",
    );
    assert_problem(
        &refresh(&app, newer_refresh).await,
        401,
        "invalid_refresh_token",
    );
    assert_problem(&me(&app, newer_access).await, 401, "session_ended");
    assert_problem(&me(&app, &user.token).await, 401, "session_ended");
    // Another session of the same person is not touched.
    me(&app, &other_device.token).await.assert_status(200);
    refresh(&app, &other_device.refresh_token)
        .await
        .assert_status(200);

    let admin = app.admin().await;
    let events = audit_events(
        &app,
        &admin,
        &format!("account_id={}&kind=refresh_token_reused", user.id),
    )
    .await;
    assert_eq!(events.len(), 1);
}

#[actix_web::test]
async fn logout_ends_the_session_and_its_refresh_token() {
    let app = TestApp::spawn().await;
    let user = app.applicant("leave@example.org").await;
    let other = app.signed_in("leave@example.org", PASSWORD).await;
    app.post_as(&user.token, "/api/v1/auth/logout", &json!({}))
        .await
        .assert_status(204);
    assert_problem(&me(&app, &user.token).await, 401, "session_ended");
    assert_problem(
        &refresh(&app, &user.refresh_token).await,
        401,
        "invalid_refresh_token",
    );
    me(&app, &other.token).await.assert_status(200);
    assert_problem(
        &app.post_as(&user.token, "/api/v1/auth/logout", &json!({}))
            .await,
        401,
        "session_ended",
    );
    let admin = app.admin().await;
    let events = audit_events(&app, &admin, &format!("account_id={}", user.id)).await;
    assert!(kinds(&events).contains(&"signed_out".to_owned()));
}

#[actix_web::test]
async fn a_password_change_ends_every_other_session_but_keeps_this_one() {
    let app = TestApp::spawn().await;
    let here = app.applicant("change@example.org").await;
    let elsewhere = app.signed_in("change@example.org", PASSWORD).await;
    let third = app.signed_in("change@example.org", PASSWORD).await;
    change_password(&app, &here.token, PASSWORD, NEW_PASSWORD)
        .await
        .assert_status(204);
    me(&app, &here.token).await.assert_status(200);
    refresh(&app, &here.refresh_token).await.assert_status(200);
    for gone in [&elsewhere, &third] {
        assert_problem(&me(&app, &gone.token).await, 401, "session_ended");
        assert_problem(
            &refresh(&app, &gone.refresh_token).await,
            401,
            "invalid_refresh_token",
        );
    }
    assert_problem(
        &app.sign_in("change@example.org", PASSWORD).await,
        401,
        "invalid_credentials",
    );
    app.sign_in("change@example.org", NEW_PASSWORD)
        .await
        .assert_status(200);
    let admin = app.admin().await;
    let events = audit_events(
        &app,
        &admin,
        &format!("account_id={}&kind=password_changed", here.id),
    )
    .await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["details"]["sessions_ended"], 2);
}

#[actix_web::test]
async fn a_password_change_needs_the_current_password_and_a_valid_new_one() {
    let app = TestApp::spawn().await;
    let user = app.applicant("careful@example.org").await;
    let wrong = change_password(&app, &user.token, "Not.The.One9", NEW_PASSWORD).await;
    assert_problem(&wrong, 422, "validation_failed");
    assert_eq!(wrong.body["errors"][0]["field"], "current_password");
    assert_eq!(wrong.body["errors"][0]["code"], "incorrect_password");
    let weak = change_password(&app, &user.token, PASSWORD, "short").await;
    assert_problem(&weak, 422, "validation_failed");
    assert!(weak.text.contains("password_too_short"));
    let same = change_password(&app, &user.token, PASSWORD, PASSWORD).await;
    assert_problem(&same, 422, "validation_failed");
    assert!(same.text.contains("password_unchanged"));
    app.sign_in("careful@example.org", PASSWORD)
        .await
        .assert_status(200);
}

#[actix_web::test]
async fn a_disabled_account_is_refused_at_its_next_request_and_cannot_sign_in() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let user = app.applicant("gone@example.org").await;
    let disabled = patch_account(&app, &admin, &user.id, json!({"disabled": true})).await;
    disabled.assert_status(200);
    assert_eq!(disabled.body["disabled"], true);
    assert_problem(&me(&app, &user.token).await, 401, "session_ended");
    assert_problem(
        &refresh(&app, &user.refresh_token).await,
        401,
        "invalid_refresh_token",
    );
    assert_problem(
        &app.sign_in("gone@example.org", PASSWORD).await,
        401,
        "invalid_credentials",
    );

    patch_account(&app, &admin, &user.id, json!({"disabled": false}))
        .await
        .assert_status(200);
    app.sign_in("gone@example.org", PASSWORD)
        .await
        .assert_status(200);
    let events = audit_events(&app, &admin, &format!("account_id={}", user.id)).await;
    let kinds = kinds(&events);
    assert!(kinds.contains(&"account_disabled".to_owned()));
    assert!(kinds.contains(&"account_enabled".to_owned()));
}

#[actix_web::test]
async fn an_access_token_expires_after_fifteen_minutes_and_a_refresh_gives_a_new_one() {
    let app = TestApp::spawn().await;
    let user = app.applicant("clock@example.org").await;
    app.clock
        .advance(Duration::minutes(15) - Duration::seconds(1));
    me(&app, &user.token).await.assert_status(200);
    app.clock.advance(Duration::seconds(1));
    let expired = me(&app, &user.token).await;
    assert_problem(&expired, 401, "token_expired");
    assert_eq!(expired.header("www-authenticate"), "Bearer");
    let rotated = refresh(&app, &user.refresh_token).await;
    rotated.assert_status(200);
    me(&app, rotated.body["access_token"].as_str().unwrap())
        .await
        .assert_status(200);
}

#[actix_web::test]
async fn an_unused_refresh_token_expires_after_a_day() {
    let app = TestApp::spawn().await;
    let user = app.applicant("idle@example.org").await;
    app.clock.advance(Duration::hours(24));
    assert_problem(
        &refresh(&app, &user.refresh_token).await,
        401,
        "invalid_refresh_token",
    );
}

#[actix_web::test]
async fn a_session_ends_after_thirty_days_however_often_it_is_refreshed() {
    let app = TestApp::spawn().await;
    let user = app.applicant("forever@example.org").await;
    let mut refresh_token = user.refresh_token.clone();
    for _ in 0..35 {
        app.clock.advance(Duration::hours(20));
        let rotated = refresh(&app, &refresh_token).await;
        rotated.assert_status(200);
        refresh_token = rotated.body["refresh_token"].as_str().unwrap().to_owned();
    }
    // 700 hours in; 20 more make 720: the thirtieth day is over.
    app.clock.advance(Duration::hours(20));
    assert_problem(
        &refresh(&app, &refresh_token).await,
        401,
        "invalid_refresh_token",
    );
}

#[actix_web::test]
async fn each_sign_in_gives_a_new_pair_of_long_random_tokens() {
    use base64::Engine;
    let app = TestApp::spawn().await;
    app.applicant("fresh@example.org").await;
    let first = app.sign_in("fresh@example.org", PASSWORD).await;
    let second = app.sign_in("fresh@example.org", PASSWORD).await;
    assert_ne!(first.body["access_token"], second.body["access_token"]);
    assert_ne!(first.body["refresh_token"], second.body["refresh_token"]);
    let refresh_token = first.body["refresh_token"].as_str().unwrap();
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(refresh_token)
        .unwrap();
    assert!(bytes.len() >= 32, "at least 256 random bits");
}
