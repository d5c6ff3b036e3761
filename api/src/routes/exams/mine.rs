//! A person's own exam results and eligibilities, paged like every list.

use actix_web::{get, web};
use chrono::DateTime;
use merit_persistence::exams::AttemptKey;

use super::dto::{AttemptResponse, EligibilityResponse};
use crate::routes::strings::RankBandName;
use crate::{
    auth::AuthUser,
    error::ApiError,
    extract::Query,
    openapi::Forbidden,
    paging::{PageQuery, PageResponse, Paging, decode_cursor, encode_cursor},
    services::exams,
    state::AppState,
};

const RESULTS: &str = "exam-results";
const ELIGIBILITIES: &str = "eligibilities";

fn encode_attempt_key(key: &AttemptKey) -> String {
    encode_cursor(
        RESULTS,
        &format!("{}|{}", key.taken_at.timestamp_micros(), key.id),
    )
}

fn decode_attempt_key(cursor: &str) -> Result<AttemptKey, ApiError> {
    let text = decode_cursor(RESULTS, cursor)?;
    text.split_once('|')
        .and_then(|(micros, id)| {
            let taken_at = DateTime::from_timestamp_micros(micros.parse().ok()?)?;
            (!id.is_empty()).then(|| AttemptKey {
                taken_at,
                id: id.to_owned(),
            })
        })
        .ok_or_else(crate::paging::invalid_cursor)
}

/// My exam results
///
/// Every attempt, newest first, a page at a time.
#[utoipa::path(
    tag = "exams",
    security(("bearer" = [])),
    params(PageQuery),
    responses((status = 200, description = "A page of attempts.", body = PageResponse<AttemptResponse>), (status = 403, response = Forbidden))
)]
#[get("/me/exam-results")]
pub async fn list_my_exam_results(
    state: web::Data<AppState>,
    user: AuthUser,
    Query(query): Query<PageQuery>,
) -> Result<web::Json<PageResponse<AttemptResponse>>, ApiError> {
    let limit = crate::paging::limit(query.limit)?;
    let after = query
        .cursor
        .as_deref()
        .map(decode_attempt_key)
        .transpose()?;
    let page = state
        .db
        .read(move |conn| exams::results_page(conn, &user, after, limit))
        .await?;
    let next_cursor = page
        .has_more
        .then(|| page.items.last())
        .flatten()
        .map(|last| {
            encode_attempt_key(&AttemptKey {
                taken_at: last.taken_at,
                id: last.id.clone(),
            })
        });
    Ok(web::Json(PageResponse {
        items: page.items.into_iter().map(AttemptResponse::from).collect(),
        next_cursor,
    }))
}

/// My eligibilities
///
/// Per classification the person passed, in classification code order: the eligibility that
/// counts (the best active one), its status (active, expiring within 60 days, expired), days
/// left, and when a re-take is possible.
#[utoipa::path(
    tag = "exams",
    security(("bearer" = [])),
    params(PageQuery),
    responses((status = 200, description = "A page of eligibilities, one per classification.", body = PageResponse<EligibilityResponse>), (status = 403, response = Forbidden))
)]
#[get("/me/eligibilities")]
pub async fn list_my_eligibilities(
    state: web::Data<AppState>,
    user: AuthUser,
    Query(query): Query<PageQuery>,
) -> Result<web::Json<PageResponse<EligibilityResponse>>, ApiError> {
    let paging = Paging::parse(ELIGIBILITIES, query.limit, query.cursor.as_deref())?;
    let now = state.clock.now();
    paging
        .read(
            &state.db,
            move |conn, page| exams::standings_page(conn, &user, now, page),
            |s| s.classification.clone(),
            |s| EligibilityResponse {
                classification_code: s.classification,
                classification_title: s.classification_title,
                status: s.status.into(),
                score: s.score,
                rank_band: RankBandName::of(s.rank_band),
                expires_at: s.expires_at,
                days_left: s.days_left,
                retake_allowed_from: s.retake_allowed_from,
            },
        )
        .await
}
