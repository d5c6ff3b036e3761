//! Surveys of staff (`/staff/surveys`): admins make them and read results; staff list those
//! open to them and answer each once.

use actix_web::{HttpResponse, get, post, web};
use chrono::{DateTime, Utc};
use merit_domain::{
    ids::SurveyId,
    reference::OfficeCode,
    survey::{self as domain, Question, RawAnswer},
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::{
    auth::StaffUser,
    error::ApiError,
    extract::{Json, PathId, Query},
    openapi::{Conflict, NotFound},
    paging::{PageResponse, Paging},
    routes::{
        strings::OfficeCodeValue,
        terms::api_enum,
        text::{Line, Paragraphs},
    },
    services::staff::surveys::{
        self as service, QuestionResult, SurveyDraft, SurveyResults, SurveyView,
    },
    state::AppState,
    validation::{Fields, at_most},
};

api_enum!(
    /// What a survey question asks for: `single_choice` (one option, answered with `choice`),
    /// `multiple_choice` (any options, `choices`), `rating` (1 to 5, `rating`), `free_text`
    /// (`text`).
    QuestionKind => domain::QuestionKind {
        /// One of the options.
        SingleChoice,
        /// Any of the options.
        MultipleChoice,
        /// A rating from 1 to 5.
        Rating,
        /// Free text.
        FreeText,
    }
);

api_enum!(
    /// Where a survey stands now: `scheduled` (opens later), `open`, `closed`.
    SurveyState => domain::SurveyState {
        /// It opens later.
        Scheduled,
        /// It takes answers.
        Open,
        /// It closed.
        Closed,
    }
);

/// Which surveys a list holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SurveyListScope {
    /// Those open to me now, answered or not (the default).
    Current,
    /// Every survey, whatever its state (admins only).
    All,
}

/// A question of a survey being made.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SurveyQuestionRequest {
    /// What is asked.
    pub prompt: Line<500>,
    /// What it asks for.
    pub kind: QuestionKind,
    /// The options of a choice question: 2 to 20, distinct ignoring letter case (422
    /// `option_count`, `duplicate_option`); none for the other kinds (422 `not_for_question`).
    #[serde(default)]
    #[schema(max_items = 20)]
    pub options: Vec<Line<200>>,
    /// Whether it must be answered (default `true`).
    #[serde(default = "yes")]
    pub required: bool,
}

fn yes() -> bool {
    true
}

/// A survey as made.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SurveyRequest {
    /// The title.
    pub title: Line<200>,
    /// What it is about.
    #[serde(default)]
    pub description: Option<Paragraphs<4000>>,
    /// The questions, 1 to 30; answers name them by position.
    #[schema(min_items = 1, max_items = 30)]
    pub questions: Vec<SurveyQuestionRequest>,
    /// Open from this instant (now when absent).
    #[serde(default)]
    pub opens_at: Option<DateTime<Utc>>,
    /// Open until this instant, after `opens_at` (422 `closes_before_opening`).
    pub closes_at: DateTime<Utc>,
    /// The offices it is for, at most 50 (none or absent: every office).
    #[serde(default)]
    #[schema(max_items = 50)]
    pub offices: Vec<OfficeCodeValue>,
}

/// One answer, in the field its question's kind takes (another field is 422
/// `not_for_question`); `{}` leaves an optional question unanswered (a required one is 422
/// `answer_required`).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SurveyAnswerValue {
    /// `single_choice`: the option's position, from 0 (422 `unknown_option`).
    #[serde(default)]
    #[schema(minimum = 0, maximum = 19)]
    pub choice: Option<i64>,
    /// `multiple_choice`: the options' positions, each from 0 and at most once (422
    /// `unknown_option`, `duplicate_option`).
    #[serde(default)]
    #[schema(max_items = 20)]
    pub choices: Option<Vec<OptionPosition>>,
    /// `rating`: 1 to 5 (422 `out_of_range`).
    #[serde(default)]
    #[schema(minimum = 1, maximum = 5)]
    pub rating: Option<i64>,
    /// `free_text`: at most 2000 characters.
    #[serde(default)]
    pub text: Option<Paragraphs<2000>>,
}

/// An option's position in a choice question, from 0.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(transparent)]
pub struct OptionPosition(i64);

impl utoipa::PartialSchema for OptionPosition {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::schema::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::Integer)
            .format(Some(utoipa::openapi::SchemaFormat::KnownFormat(
                utoipa::openapi::KnownFormat::Int64,
            )))
            .minimum(Some(0))
            .maximum(Some(19))
            .description(Some("An option's position, from 0."))
            .into()
    }
}

impl ToSchema for OptionPosition {}

/// My answers to a survey.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SurveyAnswersRequest {
    /// One answer per question, in the questions' order (422 `answer_count` otherwise).
    #[schema(max_items = 30)]
    pub answers: Vec<SurveyAnswerValue>,
}

/// A survey question.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SurveyQuestion {
    /// What is asked.
    pub prompt: String,
    /// What it asks for.
    pub kind: QuestionKind,
    /// The options of a choice question, in order (answers name them by position).
    pub options: Vec<String>,
    /// Whether it must be answered.
    pub required: bool,
}

/// A survey.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SurveyResponse {
    /// Opaque id.
    pub id: String,
    /// The title.
    pub title: String,
    /// What it is about.
    pub description: Option<String>,
    /// The questions, in order.
    pub questions: Vec<SurveyQuestion>,
    /// Open from.
    pub opens_at: DateTime<Utc>,
    /// Open until (excluded).
    pub closes_at: DateTime<Utc>,
    /// The offices it is for (empty: every office).
    pub offices: Vec<String>,
    /// Where it stands now.
    pub state: SurveyState,
    /// Whether I answered it.
    pub answered: bool,
    /// Who made it.
    pub created_by: String,
    /// When.
    pub created_at: DateTime<Utc>,
}

/// How many chose one option.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OptionCount {
    /// The option.
    pub option: String,
    /// How many chose it.
    pub count: i64,
}

/// The results of one question, in the field its kind fills.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuestionResults {
    /// What was asked.
    pub prompt: String,
    /// What it asked for.
    pub kind: QuestionKind,
    /// Choice questions: how many chose each option, in the options' order.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub option_counts: Option<Vec<OptionCount>>,
    /// Rating questions: how many gave 1, 2, 3, 4 and 5.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(min_items = 5, max_items = 5)]
    pub rating_counts: Option<Vec<i64>>,
    /// Rating questions: the average rating, to two decimals (absent without ratings).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub average_rating: Option<f64>,
    /// Free-text questions: the answers, without names, in no meaningful order.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text_answers: Option<Vec<String>>,
}

/// A survey's results: counts and answers, never who gave them.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SurveyResultsResponse {
    /// The survey.
    pub survey: SurveyResponse,
    /// How many staff members answered.
    pub responses: i64,
    /// Per question, in order.
    pub questions: Vec<QuestionResults>,
}

/// A survey list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SurveyListQuery {
    /// Items per page, 1 to 100.
    #[param(minimum = 1, maximum = 100, default = 20)]
    pub limit: Option<u64>,
    /// The `next_cursor` of the previous page.
    #[param(max_length = 512)]
    pub cursor: Option<String>,
    /// `current` (default): those open to me now; `all`: every survey (admins).
    #[param(inline)]
    pub scope: Option<SurveyListScope>,
}

impl SurveyRequest {
    /// The checked draft (every field's problem at once).
    pub fn parse(self) -> Result<SurveyDraft, ApiError> {
        let mut fields = Fields::new();
        let title = self.title.check(&mut fields, "title");
        let description =
            Paragraphs::check_optional(self.description.as_ref(), &mut fields, "description");
        let mut questions = Vec::new();
        if self.questions.is_empty() {
            fields.push(
                "questions",
                "required",
                "A survey has at least one question.",
            );
        }
        if at_most(
            &mut fields,
            "questions",
            &self.questions,
            domain::MAX_QUESTIONS,
        ) {
            for (i, q) in self.questions.iter().enumerate() {
                let prompt = q
                    .prompt
                    .check(&mut fields, &format!("questions[{i}].prompt"));
                let mut options = Vec::new();
                if at_most(
                    &mut fields,
                    &format!("questions[{i}].options"),
                    &q.options,
                    domain::MAX_OPTIONS,
                ) {
                    for (j, option) in q.options.iter().enumerate() {
                        if let Some(text) =
                            option.check(&mut fields, &format!("questions[{i}].options[{j}]"))
                        {
                            options.push(text);
                        }
                    }
                }
                if let Some(prompt) = prompt {
                    questions.push(Question {
                        prompt,
                        kind: q.kind.into(),
                        options,
                        required: q.required,
                    });
                }
            }
        }
        let mut offices = Vec::new();
        if at_most(&mut fields, "offices", &self.offices, 50) {
            for (i, code) in self.offices.iter().enumerate() {
                if let Some(office) = fields.check(
                    &format!("offices[{i}]"),
                    "invalid_code",
                    OfficeCode::parse(code),
                ) {
                    offices.push(office);
                }
            }
        }
        let draft = title.map(|title| SurveyDraft {
            title,
            description,
            questions,
            opens_at: self.opens_at,
            closes_at: self.closes_at,
            offices,
        });
        fields.into_result(draft)
    }
}

impl SurveyAnswersRequest {
    /// The answers as sent (checked against the questions by the use case).
    pub fn parse(self) -> Vec<RawAnswer> {
        self.answers
            .into_iter()
            .map(|a| RawAnswer {
                choice: a.choice,
                choices: a
                    .choices
                    .map(|choices| choices.into_iter().map(|c| c.0).collect()),
                rating: a.rating,
                text: a.text.map(|t| t.0),
            })
            .collect()
    }
}

impl SurveyResponse {
    /// The response for a survey at `now`.
    pub fn new(v: SurveyView, now: DateTime<Utc>) -> Self {
        let state = service::state(&v.survey, now).into();
        let s = v.survey;
        SurveyResponse {
            id: s.id.to_string(),
            title: s.title,
            description: s.description,
            questions: v
                .questions
                .into_iter()
                .map(|q| SurveyQuestion {
                    prompt: q.prompt,
                    kind: q.kind.into(),
                    options: q.options,
                    required: q.required,
                })
                .collect(),
            opens_at: s.opens_at,
            closes_at: s.closes_at,
            offices: s.offices,
            state,
            answered: v.answered,
            created_by: s.created_by.to_string(),
            created_at: s.created_at,
        }
    }
}

impl SurveyResultsResponse {
    fn new(r: SurveyResults, now: DateTime<Utc>) -> Self {
        let questions = r
            .view
            .questions
            .iter()
            .zip(r.questions)
            .map(|(q, result)| {
                let mut out = QuestionResults {
                    prompt: q.prompt.clone(),
                    kind: q.kind.into(),
                    option_counts: None,
                    rating_counts: None,
                    average_rating: None,
                    text_answers: None,
                };
                match result {
                    QuestionResult::Choice(counts) => {
                        out.option_counts = Some(
                            q.options
                                .iter()
                                .zip(counts)
                                .map(|(option, count)| OptionCount {
                                    option: option.clone(),
                                    count,
                                })
                                .collect(),
                        );
                    }
                    QuestionResult::Rating(counts, average) => {
                        out.rating_counts = Some(counts.to_vec());
                        out.average_rating = average;
                    }
                    QuestionResult::Text(texts) => out.text_answers = Some(texts),
                }
                out
            })
            .collect();
        SurveyResultsResponse {
            survey: SurveyResponse::new(r.view, now),
            responses: r.responses,
            questions,
        }
    }
}

/// Make a survey
///
/// Admins only (403 otherwise). Questions of four kinds, a window (`opens_at`, now by default,
/// to `closes_at`) and an audience (every office, or chosen `offices`).
#[utoipa::path(
    tag = "staff",
    security(("bearer" = [])),
    request_body = SurveyRequest,
    responses(
        (status = 201, description = "The survey.", body = SurveyResponse, headers(
            ("Location" = String, description = "The survey's URL."),
        )),
    )
)]
#[post("/staff/surveys")]
pub async fn create_survey(
    state: web::Data<AppState>,
    StaffUser(user): StaffUser,
    Json(body): Json<SurveyRequest>,
) -> Result<HttpResponse, ApiError> {
    let draft = body.parse()?;
    let now = state.clock.now();
    let made = state
        .db
        .write(move |conn| service::create(conn, &user, draft, now))
        .await?;
    Ok(HttpResponse::Created()
        .insert_header((
            actix_web::http::header::LOCATION,
            format!("/api/v1/staff/surveys/{}", made.survey.id),
        ))
        .json(SurveyResponse::new(made, now)))
}

/// List surveys
///
/// `scope=current` (default): the surveys open to me now (for every office or mine), answered
/// or not (`answered`), newest first. `scope=all`: every survey, for admins (403 for others).
#[utoipa::path(
    tag = "staff",
    security(("bearer" = [])),
    params(SurveyListQuery),
    responses((status = 200, description = "A page of surveys.", body = PageResponse<SurveyResponse>))
)]
#[get("/staff/surveys")]
pub async fn list_surveys(
    state: web::Data<AppState>,
    StaffUser(user): StaffUser,
    Query(query): Query<SurveyListQuery>,
) -> Result<web::Json<PageResponse<SurveyResponse>>, ApiError> {
    let all = query.scope == Some(SurveyListScope::All);
    let list = if all { "surveys-all" } else { "surveys" };
    let paging = Paging::parse(list, query.limit, query.cursor.as_deref())?
        .keyed(merit_persistence::surveys::is_list_key)?;
    let now = state.clock.now();
    paging
        .read(
            &state.db,
            move |conn, page| service::list(conn, &user, all, page, now),
            |v| v.survey.id,
            |v| SurveyResponse::new(v, now),
        )
        .await
}

/// Read a survey
///
/// One for every office or mine that has opened (any, for admins); others are 404.
#[utoipa::path(
    tag = "staff",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The survey's id.")),
    responses(
        (status = 200, description = "The survey.", body = SurveyResponse),
        (status = 404, response = NotFound),
    )
)]
#[get("/staff/surveys/{id}")]
pub async fn get_survey(
    state: web::Data<AppState>,
    StaffUser(user): StaffUser,
    PathId(id): PathId<SurveyId>,
) -> Result<web::Json<SurveyResponse>, ApiError> {
    let now = state.clock.now();
    let found = state
        .db
        .read(move |conn| service::get(conn, &user, id, now))
        .await?;
    Ok(web::Json(SurveyResponse::new(found, now)))
}

/// Answer a survey
///
/// Once per staff member (409 `survey_already_answered` the second time), while it is open
/// (409 `survey_closed` after `closes_at`). Every answer is checked against its question, each
/// problem at its own path (`answers[2].rating`). The answers are kept without my name.
#[utoipa::path(
    tag = "staff",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The survey's id.")),
    request_body = SurveyAnswersRequest,
    responses(
        (status = 204, description = "Answered."),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
    )
)]
#[post("/staff/surveys/{id}/responses")]
pub async fn answer_survey(
    state: web::Data<AppState>,
    StaffUser(user): StaffUser,
    PathId(id): PathId<SurveyId>,
    Json(body): Json<SurveyAnswersRequest>,
) -> Result<HttpResponse, ApiError> {
    let answers = body.parse();
    let now = state.clock.now();
    state
        .db
        .write(move |conn| service::respond(conn, &user, id, answers, now))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// A survey's results
///
/// Admins only. The response count and, per question, how many chose each option, the rating
/// counts and average, or the free-text answers: never who answered what.
#[utoipa::path(
    tag = "staff",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The survey's id.")),
    responses(
        (status = 200, description = "The results.", body = SurveyResultsResponse),
        (status = 404, response = NotFound),
    )
)]
#[get("/staff/surveys/{id}/results")]
pub async fn get_survey_results(
    state: web::Data<AppState>,
    StaffUser(user): StaffUser,
    PathId(id): PathId<SurveyId>,
) -> Result<web::Json<SurveyResultsResponse>, ApiError> {
    let now = state.clock.now();
    let found = state
        .db
        .read(move |conn| service::results(conn, &user, id))
        .await?;
    Ok(web::Json(SurveyResultsResponse::new(found, now)))
}
