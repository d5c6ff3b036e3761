//! Account administration handlers.

use actix_web::{HttpResponse, get, patch, post, web};
use merit_domain::{
    account::{EmailAddress, PersonName, Role},
    ids::AccountId,
    profile::contact_email,
    reference::{DepartmentCode, OfficeCode},
};
use merit_persistence::{accounts::AccountFilter, audit::AuditFilter};

use super::dto::{
    AccountPatchRequest, AccountQuery, AuditEventResponse, AuditQuery, CreatedAccountResponse,
    NewEmployerAccountRequest, NewStaffAccountRequest, TemporaryPasswordResponse,
};
use crate::{
    auth::{Admin, AuthUser},
    error::ApiError,
    extract::{Json, PathId, Query},
    merge_patch::MergePatch,
    openapi::{Conflict, Forbidden, NotFound},
    paging::{PageResponse, Paging},
    routes::me::AccountResponse,
    services::{
        admin::{self, Binding, NewPrefixedAccount},
        audit::AuditKind,
    },
    state::AppState,
    validation::Fields,
};

fn created(
    account: merit_domain::account::Account,
    temporary: admin::TemporaryPassword,
) -> HttpResponse {
    let location = format!("/api/v1/admin/accounts/{}", account.id);
    HttpResponse::Created()
        .insert_header(("location", location))
        .json(CreatedAccountResponse {
            username: account.username.map(|u| u.to_string()).unwrap_or_default(),
            id: account.id.to_string(),
            temporary_password: temporary.password,
            temporary_password_expires_at: temporary.expires_at,
        })
}

fn names_and_email(
    fields: &mut Fields,
    first: &str,
    last: &str,
    email: Option<&str>,
) -> (Option<PersonName>, Option<PersonName>, Option<EmailAddress>) {
    (
        fields.check("first_name", "invalid_name", PersonName::parse(first)),
        fields.check("last_name", "invalid_name", PersonName::parse(last)),
        fields.check_optional("email", "invalid_email", email.map(contact_email)),
    )
}

/// Checks the names and email, then the binding (office or department), and creates the account
/// with a temporary password; every invalid field is reported at once.
async fn create_bound(
    state: &AppState,
    admin: &AuthUser,
    first: &str,
    last: &str,
    email: Option<&str>,
    binding: impl FnOnce(&mut Fields) -> Option<Binding>,
) -> Result<HttpResponse, ApiError> {
    let mut fields = Fields::new();
    let (first, last, email) = names_and_email(&mut fields, first, last, email);
    let binding = binding(&mut fields);
    let new = fields.into_result(first.zip(last).zip(binding).map(
        |((first_name, last_name), binding)| NewPrefixedAccount {
            first_name,
            last_name,
            email,
            binding,
        },
    ))?;
    let (account, temporary) = admin::create_prefixed(state, admin, new).await?;
    Ok(created(account, temporary))
}

/// Create a staff account
///
/// Makes a staff account for an office. The username follows the office convention (`LAO` +
/// first initial + last name, a number added when taken); the temporary password is shown once,
/// expires in 72 hours and must be changed at the first sign-in.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    request_body = NewStaffAccountRequest,
    responses(
        (status = 201, description = "Created.", body = CreatedAccountResponse),
        (status = 403, response = Forbidden),
        (status = 409, response = Conflict),
    )
)]
#[post("/admin/staff-accounts")]
pub async fn create_staff_account(
    state: web::Data<AppState>,
    Admin(admin): Admin,
    Json(body): Json<NewStaffAccountRequest>,
) -> Result<HttpResponse, ApiError> {
    let office = |f: &mut Fields| {
        f.check(
            "office_code",
            "invalid_code",
            OfficeCode::parse(&body.office_code),
        )
        .map(Binding::Office)
    };
    create_bound(
        &state,
        &admin,
        &body.first_name,
        &body.last_name,
        body.email.as_deref(),
        office,
    )
    .await
}

/// Create an employer account
///
/// Makes an employer account bound to a department, named by the same convention with the
/// department code as prefix, with a temporary password shown once.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    request_body = NewEmployerAccountRequest,
    responses(
        (status = 201, description = "Created.", body = CreatedAccountResponse),
        (status = 403, response = Forbidden),
        (status = 409, response = Conflict),
    )
)]
#[post("/admin/employer-accounts")]
pub async fn create_employer_account(
    state: web::Data<AppState>,
    Admin(admin): Admin,
    Json(body): Json<NewEmployerAccountRequest>,
) -> Result<HttpResponse, ApiError> {
    let department = |f: &mut Fields| {
        f.check(
            "department_code",
            "invalid_code",
            DepartmentCode::parse(&body.department_code),
        )
        .map(Binding::Department)
    };
    create_bound(
        &state,
        &admin,
        &body.first_name,
        &body.last_name,
        body.email.as_deref(),
        department,
    )
    .await
}

/// Find accounts
///
/// Accounts, newest first, by the start of a username, email or name, by role, or by status.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(AccountQuery),
    responses((status = 200, description = "A page of accounts.", body = PageResponse<AccountResponse>), (status = 403, response = Forbidden))
)]
#[get("/admin/accounts")]
pub async fn list_accounts(
    state: web::Data<AppState>,
    _admin: Admin,
    Query(query): Query<AccountQuery>,
) -> Result<web::Json<PageResponse<AccountResponse>>, ApiError> {
    if query
        .q
        .as_ref()
        .is_some_and(|q| !(1..=100).contains(&q.chars().count()))
    {
        return Err(ApiError::invalid(
            "q",
            "length",
            "The search text has 1 to 100 characters.",
        ));
    }
    let paging = Paging::parse("accounts", query.limit, query.cursor.as_deref())?;
    let filter = AccountFilter {
        text: query.q,
        role: query.role.map(Role::from),
        disabled: query.disabled,
    };
    let now = state.clock.now();
    paging
        .read(
            &state.db,
            move |conn, page| admin::search_accounts(conn, &filter, page),
            |a| a.id,
            |a| AccountResponse::new(a, true, now),
        )
        .await
}

/// Get an account
///
/// Any account, as admins see it: roles, bindings, status and a current lock.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The account's id.")),
    responses((status = 200, description = "The account.", body = AccountResponse), (status = 403, response = Forbidden), (status = 404, response = NotFound))
)]
#[get("/admin/accounts/{id}")]
pub async fn get_account(
    state: web::Data<AppState>,
    _admin: Admin,
    PathId(id): PathId<AccountId>,
) -> Result<web::Json<AccountResponse>, ApiError> {
    let account = state
        .db
        .read(move |conn| admin::get_account(conn, id))
        .await?;
    Ok(web::Json(AccountResponse::new(
        account,
        true,
        state.clock.now(),
    )))
}

/// Change an account
///
/// Sets roles, the department or office, or disables the account (which ends all its sessions).
/// Admins cannot remove their own admin role or disable themselves.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The account's id.")),
    request_body(
        description = "A JSON Merge Patch (RFC 7396) of the account's roles, bindings and status; sent as `application/json`, it is read the same way.",
        content((AccountPatchRequest = "application/merge-patch+json"))
    ),
    responses(
        (status = 200, description = "The changed account.", body = AccountResponse),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
    )
)]
#[patch("/admin/accounts/{id}")]
pub async fn update_account(
    state: web::Data<AppState>,
    Admin(admin): Admin,
    PathId(id): PathId<AccountId>,
    patch: MergePatch,
) -> Result<web::Json<AccountResponse>, ApiError> {
    let patch = patch.read::<AccountPatchRequest>()?.into_patch()?;
    let now = state.clock.now();
    let account = state
        .db
        .write(move |conn| admin::update(conn, &admin, id, patch, now))
        .await?;
    Ok(web::Json(AccountResponse::new(
        account,
        true,
        state.clock.now(),
    )))
}

/// Reset an account's password
///
/// Issues a new temporary password (shown once, 72 hours, must be changed at sign-in) and ends
/// the account's sessions. For admins' own passwords, use `PUT /api/v1/me/password`.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The account's id.")),
    responses(
        (status = 200, description = "The temporary password.", body = TemporaryPasswordResponse),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
    )
)]
#[post("/admin/accounts/{id}/password-reset")]
pub async fn reset_account_password(
    state: web::Data<AppState>,
    Admin(admin): Admin,
    PathId(id): PathId<AccountId>,
) -> Result<web::Json<TemporaryPasswordResponse>, ApiError> {
    let temporary = admin::reset_password(&state, &admin, id).await?;
    Ok(web::Json(TemporaryPasswordResponse {
        temporary_password: temporary.password,
        temporary_password_expires_at: temporary.expires_at,
    }))
}

/// Unlock an account
///
/// Lifts a lock caused by failed sign-ins.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The account's id.")),
    responses((status = 204, description = "Unlocked."), (status = 403, response = Forbidden), (status = 404, response = NotFound))
)]
#[post("/admin/accounts/{id}/unlock")]
pub async fn unlock_account(
    state: web::Data<AppState>,
    Admin(admin): Admin,
    PathId(id): PathId<AccountId>,
) -> Result<HttpResponse, ApiError> {
    let now = state.clock.now();
    state
        .db
        .write(move |conn| admin::unlock(conn, &admin, id, now))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Read the audit log
///
/// Security events, newest first: sign-ins and failures, locks, password changes and resets,
/// account creation, role changes, roster imports.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(AuditQuery),
    responses((status = 200, description = "A page of events.", body = PageResponse<AuditEventResponse>), (status = 403, response = Forbidden))
)]
#[get("/admin/audit-events")]
pub async fn list_audit_events(
    state: web::Data<AppState>,
    _admin: Admin,
    Query(query): Query<AuditQuery>,
) -> Result<web::Json<PageResponse<AuditEventResponse>>, ApiError> {
    if query
        .account_id
        .as_ref()
        .is_some_and(|id| id.chars().count() > 64)
    {
        return Err(ApiError::invalid(
            "account_id",
            "too_long",
            "An account id has at most 64 characters.",
        ));
    }
    if let Some(kind) = query
        .kind
        .as_deref()
        .filter(|k| AuditKind::parse(k).is_none())
    {
        return Err(ApiError::invalid(
            "kind",
            "unknown_kind",
            format!("There is no event kind {kind:?}."),
        ));
    }
    let paging = Paging::parse("audit-events", query.limit, query.cursor.as_deref())?;
    let filter = AuditFilter {
        account_id: query.account_id,
        kind: query.kind.map(|kind| kind.0),
        since: query.since,
        until: query.until,
    };
    paging
        .read(
            &state.db,
            move |conn, page| admin::audit_events(conn, &filter, page),
            |e| e.id.clone(),
            |e| AuditEventResponse {
                details: serde_json::from_str(&e.details).unwrap_or_default(),
                id: e.id,
                occurred_at: e.occurred_at,
                kind: e.kind.into(),
                actor_account_id: e.actor_account_id,
                subject_account_id: e.subject_account_id,
            },
        )
        .await
}
