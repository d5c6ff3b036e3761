//! Correspondence: an office's letter templates with merge fields, letters made from them for
//! a case's person, the letters sent by me or my office, and how many were created.

use std::collections::BTreeMap;

use actix_web::{HttpResponse, get, post, web};
use chrono::{DateTime, NaiveDate, Utc};
use merit_domain::{correspondence as rules, reference::OfficeCode};
use merit_persistence::correspondence::{Letter, LetterTemplate};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::{
    auth::StaffUser,
    error::ApiError,
    extract::{Json, Query},
    openapi::{Conflict, Forbidden, NotFound},
    paging::{PageQuery, PageResponse, Paging},
    routes::{
        strings::{IdValue, OfficeCodeValue},
        text::{Line, Paragraphs},
    },
    services::staff::correspondence::{
        self as service, CreatedCounts, LetterQuery, NewTemplate, SendLetter,
    },
    state::AppState,
    validation::{self, Fields},
};

/// A new letter template. Its subject and body may use the merge fields `{{first_name}}`,
/// `{{last_name}}` (the case's person), `{{case_id}}`, `{{staff_name}}` (who sends the letter)
/// and `{{office_name}}`; any other `{{...}}` is refused (422 `unknown_merge_field`).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LetterTemplateRequest {
    /// The office (staff: their own when absent; admins must name one).
    #[serde(default)]
    pub office_code: Option<OfficeCodeValue>,
    /// The name, unique in the office (ignoring letter case).
    pub name: Line<100>,
    /// The subject line.
    pub subject: Line<200>,
    /// The body (paragraphs separated by a blank line).
    pub body: Paragraphs<10000>,
}

fn merge_fields(fields: &mut Fields, field: &str, text: Option<String>) -> Option<String> {
    let text = text?;
    match rules::check(&text) {
        Ok(()) => Some(text),
        Err(e) => {
            fields.push(field, "unknown_merge_field", e.to_string());
            None
        }
    }
}

impl LetterTemplateRequest {
    fn parse(self) -> Result<NewTemplate, ApiError> {
        let mut fields = Fields::new();
        let office = fields.check_optional(
            "office_code",
            "invalid_code",
            self.office_code.map(|o| OfficeCode::parse(&o.0)),
        );
        let name = self.name.check(&mut fields, "name");
        let subject = self.subject.check(&mut fields, "subject");
        let subject = merge_fields(&mut fields, "subject", subject);
        let body = self.body.check(&mut fields, "body");
        let body = merge_fields(&mut fields, "body", body);
        let value = match (name, subject, body) {
            (Some(name), Some(subject), Some(body)) => Some(NewTemplate {
                office,
                name,
                subject,
                body,
            }),
            _ => None,
        };
        fields.into_result(value)
    }
}

/// A letter template.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)] // closes the schema: additionalProperties: false
pub struct LetterTemplateResponse {
    /// Opaque id.
    pub id: String,
    /// The office it belongs to.
    pub office_code: String,
    /// Its name.
    pub name: String,
    /// The subject line, with merge fields.
    pub subject: String,
    /// The body, with merge fields.
    pub body: String,
    /// Who created it.
    pub created_by: String,
    /// When.
    pub created_at: DateTime<Utc>,
}

impl From<LetterTemplate> for LetterTemplateResponse {
    fn from(t: LetterTemplate) -> Self {
        LetterTemplateResponse {
            id: t.id.to_string(),
            office_code: t.office_code,
            name: t.name,
            subject: t.subject,
            body: t.body,
            created_by: t.created_by.to_string(),
            created_at: t.created_at,
        }
    }
}

/// Send a letter made from a template to the person of an individual's case.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CorrespondenceRequest {
    /// The case (of my office; any office for admins).
    pub case_id: IdValue,
    /// A template of the case's office.
    pub template_id: IdValue,
}

impl CorrespondenceRequest {
    fn parse(self) -> Result<SendLetter, ApiError> {
        let mut fields = Fields::new();
        let case = validation::id(&mut fields, "case_id", &self.case_id.0);
        let template = validation::id(&mut fields, "template_id", &self.template_id.0);
        let value = case
            .zip(template)
            .map(|(case, template)| SendLetter { case, template });
        fields.into_result(value)
    }
}

/// A letter sent to a case's person.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)] // closes the schema: additionalProperties: false
pub struct CorrespondenceResponse {
    /// Opaque id.
    pub id: String,
    /// The case.
    pub case_id: String,
    /// The template it was made from.
    pub template_id: String,
    /// The case's office.
    pub office_code: String,
    /// The person it went to.
    pub account_id: String,
    /// The staff member who sent it.
    pub staff_id: String,
    /// The subject, merged.
    pub subject: String,
    /// The body, merged.
    pub body: String,
    /// The message in the person's inbox.
    pub message_id: String,
    /// When it was created.
    pub created_at: DateTime<Utc>,
}

impl From<Letter> for CorrespondenceResponse {
    fn from(l: Letter) -> Self {
        CorrespondenceResponse {
            id: l.id.to_string(),
            case_id: l.case_id.to_string(),
            template_id: l.template_id.to_string(),
            office_code: l.office_code,
            account_id: l.account_id.to_string(),
            staff_id: l.staff_id.to_string(),
            subject: l.subject,
            body: l.body,
            message_id: l.message_id.to_string(),
            created_at: l.created_at,
        }
    }
}

/// Which letters: mine or my office's, in a period of whole days (Pacific time, the offices' calendar).
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CorrespondenceQuery {
    /// `true`: only letters I sent; `false` (the default): my office's (every office's for
    /// admins).
    #[param(default = false)]
    pub mine: Option<bool>,
    /// The first day.
    pub from: Option<NaiveDate>,
    /// The last day (inclusive); not before `from` (422 `dates_out_of_order`).
    pub to: Option<NaiveDate>,
    /// Items per page, 1 to 100 (lists only).
    #[param(minimum = 1, maximum = 100, default = 20)]
    pub limit: Option<u64>,
    /// The `next_cursor` of the previous page (lists only).
    #[param(max_length = 512)]
    pub cursor: Option<String>,
}

impl CorrespondenceQuery {
    fn letters(&self) -> LetterQuery {
        LetterQuery {
            mine: self.mine.unwrap_or(false),
            from: self.from,
            to: self.to,
        }
    }
}

/// Which letters a count covers.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CorrespondenceCountQuery {
    /// `true`: only letters I sent; `false` (the default): my office's (every office's for
    /// admins).
    #[param(default = false)]
    pub mine: Option<bool>,
    /// The first day.
    pub from: Option<NaiveDate>,
    /// The last day (inclusive); not before `from` (422 `dates_out_of_order`).
    pub to: Option<NaiveDate>,
}

/// How many letters were created, in total and per staff member.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)] // closes the schema: additionalProperties: false
pub struct CorrespondenceCountsResponse {
    /// All letters counted.
    pub created: i64,
    /// Per staff member who created any: their account id and count, by id.
    pub staff: Vec<StaffCount>,
}

/// One staff member's count.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)] // closes the schema: additionalProperties: false
pub struct StaffCount {
    /// The staff member's account id.
    pub staff_id: String,
    /// Letters they created.
    pub created: i64,
}

impl From<CreatedCounts> for CorrespondenceCountsResponse {
    fn from(c: CreatedCounts) -> Self {
        let per: BTreeMap<String, i64> = c.per_staff;
        CorrespondenceCountsResponse {
            created: c.total,
            staff: per
                .into_iter()
                .map(|(staff_id, created)| StaffCount { staff_id, created })
                .collect(),
        }
    }
}

/// Create a letter template
///
/// For staff of an office (their office's templates) and admins (naming the office). The
/// subject and body may use the merge fields listed in the schema; an unknown one is 422
/// `unknown_merge_field` at its field. 409 `template_name_taken` when the office has a
/// template of that name.
#[utoipa::path(
    tag = "staff",
    security(("bearer" = [])),
    request_body = LetterTemplateRequest,
    responses(
        (status = 201, description = "The template.", body = LetterTemplateResponse),
        (status = 403, response = Forbidden),
        (status = 409, response = Conflict),
    )
)]
#[post("/staff/correspondence/templates")]
pub async fn create_letter_template(
    state: web::Data<AppState>,
    StaffUser(user): StaffUser,
    Json(body): Json<LetterTemplateRequest>,
) -> Result<HttpResponse, ApiError> {
    let command = body.parse()?;
    let now = state.clock.now();
    let template = state
        .db
        .write(move |conn| service::create_template(conn, &user, command, now))
        .await?;
    Ok(HttpResponse::Created().json(LetterTemplateResponse::from(template)))
}

/// List letter templates
///
/// My office's templates (every office's for admins), newest first.
#[utoipa::path(
    tag = "staff",
    security(("bearer" = [])),
    params(PageQuery),
    responses(
        (status = 200, description = "A page of templates.", body = PageResponse<LetterTemplateResponse>),
        (status = 403, response = Forbidden),
    )
)]
#[get("/staff/correspondence/templates")]
pub async fn list_letter_templates(
    state: web::Data<AppState>,
    StaffUser(user): StaffUser,
    Query(page): Query<PageQuery>,
) -> Result<web::Json<PageResponse<LetterTemplateResponse>>, ApiError> {
    let paging = Paging::parse("letter-templates", page.limit, page.cursor.as_deref())?;
    paging
        .read(
            &state.db,
            move |conn, page| service::templates(conn, &user, page),
            |t| t.id,
            LetterTemplateResponse::from,
        )
        .await
}

/// Send a letter
///
/// Makes a letter from a template of the case's office, merging in the case's person, the
/// case, my name and the office's name, and delivers it to the person's inbox (message kind
/// `correspondence`) and by email unless they turned that kind off. 404 for a case outside my
/// office; 409 `case_closed` or `not_an_individual_case`; 422 `unknown_template` at
/// `template_id` for a template that is not the case's office's.
#[utoipa::path(
    tag = "staff",
    security(("bearer" = [])),
    request_body = CorrespondenceRequest,
    responses(
        (status = 201, description = "The letter sent.", body = CorrespondenceResponse),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
    )
)]
#[post("/staff/correspondence")]
pub async fn send_correspondence(
    state: web::Data<AppState>,
    StaffUser(user): StaffUser,
    Json(body): Json<CorrespondenceRequest>,
) -> Result<HttpResponse, ApiError> {
    let command = body.parse()?;
    let now = state.clock.now();
    let letter = state
        .db
        .write(move |conn| service::send(conn, &user, command, now))
        .await?;
    Ok(HttpResponse::Created().json(CorrespondenceResponse::from(letter)))
}

/// List correspondence
///
/// Letters sent by me (`mine=true`) or my office (every office's for admins), newest first,
/// optionally in a period of whole days (Pacific time, the offices' calendar).
#[utoipa::path(
    tag = "staff",
    security(("bearer" = [])),
    params(CorrespondenceQuery),
    responses(
        (status = 200, description = "A page of letters.", body = PageResponse<CorrespondenceResponse>),
        (status = 403, response = Forbidden),
    )
)]
#[get("/staff/correspondence")]
pub async fn list_correspondence(
    state: web::Data<AppState>,
    StaffUser(user): StaffUser,
    Query(query): Query<CorrespondenceQuery>,
) -> Result<web::Json<PageResponse<CorrespondenceResponse>>, ApiError> {
    let paging = Paging::parse("correspondence", query.limit, query.cursor.as_deref())?;
    let letters = query.letters();
    paging
        .read(
            &state.db,
            move |conn, page| service::list(conn, &user, letters, page),
            |l| l.id,
            CorrespondenceResponse::from,
        )
        .await
}

/// Count correspondence created
///
/// How many letters I (`mine=true`) or my office (every office for admins) created, in total
/// and per staff member, optionally in a period of whole days (Pacific time, the offices' calendar).
#[utoipa::path(
    tag = "staff",
    security(("bearer" = [])),
    params(CorrespondenceCountQuery),
    responses(
        (status = 200, description = "The counts.", body = CorrespondenceCountsResponse),
        (status = 403, response = Forbidden),
    )
)]
#[get("/staff/correspondence/counts")]
pub async fn count_correspondence(
    state: web::Data<AppState>,
    StaffUser(user): StaffUser,
    Query(query): Query<CorrespondenceCountQuery>,
) -> Result<web::Json<CorrespondenceCountsResponse>, ApiError> {
    let letters = LetterQuery {
        mine: query.mine.unwrap_or(false),
        from: query.from,
        to: query.to,
    };
    let counts = state
        .db
        .read(move |conn| service::counts(conn, &user, letters))
        .await?;
    Ok(web::Json(counts.into()))
}
