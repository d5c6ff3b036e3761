//! Contact-letter handlers.

use actix_web::{HttpResponse, get, post, web};
use merit_domain::ids::{ContactLetterId, PostingId};

use super::dto::*;
use crate::{
    auth::AuthUser,
    error::ApiError,
    extract::{Json, PathId, Query},
    openapi::{Conflict, Forbidden, NotFound},
    paging::{PageQuery, PageResponse, Paging},
    services::letters as service,
    state::AppState,
};

/// Send contact letters
///
/// For an employer of the posting's department, or an admin, while the posting is open and
/// accepting applications: sends a contact letter (an inbox message, and an email unless the
/// person turned those off) to each person on the classification's eligible list who accepts
/// contact letters, whose conditions of employment fit the posting and the filter of the body,
/// and who is still certifiable for the class; once per person and posting, so calling again
/// sends only to people new on the list. The answer is due by the end of the sixth business
/// day (2 CCR §258, Pacific time; weekends and California state holidays excluded). 409
/// `filing_closed` when the posting no longer accepts applications.
#[utoipa::path(
    tag = "letters",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The posting's id.")),
    request_body = SendLettersRequest,
    responses(
        (status = 200, description = "What was sent and skipped.", body = SendLettersResponse),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
    )
)]
#[post("/postings/{id}/contact-letters")]
pub async fn send_contact_letters(
    state: web::Data<AppState>,
    user: AuthUser,
    PathId(id): PathId<PostingId>,
    Json(body): Json<SendLettersRequest>,
) -> Result<web::Json<SendLettersResponse>, ApiError> {
    let recipients = body.parse()?;
    let now = state.clock.now();
    let sending = state
        .db
        .write(move |conn| service::send(conn, &user, id, &recipients, now))
        .await?;
    Ok(web::Json(sending.into()))
}

/// A posting's contact letters
///
/// For an employer of the posting's department, or an admin: every letter sent about the
/// posting, in the order sent, each with its state now (`no_reply` only once `respond_by` has
/// passed, and never for a person who applied).
#[utoipa::path(
    tag = "letters",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The posting's id."), PageQuery),
    responses(
        (status = 200, description = "A page of letters.", body = PageResponse<ContactLetterResponse>),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    )
)]
#[get("/postings/{id}/contact-letters")]
pub async fn list_contact_letters(
    state: web::Data<AppState>,
    user: AuthUser,
    PathId(id): PathId<PostingId>,
    Query(page): Query<PageQuery>,
) -> Result<web::Json<PageResponse<ContactLetterResponse>>, ApiError> {
    let paging = Paging::parse("contact-letters", page.limit, page.cursor.as_deref())?;
    let now = state.clock.now();
    paging
        .read(
            &state.db,
            move |conn, page| service::list_for_posting(conn, &user, id, page, now),
            |l| l.row.id,
            ContactLetterResponse::from,
        )
        .await
}

/// Record a waiver of appointment
///
/// For an employer of the posting's department, or an admin: the person declined the job
/// offer, was not available within 30 days of it, or failed to appear (2 CCR §260.1). Only a
/// person who had a contact letter about the posting or applied to it (422 `not_a_candidate`
/// at `account_id`), once per person and posting (409 `already_exists`). Answering
/// `not_interested` to a letter, or not answering, is never a waiver (§261.1). The third
/// waiver in a class ends the person's certification for it (§262): the answer says so, the
/// eligible list shows it, and no more letters go to them for the class.
#[utoipa::path(
    tag = "letters",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The posting's id.")),
    request_body = WaiverRequest,
    responses(
        (status = 201, description = "The waiver recorded.", body = WaiverResponse),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
    )
)]
#[post("/postings/{id}/waivers")]
pub async fn record_waiver(
    state: web::Data<AppState>,
    user: AuthUser,
    PathId(id): PathId<PostingId>,
    Json(body): Json<WaiverRequest>,
) -> Result<HttpResponse, ApiError> {
    let (person, reason) = body.parse()?;
    let now = state.clock.now();
    let recorded = state
        .db
        .write(move |conn| service::record_waiver(conn, &user, id, person, reason, now))
        .await?;
    Ok(HttpResponse::Created().json(WaiverResponse::from(recorded)))
}

/// List my contact letters
///
/// The contact letters departments sent me, newest first, each with its state and when the
/// answer is due. Each also arrived as an inbox message (kind `contact_letter`).
#[utoipa::path(
    tag = "letters",
    security(("bearer" = [])),
    params(PageQuery),
    responses((status = 200, description = "A page of letters.", body = PageResponse<ContactLetterResponse>))
)]
#[get("/me/contact-letters")]
pub async fn list_my_contact_letters(
    state: web::Data<AppState>,
    user: AuthUser,
    Query(page): Query<PageQuery>,
) -> Result<web::Json<PageResponse<ContactLetterResponse>>, ApiError> {
    let paging = Paging::parse("my-contact-letters", page.limit, page.cursor.as_deref())?;
    let now = state.clock.now();
    paging
        .read(
            &state.db,
            move |conn, page| service::mine(conn, &user, page, now),
            |l| l.row.id,
            ContactLetterResponse::from,
        )
        .await
}

/// Answer a contact letter
///
/// `interested` or `not_interested`, to one of my letters. Until `respond_by` any answer is
/// taken and the latest counts; after it only `not_interested` (withdrawing interest), and
/// `interested` is 409 `response_closed`. Not answering is fine when I am not interested.
#[utoipa::path(
    tag = "letters",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The letter's id.")),
    request_body = LetterAnswerRequest,
    responses(
        (status = 200, description = "The letter with the answer.", body = ContactLetterResponse),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
    )
)]
#[post("/me/contact-letters/{id}/response")]
pub async fn answer_contact_letter(
    state: web::Data<AppState>,
    user: AuthUser,
    PathId(id): PathId<ContactLetterId>,
    Json(body): Json<LetterAnswerRequest>,
) -> Result<web::Json<ContactLetterResponse>, ApiError> {
    let answer = body.answer.into();
    let now = state.clock.now();
    let letter = state
        .db
        .write(move |conn| service::answer(conn, &user, id, answer, now))
        .await?;
    Ok(web::Json(letter.into()))
}
