//! The first admin, created at start from `MERIT_BOOTSTRAP_ADMIN_PASSWORD`.

use merit_api::services::bootstrap;

use super::{audit_events, me, roles};
use crate::support::{ADMIN_PASSWORD, TestApp, assert_problem};

#[actix_web::test]
async fn the_first_admin_is_created_at_start_from_the_bootstrap_password() {
    let app = TestApp::spawn().await;
    let login = app.sign_in("admin", ADMIN_PASSWORD).await;
    login.assert_status(200);
    assert_eq!(login.body["password_change_required"], false);
    let admin = app.admin().await;
    let account = me(&app, &admin.token).await;
    assert_eq!(account.body["username"], "admin");
    assert_eq!(roles(&account.body), ["admin"]);
    let created = audit_events(&app, &admin, "kind=account_created").await;
    assert_eq!(created.len(), 1);
    assert_eq!(created[0]["details"]["bootstrap"], true);
    assert_eq!(created[0]["subject_account_id"], admin.id.as_str());
    assert_problem(
        &app.sign_in("admin", "Password1@").await,
        401,
        "invalid_credentials",
    );
}

#[actix_web::test]
async fn starting_again_creates_no_second_admin() {
    let app = TestApp::spawn().await;
    for _ in 0..2 {
        let generated = bootstrap::ensure_admin(&app.state).await.unwrap();
        assert_eq!(generated, None, "nothing created, no password to show");
    }
    let admin = app.admin().await;
    let admins = app
        .get_as(&admin.token, "/api/v1/admin/accounts?role=admin")
        .await;
    assert_eq!(admins.body["items"].as_array().unwrap().len(), 1);
    let everyone = app.get_as(&admin.token, "/api/v1/admin/accounts").await;
    assert_eq!(everyone.body["items"].as_array().unwrap().len(), 1);
}
