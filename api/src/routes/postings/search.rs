//! `GET /api/v1/postings`: search.

use actix_web::{HttpRequest, HttpResponse, get, web};
use chrono::{DateTime, NaiveDate, Utc};
use merit_domain::posting::SortOrder;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::dto::{SearchFilters, ShiftName, TenureName, TimeBaseName, VisibilityName};
use crate::{
    auth::{MaybeUser, viewer_of},
    conditional::json_with_etag,
    error::{ApiError, Code},
    extract::parse_query_parts,
    openapi::Unauthorized,
    paging::{self, decode_cursor, encode_cursor},
    search::{FacetCount, Found, Query, SortKey},
    state::AppState,
};

/// Paging of a search.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// Results per page, 1 to 100.
    #[param(minimum = 1, maximum = 100, default = 20)]
    pub limit: Option<u64>,
    /// The `next_cursor` of the previous page (of the same search and order).
    #[param(max_length = 512)]
    pub cursor: Option<String>,
}

/// A posting in search results.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)] // closes the schema: additionalProperties: false
pub struct PostingSummary {
    /// Opaque id.
    pub id: String,
    /// Working title.
    pub title: String,
    /// The department's code.
    pub department_code: String,
    /// The classification's code.
    pub classification_code: String,
    /// The classification's title.
    pub classification_title: String,
    /// The county's code.
    pub county_code: String,
    /// Tenure.
    pub tenure: TenureName,
    /// Time base.
    pub time_base: TimeBaseName,
    /// Shift.
    pub shift: ShiftName,
    /// Lowest monthly salary in cents.
    pub salary_min_cents: i64,
    /// Highest monthly salary in cents.
    pub salary_max_cents: i64,
    /// The last day to apply.
    pub final_filing_date: NaiveDate,
    /// When it opened.
    pub published_at: Option<DateTime<Utc>>,
    /// Who it is for.
    pub visibility: VisibilityName,
    /// Whether list eligibility is required.
    pub eligibility_required: bool,
}

/// A facet value and its count.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)] // closes the schema: additionalProperties: false
pub struct FacetValue {
    /// The value (a code).
    pub value: String,
    /// How many results have it.
    pub count: usize,
}

/// Counts of all results by the main filters, most frequent first.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)] // closes the schema: additionalProperties: false
pub struct SearchFacets {
    /// By county code.
    pub county: Vec<FacetValue>,
    /// By department code.
    pub department: Vec<FacetValue>,
    /// By classification code.
    pub classification: Vec<FacetValue>,
    /// By tenure.
    pub tenure: Vec<FacetValue>,
    /// By time base.
    pub time_base: Vec<FacetValue>,
}

/// A page of search results.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)] // closes the schema: additionalProperties: false
pub struct SearchResponse {
    /// This page.
    pub items: Vec<PostingSummary>,
    /// Pass as `cursor` for the next page; null on the last.
    #[schema(required = true)]
    pub next_cursor: Option<String>,
    /// How many postings match in all.
    pub total: usize,
    /// Counts of all matches by county, department, classification, tenure and time base.
    pub facets: SearchFacets,
}

fn facet(values: Vec<FacetCount>) -> Vec<FacetValue> {
    values
        .into_iter()
        .map(|f| FacetValue {
            value: f.value,
            count: f.count,
        })
        .collect()
}

fn cursor_of(sort: SortOrder, key: &SortKey) -> String {
    encode_cursor(
        "postings",
        &format!("{}|{}|{}", sort.as_str(), key.primary, key.id),
    )
}

/// Decodes a search cursor; it must belong to the same order.
pub fn decode_search_cursor(cursor: &str, sort: SortOrder) -> Result<SortKey, ApiError> {
    let text = decode_cursor("postings", cursor)?;
    let mut parts = text.splitn(3, '|');
    match (
        parts.next(),
        parts.next().and_then(|p| p.parse::<i64>().ok()),
        parts.next(),
    ) {
        (Some(name), Some(primary), Some(id)) if name == sort.as_str() => Ok(SortKey {
            primary,
            id: id.to_owned(),
        }),
        _ => Err(ApiError::new(
            Code::InvalidCursor,
            "The cursor is not one this search gave out (or the order changed). Start again without a cursor.",
        )),
    }
}

impl SearchResponse {
    /// The response for what the index found, in `sort` order.
    pub fn new(found: Found, sort: SortOrder) -> Self {
        let next_cursor = if found.has_more {
            found.hits.last().map(|h| cursor_of(sort, &h.key))
        } else {
            None
        };
        SearchResponse {
            items: found
                .hits
                .into_iter()
                .map(|hit| {
                    let card = &hit.card;
                    PostingSummary {
                        id: card.id.clone(),
                        title: card.title.clone(),
                        department_code: card.department_code.clone(),
                        classification_code: card.classification_code.clone(),
                        classification_title: card.classification_title.clone(),
                        county_code: card.county_code.clone(),
                        tenure: card.tenure.into(),
                        time_base: card.time_base.into(),
                        shift: card.shift.into(),
                        salary_min_cents: card.salary_min_cents,
                        salary_max_cents: card.salary_max_cents,
                        final_filing_date: card.final_filing_date,
                        published_at: card.published_at,
                        visibility: card.visibility.into(),
                        eligibility_required: card.eligibility_required,
                    }
                })
                .collect(),
            next_cursor,
            total: found.total,
            facets: SearchFacets {
                county: facet(found.facets.county),
                department: facet(found.facets.department),
                classification: facet(found.facets.classification),
                tenure: facet(found.facets.tenure),
                time_base: facet(found.facets.time_base),
            },
        }
    }
}

/// Search postings
///
/// Open postings the caller may see (internal-only ones only for signed-in State employees),
/// matching every keyword and filter, in the chosen order, with the total and facet counts of
/// all matches. Postings past their final filing date are left out. Answers carry an `ETag`;
/// send it back in `If-None-Match` to get 304 when nothing changed.
#[utoipa::path(
    tag = "postings",
    security((), ("bearer" = [])),
    params(SearchFilters, PageParams),
    responses(
        (status = 200, description = "A page of results.", body = SearchResponse),
        (status = 304, description = "Unchanged since the `ETag` sent in `If-None-Match`."),
        (status = 401, response = Unauthorized),
    )
)]
#[get("/postings")]
pub async fn search_postings(
    state: web::Data<AppState>,
    MaybeUser(user): MaybeUser,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let (filters, page): (SearchFilters, PageParams) =
        parse_query_parts(req.query_string(), &["limit", "cursor"])?;
    let criteria = filters.criteria()?;
    let limit = paging::limit(page.limit)?;
    let sort = criteria.effective_sort();
    let after = page
        .cursor
        .as_deref()
        .map(|c| decode_search_cursor(c, sort))
        .transpose()?;
    state.search.ready(&state.db).await?;
    let viewer = viewer_of(user.as_ref());
    let query = Query {
        criteria: &criteria,
        viewer: &viewer,
        now: state.clock.now(),
        after: after.as_ref(),
        limit: limit.get() as usize,
    };
    let found = state.search.search(&query);
    json_with_etag(&req, &SearchResponse::new(found, sort))
}
