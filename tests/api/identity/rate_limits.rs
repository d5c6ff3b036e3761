//! Per-client rate limits on sign-in, registration and recovery, and per-address limits on
//! recovery emails: 429 with `Retry-After`.

use figment::providers::Serialized;
use serde_json::json;

use crate::support::{PASSWORD, TestApp, TestResponse, assert_problem};

fn assert_limited(response: &TestResponse) {
    assert_problem(response, 429, "too_many_requests");
    let wait: u64 = response
        .header("retry-after")
        .parse()
        .expect("Retry-After in seconds");
    assert!(wait >= 1, "Retry-After {wait}");
}

#[actix_web::test]
async fn sign_ins_beyond_the_client_limit_are_429_even_with_the_right_password() {
    let app =
        TestApp::spawn_with(|f| f.merge(Serialized::default("login_rate_per_minute", 3))).await;
    for _ in 0..3 {
        assert_problem(
            &app.sign_in("someone@example.org", "Wrong.Guess42").await,
            401,
            "invalid_credentials",
        );
    }
    let limited = app.sign_in("admin", crate::support::ADMIN_PASSWORD).await;
    assert_limited(&limited);
    let wait: u64 = limited.header("retry-after").parse().unwrap();
    assert!(
        wait <= 20,
        "one attempt comes back every 20 seconds: {wait}"
    );
}

#[actix_web::test]
async fn registrations_beyond_the_client_limit_are_429() {
    let app =
        TestApp::spawn_with(|f| f.merge(Serialized::default("registration_rate_per_hour", 2)))
            .await;
    app.register("one@example.org").await.assert_status(202);
    app.register("two@example.org").await.assert_status(202);
    assert_limited(&app.register("three@example.org").await);
    assert_eq!(app.mailbox().await.len(), 2);
}

#[actix_web::test]
async fn recovery_requests_share_one_client_limit() {
    let app =
        TestApp::spawn_with(|f| f.merge(Serialized::default("recovery_rate_per_minute", 3))).await;
    app.post(
        "/api/v1/auth/password-resets",
        &json!({"email": "a@example.org"}),
    )
    .await
    .assert_status(202);
    app.post(
        "/api/v1/auth/username-reminders",
        &json!({"email": "b@example.org"}),
    )
    .await
    .assert_status(202);
    app.post(
        "/api/v1/auth/employee-activations",
        &json!({"employee_id": "1234", "privacy_agreement_version": "2026-01"}),
    )
    .await
    .assert_status(202);
    assert_limited(
        &app.post(
            "/api/v1/auth/password-resets",
            &json!({"email": "c@example.org"}),
        )
        .await,
    );
    assert_limited(
        &app.post(
            "/api/v1/auth/employee-activations",
            &json!({"employee_id": "1235", "privacy_agreement_version": "2026-01"}),
        )
        .await,
    );
}

#[actix_web::test]
async fn reset_emails_to_one_address_are_limited_per_address() {
    let app = TestApp::spawn_with(|f| {
        f.merge(Serialized::default("recovery_rate_per_address_per_hour", 2))
    })
    .await;
    app.applicant("target@example.org").await;
    let before = app.mail_to("target@example.org").await.len();
    for _ in 0..2 {
        app.post(
            "/api/v1/auth/password-resets",
            &json!({"email": "target@example.org"}),
        )
        .await
        .assert_status(202);
    }
    assert_limited(
        &app.post(
            "/api/v1/auth/password-resets",
            &json!({"email": "TARGET@example.org"}),
        )
        .await,
    );
    assert_limited(
        &app.post(
            "/api/v1/auth/username-reminders",
            &json!({"email": "target@example.org"}),
        )
        .await,
    );
    assert_eq!(app.mail_to("target@example.org").await.len(), before + 2);
    // Another address from the same client is not affected.
    app.post(
        "/api/v1/auth/password-resets",
        &json!({"email": "other@example.org"}),
    )
    .await
    .assert_status(202);
    // The owner can still sign in: the limit throttles emails, not the account.
    app.sign_in("target@example.org", PASSWORD)
        .await
        .assert_status(200);
}

#[actix_web::test]
async fn behind_a_trusted_proxy_the_client_is_the_address_the_proxy_saw() {
    let app = TestApp::spawn_with(|f| {
        f.merge(Serialized::default("login_rate_per_minute", 2))
            .merge(Serialized::default("trust_forwarded_for", true))
    })
    .await;
    let attempt = |forwarded: String| {
        app.send(
            app.request(reqwest::Method::POST, "/api/v1/auth/login")
                .header("x-forwarded-for", forwarded)
                .json(&json!({"login": "someone", "password": "Wrong.Guess42"})),
        )
    };
    // The client writes whatever it likes before the hop the proxy appends.
    for spoofed in ["198.51.100.1", "198.51.100.2"] {
        assert_eq!(attempt(format!("{spoofed}, 203.0.113.7")).await.status, 401);
    }
    assert_limited(&attempt("198.51.100.3, 203.0.113.7".to_owned()).await);
    // Another client seen by the proxy has its own allowance.
    assert_eq!(attempt("203.0.113.8".to_owned()).await.status, 401);
}

#[actix_web::test]
async fn without_a_trusted_proxy_x_forwarded_for_is_ignored() {
    let app =
        TestApp::spawn_with(|f| f.merge(Serialized::default("login_rate_per_minute", 2))).await;
    let attempt = |forwarded: &'static str| {
        app.send(
            app.request(reqwest::Method::POST, "/api/v1/auth/login")
                .header("x-forwarded-for", forwarded)
                .json(&json!({"login": "someone", "password": "Wrong.Guess42"})),
        )
    };
    assert_eq!(attempt("198.51.100.1").await.status, 401);
    assert_eq!(attempt("198.51.100.2").await.status, 401);
    assert_limited(&attempt("198.51.100.3").await);
}

#[actix_web::test]
async fn re_sent_email_confirmations_are_limited_per_address_and_per_client() {
    let app = TestApp::spawn_with(|f| {
        f.merge(Serialized::default("recovery_rate_per_address_per_hour", 2))
            .merge(Serialized::default("recovery_rate_per_minute", 3))
    })
    .await;
    app.register("slow@example.org").await.assert_status(202);
    let slow = app.signed_in("slow@example.org", PASSWORD).await;
    let resend = |token: String| {
        let app = &app;
        async move {
            app.post_as(&token, "/api/v1/me/email-verifications", &json!({}))
                .await
        }
    };
    resend(slow.token.clone()).await.assert_status(202);
    resend(slow.token.clone()).await.assert_status(202);
    assert_limited(&resend(slow.token.clone()).await);
    // The registration email and the two re-sent ones; the refused one sent nothing.
    assert_eq!(app.mail_to("slow@example.org").await.len(), 3);

    // The client's third request this minute was the refused one; another account's request
    // from the same client is refused too.
    app.register("other@example.org").await.assert_status(202);
    let other = app.signed_in("other@example.org", PASSWORD).await;
    assert_limited(&resend(other.token.clone()).await);
    assert_eq!(app.mail_to("other@example.org").await.len(), 1);
}
