//! Handlers of webhook endpoints: extract, call one use case, render.

use actix_web::{HttpResponse, delete, get, http::header, post, put, web};
use merit_domain::ids::{ApiClientId, WebhookDeliveryId, WebhookEndpointId};

use super::dto::*;
use crate::{
    auth::{Admin, AuthUser},
    error::{ApiError, Code},
    extract::{Json, PathId, Query, path_id},
    openapi::{Conflict, Forbidden, NotFound},
    paging::{PageResponse, Paging},
    services::webhooks as service,
    state::AppState,
};

/// The ids of an endpoint's path: 404 for text that is not an id.
fn endpoint_path(path: (String, String)) -> Result<(ApiClientId, WebhookEndpointId), ApiError> {
    Ok((
        path_id(&path.0, "API client")?,
        path_id(&path.1, "webhook endpoint")?,
    ))
}

/// Where the endpoints of a client are: under the admin path, or the client's own.
#[derive(Debug, Clone, Copy)]
enum Owner {
    /// An admin, for any client.
    Admin,
    /// The client itself (`webhooks:manage`), for its own endpoints.
    Client,
}

impl Owner {
    fn location(self, client: ApiClientId, endpoint: WebhookEndpointId) -> String {
        match self {
            Owner::Admin => {
                format!("/api/v1/admin/api-clients/{client}/webhook-endpoints/{endpoint}")
            }
            Owner::Client => format!("/api/v1/webhook-endpoints/{endpoint}"),
        }
    }
}

async fn create_for(
    state: web::Data<AppState>,
    actor: AuthUser,
    owner: Owner,
    client: ApiClientId,
    body: WebhookEndpointRequest,
) -> Result<HttpResponse, ApiError> {
    let draft = body.parse(state.settings.webhooks_allow_private)?;
    let now = state.clock.now();
    let created = state
        .db
        .write(move |conn| service::create(conn, &actor, client, draft, now))
        .await?;
    let location = owner.location(created.client_id, created.id);
    let secret = created.secret.clone();
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, location))
        .json(WebhookEndpointWithSecretResponse {
            endpoint: created.into(),
            secret,
        }))
}

async fn list_for(
    state: web::Data<AppState>,
    client: ApiClientId,
    query: WebhookPageQuery,
) -> Result<web::Json<PageResponse<WebhookEndpointResponse>>, ApiError> {
    let paging = Paging::parse("webhook-endpoints", query.limit, query.cursor.as_deref())?;
    paging
        .read(
            &state.db,
            move |conn, page| service::list(conn, client, page),
            |e| e.id,
            WebhookEndpointResponse::from,
        )
        .await
}

async fn get_for(
    state: web::Data<AppState>,
    client: ApiClientId,
    id: WebhookEndpointId,
) -> Result<web::Json<WebhookEndpointResponse>, ApiError> {
    let endpoint = state
        .db
        .read(move |conn| service::get(conn, client, id))
        .await?;
    Ok(web::Json(endpoint.into()))
}

async fn replace_for(
    state: web::Data<AppState>,
    actor: AuthUser,
    client: ApiClientId,
    id: WebhookEndpointId,
    body: WebhookEndpointRequest,
) -> Result<web::Json<WebhookEndpointResponse>, ApiError> {
    let draft = body.parse(state.settings.webhooks_allow_private)?;
    let now = state.clock.now();
    let endpoint = state
        .db
        .write(move |conn| service::replace(conn, &actor, client, id, draft, now))
        .await?;
    state.wake_webhooks();
    Ok(web::Json(endpoint.into()))
}

async fn delete_for(
    state: web::Data<AppState>,
    actor: AuthUser,
    client: ApiClientId,
    id: WebhookEndpointId,
) -> Result<HttpResponse, ApiError> {
    let now = state.clock.now();
    state
        .db
        .write(move |conn| service::delete(conn, &actor, client, id, now))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

async fn rotate_for(
    state: web::Data<AppState>,
    actor: AuthUser,
    client: ApiClientId,
    id: WebhookEndpointId,
) -> Result<HttpResponse, ApiError> {
    let now = state.clock.now();
    let rotated = state
        .db
        .write(move |conn| service::rotate_secret(conn, &actor, client, id, now))
        .await?;
    let secret = rotated.secret.clone();
    Ok(
        HttpResponse::Created().json(WebhookEndpointWithSecretResponse {
            endpoint: rotated.into(),
            secret,
        }),
    )
}

async fn deliveries_for(
    state: web::Data<AppState>,
    client: ApiClientId,
    id: WebhookEndpointId,
    query: WebhookPageQuery,
) -> Result<web::Json<PageResponse<WebhookDeliveryResponse>>, ApiError> {
    let paging = Paging::parse("webhook-deliveries", query.limit, query.cursor.as_deref())?;
    paging
        .read(
            &state.db,
            move |conn, page| service::deliveries(conn, client, id, page),
            |d| d.id,
            WebhookDeliveryResponse::from,
        )
        .await
}

async fn attempts_for(
    state: web::Data<AppState>,
    client: ApiClientId,
    id: WebhookEndpointId,
    query: WebhookPageQuery,
) -> Result<web::Json<PageResponse<WebhookAttemptResponse>>, ApiError> {
    let paging = Paging::parse("webhook-attempts", query.limit, query.cursor.as_deref())?;
    paging
        .read(
            &state.db,
            move |conn, page| service::attempts(conn, client, id, page),
            |a| a.id,
            WebhookAttemptResponse::from,
        )
        .await
}

async fn redeliver_for(
    state: web::Data<AppState>,
    actor: AuthUser,
    client: ApiClientId,
    id: WebhookEndpointId,
    delivery: &str,
) -> Result<HttpResponse, ApiError> {
    let delivery: WebhookDeliveryId = path_id(delivery, "delivery")?;
    let now = state.clock.now();
    let queued = state
        .db
        .write(move |conn| service::redeliver(conn, &actor, client, id, delivery, now))
        .await?;
    state.wake_webhooks();
    Ok(HttpResponse::Accepted().json(WebhookDeliveryResponse::from(queued)))
}

/// Add a webhook endpoint to an API client
///
/// Admins only. The endpoint receives the chosen event types that its client may read (a
/// department's client: its department's postings, and with `applications:read` their
/// applications; a state-wide client: public postings), signed per Standard Webhooks with the
/// secret in the answer, which is shown this once. Audited (`webhook_endpoint_created`).
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The API client's id.")),
    request_body = WebhookEndpointRequest,
    responses(
        (status = 201, description = "The endpoint and its signing secret.", body = WebhookEndpointWithSecretResponse, headers(
            ("Location" = String, description = "The endpoint's URL."),
        )),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
    )
)]
#[post("/admin/api-clients/{id}/webhook-endpoints")]
pub async fn create_webhook_endpoint(
    state: web::Data<AppState>,
    Admin(admin): Admin,
    PathId(client): PathId<ApiClientId>,
    Json(body): Json<WebhookEndpointRequest>,
) -> Result<HttpResponse, ApiError> {
    create_for(state, admin, Owner::Admin, client, body).await
}

/// List an API client's webhook endpoints
///
/// Admins only; oldest first.
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The API client's id."), WebhookPageQuery),
    responses(
        (status = 200, description = "A page of endpoints.", body = PageResponse<WebhookEndpointResponse>),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    )
)]
#[get("/admin/api-clients/{id}/webhook-endpoints")]
pub async fn list_webhook_endpoints(
    state: web::Data<AppState>,
    _admin: Admin,
    PathId(client): PathId<ApiClientId>,
    Query(query): Query<WebhookPageQuery>,
) -> Result<web::Json<PageResponse<WebhookEndpointResponse>>, ApiError> {
    list_for(state, client, query).await
}

/// Read a webhook endpoint
///
/// Admins only.
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "The API client's id."),
        ("endpoint_id" = String, Path, description = "The endpoint's id.")
    ),
    responses(
        (status = 200, description = "The endpoint.", body = WebhookEndpointResponse),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    )
)]
#[get("/admin/api-clients/{id}/webhook-endpoints/{endpoint_id}")]
pub async fn get_webhook_endpoint(
    state: web::Data<AppState>,
    _admin: Admin,
    path: web::Path<(String, String)>,
) -> Result<web::Json<WebhookEndpointResponse>, ApiError> {
    let (client, id) = endpoint_path(path.into_inner())?;
    get_for(state, client, id).await
}

/// Replace a webhook endpoint
///
/// Admins only: the address, description, event types and whether it is enabled (enabling an
/// endpoint Merit disabled clears the reason; deliveries waiting for it go out again). Audited
/// (`webhook_endpoint_updated`).
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "The API client's id."),
        ("endpoint_id" = String, Path, description = "The endpoint's id.")
    ),
    request_body = WebhookEndpointRequest,
    responses(
        (status = 200, description = "The endpoint.", body = WebhookEndpointResponse),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
    )
)]
#[put("/admin/api-clients/{id}/webhook-endpoints/{endpoint_id}")]
pub async fn replace_webhook_endpoint(
    state: web::Data<AppState>,
    Admin(admin): Admin,
    path: web::Path<(String, String)>,
    Json(body): Json<WebhookEndpointRequest>,
) -> Result<web::Json<WebhookEndpointResponse>, ApiError> {
    let (client, id) = endpoint_path(path.into_inner())?;
    replace_for(state, admin, client, id, body).await
}

/// Delete a webhook endpoint
///
/// Admins only; its deliveries and their log go with it. Audited (`webhook_endpoint_deleted`).
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "The API client's id."),
        ("endpoint_id" = String, Path, description = "The endpoint's id.")
    ),
    responses(
        (status = 204, description = "Deleted."),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    )
)]
#[delete("/admin/api-clients/{id}/webhook-endpoints/{endpoint_id}")]
pub async fn delete_webhook_endpoint(
    state: web::Data<AppState>,
    Admin(admin): Admin,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (client, id) = endpoint_path(path.into_inner())?;
    delete_for(state, admin, client, id).await
}

/// Rotate a webhook endpoint's signing secret
///
/// Admins only. The answer shows the new secret this once. For 24 hours every delivery carries
/// two signatures in `webhook-signature` (space-separated), one with the new secret and one
/// with the old, so the receiver can switch without losing an event. Audited
/// (`webhook_secret_rotated`).
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "The API client's id."),
        ("endpoint_id" = String, Path, description = "The endpoint's id.")
    ),
    responses(
        (status = 201, description = "The endpoint and its new signing secret.", body = WebhookEndpointWithSecretResponse),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    )
)]
#[post("/admin/api-clients/{id}/webhook-endpoints/{endpoint_id}/secret-rotations")]
pub async fn rotate_webhook_secret(
    state: web::Data<AppState>,
    Admin(admin): Admin,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (client, id) = endpoint_path(path.into_inner())?;
    rotate_for(state, admin, client, id).await
}

/// List a webhook endpoint's deliveries
///
/// Admins only; newest first. One delivery per event (and per redelivery), with where it
/// stands; its attempts are in the delivery log.
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "The API client's id."),
        ("endpoint_id" = String, Path, description = "The endpoint's id."),
        WebhookPageQuery
    ),
    responses(
        (status = 200, description = "A page of deliveries.", body = PageResponse<WebhookDeliveryResponse>),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    )
)]
#[get("/admin/api-clients/{id}/webhook-endpoints/{endpoint_id}/deliveries")]
pub async fn list_webhook_deliveries(
    state: web::Data<AppState>,
    _admin: Admin,
    path: web::Path<(String, String)>,
    Query(query): Query<WebhookPageQuery>,
) -> Result<web::Json<PageResponse<WebhookDeliveryResponse>>, ApiError> {
    let (client, id) = endpoint_path(path.into_inner())?;
    deliveries_for(state, client, id, query).await
}

/// Read a webhook endpoint's delivery log
///
/// Admins only; newest first: every attempt with its time, the answer's status (or why there
/// was none), the latency and the first 1 KiB of the answer.
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "The API client's id."),
        ("endpoint_id" = String, Path, description = "The endpoint's id."),
        WebhookPageQuery
    ),
    responses(
        (status = 200, description = "A page of attempts.", body = PageResponse<WebhookAttemptResponse>),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    )
)]
#[get("/admin/api-clients/{id}/webhook-endpoints/{endpoint_id}/attempts")]
pub async fn list_webhook_attempts(
    state: web::Data<AppState>,
    _admin: Admin,
    path: web::Path<(String, String)>,
    Query(query): Query<WebhookPageQuery>,
) -> Result<web::Json<PageResponse<WebhookAttemptResponse>>, ApiError> {
    let (client, id) = endpoint_path(path.into_inner())?;
    attempts_for(state, client, id, query).await
}

/// Deliver an event again
///
/// Admins only. Queues a new delivery of the delivery's event to the endpoint, due now, with
/// the same `webhook-id` (receivers that already have it can drop it). 409
/// `webhook_endpoint_disabled` while the endpoint is disabled. Audited
/// (`webhook_redelivery_requested`).
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "The API client's id."),
        ("endpoint_id" = String, Path, description = "The endpoint's id."),
        ("delivery_id" = String, Path, description = "The delivery whose event is sent again.")
    ),
    responses(
        (status = 202, description = "The new delivery, queued.", body = WebhookDeliveryResponse),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
    )
)]
#[post(
    "/admin/api-clients/{id}/webhook-endpoints/{endpoint_id}/deliveries/{delivery_id}/redeliver"
)]
pub async fn redeliver_webhook(
    state: web::Data<AppState>,
    Admin(admin): Admin,
    path: web::Path<(String, String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (client, endpoint, delivery) = path.into_inner();
    let (client, id) = endpoint_path((client, endpoint))?;
    redeliver_for(state, admin, client, id, &delivery).await
}

/// The caller's own client, for the client's own endpoints: 403 for anyone but a machine
/// client (admins manage any client's endpoints under `/admin/api-clients/{id}`).
fn own_client(user: &AuthUser) -> Result<ApiClientId, ApiError> {
    user.client.as_ref().map(|c| c.id).ok_or_else(|| {
        ApiError::new(
            Code::Forbidden,
            "These are a machine client's own webhook endpoints; admins manage a client's \
             endpoints under /api/v1/admin/api-clients/{id}/webhook-endpoints.",
        )
    })
}

/// Add a webhook endpoint to my client
///
/// For a machine client with `webhooks:manage`: the same as an admin adding one to this client
/// (the event types it may read, signed per Standard Webhooks with the secret in the answer,
/// shown this once). Only the client's own endpoints are reachable this way. Audited
/// (`webhook_endpoint_created`, the client's service account as actor).
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = [])),
    request_body = WebhookEndpointRequest,
    responses(
        (status = 201, description = "The endpoint and its signing secret.", body = WebhookEndpointWithSecretResponse, headers(
            ("Location" = String, description = "The endpoint's URL."),
        )),
        (status = 403, response = Forbidden),
        (status = 409, response = Conflict),
    )
)]
#[post("/webhook-endpoints")]
pub async fn create_own_webhook_endpoint(
    state: web::Data<AppState>,
    user: AuthUser,
    Json(body): Json<WebhookEndpointRequest>,
) -> Result<HttpResponse, ApiError> {
    let client = own_client(&user)?;
    create_for(state, user, Owner::Client, client, body).await
}

/// List my client's webhook endpoints
///
/// For a machine client with `webhooks:manage`; oldest first.
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = [])),
    params(WebhookPageQuery),
    responses(
        (status = 200, description = "A page of endpoints.", body = PageResponse<WebhookEndpointResponse>),
        (status = 403, response = Forbidden),
    )
)]
#[get("/webhook-endpoints")]
pub async fn list_own_webhook_endpoints(
    state: web::Data<AppState>,
    user: AuthUser,
    Query(query): Query<WebhookPageQuery>,
) -> Result<web::Json<PageResponse<WebhookEndpointResponse>>, ApiError> {
    let client = own_client(&user)?;
    list_for(state, client, query).await
}

/// Read one of my client's webhook endpoints
///
/// For a machine client with `webhooks:manage`; another client's endpoint is 404.
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = [])),
    params(("endpoint_id" = String, Path, description = "The endpoint's id.")),
    responses(
        (status = 200, description = "The endpoint.", body = WebhookEndpointResponse),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    )
)]
#[get("/webhook-endpoints/{endpoint_id}")]
pub async fn get_own_webhook_endpoint(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<web::Json<WebhookEndpointResponse>, ApiError> {
    let client = own_client(&user)?;
    get_for(state, client, path_id(&id, "webhook endpoint")?).await
}

/// Replace one of my client's webhook endpoints
///
/// For a machine client with `webhooks:manage`, as an admin would (address, description, event
/// types, `enabled`). Audited (`webhook_endpoint_updated`).
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = [])),
    params(("endpoint_id" = String, Path, description = "The endpoint's id.")),
    request_body = WebhookEndpointRequest,
    responses(
        (status = 200, description = "The endpoint.", body = WebhookEndpointResponse),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
    )
)]
#[put("/webhook-endpoints/{endpoint_id}")]
pub async fn replace_own_webhook_endpoint(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    Json(body): Json<WebhookEndpointRequest>,
) -> Result<web::Json<WebhookEndpointResponse>, ApiError> {
    let client = own_client(&user)?;
    let id = path_id(&id, "webhook endpoint")?;
    replace_for(state, user, client, id, body).await
}

/// Delete one of my client's webhook endpoints
///
/// For a machine client with `webhooks:manage`; its deliveries and their log go with it.
/// Audited (`webhook_endpoint_deleted`).
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = [])),
    params(("endpoint_id" = String, Path, description = "The endpoint's id.")),
    responses(
        (status = 204, description = "Deleted."),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    )
)]
#[delete("/webhook-endpoints/{endpoint_id}")]
pub async fn delete_own_webhook_endpoint(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let client = own_client(&user)?;
    let id = path_id(&id, "webhook endpoint")?;
    delete_for(state, user, client, id).await
}

/// Rotate the signing secret of one of my client's webhook endpoints
///
/// For a machine client with `webhooks:manage`. The answer shows the new secret this once; for
/// 24 hours deliveries carry both signatures. Audited (`webhook_secret_rotated`).
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = [])),
    params(("endpoint_id" = String, Path, description = "The endpoint's id.")),
    responses(
        (status = 201, description = "The endpoint and its new signing secret.", body = WebhookEndpointWithSecretResponse),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    )
)]
#[post("/webhook-endpoints/{endpoint_id}/secret-rotations")]
pub async fn rotate_own_webhook_secret(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let client = own_client(&user)?;
    let id = path_id(&id, "webhook endpoint")?;
    rotate_for(state, user, client, id).await
}

/// List the deliveries of one of my client's webhook endpoints
///
/// For a machine client with `webhooks:manage`; newest first.
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = [])),
    params(("endpoint_id" = String, Path, description = "The endpoint's id."), WebhookPageQuery),
    responses(
        (status = 200, description = "A page of deliveries.", body = PageResponse<WebhookDeliveryResponse>),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    )
)]
#[get("/webhook-endpoints/{endpoint_id}/deliveries")]
pub async fn list_own_webhook_deliveries(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    Query(query): Query<WebhookPageQuery>,
) -> Result<web::Json<PageResponse<WebhookDeliveryResponse>>, ApiError> {
    let client = own_client(&user)?;
    deliveries_for(state, client, path_id(&id, "webhook endpoint")?, query).await
}

/// Read the delivery log of one of my client's webhook endpoints
///
/// For a machine client with `webhooks:manage`; newest first.
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = [])),
    params(("endpoint_id" = String, Path, description = "The endpoint's id."), WebhookPageQuery),
    responses(
        (status = 200, description = "A page of attempts.", body = PageResponse<WebhookAttemptResponse>),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    )
)]
#[get("/webhook-endpoints/{endpoint_id}/attempts")]
pub async fn list_own_webhook_attempts(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    Query(query): Query<WebhookPageQuery>,
) -> Result<web::Json<PageResponse<WebhookAttemptResponse>>, ApiError> {
    let client = own_client(&user)?;
    attempts_for(state, client, path_id(&id, "webhook endpoint")?, query).await
}

/// Deliver an event again to one of my client's webhook endpoints
///
/// For a machine client with `webhooks:manage`: a new delivery of the event, due now, with the
/// same `webhook-id`. 409 `webhook_endpoint_disabled` while the endpoint is disabled. Audited
/// (`webhook_redelivery_requested`).
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = [])),
    params(
        ("endpoint_id" = String, Path, description = "The endpoint's id."),
        ("delivery_id" = String, Path, description = "The delivery whose event is sent again.")
    ),
    responses(
        (status = 202, description = "The new delivery, queued.", body = WebhookDeliveryResponse),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
    )
)]
#[post("/webhook-endpoints/{endpoint_id}/deliveries/{delivery_id}/redeliver")]
pub async fn redeliver_own_webhook(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let client = own_client(&user)?;
    let (endpoint, delivery) = path.into_inner();
    let id = path_id(&endpoint, "webhook endpoint")?;
    redeliver_for(state, user, client, id, &delivery).await
}
