//! Forged access tokens (RFC 8725, ASVS V9): every variant is 401, never anonymous access.
//!
//! The forger knows the app's real signing key (read from its data dir), so a variant that only
//! fails because the key is unknown proves nothing; the first test shows that a token built here
//! with the real key and untouched claims is accepted, so each refusal below is the check under
//! test and not a mistake of the forger.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use jsonwebtoken::{Algorithm, EncodingKey, Header, encode};
use merit_api::auth::tokens::TokenKeys;
use secrecy::ExposeSecret;
use serde_json::{Value, json};

use super::me;
use crate::support::{TestApp, TestResponse, TestUser, assert_problem};

struct Forger {
    secret: Vec<u8>,
    kid: String,
    claims: Value,
    user: TestUser,
}

impl Forger {
    async fn new(app: &TestApp) -> Forger {
        let user = app.applicant("victim@example.org").await;
        let secret = TokenKeys::load_or_create_secret(None, &app.state.settings.data_dir)
            .unwrap()
            .expose_secret()
            .as_bytes()
            .to_vec();
        let header = jsonwebtoken::decode_header(&user.token).unwrap();
        let payload = user.token.split('.').nth(1).unwrap();
        let claims = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap();
        Forger {
            secret,
            kid: header.kid.unwrap(),
            claims,
            user,
        }
    }

    /// A header as Merit writes it.
    fn header(&self) -> Header {
        let mut header = Header::new(Algorithm::HS256);
        header.typ = Some("at+jwt".into());
        header.kid = Some(self.kid.clone());
        header
    }

    /// The real claims with `changes` applied.
    fn claims(&self, changes: Value) -> Value {
        let mut claims = self.claims.clone();
        for (name, value) in changes.as_object().unwrap() {
            claims[name] = value.clone();
        }
        claims
    }

    fn sign(&self, header: &Header, claims: &Value) -> String {
        encode(header, claims, &EncodingKey::from_secret(&self.secret)).unwrap()
    }
}

fn segment(value: &Value) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(value).unwrap())
}

async fn refused(app: &TestApp, token: &str, what: &str) -> TestResponse {
    let response = me(app, token).await;
    assert_eq!(response.status, 401, "{what}: {}", response.text);
    response
}

#[actix_web::test]
async fn a_token_built_with_the_real_key_and_claims_is_accepted_so_the_forger_is_sound() {
    let app = TestApp::spawn().await;
    let forger = Forger::new(&app).await;
    let token = forger.sign(&forger.header(), &forger.claims(json!({})));
    let response = me(&app, &token).await;
    response.assert_status(200);
    assert_eq!(response.body["id"], forger.user.id.as_str());
}

#[actix_web::test]
async fn an_unsigned_alg_none_token_is_401() {
    let app = TestApp::spawn().await;
    let forger = Forger::new(&app).await;
    let claims = segment(&forger.claims(json!({})));
    for alg in ["none", "None", "NONE"] {
        let header = segment(&json!({"alg": alg, "typ": "at+jwt", "kid": forger.kid}));
        for token in [format!("{header}.{claims}."), format!("{header}.{claims}")] {
            let response = refused(&app, &token, alg).await;
            assert_problem(&response, 401, "unauthenticated");
        }
    }
}

#[actix_web::test]
async fn a_token_signed_with_another_key_or_another_algorithm_is_401() {
    let app = TestApp::spawn().await;
    let forger = Forger::new(&app).await;
    let claims = forger.claims(json!({}));
    let other_key = encode(
        &forger.header(),
        &claims,
        &EncodingKey::from_secret(b"a-guessed-secret-of-at-least-32-bytes!"),
    )
    .unwrap();
    assert_problem(
        &refused(&app, &other_key, "wrong key").await,
        401,
        "unauthenticated",
    );
    for algorithm in [Algorithm::HS384, Algorithm::HS512] {
        let mut header = forger.header();
        header.alg = algorithm;
        let token = forger.sign(&header, &claims);
        assert_problem(
            &refused(&app, &token, &format!("{algorithm:?}")).await,
            401,
            "unauthenticated",
        );
    }
}

#[actix_web::test]
async fn tampered_claims_under_the_original_signature_are_401() {
    let app = TestApp::spawn().await;
    let forger = Forger::new(&app).await;
    let admin = app.admin().await;
    let parts: Vec<&str> = forger.user.token.split('.').collect();
    let tampered_claims = [
        json!({"sub": admin.id}),
        json!({"exp": forger.claims["exp"].as_i64().unwrap() + 3600}),
        json!({"sid": "another-session"}),
    ];
    for changes in tampered_claims {
        let payload = segment(&forger.claims(changes.clone()));
        let token = format!("{}.{payload}.{}", parts[0], parts[2]);
        assert_problem(
            &refused(&app, &token, &changes.to_string()).await,
            401,
            "unauthenticated",
        );
    }
    let stripped = format!("{}.{}.", parts[0], parts[1]);
    assert_problem(
        &refused(&app, &stripped, "signature stripped").await,
        401,
        "unauthenticated",
    );
    let garbage = format!("{}.{}.{}", parts[0], parts[1], "A".repeat(43));
    assert_problem(
        &refused(&app, &garbage, "signature replaced").await,
        401,
        "unauthenticated",
    );
}

#[actix_web::test]
async fn an_expired_token_is_401_token_expired_even_when_correctly_signed() {
    let app = TestApp::spawn().await;
    let forger = Forger::new(&app).await;
    let iat = forger.claims["iat"].as_i64().unwrap();
    let token = forger.sign(
        &forger.header(),
        &forger.claims(json!({"iat": iat - 3600, "exp": iat - 1})),
    );
    assert_problem(
        &refused(&app, &token, "expired").await,
        401,
        "token_expired",
    );
}

#[actix_web::test]
async fn a_wrong_audience_issuer_or_type_is_401() {
    let app = TestApp::spawn().await;
    let forger = Forger::new(&app).await;
    let claims = [
        ("wrong aud", json!({"aud": "another-api"})),
        ("aud list", json!({"aud": ["another-api"]})),
        ("wrong iss", json!({"iss": "https://evil.example"})),
        ("no aud", json!({"aud": null})),
        (
            "issued in the future",
            json!({"iat": forger.claims["iat"].as_i64().unwrap() + 3600}),
        ),
    ];
    for (what, changes) in claims {
        let token = forger.sign(&forger.header(), &forger.claims(changes));
        assert_problem(&refused(&app, &token, what).await, 401, "unauthenticated");
    }
    for typ in [Some("JWT"), Some("refresh+jwt"), None] {
        let mut header = forger.header();
        header.typ = typ.map(str::to_owned);
        let token = forger.sign(&header, &forger.claims(json!({})));
        assert_problem(
            &refused(&app, &token, &format!("typ {typ:?}")).await,
            401,
            "unauthenticated",
        );
    }
}

#[actix_web::test]
async fn an_unknown_or_hostile_kid_is_401() {
    let app = TestApp::spawn().await;
    let forger = Forger::new(&app).await;
    for kid in [
        Some("0000000000000000"),
        Some("../../etc/passwd"),
        Some("/dev/null"),
        Some("' OR 1=1 --"),
        Some(""),
        None,
    ] {
        let mut header = forger.header();
        header.kid = kid.map(str::to_owned);
        let token = forger.sign(&header, &forger.claims(json!({})));
        assert_problem(
            &refused(&app, &token, &format!("kid {kid:?}")).await,
            401,
            "unauthenticated",
        );
    }
}

#[actix_web::test]
async fn a_correctly_signed_token_for_a_session_that_does_not_exist_is_401() {
    let app = TestApp::spawn().await;
    let forger = Forger::new(&app).await;
    let token = forger.sign(
        &forger.header(),
        &forger.claims(json!({"sid": "01900000-0000-7000-8000-000000000000"})),
    );
    assert_problem(
        &refused(&app, &token, "unknown sid").await,
        401,
        "session_ended",
    );
}

#[actix_web::test]
async fn a_refresh_token_used_as_an_access_token_is_401() {
    let app = TestApp::spawn().await;
    let forger = Forger::new(&app).await;
    assert_problem(
        &refused(&app, &forger.user.refresh_token, "refresh token").await,
        401,
        "unauthenticated",
    );
}

#[actix_web::test]
async fn a_token_only_in_the_query_string_or_in_another_scheme_is_401() {
    let app = TestApp::spawn().await;
    let forger = Forger::new(&app).await;
    let token = &forger.user.token;
    let in_query = app.get(&format!("/api/v1/me?access_token={token}")).await;
    assert_problem(&in_query, 401, "unauthenticated");

    let basic = URL_SAFE_NO_PAD.encode(format!("victim@example.org:{}", crate::support::PASSWORD));
    let schemes = [
        format!("Basic {basic}"),
        format!("Token {token}"),
        format!("Bearer{token}"),
        "Bearer ".to_owned(),
        token.clone(),
    ];
    for authorization in schemes {
        let response = app
            .send(
                app.request(reqwest::Method::GET, "/api/v1/me")
                    .header("authorization", &authorization),
            )
            .await;
        assert_problem(&response, 401, "unauthenticated");
    }
    // A bearer token in any letter case of the scheme is fine.
    let response = app
        .send(
            app.request(reqwest::Method::GET, "/api/v1/me")
                .header("authorization", format!("bearer {token}")),
        )
        .await;
    response.assert_status(200);
}

#[actix_web::test]
async fn a_bad_token_is_401_even_where_signing_in_is_optional_or_not_needed() {
    let app = TestApp::spawn().await;
    let forger = Forger::new(&app).await;
    let parts: Vec<&str> = forger.user.token.split('.').collect();
    let bad = format!("{}.{}.{}", parts[0], parts[1], "A".repeat(43));
    // The change-password route accepts temporary-password sessions, but never a bad token.
    let response = app
        .send_json_as(
            &bad,
            reqwest::Method::PUT,
            "/api/v1/me/password",
            &json!({"current_password": "x", "new_password": "y"}),
        )
        .await;
    assert_problem(&response, 401, "unauthenticated");
    let logout = app.post_as(&bad, "/api/v1/auth/logout", &json!({})).await;
    assert_problem(&logout, 401, "unauthenticated");
}
