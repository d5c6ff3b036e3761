//! Exam handlers.

use actix_web::{HttpResponse, get, post, web};
use merit_domain::{
    account::Role,
    ids::{EntityId, ExamId},
    posting::first_open_filing_date,
    profile::TermsFilter,
    reference::{ClassificationCode, CountyCode},
};
use merit_persistence::{exams as repo, exams::ListKey, time::utc};

use super::dto::{
    AttemptRequest, AttemptResponse, EligibleListEntry, EligibleListQuery, ExamQuery, ExamResponse,
    NewExamRequest,
};
use crate::routes::strings::RankBandName;
use crate::{
    auth::{AuthUser, MaybeUser},
    error::{ApiError, Code},
    extract::{Json, PathId, Query},
    openapi::{Conflict, Forbidden, NotFound},
    paging::{self, PageResponse, Paging, decode_cursor, encode_cursor},
    services::exams,
    state::AppState,
};

fn manages_exams(user: &AuthUser) -> bool {
    user.has(Role::Employer) || user.has(Role::Admin)
}

/// Find exams
///
/// Exams taking attempts now (or all, with `open_now=false`), newest first, by classification
/// or text. Option points are shown only to employers and admins.
#[utoipa::path(
    tag = "exams",
    security((), ("bearer" = [])),
    params(ExamQuery),
    responses((status = 200, description = "A page of exams.", body = PageResponse<ExamResponse>), (status = 401, response = crate::openapi::Unauthorized))
)]
#[get("/exams")]
pub async fn list_exams(
    state: web::Data<AppState>,
    MaybeUser(user): MaybeUser,
    Query(query): Query<ExamQuery>,
) -> Result<web::Json<PageResponse<ExamResponse>>, ApiError> {
    let classification = query
        .classification
        .as_deref()
        .map(|c| {
            ClassificationCode::parse(c)
                .map_err(|e| ApiError::invalid("classification", "invalid_code", e.to_string()))
        })
        .transpose()?;
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
    let paging = Paging::parse("exams", query.limit, query.cursor.as_deref())?;
    let now = state.clock.now();
    let filter = repo::ExamFilter {
        classification: classification.map(|c| c.to_string()),
        text: query.q,
        open_filing_from: query
            .open_now
            .unwrap_or(true)
            .then(|| first_open_filing_date(now)),
    };
    let show_points = user.as_ref().is_some_and(manages_exams);
    paging
        .read(
            &state.db,
            move |conn, page| exams::list(conn, &filter, page),
            |e| e.id,
            |e| ExamResponse::new(e, show_points, now),
        )
        .await
}

/// Create an exam
///
/// For employers and admins: an exam for a classification, with its questionnaire.
#[utoipa::path(
    tag = "exams",
    security(("bearer" = [])),
    request_body = NewExamRequest,
    responses((status = 201, description = "Created.", body = ExamResponse), (status = 403, response = Forbidden))
)]
#[post("/exams")]
pub async fn create_exam(
    state: web::Data<AppState>,
    user: AuthUser,
    Json(body): Json<NewExamRequest>,
) -> Result<HttpResponse, ApiError> {
    if !manages_exams(&user) {
        return Err(ApiError::new(
            Code::Forbidden,
            "Only employers and admins create exams.",
        ));
    }
    let now = state.clock.now();
    let exam = body.parse(ExamId::from_uuid(uuid::Uuid::now_v7()), now)?;
    let exam = state
        .db
        .write(move |conn| exams::create(conn, &user, exam))
        .await?;
    let location = format!("/api/v1/exams/{}", exam.id);
    Ok(HttpResponse::Created()
        .insert_header(("location", location))
        .json(ExamResponse::new(exam, true, now)))
}

/// Get an exam
///
/// The exam and its questionnaire; option points only for employers and admins.
#[utoipa::path(
    tag = "exams",
    security((), ("bearer" = [])),
    params(("id" = String, Path, description = "The exam's id.")),
    responses((status = 200, description = "The exam.", body = ExamResponse), (status = 401, response = crate::openapi::Unauthorized), (status = 404, response = NotFound))
)]
#[get("/exams/{id}")]
pub async fn get_exam(
    state: web::Data<AppState>,
    MaybeUser(user): MaybeUser,
    PathId(id): PathId<ExamId>,
) -> Result<web::Json<ExamResponse>, ApiError> {
    let exam = state.db.read(move |conn| exams::get(conn, id)).await?;
    let show_points = user.as_ref().is_some_and(manages_exams);
    Ok(web::Json(ExamResponse::new(
        exam,
        show_points,
        state.clock.now(),
    )))
}

/// Take an exam
///
/// Submits one answer per question; the attempt is scored at once. A pass puts the person on
/// the classification's eligible list until now plus the list duration. A closed exam, and a
/// re-take before the waiting period ends (unless the eligibility expired), are refused.
#[utoipa::path(
    tag = "exams",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The exam's id.")),
    request_body = AttemptRequest,
    responses(
        (status = 201, description = "Scored.", body = AttemptResponse),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
    )
)]
#[post("/exams/{id}/attempts")]
pub async fn take_exam(
    state: web::Data<AppState>,
    user: AuthUser,
    PathId(id): PathId<ExamId>,
    Json(body): Json<AttemptRequest>,
) -> Result<HttpResponse, ApiError> {
    user.require(Role::Applicant)?;
    let answers = body
        .answers
        .into_iter()
        .map(|a| (a.question_id, a.option_id))
        .collect();
    let now = state.clock.now();
    let attempt = state
        .db
        .write(move |conn| exams::take(conn, &user, id, answers, now))
        .await?;
    Ok(HttpResponse::Created().json(AttemptResponse::from(attempt)))
}

fn encode_list_key(key: &ListKey) -> String {
    encode_cursor(
        "eligible-list",
        &format!("{}|{}|{}", key.band, key.score, key.account_id),
    )
}

fn decode_list_key(cursor: &str) -> Result<ListKey, ApiError> {
    let text = decode_cursor("eligible-list", cursor)?;
    let mut parts = text.splitn(3, '|');
    match (
        parts.next().and_then(|b| b.parse().ok()),
        parts.next().and_then(|s| s.parse().ok()),
        parts.next(),
    ) {
        (Some(band), Some(score), Some(account_id)) => Ok(ListKey {
            band,
            score,
            account_id: account_id.to_owned(),
        }),
        _ => Err(paging::invalid_cursor()),
    }
}

/// A classification's eligible list
///
/// For employers, staff and admins: the people with active eligibility for the classification,
/// ranked by band then score, each once, narrowed by their conditions of employment (county,
/// tenure, time base, whether they accept contact letters). Only what is needed to contact
/// them; never answers or scores.
#[utoipa::path(
    tag = "exams",
    security(("bearer" = [])),
    params(("code" = String, Path, description = "The classification's code."), EligibleListQuery),
    responses(
        (status = 200, description = "A page of the list.", body = PageResponse<EligibleListEntry>),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    )
)]
#[get("/classifications/{code}/eligible-list")]
pub async fn get_eligible_list(
    state: web::Data<AppState>,
    user: AuthUser,
    code: web::Path<String>,
    Query(query): Query<EligibleListQuery>,
) -> Result<web::Json<PageResponse<EligibleListEntry>>, ApiError> {
    if !(user.has(Role::Employer) || user.has(Role::Staff) || user.has(Role::Admin)) {
        return Err(ApiError::new(
            Code::Forbidden,
            "Eligible lists are for employers, staff and admins.",
        ));
    }
    let classification =
        ClassificationCode::parse(&code).map_err(|_| ApiError::not_found("classification"))?;
    let county = query
        .county
        .as_deref()
        .map(|c| {
            CountyCode::parse(c)
                .map_err(|e| ApiError::invalid("county", "invalid_code", e.to_string()))
        })
        .transpose()?;
    let filter = TermsFilter {
        county,
        tenure: query.tenure.map(Into::into),
        time_base: query.time_base.map(Into::into),
        accepts_contact: query.accepts_contact,
    };
    let limit = paging::limit(query.limit)?;
    let after = query.cursor.as_deref().map(decode_list_key).transpose()?;
    let now = state.clock.now();
    let size = limit.get() as usize;
    let (entries, has_more) = state
        .db
        .read(move |conn| exams::eligible_page(conn, &classification, &filter, now, after, size))
        .await?;
    let next_cursor = has_more
        .then(|| {
            entries.last().map(|e| {
                encode_list_key(&ListKey {
                    band: e.entry.rank_band,
                    score: e.entry.score,
                    account_id: e.entry.account_id.clone(),
                })
            })
        })
        .flatten();
    let items = entries
        .into_iter()
        .map(|e| EligibleListEntry {
            account_id: e.entry.account_id,
            first_name: e.entry.first_name,
            last_name: e.entry.last_name,
            email: e.entry.email,
            rank_band: RankBandName::of(u8::try_from(e.entry.rank_band).unwrap_or(7)),
            expires_at: utc(e.entry.expires_at),
            waivers: e.waivers,
            certifiable: e.certifiable,
        })
        .collect();
    Ok(web::Json(PageResponse { items, next_cursor }))
}
