//! The current password asked for by a password change and an email change: someone holding a
//! session may not guess it faster than a sign-in could, so a wrong one counts towards the
//! account's lockout, and a locked account checks no password at all.

use chrono::Duration;
use figment::providers::Serialized;
use merit_persistence::accounts;
use reqwest::Method;
use serde_json::json;

use super::{audit_events, change_password, kinds};
use crate::support::{PASSWORD, TestApp, assert_problem};

const WRONG: &str = "Wrong.Guess42";
const NEW: &str = "Maple.Canyon-88";

#[actix_web::test]
async fn ten_wrong_current_passwords_lock_the_account_like_failed_sign_ins() {
    // The default rule (10 failures in 15 minutes), with its real slow-down (about 16 s).
    let app = TestApp::spawn().await;
    let user = app.applicant("target@example.org").await;
    for _ in 0..10 {
        let wrong = change_password(&app, &user.token, WRONG, NEW).await;
        assert_problem(&wrong, 422, "validation_failed");
        assert_eq!(wrong.body["errors"][0]["field"], "current_password");
        assert_eq!(wrong.body["errors"][0]["code"], "incorrect_password");
    }
    // Signing in with the right password is refused exactly as for any locked account.
    assert_problem(
        &app.sign_in("target@example.org", PASSWORD).await,
        401,
        "invalid_credentials",
    );
    // The session can guess no further: even the right password is not checked while locked.
    let locked = change_password(&app, &user.token, PASSWORD, NEW).await;
    assert_problem(&locked, 429, "too_many_requests");
    assert_eq!(locked.header("retry-after"), "900");
    let stored = app
        .db
        .read(move |conn| Ok(accounts::find(conn, user.id.parse().expect("an id"))?))
        .await
        .unwrap()
        .unwrap();
    assert!(stored.failures.locked_until.is_some());
    let admin = app.admin().await;
    let events = audit_events(&app, &admin, &format!("account_id={}", stored.id)).await;
    let kinds = kinds(&events);
    assert_eq!(
        kinds
            .iter()
            .filter(|k| *k == "current_password_failed")
            .count(),
        10
    );
    assert!(!kinds.iter().any(|k| k == "sign_in_failed"), "{kinds:?}");
    assert_eq!(kinds.iter().filter(|k| *k == "account_locked").count(), 1);
    assert!(!kinds.iter().any(|k| k == "password_changed"));
    // When the lock ends the old password still works: nothing was changed.
    app.clock.advance(Duration::minutes(15));
    app.sign_in("target@example.org", PASSWORD)
        .await
        .assert_status(200);
}

#[actix_web::test]
async fn wrong_current_passwords_on_an_email_change_count_towards_the_lockout() {
    let app = TestApp::spawn_with(|f| f.merge(Serialized::default("lockout_threshold", 2))).await;
    let user = app.applicant("jane@example.org").await;
    let profile = app.get_as(&user.token, "/api/v1/me/profile").await;
    let etag = profile.header("etag").to_owned();
    let body = json!({"first_name": "Jane", "last_name": "Applicant", "email": "new@example.org",
                      "current_password": WRONG});
    for _ in 0..2 {
        let wrong = app
            .send(
                app.request(Method::PUT, "/api/v1/me/profile")
                    .bearer_auth(&user.token)
                    .header("If-Match", &etag)
                    .json(&body),
            )
            .await;
        assert_problem(&wrong, 422, "validation_failed");
        assert_eq!(wrong.body["errors"][0]["code"], "incorrect_password");
    }
    assert_problem(
        &app.sign_in("jane@example.org", PASSWORD).await,
        401,
        "invalid_credentials",
    );
    let mut right = body;
    right["current_password"] = json!(PASSWORD);
    let locked = app
        .send(
            app.request(Method::PUT, "/api/v1/me/profile")
                .bearer_auth(&user.token)
                .header("If-Match", &etag)
                .json(&right),
        )
        .await;
    assert_problem(&locked, 429, "too_many_requests");
    let stored = app
        .db
        .read(move |conn| Ok(accounts::find(conn, user.id.parse().expect("an id"))?))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.email.unwrap().to_string(), "jane@example.org");
    assert!(stored.failures.locked_until.is_some());
}
