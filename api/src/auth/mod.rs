//! Authentication and authorisation as extractors.
//!
//! A request is signed in by `Authorization: Bearer <access token>`. The token is checked, then
//! its session and account are read from the database on every request, so logging out,
//! changing a password, disabling an account or separating an employee take effect at the next
//! request. A bad or stale token is 401, never treated as anonymous.
//!
//! [`authenticate_first`] does that before the handler's extractors run, so who is asking is
//! settled before what they sent is judged: a caller who may not use an operation gets 401 or
//! 403, never a 422 about a body they had no right to send.

pub mod clients;
pub mod hashing;
pub mod limits;
pub mod slowdown;
pub mod tokens;

use std::{future::Future, pin::Pin};

use actix_web::{
    FromRequest, HttpMessage, HttpRequest,
    body::{BoxBody, MessageBody},
    dev::{Payload, ServiceRequest, ServiceResponse},
    http::header,
    middleware::Next,
    web,
};
use merit_domain::{
    account::{Account, Role, RoleSet, RosterStatus},
    api_client::Permissions,
    ids::{AccountId, ApiClientId, SessionId},
    posting::Viewer,
    reference::DepartmentCode,
};
use merit_persistence::{
    accounts, api_clients,
    roster::RosterEntry,
    sessions::{self, SignedIn},
};

use crate::{
    error::{ApiError, Code},
    openapi::RouteTable,
    state::AppState,
};

/// A signed-in caller.
#[derive(Debug, Clone)]
pub struct AuthUser {
    /// The account.
    pub account: Account,
    /// The session the access token belongs to (none for a machine client, whose token has no
    /// session).
    pub session_id: Option<SessionId>,
    /// The roster entry, for employees on the active roster.
    pub employee: Option<RosterEntry>,
    /// The machine client, when the token is a client's (the account is its service account).
    pub client: Option<clients::ClientCaller>,
}

impl AuthUser {
    /// The account's id.
    pub fn id(&self) -> AccountId {
        self.account.id
    }

    /// Whether the caller holds `role` (employees only while on the active roster).
    pub fn has(&self, role: Role) -> bool {
        match role {
            Role::Employee => self.employee.is_some(),
            other => self.account.roles.has(other),
        }
    }

    /// 403 unless the caller holds `role`.
    pub fn require(&self, role: Role) -> Result<(), ApiError> {
        if self.has(role) {
            Ok(())
        } else {
            Err(ApiError::new(
                Code::Forbidden,
                format!("This needs the {role} role."),
            ))
        }
    }
}

fn unauthenticated(detail: &str) -> ApiError {
    ApiError::new(Code::Unauthenticated, detail)
}

fn bearer(req: &HttpRequest) -> Result<Option<String>, ApiError> {
    let Some(value) = req.headers().get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let value = value
        .to_str()
        .map_err(|_| unauthenticated("The Authorization header is not readable."))?;
    match value.split_once(' ') {
        Some((scheme, token))
            if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() =>
        {
            Ok(Some(token.trim().to_owned()))
        }
        _ => Err(unauthenticated("Use Authorization: Bearer <access token>.")),
    }
}

/// Checks the token and loads the session and account; does not check the temporary-password
/// rule (the extractors do).
async fn authenticate(req: &HttpRequest, token: String) -> Result<AuthUser, ApiError> {
    let state = req
        .app_data::<web::Data<AppState>>()
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("no state")))?;
    let now = state.clock.now();
    let claims = state.tokens.verify(&token, now).map_err(|e| match e {
        tokens::TokenError::Expired => ApiError::new(
            Code::TokenExpired,
            "The access token has expired. Refresh it or sign in again.",
        ),
        tokens::TokenError::Invalid => unauthenticated("The access token is not valid."),
    })?;
    if claims.client_id.is_some() {
        return authenticate_client(req, state, claims).await;
    }
    let (Ok(session_id), Ok(account_id)) = (
        claims.sid.parse::<SessionId>(),
        claims.sub.parse::<AccountId>(),
    ) else {
        return Err(unauthenticated("The access token is not valid."));
    };
    let user = state
        .db
        .read(move |conn| {
            let found = sessions::signed_in(conn, session_id, account_id)?
                .filter(|s| s.session.is_live(now) && !s.account.disabled);
            let Some(SignedIn {
                session,
                account,
                employee,
            }) = found
            else {
                return Ok(None);
            };
            let employee = employee
                .filter(|e| account.roles.has(Role::Employee) && e.status == RosterStatus::Active);
            Ok(Some(AuthUser {
                account,
                session_id: Some(session.id),
                employee,
                client: None,
            }))
        })
        .await?
        .ok_or_else(|| {
            ApiError::new(Code::SessionEnded, "This session has ended. Sign in again.")
        })?;
    tracing::Span::current().record("account.id", tracing::field::display(user.account.id));
    Ok(user)
}

/// Checks a machine client's token: the client is not revoked, its service account is the
/// token's subject and not disabled; then counts the request against the client's rate limit.
async fn authenticate_client(
    req: &HttpRequest,
    state: &web::Data<AppState>,
    claims: tokens::AccessClaims,
) -> Result<AuthUser, ApiError> {
    let client_id = claims
        .client_id
        .as_deref()
        .and_then(|id| id.parse::<ApiClientId>().ok())
        .ok_or_else(|| unauthenticated("The access token is not valid."))?;
    let granted = Permissions::parse(claims.scope.as_deref().unwrap_or_default())
        .map_err(|_| unauthenticated("The access token is not valid."))?;
    let subject = claims.sub;
    let found = state
        .db
        .read(move |conn| {
            let Some(client) = api_clients::find(conn, client_id)? else {
                return Ok(None);
            };
            if client.revoked_at.is_some() || client.account_id.to_string() != subject {
                return Ok(None);
            }
            let account = accounts::find(conn, client.account_id)?.filter(|a| !a.disabled);
            Ok(account.map(|account| (client, account)))
        })
        .await?;
    let Some((client, mut account)) = found else {
        return Err(ApiError::new(
            Code::SessionEnded,
            "This client's access has ended (it was revoked). Ask an admin.",
        ));
    };
    // The client's record decides what its service account is, whatever an admin did to the
    // account: an employer of the client's department (of none, state-wide).
    account.roles = RoleSet::new([Role::Employer]);
    account.department = client
        .department
        .as_deref()
        .and_then(|code| DepartmentCode::parse(code).ok());
    let current = Permissions::parse(&client.permissions).unwrap_or_default();
    let caller = clients::ClientCaller {
        id: client_id,
        permissions: granted.within(&current),
        department: account.department.clone(),
    };
    let (rate, allowed) = state.limits.clients.check(client_id);
    clients::note(req, &caller, account.id, rate);
    allowed?;
    tracing::Span::current().record("account.id", tracing::field::display(account.id));
    Ok(AuthUser {
        account,
        session_id: None,
        employee: None,
        client: Some(caller),
    })
}

type Extracted<T> = Pin<Box<dyn Future<Output = Result<T, ApiError>>>>;

/// The outcome of authenticating a request that carried `Authorization`, left for its extractor.
struct Authenticated(Result<AuthUser, ApiError>);

/// Middleware: authenticates a request that carries `Authorization`, to an operation that takes
/// a token, before its handler's extractors run. Extractors are polled together, and one that
/// fails at once (a body that does not validate) would otherwise be answered before the session
/// lookup had finished. Requests to other operations (reference lists, health, sign-in) are not
/// looked up: they would not use the answer.
pub async fn authenticate_first(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let wanted = req
        .app_data::<web::Data<RouteTable>>()
        .is_none_or(|routes| routes.takes_token(req.method(), req.path()));
    if wanted && let Some(outcome) = session_of(req.request()).await {
        req.extensions_mut().insert(Authenticated(outcome));
    }
    let mut response = next.call(req).await?.map_into_boxed_body();
    let client = response
        .request()
        .extensions()
        .get::<clients::ClientCaller>()
        .cloned();
    let rate = response
        .request()
        .extensions()
        .get::<clients::RateState>()
        .copied();
    if let Some(rate) = rate {
        for (name, value) in clients::rate_headers(rate) {
            response.headers_mut().insert(name, value);
        }
    }
    if let Some(client) = client {
        clients::audit_write(&response, &client).await;
    }
    Ok(response)
}

/// The caller behind the request's bearer token; `None` without an `Authorization` header.
async fn session_of(req: &HttpRequest) -> Option<Result<AuthUser, ApiError>> {
    let token = match bearer(req) {
        Ok(Some(token)) => token,
        Ok(None) => return None,
        Err(error) => return Some(Err(error)),
    };
    Some(authenticate(req, token).await)
}

/// The signed-in caller of `req`, whatever their password: authenticated by the middleware, or
/// here when it did not run.
async fn signed_in_caller(req: HttpRequest) -> Result<AuthUser, ApiError> {
    let ready = req.extensions_mut().remove::<Authenticated>();
    let user = match ready {
        Some(Authenticated(outcome)) => outcome,
        None => session_of(&req)
            .await
            .unwrap_or_else(|| Err(unauthenticated("Sign in and send the access token."))),
    }?;
    if let Some(client) = &user.client {
        clients::check_operation(&req, client)?;
    }
    Ok(user)
}

impl FromRequest for AuthUser {
    type Error = ApiError;
    type Future = Extracted<Self>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let user = signed_in_caller(req).await?;
            if user.account.password_change_required() {
                return Err(ApiError::new(
                    Code::PasswordChangeRequired,
                    "Your password is temporary. Change it with PUT /api/v1/me/password first.",
                ));
            }
            Ok(user)
        })
    }
}

/// A signed-in caller whose password may be temporary: only for changing it and signing out.
#[derive(Debug, Clone)]
pub struct AnySession(pub AuthUser);

impl FromRequest for AnySession {
    type Error = ApiError;
    type Future = Extracted<Self>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { signed_in_caller(req).await.map(AnySession) })
    }
}

/// A caller who may or may not be signed in; a token that is sent must be valid.
#[derive(Debug, Clone)]
pub struct MaybeUser(pub Option<AuthUser>);

impl FromRequest for MaybeUser {
    type Error = ApiError;
    type Future = Extracted<Self>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let has_header = req.headers().contains_key(header::AUTHORIZATION);
        let signed_in = AuthUser::from_request(req, payload);
        Box::pin(async move {
            if has_header {
                signed_in.await.map(|u| MaybeUser(Some(u)))
            } else {
                Ok(MaybeUser(None))
            }
        })
    }
}

/// A signed-in admin.
#[derive(Debug, Clone)]
pub struct Admin(pub AuthUser);

impl FromRequest for Admin {
    type Error = ApiError;
    type Future = Extracted<Self>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let user = AuthUser::from_request(req, payload);
        Box::pin(async move {
            let user = user.await?;
            user.require(Role::Admin)?;
            Ok(Admin(user))
        })
    }
}

/// A caller who may use the staff workspace: staff of an office, or an admin (403 for anyone
/// else, before the request's body or query is judged). The rule is
/// `services::staff::scope`, which every staff use case applies again.
#[derive(Debug, Clone)]
pub struct StaffUser(pub AuthUser);

impl FromRequest for StaffUser {
    type Error = ApiError;
    type Future = Extracted<Self>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let user = AuthUser::from_request(req, payload);
        Box::pin(async move {
            let user = user.await?;
            crate::services::staff::scope(&user)?;
            Ok(StaffUser(user))
        })
    }
}

/// A signed-in employer and the department they post for.
#[derive(Debug, Clone)]
pub struct Employer {
    /// The caller.
    pub user: AuthUser,
    /// Their department.
    pub department: DepartmentCode,
}

impl FromRequest for Employer {
    type Error = ApiError;
    type Future = Extracted<Self>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let user = AuthUser::from_request(req, payload);
        Box::pin(async move {
            let user = user.await?;
            user.require(Role::Employer)?;
            let department = user.account.department.clone().ok_or_else(|| {
                ApiError::new(
                    Code::NoDepartment,
                    "This employer account is not bound to a department.",
                )
            })?;
            Ok(Employer { user, department })
        })
    }
}

/// Who is looking, for the posting visibility rule.
pub fn viewer_of(user: Option<&AuthUser>) -> Viewer {
    match user {
        None => Viewer::anonymous(),
        Some(user) => Viewer {
            employee_of: user.employee.as_ref().map(|e| e.department.clone()),
            employer_of: if user.has(Role::Employer) {
                user.account.department.clone()
            } else {
                None
            },
        },
    }
}
