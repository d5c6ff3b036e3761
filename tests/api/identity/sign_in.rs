//! Signing in: the three identifiers, answers that reveal nothing, slow-down and lockout, and
//! the upgrade of outdated password hashes.

use argon2::{Argon2, Params, PasswordHasher};
use chrono::Duration;
use figment::providers::Serialized;
use merit_persistence::accounts;
use serde_json::json;

use super::{audit_events, kinds, me, patch_account, roles, without_request_id};
use crate::support::{PASSWORD, TestApp, assert_problem};

const WRONG: &str = "Wrong.Guess42";

#[actix_web::test]
async fn an_applicant_signs_in_with_the_email_or_the_username_in_any_letter_case() {
    let app = TestApp::spawn().await;
    app.post(
        "/api/v1/accounts",
        &json!({"email": "Lena.Park@Example.org", "username": "lpark", "password": PASSWORD,
                "first_name": "Lena", "last_name": "Park"}),
    )
    .await
    .assert_status(202);
    for login in [
        "Lena.Park@Example.org",
        "lena.park@example.org",
        "lpark",
        "LPARK",
    ] {
        let response = app.sign_in(login, PASSWORD).await;
        response.assert_status(200);
        assert_eq!(response.body["token_type"], "Bearer");
        assert_eq!(response.body["expires_in"], 900);
        assert_eq!(response.body["password_change_required"], false);
        let token = response.body["access_token"].as_str().unwrap();
        assert_eq!(me(&app, token).await.body["username"], "lpark", "{login}");
    }
}

#[actix_web::test]
async fn an_employee_signs_in_with_the_employee_id() {
    let app = TestApp::spawn().await;
    app.with_reference_data().await;
    let employee = app.employee("00123456", "DMV").await;
    let me = me(&app, &employee.token).await;
    assert_eq!(me.body["employee_id"], "00123456");
    assert!(roles(&me.body).contains(&"employee".to_owned()));
    assert_problem(
        &app.sign_in("0012345", PASSWORD).await,
        401,
        "invalid_credentials",
    );
}

#[actix_web::test]
async fn an_unknown_account_a_wrong_password_a_disabled_and_a_locked_account_get_identical_answers()
{
    let app = TestApp::spawn_with(|f| f.merge(Serialized::default("lockout_threshold", 2))).await;
    let admin = app.admin().await;
    let disabled = app.applicant("disabled@example.org").await;
    patch_account(&app, &admin, &disabled.id, json!({"disabled": true}))
        .await
        .assert_status(200);
    app.applicant("locked@example.org").await;
    for _ in 0..2 {
        app.sign_in("locked@example.org", WRONG).await;
    }
    app.applicant("known@example.org").await;

    let answers = [
        app.sign_in("nobody@example.org", WRONG).await,
        app.sign_in("known@example.org", WRONG).await,
        app.sign_in("disabled@example.org", PASSWORD).await,
        app.sign_in("locked@example.org", PASSWORD).await,
        app.sign_in("nobody", WRONG).await,
        app.sign_in("99999999", WRONG).await,
        app.sign_in("!!", WRONG).await,
    ];
    let reference = without_request_id(&answers[0]);
    for answer in &answers {
        assert_problem(answer, 401, "invalid_credentials");
        assert_eq!(without_request_id(answer), reference);
        assert_eq!(answer.header("www-authenticate"), "Bearer");
    }
}

#[actix_web::test]
async fn an_unknown_name_slows_down_like_a_known_account_so_the_delay_reveals_nothing() {
    let app = TestApp::spawn().await;
    app.applicant("known@example.org").await;
    for login in ["known@example.org", "nobody@example.org", "no-such-user"] {
        // Every failure waits at least a tenth of a second, the time it may take to count one
        // against a known account, so known names do not answer later than unknown ones.
        for _ in 0..3 {
            let started = std::time::Instant::now();
            app.sign_in(login, WRONG).await;
            assert!(
                started.elapsed() >= std::time::Duration::from_millis(100),
                "{login}"
            );
        }
        // The fourth failure within the window waits a quarter of a second before answering.
        let started = std::time::Instant::now();
        let answer = app.sign_in(login, WRONG).await;
        let waited = started.elapsed();
        assert_problem(&answer, 401, "invalid_credentials");
        assert!(
            waited >= std::time::Duration::from_millis(250),
            "the fourth failure for {login} was answered after {waited:?}"
        );
    }
}

#[actix_web::test]
async fn ten_failures_in_fifteen_minutes_lock_the_account_for_fifteen_minutes() {
    // The default rule, with its real slow-down (about 20 seconds of waiting in all).
    let app = TestApp::spawn().await;
    let user = app.applicant("target@example.org").await;
    for _ in 0..10 {
        assert_problem(
            &app.sign_in("target@example.org", WRONG).await,
            401,
            "invalid_credentials",
        );
        app.clock.advance(Duration::seconds(30));
    }
    // The eleventh attempt, with the right password, is refused all the same.
    assert_problem(
        &app.sign_in("target@example.org", PASSWORD).await,
        401,
        "invalid_credentials",
    );
    let admin = app.admin().await;
    let events = audit_events(&app, &admin, &format!("account_id={}", user.id)).await;
    let kinds = kinds(&events);
    assert_eq!(kinds.iter().filter(|k| *k == "sign_in_failed").count(), 10);
    assert_eq!(kinds.iter().filter(|k| *k == "account_locked").count(), 1);
    let locked = app
        .get_as(&admin.token, &format!("/api/v1/admin/accounts/{}", user.id))
        .await;
    assert!(locked.body["locked_until"].is_string());

    // Locked at the tenth failure (4.5 minutes in); still locked a second before 15 minutes.
    app.clock
        .advance(Duration::minutes(15) - Duration::seconds(31));
    assert_problem(
        &app.sign_in("target@example.org", PASSWORD).await,
        401,
        "invalid_credentials",
    );
    app.clock.advance(Duration::seconds(1));
    app.sign_in("target@example.org", PASSWORD)
        .await
        .assert_status(200);
}

#[actix_web::test]
async fn failures_below_the_threshold_do_not_lock_and_a_success_starts_the_count_again() {
    let app = TestApp::spawn_with(|f| f.merge(Serialized::default("lockout_threshold", 3))).await;
    app.applicant("careful@example.org").await;
    for _ in 0..2 {
        app.sign_in("careful@example.org", WRONG).await;
    }
    app.sign_in("careful@example.org", PASSWORD)
        .await
        .assert_status(200);
    for _ in 0..2 {
        app.sign_in("careful@example.org", WRONG).await;
    }
    app.sign_in("careful@example.org", PASSWORD)
        .await
        .assert_status(200);
}

#[actix_web::test]
async fn failures_outside_the_window_start_a_new_count() {
    let app = TestApp::spawn_with(|f| f.merge(Serialized::default("lockout_threshold", 3))).await;
    app.applicant("spread@example.org").await;
    for _ in 0..2 {
        app.sign_in("spread@example.org", WRONG).await;
    }
    app.clock.advance(Duration::minutes(15));
    for _ in 0..2 {
        app.sign_in("spread@example.org", WRONG).await;
    }
    app.sign_in("spread@example.org", PASSWORD)
        .await
        .assert_status(200);
}

#[actix_web::test]
async fn an_admin_unlock_lifts_the_lock_and_every_step_is_audited() {
    let app = TestApp::spawn_with(|f| f.merge(Serialized::default("lockout_threshold", 3))).await;
    let user = app.applicant("unlock@example.org").await;
    for _ in 0..3 {
        app.sign_in("unlock@example.org", WRONG).await;
    }
    assert_problem(
        &app.sign_in("unlock@example.org", PASSWORD).await,
        401,
        "invalid_credentials",
    );
    let admin = app.admin().await;
    app.post_as(
        &admin.token,
        &format!("/api/v1/admin/accounts/{}/unlock", user.id),
        &json!({}),
    )
    .await
    .assert_status(204);
    let account = app
        .get_as(&admin.token, &format!("/api/v1/admin/accounts/{}", user.id))
        .await;
    assert_eq!(account.body["locked_until"], serde_json::Value::Null);
    app.sign_in("unlock@example.org", PASSWORD)
        .await
        .assert_status(200);

    let events = audit_events(&app, &admin, &format!("account_id={}", user.id)).await;
    let mut kinds = kinds(&events);
    kinds.reverse();
    let expected = [
        "sign_in",
        "sign_in_failed",
        "sign_in_failed",
        "sign_in_failed",
        "account_locked",
        "account_unlocked",
        "sign_in",
    ];
    assert_eq!(&kinds[kinds.len() - expected.len()..], expected);
    let unlocked = events
        .iter()
        .find(|e| e["kind"] == "account_unlocked")
        .unwrap();
    assert_eq!(unlocked["actor_account_id"], admin.id.as_str());
    assert_eq!(unlocked["subject_account_id"], user.id.as_str());
    let failed = audit_events(
        &app,
        &admin,
        &format!("account_id={}&kind=sign_in_failed", user.id),
    )
    .await;
    assert_eq!(failed.len(), 3);
    assert!(failed.iter().all(|e| e["actor_account_id"].is_null()));
}

#[actix_web::test]
async fn concurrent_failures_are_all_counted_toward_the_lock() {
    let app = TestApp::spawn_with(|f| f.merge(Serialized::default("lockout_threshold", 4))).await;
    app.applicant("parallel@example.org").await;
    let attempt = || app.sign_in("parallel@example.org", WRONG);
    let answers = tokio::join!(
        attempt(),
        attempt(),
        attempt(),
        attempt(),
        attempt(),
        attempt()
    );
    for answer in [
        answers.0, answers.1, answers.2, answers.3, answers.4, answers.5,
    ] {
        assert_problem(&answer, 401, "invalid_credentials");
    }
    assert_problem(
        &app.sign_in("parallel@example.org", PASSWORD).await,
        401,
        "invalid_credentials",
    );
}

#[actix_web::test]
async fn an_outdated_hash_is_upgraded_at_the_next_successful_sign_in() {
    let app = TestApp::spawn().await;
    let user = app.applicant("legacy@example.org").await;
    let weak = Argon2::new(
        argon2::Algorithm::Argon2id,
        argon2::Version::V0x13,
        Params::new(4096, 1, 1, None).unwrap(),
    );
    let old = weak.hash_password(PASSWORD.as_bytes()).unwrap().to_string();
    assert!(old.starts_with("$argon2id$v=19$m=4096,t=1,p=1$"));
    let stored_hash = |id: String| {
        let db = app.db.clone();
        async move {
            db.read(move |conn| Ok(accounts::find_with_hash(conn, id.parse().expect("an id"))?))
                .await
                .unwrap()
                .and_then(|(_, hash)| hash)
                .unwrap()
        }
    };
    let (id, hash) = (user.id.clone(), old.clone());
    app.db
        .write(move |conn| {
            Ok(accounts::upgrade_hash(
                conn,
                id.parse().expect("an id"),
                &hash,
            )?)
        })
        .await
        .unwrap();

    assert_problem(
        &app.sign_in("legacy@example.org", WRONG).await,
        401,
        "invalid_credentials",
    );
    assert_eq!(
        stored_hash(user.id.clone()).await,
        old,
        "a failure upgrades nothing"
    );
    app.sign_in("legacy@example.org", PASSWORD)
        .await
        .assert_status(200);
    let upgraded = stored_hash(user.id.clone()).await;
    assert!(
        upgraded.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
        "{upgraded}"
    );
    app.sign_in("legacy@example.org", PASSWORD)
        .await
        .assert_status(200);
    assert_eq!(
        stored_hash(user.id.clone()).await,
        upgraded,
        "upgraded once"
    );
}
