//! Staff resources (`/staff/resources`) and labour-market links (`/staff/labor-market-links`):
//! admins add, change and remove them; staff read those for every office and their own.

use actix_web::{HttpRequest, HttpResponse, delete, get, http::header, post, put, web};
use chrono::{DateTime, Utc};
use merit_domain::{ids::StaffLinkId, reference::OfficeCode, resource};
use merit_persistence::staff_links::StaffLink;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{
    auth::StaffUser,
    conditional::{IfMatch, json_with_tag},
    error::ApiError,
    extract::{Json, PathId, Query},
    openapi::{NotFound, PreconditionFailed},
    paging::{PageQuery, PageResponse, Paging},
    routes::{
        strings::{OfficeCodeValue, WebLinkValue},
        terms::api_enum,
        text::{Line, Paragraphs},
    },
    services::staff::links::{self as service, LinkDraft, Shelf},
    state::AppState,
    validation::{Fields, at_most},
};

api_enum!(
    /// What a staff resource is: `guide`, `training_video`, `form`, `other`.
    ResourceKind => resource::ResourceKind {
        /// A written guide or manual.
        Guide,
        /// A training video.
        TrainingVideo,
        /// A form.
        Form,
        /// Anything else.
        Other,
    }
);

/// A staff resource as added or replaced.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StaffResourceRequest {
    /// The title.
    pub title: Line<200>,
    /// Where it is: an `https://` link (422 `invalid_link`).
    pub url: WebLinkValue,
    /// What it is.
    pub kind: ResourceKind,
    /// What it covers.
    #[serde(default)]
    pub description: Option<Paragraphs<2000>>,
    /// The offices it is for, at most 50 (none or absent: every office).
    #[serde(default)]
    #[schema(max_items = 50)]
    pub offices: Vec<OfficeCodeValue>,
}

/// A labour-market link as added or replaced.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LaborMarketLinkRequest {
    /// The title.
    pub title: Line<200>,
    /// Where it is: an `https://` link (422 `invalid_link`).
    pub url: WebLinkValue,
    /// The region it covers (a county, a labour-market area, the state).
    #[serde(default)]
    pub region: Option<Line<200>>,
    /// What it offers.
    #[serde(default)]
    pub description: Option<Paragraphs<2000>>,
    /// The offices it is for, at most 50 (none or absent: every office).
    #[serde(default)]
    #[schema(max_items = 50)]
    pub offices: Vec<OfficeCodeValue>,
}

/// A staff resource.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StaffResourceResponse {
    /// Opaque id.
    pub id: String,
    /// The title.
    pub title: String,
    /// Where it is.
    pub url: String,
    /// What it is.
    pub kind: ResourceKind,
    /// What it covers.
    pub description: Option<String>,
    /// The offices it is for (empty: every office).
    pub offices: Vec<String>,
    /// Who added it.
    pub created_by: String,
    /// When.
    pub created_at: DateTime<Utc>,
    /// The last change.
    pub updated_at: DateTime<Utc>,
    /// The version (its `ETag`, quoted, for `If-Match`).
    pub version: i64,
}

/// A labour-market link.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LaborMarketLinkResponse {
    /// Opaque id.
    pub id: String,
    /// The title.
    pub title: String,
    /// Where it is.
    pub url: String,
    /// The region it covers.
    pub region: Option<String>,
    /// What it offers.
    pub description: Option<String>,
    /// The offices it is for (empty: every office).
    pub offices: Vec<String>,
    /// Who added it.
    pub created_by: String,
    /// When.
    pub created_at: DateTime<Utc>,
    /// The last change.
    pub updated_at: DateTime<Utc>,
    /// The version (its `ETag`, quoted, for `If-Match`).
    pub version: i64,
}

impl StaffResourceResponse {
    /// The response for a resource.
    pub fn new(l: StaffLink) -> Self {
        StaffResourceResponse {
            kind: l
                .kind
                .as_deref()
                .and_then(resource::ResourceKind::parse)
                .unwrap_or(resource::ResourceKind::Other)
                .into(),
            id: l.id.to_string(),
            title: l.title,
            url: l.url,
            description: l.description,
            offices: l.offices,
            created_by: l.created_by.to_string(),
            created_at: l.created_at,
            updated_at: l.updated_at,
            version: l.version,
        }
    }
}

impl LaborMarketLinkResponse {
    /// The response for a labour-market link.
    pub fn new(l: StaffLink) -> Self {
        LaborMarketLinkResponse {
            id: l.id.to_string(),
            title: l.title,
            url: l.url,
            region: l.region,
            description: l.description,
            offices: l.offices,
            created_by: l.created_by.to_string(),
            created_at: l.created_at,
            updated_at: l.updated_at,
            version: l.version,
        }
    }
}

/// Checks the fields both kinds of link share.
#[allow(clippy::type_complexity)]
fn common(
    fields: &mut Fields,
    title: &Line<200>,
    url: &str,
    description: Option<&Paragraphs<2000>>,
    offices: &[OfficeCodeValue],
) -> (
    Option<String>,
    Option<String>,
    Option<String>,
    Vec<OfficeCode>,
) {
    let title = title.check(fields, "title");
    let url = fields.check("url", "invalid_link", merit_domain::text::web_link(url));
    let description = Paragraphs::check_optional(description, fields, "description");
    let mut codes = Vec::new();
    if at_most(fields, "offices", offices, 50) {
        for (i, code) in offices.iter().enumerate() {
            if let Some(office) = fields.check(
                &format!("offices[{i}]"),
                "invalid_code",
                OfficeCode::parse(code),
            ) {
                codes.push(office);
            }
        }
    }
    (title, url, description, codes)
}

impl StaffResourceRequest {
    /// The checked draft.
    pub fn parse(self) -> Result<LinkDraft, ApiError> {
        let mut fields = Fields::new();
        let (title, url, description, offices) = common(
            &mut fields,
            &self.title,
            &self.url,
            self.description.as_ref(),
            &self.offices,
        );
        let draft = match (title, url) {
            (Some(title), Some(url)) => Some(LinkDraft {
                title,
                url,
                kind: Some(self.kind.into()),
                region: None,
                description,
                offices,
            }),
            _ => None,
        };
        fields.into_result(draft)
    }
}

impl LaborMarketLinkRequest {
    /// The checked draft.
    pub fn parse(self) -> Result<LinkDraft, ApiError> {
        let mut fields = Fields::new();
        let (title, url, description, offices) = common(
            &mut fields,
            &self.title,
            &self.url,
            self.description.as_ref(),
            &self.offices,
        );
        let region = Line::check_optional(self.region.as_ref(), &mut fields, "region");
        let draft = match (title, url) {
            (Some(title), Some(url)) => Some(LinkDraft {
                title,
                url,
                kind: None,
                region,
                description,
                offices,
            }),
            _ => None,
        };
        fields.into_result(draft)
    }
}

fn created(path: &str, link: &StaffLink, body: impl Serialize) -> HttpResponse {
    HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/staff/{path}/{}", link.id),
        ))
        .insert_header((header::ETAG, service::etag(link)))
        .json(body)
}

fn changed(link: &StaffLink, body: impl Serialize) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::ETAG, service::etag(link)))
        .json(body)
}

async fn list_shelf<T: ToSchema>(
    state: &AppState,
    user: crate::auth::AuthUser,
    shelf: Shelf,
    query: PageQuery,
    to_dto: impl Fn(StaffLink) -> T,
) -> Result<web::Json<PageResponse<T>>, ApiError> {
    let list = match shelf {
        Shelf::Resources => "staff-resources",
        Shelf::LaborMarket => "labor-market-links",
    };
    Paging::parse(list, query.limit, query.cursor.as_deref())?
        .keyed(merit_persistence::staff_links::is_list_key)?
        .read(
            &state.db,
            move |conn, page| service::list(conn, &user, shelf, page),
            |l| l.id,
            to_dto,
        )
        .await
}

/// Add a staff resource
///
/// Admins only (403 otherwise). A guide, training video or form for every office's staff, or
/// for chosen `offices`; shown in the "Need Help or More Information" widget.
#[utoipa::path(
    tag = "staff",
    security(("bearer" = [])),
    request_body = StaffResourceRequest,
    responses(
        (status = 201, description = "The resource.", body = StaffResourceResponse, headers(
            ("Location" = String, description = "The resource's URL."),
            ("ETag" = String, description = "Its version, for `If-Match`."),
        )),
    )
)]
#[post("/staff/resources")]
pub async fn add_staff_resource(
    state: web::Data<AppState>,
    StaffUser(user): StaffUser,
    Json(body): Json<StaffResourceRequest>,
) -> Result<HttpResponse, ApiError> {
    let draft = body.parse()?;
    let now = state.clock.now();
    let link = state
        .db
        .write(move |conn| service::add(conn, &user, Shelf::Resources, draft, now))
        .await?;
    Ok(created(
        "resources",
        &link,
        StaffResourceResponse::new(link.clone()),
    ))
}

/// List staff resources
///
/// Staff: those for every office and for mine. Admins: every resource. Newest first.
#[utoipa::path(
    tag = "staff",
    security(("bearer" = [])),
    params(PageQuery),
    responses((status = 200, description = "A page of resources.", body = PageResponse<StaffResourceResponse>))
)]
#[get("/staff/resources")]
pub async fn list_staff_resources(
    state: web::Data<AppState>,
    StaffUser(user): StaffUser,
    Query(query): Query<PageQuery>,
) -> Result<web::Json<PageResponse<StaffResourceResponse>>, ApiError> {
    list_shelf(
        &state,
        user,
        Shelf::Resources,
        query,
        StaffResourceResponse::new,
    )
    .await
}

/// Read a staff resource
///
/// One for every office or mine (any, for admins); others are 404.
#[utoipa::path(
    tag = "staff",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The resource's id.")),
    responses(
        (status = 200, description = "The resource.", body = StaffResourceResponse, headers(("ETag" = String, description = "Its version, for `If-Match`."))),
        (status = 404, response = NotFound),
    )
)]
#[get("/staff/resources/{id}")]
pub async fn get_staff_resource(
    state: web::Data<AppState>,
    StaffUser(user): StaffUser,
    PathId(id): PathId<StaffLinkId>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let link = state
        .db
        .read(move |conn| service::get(conn, &user, Shelf::Resources, id))
        .await?;
    let tag = service::etag(&link);
    json_with_tag(&req, &tag, &StaffResourceResponse::new(link))
}

/// Change a staff resource
///
/// Admins only. Replaces its fields.
#[utoipa::path(
    tag = "staff",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "The resource's id."),
        ("If-Match" = Option<String>, Header, description = "Change only this version (its `ETag`).")
    ),
    request_body = StaffResourceRequest,
    responses(
        (status = 200, description = "The resource.", body = StaffResourceResponse, headers(("ETag" = String, description = "The new version."))),
        (status = 404, response = NotFound),
        (status = 412, response = PreconditionFailed),
    )
)]
#[put("/staff/resources/{id}")]
pub async fn update_staff_resource(
    state: web::Data<AppState>,
    StaffUser(user): StaffUser,
    PathId(id): PathId<StaffLinkId>,
    if_match: IfMatch,
    Json(body): Json<StaffResourceRequest>,
) -> Result<HttpResponse, ApiError> {
    let draft = body.parse()?;
    let now = state.clock.now();
    let link = state
        .db
        .write(move |conn| {
            service::update(conn, &user, Shelf::Resources, id, draft, &if_match, now)
        })
        .await?;
    Ok(changed(&link, StaffResourceResponse::new(link.clone())))
}

/// Remove a staff resource
///
/// Admins only.
#[utoipa::path(
    tag = "staff",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "The resource's id."),
        ("If-Match" = Option<String>, Header, description = "Remove only this version (its `ETag`).")
    ),
    responses(
        (status = 204, description = "Removed."),
        (status = 404, response = NotFound),
        (status = 412, response = PreconditionFailed),
    )
)]
#[delete("/staff/resources/{id}")]
pub async fn remove_staff_resource(
    state: web::Data<AppState>,
    StaffUser(user): StaffUser,
    PathId(id): PathId<StaffLinkId>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let now = state.clock.now();
    state
        .db
        .write(move |conn| service::remove(conn, &user, Shelf::Resources, id, &if_match, now))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Add a labor-market link
///
/// Admins only (403 otherwise). A labour-market information or service site for every
/// office's staff, or for chosen `offices`; shown in the "Labor Market Services" widget.
#[utoipa::path(
    tag = "staff",
    security(("bearer" = [])),
    request_body = LaborMarketLinkRequest,
    responses(
        (status = 201, description = "The link.", body = LaborMarketLinkResponse, headers(
            ("Location" = String, description = "The link's URL."),
            ("ETag" = String, description = "Its version, for `If-Match`."),
        )),
    )
)]
#[post("/staff/labor-market-links")]
pub async fn add_labor_market_link(
    state: web::Data<AppState>,
    StaffUser(user): StaffUser,
    Json(body): Json<LaborMarketLinkRequest>,
) -> Result<HttpResponse, ApiError> {
    let draft = body.parse()?;
    let now = state.clock.now();
    let link = state
        .db
        .write(move |conn| service::add(conn, &user, Shelf::LaborMarket, draft, now))
        .await?;
    Ok(created(
        "labor-market-links",
        &link,
        LaborMarketLinkResponse::new(link.clone()),
    ))
}

/// List labor-market links
///
/// Staff: those for every office and for mine. Admins: every link. Newest first.
#[utoipa::path(
    tag = "staff",
    security(("bearer" = [])),
    params(PageQuery),
    responses((status = 200, description = "A page of links.", body = PageResponse<LaborMarketLinkResponse>))
)]
#[get("/staff/labor-market-links")]
pub async fn list_labor_market_links(
    state: web::Data<AppState>,
    StaffUser(user): StaffUser,
    Query(query): Query<PageQuery>,
) -> Result<web::Json<PageResponse<LaborMarketLinkResponse>>, ApiError> {
    list_shelf(
        &state,
        user,
        Shelf::LaborMarket,
        query,
        LaborMarketLinkResponse::new,
    )
    .await
}

/// Read a labor-market link
///
/// One for every office or mine (any, for admins); others are 404.
#[utoipa::path(
    tag = "staff",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The link's id.")),
    responses(
        (status = 200, description = "The link.", body = LaborMarketLinkResponse, headers(("ETag" = String, description = "Its version, for `If-Match`."))),
        (status = 404, response = NotFound),
    )
)]
#[get("/staff/labor-market-links/{id}")]
pub async fn get_labor_market_link(
    state: web::Data<AppState>,
    StaffUser(user): StaffUser,
    PathId(id): PathId<StaffLinkId>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let link = state
        .db
        .read(move |conn| service::get(conn, &user, Shelf::LaborMarket, id))
        .await?;
    let tag = service::etag(&link);
    json_with_tag(&req, &tag, &LaborMarketLinkResponse::new(link))
}

/// Change a labor-market link
///
/// Admins only. Replaces its fields.
#[utoipa::path(
    tag = "staff",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "The link's id."),
        ("If-Match" = Option<String>, Header, description = "Change only this version (its `ETag`).")
    ),
    request_body = LaborMarketLinkRequest,
    responses(
        (status = 200, description = "The link.", body = LaborMarketLinkResponse, headers(("ETag" = String, description = "The new version."))),
        (status = 404, response = NotFound),
        (status = 412, response = PreconditionFailed),
    )
)]
#[put("/staff/labor-market-links/{id}")]
pub async fn update_labor_market_link(
    state: web::Data<AppState>,
    StaffUser(user): StaffUser,
    PathId(id): PathId<StaffLinkId>,
    if_match: IfMatch,
    Json(body): Json<LaborMarketLinkRequest>,
) -> Result<HttpResponse, ApiError> {
    let draft = body.parse()?;
    let now = state.clock.now();
    let link = state
        .db
        .write(move |conn| {
            service::update(conn, &user, Shelf::LaborMarket, id, draft, &if_match, now)
        })
        .await?;
    Ok(changed(&link, LaborMarketLinkResponse::new(link.clone())))
}

/// Remove a labor-market link
///
/// Admins only.
#[utoipa::path(
    tag = "staff",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "The link's id."),
        ("If-Match" = Option<String>, Header, description = "Remove only this version (its `ETag`).")
    ),
    responses(
        (status = 204, description = "Removed."),
        (status = 404, response = NotFound),
        (status = 412, response = PreconditionFailed),
    )
)]
#[delete("/staff/labor-market-links/{id}")]
pub async fn remove_labor_market_link(
    state: web::Data<AppState>,
    StaffUser(user): StaffUser,
    PathId(id): PathId<StaffLinkId>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let now = state.clock.now();
    state
        .db
        .write(move |conn| service::remove(conn, &user, Shelf::LaborMarket, id, &if_match, now))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
