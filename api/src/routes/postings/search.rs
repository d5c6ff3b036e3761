//! `GET /api/v1/postings`: search.

use actix_web::{HttpRequest, HttpResponse, get, web};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{
    dto::{PostingResponse, ShiftName, TenureName, TimeBaseName, VisibilityName},
    filters::SearchFilters,
};
use crate::{
    auth::{MaybeUser, viewer_of},
    conditional::json_with_etag,
    error::ApiError,
    openapi::Unauthorized,
    paging::{self, PageQuery, PageResponse, Paging},
    search::FacetCount,
    services::{
        postings,
        search::{self, PageCommand, SearchPage},
    },
    state::AppState,
    validation::Fields,
};

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
    /// The department's name.
    pub department_name: String,
    /// The classification's code.
    pub classification_code: String,
    /// The classification's title.
    pub classification_title: String,
    /// The county's code.
    pub county_code: String,
    /// The county's name.
    pub county_name: String,
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
    /// The value (a term).
    pub value: String,
    /// How many results have it.
    pub count: usize,
}

/// A facet code, its name and its count.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)] // closes the schema: additionalProperties: false
pub struct NamedFacetValue {
    /// The value (a code, as the filter takes it).
    pub value: String,
    /// The code's display name (a county or department name, a classification title).
    pub name: String,
    /// How many results have it.
    pub count: usize,
}

/// Counts of all results by the main filters, most frequent first.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)] // closes the schema: additionalProperties: false
pub struct SearchFacets {
    /// By county code.
    pub county: Vec<NamedFacetValue>,
    /// By department code.
    pub department: Vec<NamedFacetValue>,
    /// By classification code.
    pub classification: Vec<NamedFacetValue>,
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

fn named_facet(values: Vec<FacetCount>) -> Vec<NamedFacetValue> {
    values
        .into_iter()
        .map(|f| NamedFacetValue {
            name: f.name.unwrap_or_default(),
            value: f.value,
            count: f.count,
        })
        .collect()
}

impl From<&crate::search::PostingCard> for PostingSummary {
    fn from(card: &crate::search::PostingCard) -> Self {
        PostingSummary {
            id: card.id.clone(),
            title: card.title.clone(),
            department_code: card.department_code.clone(),
            department_name: card.department_name.clone(),
            classification_code: card.classification_code.clone(),
            classification_title: card.classification_title.clone(),
            county_code: card.county_code.clone(),
            county_name: card.county_name.clone(),
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
    }
}

impl From<SearchPage> for SearchResponse {
    fn from(page: SearchPage) -> Self {
        let found = page.found;
        SearchResponse {
            items: found.hits.iter().map(|hit| (&*hit.card).into()).collect(),
            next_cursor: page.next_cursor,
            total: found.total,
            facets: SearchFacets {
                county: named_facet(found.facets.county),
                department: named_facet(found.facets.department),
                classification: named_facet(found.facets.classification),
                tenure: facet(found.facets.tenure),
                time_base: facet(found.facets.time_base),
            },
        }
    }
}

impl PageQuery {
    /// The checked page request.
    pub fn command(&self) -> Result<PageCommand, ApiError> {
        Ok(PageCommand {
            limit: paging::limit(self.limit)?.get() as usize,
            cursor: self.cursor.clone(),
        })
    }
}

/// The paging and sync parameters of `GET /api/v1/postings`.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PostingListQuery {
    /// Items per page, 1 to 100.
    #[param(minimum = 1, maximum = 100, default = 20)]
    pub limit: Option<u64>,
    /// The `next_cursor` of the previous page of this list (a search's cursor, or with
    /// `updated_since` a sync cursor: each works only in its own list).
    #[param(max_length = 512)]
    pub cursor: Option<String>,
    /// Incremental sync: instead of searching, list the postings changed at or after this
    /// instant (RFC 3339) from the database, every status the caller may read with
    /// `GET /postings/{id}` (drafts only for the department's own employers and machine clients;
    /// closed, cancelled and past-deadline postings for whoever may read them), ordered by
    /// their last change (`updated_at`, then id), as a page of postings (`items`,
    /// `next_cursor`). A change is listed once it is 30 seconds old, so that a page never
    /// passes a change still being committed; follow `next_cursor`, and when it is null, keep
    /// the greatest `updated_at` seen and ask again from it later. The filters apply as in a
    /// search; `q` and `sort` do not combine with it (422 `not_with_updated_since`).
    pub updated_since: Option<DateTime<Utc>>,
}

/// The answer of `GET /api/v1/postings`: search results, or with `updated_since` a page of
/// changed postings.
#[derive(Debug, Serialize, ToSchema)]
#[serde(untagged)]
pub enum PostingListResponse {
    /// Search results (without `updated_since`).
    Search(SearchResponse),
    /// Changed postings in the order of their last change (with `updated_since`).
    Changes(PageResponse<PostingResponse>),
}

/// The list of posting changes (cursors of other lists are refused).
const CHANGES: &str = "posting-changes";

/// Search postings
///
/// Open postings the caller may see (internal-only ones only for signed-in State employees),
/// matching every keyword and filter, in the chosen order, with the total and facet counts of
/// all matches. A filter repeated (`county=fresno&county=kern`) matches any of its values;
/// different filters must all match. `internal_only=true` keeps only postings for State
/// employees, so it finds nothing for anyone who may not see them. Codes come with their names.
/// Postings past their final filing date are left out. Answers carry an `ETag`; send it back in
/// `If-None-Match` to get 304 when nothing changed.
///
/// With `updated_since` this is incremental sync instead (see the parameter): a page of
/// postings (`items`, `next_cursor`, no `total` or `facets`), every status the caller may read,
/// in the order of their last change, for mirroring without gaps. `q` and `sort` are refused
/// with it (422 `not_with_updated_since` at the parameter).
#[utoipa::path(
    tag = "postings",
    security((), ("bearer" = [])),
    params(SearchFilters, PostingListQuery),
    responses(
        (status = 200, description = "A page of results (with `updated_since`, a page of changed postings).", body = PostingListResponse),
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
    let (filters, query): (SearchFilters, PostingListQuery) =
        SearchFilters::from_query(req.query_string(), &["limit", "cursor", "updated_since"])?;
    let viewer = viewer_of(user.as_ref());
    let now = state.clock.now();
    if let Some(since) = query.updated_since {
        let mut fields = Fields::new();
        let refused = "Keywords and the order are for search; they do not combine with \
                       updated_since (which lists in the order of change).";
        if filters.q.is_some() {
            fields.push("q", "not_with_updated_since", refused);
        }
        if filters.sort.is_some() {
            fields.push("sort", "not_with_updated_since", refused);
        }
        fields.finish()?;
        let criteria = filters.criteria()?;
        let page = Paging::parse(CHANGES, query.limit, query.cursor.as_deref())?
            .keyed(merit_persistence::postings::is_change_key)?
            .read(
                &state.db,
                move |conn, page| postings::changes(conn, &viewer, &criteria, since, page, now),
                |p| merit_persistence::postings::change_key(&p.posting),
                |p| PostingResponse::new(p, now),
            )
            .await?
            .into_inner();
        return json_with_etag(&req, &PostingListResponse::Changes(page));
    }
    let page = PageQuery {
        limit: query.limit,
        cursor: query.cursor,
    };
    let (criteria, page) = (filters.criteria()?, page.command()?);
    let found = search::postings(&state.db, &state.search, &viewer, &criteria, &page, now).await?;
    json_with_etag(
        &req,
        &PostingListResponse::Search(SearchResponse::from(found)),
    )
}
