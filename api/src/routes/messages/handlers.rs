//! Inbox handlers: the caller's messages, their unread count, marking read and archiving, and
//! the notification preferences.

use actix_web::{get, patch, put, web};
use merit_domain::ids::MessageId;
use merit_persistence::messages::InboxFilter;

use super::dto::*;
use crate::{
    auth::AuthUser,
    error::ApiError,
    extract::{Json, PathId, Query},
    merge_patch::MergePatch,
    openapi::NotFound,
    paging::{PageResponse, Paging},
    services::messages as service,
    state::AppState,
};

/// List my messages
///
/// Every notice Merit sent you (application status changes, account notices), newest first:
/// by default the inbox (not archived), read and unread. Filter with `read`, `kind` and
/// `archived=true` (the archive).
#[utoipa::path(
    tag = "messages",
    security(("bearer" = [])),
    params(MessageQuery),
    responses((status = 200, description = "A page of messages.", body = PageResponse<MessageResponse>))
)]
#[get("/me/messages")]
pub async fn list_messages(
    state: web::Data<AppState>,
    user: AuthUser,
    Query(query): Query<MessageQuery>,
) -> Result<web::Json<PageResponse<MessageResponse>>, ApiError> {
    let paging = Paging::parse("messages", query.limit, query.cursor.as_deref())?;
    let filter = InboxFilter {
        read: query.read,
        kind: query.kind.map(Into::into),
        archived: query.archived.unwrap_or(false),
    };
    paging
        .read(
            &state.db,
            move |conn, page| service::list(conn, &user, filter, page),
            |m| m.id,
            MessageResponse::from,
        )
        .await
}

/// Count my unread messages
///
/// Unread messages in the inbox (archived ones are not counted).
#[utoipa::path(
    tag = "messages",
    security(("bearer" = [])),
    responses((status = 200, description = "The count.", body = UnreadCountResponse))
)]
#[get("/me/messages/unread-count")]
pub async fn get_unread_message_count(
    state: web::Data<AppState>,
    user: AuthUser,
) -> Result<web::Json<UnreadCountResponse>, ApiError> {
    let unread = state
        .db
        .read(move |conn| service::unread_count(conn, &user))
        .await?;
    Ok(web::Json(UnreadCountResponse { unread }))
}

/// Read one of my messages
///
/// Reading does not mark it read: send `PATCH` with `read: true`. Anyone else's is 404.
#[utoipa::path(
    tag = "messages",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The message's id.")),
    responses(
        (status = 200, description = "The message.", body = MessageResponse),
        (status = 404, response = NotFound),
    )
)]
#[get("/me/messages/{id}")]
pub async fn get_message(
    state: web::Data<AppState>,
    user: AuthUser,
    PathId(id): PathId<MessageId>,
) -> Result<web::Json<MessageResponse>, ApiError> {
    let message = state
        .db
        .read(move |conn| service::get(conn, &user, id))
        .await?;
    Ok(web::Json(message.into()))
}

/// Mark a message read or unread, archive it or bring it back
///
/// A JSON Merge Patch of `read` and `archived`; members left out stay. Marking read again keeps
/// the first `read_at`. Anyone else's message is 404.
#[utoipa::path(
    tag = "messages",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The message's id.")),
    request_body(
        description = "A JSON Merge Patch (RFC 7396) of the message's state; sent as `application/json`, it is read the same way.",
        content((MessagePatchRequest = "application/merge-patch+json"))
    ),
    responses(
        (status = 200, description = "The changed message.", body = MessageResponse),
        (status = 404, response = NotFound),
    )
)]
#[patch("/me/messages/{id}")]
pub async fn update_message(
    state: web::Data<AppState>,
    user: AuthUser,
    PathId(id): PathId<MessageId>,
    patch: MergePatch,
) -> Result<web::Json<MessageResponse>, ApiError> {
    let patch = patch.read::<MessagePatchRequest>()?.into_patch()?;
    let now = state.clock.now();
    let message = state
        .db
        .write(move |conn| service::update(conn, &user, id, patch, now))
        .await?;
    Ok(web::Json(message.into()))
}

/// Read my notification preferences
///
/// Which kinds of message also go by email (every message is in the inbox either way).
#[utoipa::path(
    tag = "messages",
    security(("bearer" = [])),
    responses((status = 200, description = "The preferences.", body = NotificationPreferencesResponse))
)]
#[get("/me/notification-preferences")]
pub async fn get_notification_preferences(
    state: web::Data<AppState>,
    user: AuthUser,
) -> Result<web::Json<NotificationPreferencesResponse>, ApiError> {
    let preferences = state
        .db
        .read(move |conn| service::preferences(conn, &user))
        .await?;
    Ok(web::Json(NotificationPreferencesResponse::new(
        &preferences,
    )))
}

/// Replace my notification preferences
///
/// Sets, per kind of message, whether it also goes by email. Messages of a kind turned off
/// still reach the inbox. Account notices always go by email: `account: false` is 422
/// `always_emailed` at `email.account`.
#[utoipa::path(
    tag = "messages",
    security(("bearer" = [])),
    request_body = NotificationPreferencesRequest,
    responses((status = 200, description = "The preferences now.", body = NotificationPreferencesResponse))
)]
#[put("/me/notification-preferences")]
pub async fn replace_notification_preferences(
    state: web::Data<AppState>,
    user: AuthUser,
    Json(body): Json<NotificationPreferencesRequest>,
) -> Result<web::Json<NotificationPreferencesResponse>, ApiError> {
    let preferences = body.parse()?;
    let now = state.clock.now();
    let stored = state
        .db
        .write(move |conn| service::set_preferences(conn, &user, &preferences, now))
        .await?;
    Ok(web::Json(NotificationPreferencesResponse::new(&stored)))
}
