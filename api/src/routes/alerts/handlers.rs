//! Job alert handlers: the caller's alerts (`/me/alerts`) and the RFC 8058 one-click
//! unsubscribe (`/alerts/unsubscribe`).

use actix_web::{HttpResponse, delete, get, post, put, web};
use chrono::{DateTime, Utc};
use merit_domain::{
    alert,
    ids::{JobAlertId, SavedSearchId},
};
use merit_persistence::alerts::{AlertChange, JobAlert};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::{
    auth::AuthUser,
    error::ApiError,
    extract::{Json, PathId, Query},
    openapi::{Conflict, Forbidden, NotFound},
    paging::{PageQuery, PageResponse, Paging},
    routes::{postings::SearchFilters, strings::IdValue, terms::api_enum},
    services::alerts::{self, CriteriaSource, NewAlert},
    state::AppState,
    validation::{Fields, optional_id},
};

api_enum!(
    /// How an alert reaches you besides the inbox.
    AlertChannel => alert::AlertChannel {
        /// The inbox and the email address on file (unless email is turned off for job
        /// alerts in the notification preferences).
        Email,
        /// The inbox only.
        InApp,
    }
);

api_enum!(
    /// When an alert's matches are delivered.
    AlertFrequency => alert::AlertFrequency {
        /// One message per matching posting, as soon as it opens.
        Instant,
        /// One digest per UTC day.
        Daily,
        /// One digest per week (Monday 00:00 UTC to the next).
        Weekly,
    }
);

/// Create a job alert: give either `criteria` or `saved_search_id` (exactly one).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AlertRequest {
    /// The search to watch: the same filters as `GET /api/v1/postings`. Exactly one of this
    /// and `saved_search_id`.
    pub criteria: Option<SearchFilters>,
    /// One of your saved searches, whose criteria are copied into the alert. Exactly one of
    /// this and `criteria`.
    pub saved_search_id: Option<IdValue>,
    /// Inbox only, or inbox and email.
    pub channel: AlertChannel,
    /// At once, or a daily or weekly digest.
    pub frequency: AlertFrequency,
}

/// Replace a job alert.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AlertReplaceRequest {
    /// The search to watch: the same filters as `GET /api/v1/postings`.
    pub criteria: SearchFilters,
    /// Inbox only, or inbox and email.
    pub channel: AlertChannel,
    /// At once, or a daily or weekly digest.
    pub frequency: AlertFrequency,
    /// On (`true`) or off (`false`: nothing is matched or sent until it is on again).
    pub active: bool,
}

/// A job alert.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)] // closes the schema: additionalProperties: false
pub struct AlertResponse {
    /// Opaque id.
    pub id: String,
    /// The search it watches.
    pub criteria: SearchFilters,
    /// The saved search its criteria were copied from, if any.
    pub saved_search_id: Option<String>,
    /// Inbox only, or inbox and email.
    pub channel: AlertChannel,
    /// At once, or a daily or weekly digest.
    pub frequency: AlertFrequency,
    /// Whether it is on.
    pub active: bool,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

impl From<JobAlert> for AlertResponse {
    fn from(a: JobAlert) -> Self {
        AlertResponse {
            id: a.id.to_string(),
            criteria: SearchFilters::from(&a.criteria),
            saved_search_id: a.saved_search_id.map(|s| s.to_string()),
            channel: a.channel.into(),
            frequency: a.frequency.into(),
            active: a.active,
            created_at: a.created_at,
            updated_at: a.updated_at,
        }
    }
}

impl AlertRequest {
    /// The checked command.
    fn parse(&self) -> Result<NewAlert, ApiError> {
        let mut fields = Fields::new();
        let saved = optional_id::<SavedSearchId>(
            &mut fields,
            "saved_search_id",
            self.saved_search_id.as_deref(),
        );
        let source = match (&self.criteria, saved) {
            (Some(_), Some(Some(_))) => {
                fields.push(
                    "saved_search_id",
                    "not_allowed",
                    "Give either criteria or saved_search_id, not both.",
                );
                None
            }
            (Some(filters), _) => fields
                .nested("criteria", filters.criteria())?
                .map(CriteriaSource::Criteria),
            (None, Some(Some(id))) => Some(CriteriaSource::SavedSearch(id)),
            (None, Some(None)) => {
                fields.push(
                    "criteria",
                    "required",
                    "Give the criteria, or the id of one of your saved searches.",
                );
                None
            }
            (None, None) => None,
        };
        fields.into_result(source.map(|source| NewAlert {
            source,
            channel: self.channel.into(),
            frequency: self.frequency.into(),
        }))
    }
}

/// List my job alerts
///
/// The caller's job alerts, oldest first, one page at a time.
#[utoipa::path(
    tag = "alerts",
    security(("bearer" = [])),
    params(PageQuery),
    responses((status = 200, description = "A page of alerts.", body = PageResponse<AlertResponse>), (status = 403, response = Forbidden))
)]
#[get("/me/alerts")]
pub async fn list_alerts(
    state: web::Data<AppState>,
    user: AuthUser,
    Query(page): Query<PageQuery>,
) -> Result<web::Json<PageResponse<AlertResponse>>, ApiError> {
    let paging = Paging::parse("alerts", page.limit, page.cursor.as_deref())?;
    let owner = user.id();
    paging
        .read(
            &state.db,
            move |conn, page| alerts::list(conn, owner, page.after, page.limit),
            |a| a.id,
            AlertResponse::from,
        )
        .await
}

/// Create a job alert
///
/// Watches new postings for the given criteria (or a copy of one of your saved searches'). When
/// a posting you may see opens and matches, you get one message in your inbox saying why it
/// matched: at once (`instant`) or in a daily or weekly digest; by email too for the `email`
/// channel. At most 25 alerts per person.
#[utoipa::path(
    tag = "alerts",
    security(("bearer" = [])),
    request_body = AlertRequest,
    responses(
        (status = 201, description = "Created.", body = AlertResponse,
            headers(("location" = String, description = "The new alert's address."))),
        (status = 403, response = Forbidden),
        (status = 409, response = Conflict),
    )
)]
#[post("/me/alerts")]
pub async fn create_alert(
    state: web::Data<AppState>,
    user: AuthUser,
    Json(body): Json<AlertRequest>,
) -> Result<HttpResponse, ApiError> {
    let command = body.parse()?;
    let (now, owner) = (state.clock.now(), user.id());
    let created = state
        .db
        .write(move |conn| alerts::create(conn, owner, command, now))
        .await?;
    let location = format!("/api/v1/me/alerts/{}", created.id);
    Ok(HttpResponse::Created()
        .insert_header(("location", location))
        .json(AlertResponse::from(created)))
}

/// Get a job alert
///
/// One of the caller's alerts; another person's is 404.
#[utoipa::path(
    tag = "alerts",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The alert's id.")),
    responses((status = 200, description = "The alert.", body = AlertResponse), (status = 403, response = Forbidden), (status = 404, response = NotFound))
)]
#[get("/me/alerts/{id}")]
pub async fn get_alert(
    state: web::Data<AppState>,
    user: AuthUser,
    PathId(id): PathId<JobAlertId>,
) -> Result<web::Json<AlertResponse>, ApiError> {
    let owner = user.id();
    let found = state
        .db
        .read(move |conn| alerts::get(conn, owner, id))
        .await?;
    Ok(web::Json(AlertResponse::from(found)))
}

/// Replace a job alert
///
/// Replaces the criteria, channel, frequency and on/off state of one of the caller's alerts.
/// Postings that matched it before are not sent again.
#[utoipa::path(
    tag = "alerts",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The alert's id.")),
    request_body = AlertReplaceRequest,
    responses(
        (status = 200, description = "Replaced.", body = AlertResponse),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    )
)]
#[put("/me/alerts/{id}")]
pub async fn replace_alert(
    state: web::Data<AppState>,
    user: AuthUser,
    PathId(id): PathId<JobAlertId>,
    Json(body): Json<AlertReplaceRequest>,
) -> Result<web::Json<AlertResponse>, ApiError> {
    let mut fields = Fields::new();
    let criteria = fields.nested("criteria", body.criteria.criteria())?;
    let criteria = fields.into_result(criteria)?;
    let (now, owner) = (state.clock.now(), user.id());
    let (channel, frequency, active) = (body.channel.into(), body.frequency.into(), body.active);
    let replaced = state
        .db
        .write(move |conn| {
            let change = AlertChange {
                criteria: &criteria,
                channel,
                frequency,
                active,
            };
            alerts::update(conn, owner, id, &change, now)
        })
        .await?;
    Ok(web::Json(AlertResponse::from(replaced)))
}

/// Delete a job alert
///
/// Removes one of the caller's alerts, and its matches not yet sent in a digest.
#[utoipa::path(
    tag = "alerts",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The alert's id.")),
    responses((status = 204, description = "Deleted."), (status = 403, response = Forbidden), (status = 404, response = NotFound))
)]
#[delete("/me/alerts/{id}")]
pub async fn delete_alert(
    state: web::Data<AppState>,
    user: AuthUser,
    PathId(id): PathId<JobAlertId>,
) -> Result<HttpResponse, ApiError> {
    let owner = user.id();
    state
        .db
        .write(move |conn| alerts::delete(conn, owner, id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The token of an alert email's unsubscribe link.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct UnsubscribeQuery {
    /// The signed token from the email's `List-Unsubscribe` address; it names one alert, or
    /// the alerts of a digest.
    #[param(min_length = 1, max_length = 578, pattern = r"^[A-Za-z0-9._-]+$")]
    pub token: String,
}

/// Where an alert's unsubscribe link stands.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)] // closes the schema: additionalProperties: false
pub struct UnsubscribeResponse {
    /// The alert the link names (a digest's link: the first of its alerts, in id order).
    pub alert_id: String,
    /// Every alert a digest's link names that still exists, in id order (only when it names
    /// several).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(min_items = 2)]
    pub alert_ids: Option<Vec<String>>,
    /// Whether the alert is on (a digest's link: whether any of its alerts is; after a POST:
    /// `false`).
    pub active: bool,
}

impl UnsubscribeResponse {
    fn of(ids: impl IntoIterator<Item = JobAlertId>, active: bool) -> Self {
        let ids: Vec<String> = ids.into_iter().map(|id| id.to_string()).collect();
        UnsubscribeResponse {
            alert_id: ids.first().cloned().unwrap_or_default(),
            alert_ids: (ids.len() > 1).then_some(ids),
            active,
        }
    }
}

/// Unsubscribe from a job alert (one click)
///
/// RFC 8058 one-click unsubscribe: the address in an alert email's `List-Unsubscribe` header,
/// POSTed by the mail client with the body `List-Unsubscribe=One-Click` (form-encoded or
/// multipart; the body is not read). Turns off the alert the signed token names (a digest's
/// link: each of the digest's alerts, and no other), with no sign-in; repeating it answers the
/// same. Never redirects.
#[utoipa::path(
    tag = "alerts",
    params(UnsubscribeQuery),
    responses(
        (status = 200, description = "The alert is off.", body = UnsubscribeResponse),
    )
)]
#[post("/alerts/unsubscribe")]
pub async fn unsubscribe_alert(
    state: web::Data<AppState>,
    Query(query): Query<UnsubscribeQuery>,
) -> Result<web::Json<UnsubscribeResponse>, ApiError> {
    let now = state.clock.now();
    let links = state.unsubscribe.clone();
    let done = state
        .db
        .write(move |conn| alerts::unsubscribe(conn, &links, &query.token, now))
        .await?;
    Ok(web::Json(UnsubscribeResponse::of(done.alert_ids, false)))
}

/// Check a job alert's unsubscribe link
///
/// What the unsubscribe link of an alert email names, and whether that alert is on (a digest's
/// link: its alerts, and whether any is on). Changes nothing (mail scanners fetch links):
/// unsubscribing takes a POST to the same address.
#[utoipa::path(
    tag = "alerts",
    params(UnsubscribeQuery),
    responses(
        (status = 200, description = "The alert the link names.", body = UnsubscribeResponse),
    )
)]
#[get("/alerts/unsubscribe")]
pub async fn show_unsubscribe(
    state: web::Data<AppState>,
    Query(query): Query<UnsubscribeQuery>,
) -> Result<web::Json<UnsubscribeResponse>, ApiError> {
    let links = state.unsubscribe.clone();
    let found = state
        .db
        .read(move |conn| alerts::unsubscribe_target(conn, &links, &query.token))
        .await?;
    let active = found.iter().any(|a| a.active);
    Ok(web::Json(UnsubscribeResponse::of(
        found.into_iter().map(|a| a.id),
        active,
    )))
}
