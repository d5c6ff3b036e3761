//! Factories: people of every role, made through the API as a client would.

use merit_api::{clock::Clock, db::Db};
use merit_domain::{
    account::{EmailAddress, EmployeeId, PersonName, RosterStatus},
    reference::DepartmentCode,
};
use merit_persistence::roster::{self, RosterEntry};
use serde_json::{Value, json};

use super::{TestApp, TestResponse};

/// The bootstrap admin's password in tests.
pub const ADMIN_PASSWORD: &str = "Sequoia.Gate-2026";
/// A password every factory-made person uses after setting their own.
pub const PASSWORD: &str = "Tulip.Harbor7";

/// A signed-in person.
#[derive(Debug, Clone)]
#[allow(dead_code, reason = "every field is for some tests, not all")]
pub struct TestUser {
    /// The account id.
    pub id: String,
    /// What they sign in with.
    pub login: String,
    /// Their password.
    pub password: String,
    /// A current access token.
    pub token: String,
    /// The matching refresh token.
    pub refresh_token: String,
}

impl TestApp {
    /// `POST /auth/login`.
    pub async fn sign_in(&self, login: &str, password: &str) -> TestResponse {
        self.post(
            "/api/v1/auth/login",
            &json!({"login": login, "password": password}),
        )
        .await
    }

    /// Signs in and expects success.
    pub async fn signed_in(&self, login: &str, password: &str) -> TestUser {
        let response = self.sign_in(login, password).await;
        response.assert_status(200);
        let token = response.body["access_token"].as_str().unwrap().to_owned();
        let me = self.get_as(&token, "/api/v1/me").await;
        TestUser {
            id: me.body["id"].as_str().unwrap_or_default().to_owned(),
            login: login.to_owned(),
            password: password.to_owned(),
            refresh_token: response.body["refresh_token"].as_str().unwrap().to_owned(),
            token,
        }
    }

    /// The bootstrap admin, signed in.
    pub async fn admin(&self) -> TestUser {
        self.signed_in("admin", ADMIN_PASSWORD).await
    }

    /// Loads the demo reference data (departments, classifications, offices).
    pub async fn with_reference_data(&self) {
        merit_api::demo::load_reference(&self.db)
            .await
            .expect("the demo data loads");
    }

    /// Registers an applicant without confirming the address.
    pub async fn register(&self, email: &str) -> TestResponse {
        self.post(
            "/api/v1/accounts",
            &json!({"email": email, "password": PASSWORD, "first_name": "Jane", "last_name": "Applicant"}),
        )
        .await
    }

    /// A registered applicant with a confirmed address, signed in.
    pub async fn applicant(&self, email: &str) -> TestUser {
        self.register(email).await.assert_status(202);
        let token = self.last_token_to(email).await;
        self.post(
            "/api/v1/auth/email-verifications/confirm",
            &json!({"token": token}),
        )
        .await
        .assert_status(204);
        self.signed_in(email, PASSWORD).await
    }

    /// Creates a staff or employer account as the admin; returns (id, username, temporary password).
    pub async fn create_prefixed(&self, kind: &str, body: Value) -> (String, String, String) {
        let admin = self.admin().await;
        let response = self
            .post_as(
                &admin.token,
                &format!("/api/v1/admin/{kind}-accounts"),
                &body,
            )
            .await;
        response.assert_status(201);
        let field = |name: &str| response.body[name].as_str().unwrap().to_owned();
        (field("id"), field("username"), field("temporary_password"))
    }

    /// Signs in with a temporary password, changes it to [`PASSWORD`], and signs in again.
    pub async fn settle_temporary(&self, username: &str, temporary: &str) -> TestUser {
        let first = self.signed_in(username, temporary).await;
        let change = json!({"current_password": temporary, "new_password": PASSWORD});
        self.send_json_as(
            &first.token,
            reqwest::Method::PUT,
            "/api/v1/me/password",
            &change,
        )
        .await
        .assert_status(204);
        self.signed_in(username, PASSWORD).await
    }

    /// A staff member of `office`, signed in with their own password.
    pub async fn staff(&self, first: &str, last: &str, office: &str) -> TestUser {
        let (_, username, temporary) = self
            .create_prefixed(
                "staff",
                json!({"first_name": first, "last_name": last, "office_code": office}),
            )
            .await;
        self.settle_temporary(&username, &temporary).await
    }

    /// An employer of `department`, signed in with their own password.
    pub async fn employer(&self, first: &str, last: &str, department: &str) -> TestUser {
        let (_, username, temporary) = self
            .create_prefixed(
                "employer",
                json!({"first_name": first, "last_name": last, "department_code": department}),
            )
            .await;
        self.settle_temporary(&username, &temporary).await
    }

    /// Puts an employee on the roster directly (the roster import is tested on its own).
    pub async fn put_on_roster(
        &self,
        employee_id: &str,
        department: &str,
        email: &str,
        status: RosterStatus,
    ) {
        let entry = RosterEntry {
            employee_id: EmployeeId::parse(employee_id).unwrap(),
            first_name: PersonName::parse("Erin").unwrap(),
            last_name: PersonName::parse("Employee").unwrap(),
            department: DepartmentCode::parse(department).unwrap(),
            business_email: EmailAddress::parse(email).unwrap(),
            status,
        };
        let now = self.clock.now();
        let db: Db = self.db.clone();
        db.write(move |conn| {
            let exists = roster::find(conn, entry.employee_id.as_str())?.is_some();
            Ok(roster::save(conn, &entry, exists, now)?)
        })
        .await
        .unwrap();
    }

    /// An active employee of `department`: on the roster, activated, password set, signed in
    /// with the Employee ID.
    pub async fn employee(&self, employee_id: &str, department: &str) -> TestUser {
        let email = format!("e{employee_id}@{}.ca.gov", department.to_lowercase());
        self.put_on_roster(employee_id, department, &email, RosterStatus::Active)
            .await;
        let activation =
            json!({"employee_id": employee_id, "privacy_agreement_version": "2026-01"});
        self.post("/api/v1/auth/employee-activations", &activation)
            .await
            .assert_status(202);
        let token = self.last_token_to(&email).await;
        let confirm = json!({"token": token, "new_password": PASSWORD});
        self.post("/api/v1/auth/password-resets/confirm", &confirm)
            .await
            .assert_status(204);
        self.signed_in(employee_id, PASSWORD).await
    }
}
