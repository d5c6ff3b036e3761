//! Surveys of staff: admins make them (questions, a window, offices), staff of the offices
//! answer each once while it is open, admins read the results.
//!
//! Privacy first: results carry counts, average ratings and free-text answers, never who gave
//! them. `survey_responses` (who answered, for "once each") and `survey_answers` (what was
//! answered) share only the survey: answers have random ids and no time, so not even their
//! order ties them to a person.

use chrono::{DateTime, DurationRound, TimeDelta, Utc};
use merit_domain::{
    account::Role,
    ids::{EntityId, SurveyId},
    reference::OfficeCode,
    resource,
    survey::{self as rules, Answer, Question, QuestionKind, RawAnswer, SurveyState},
};
use merit_persistence::{
    DbConnection, Page, PageRequest, RepoError, reference,
    surveys::{self, StoredAnswer, Survey},
};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::scope;
use crate::{
    auth::AuthUser,
    error::{ApiError, Code, FieldError},
    services::audit::{self, AuditKind},
};

/// What an admin makes.
#[derive(Debug, Clone)]
pub struct SurveyDraft {
    /// The title.
    pub title: String,
    /// What it is about.
    pub description: Option<String>,
    /// The questions, checked as text.
    pub questions: Vec<Question>,
    /// Open from (now when absent).
    pub opens_at: Option<DateTime<Utc>>,
    /// Open until (excluded).
    pub closes_at: DateTime<Utc>,
    /// The offices (empty: every office).
    pub offices: Vec<OfficeCode>,
}

/// A survey with its questions read, and whether the caller answered it.
#[derive(Debug, Clone)]
pub struct SurveyView {
    /// The survey.
    pub survey: Survey,
    /// Its questions.
    pub questions: Vec<Question>,
    /// Whether the caller answered it.
    pub answered: bool,
}

/// The results of one question.
#[derive(Debug, Clone, PartialEq)]
pub enum QuestionResult {
    /// How many chose each option, in the options' order.
    Choice(Vec<i64>),
    /// How many gave each rating (1 to 5), and the average.
    Rating([i64; 5], Option<f64>),
    /// The answers given, without names.
    Text(Vec<String>),
}

/// A survey's results.
#[derive(Debug, Clone)]
pub struct SurveyResults {
    /// The survey.
    pub view: SurveyView,
    /// How many staff members answered.
    pub responses: i64,
    /// Per question, in order.
    pub questions: Vec<QuestionResult>,
}

#[derive(Serialize, Deserialize)]
struct StoredQuestion {
    prompt: String,
    kind: String,
    #[serde(default)]
    options: Vec<String>,
    required: bool,
}

fn questions_json(questions: &[Question]) -> Result<String, ApiError> {
    let stored: Vec<StoredQuestion> = questions
        .iter()
        .map(|q| StoredQuestion {
            prompt: q.prompt.clone(),
            kind: q.kind.as_str().to_owned(),
            options: q.options.clone(),
            required: q.required,
        })
        .collect();
    serde_json::to_string(&stored).map_err(ApiError::internal)
}

fn read_questions(survey: &Survey) -> Result<Vec<Question>, ApiError> {
    let stored: Vec<StoredQuestion> =
        serde_json::from_str(&survey.questions).map_err(ApiError::internal)?;
    stored
        .into_iter()
        .map(|q| {
            Ok(Question {
                kind: QuestionKind::parse(&q.kind).ok_or_else(|| {
                    ApiError::internal(anyhow::anyhow!("survey {}: kind {}", survey.id, q.kind))
                })?,
                prompt: q.prompt,
                options: q.options,
                required: q.required,
            })
        })
        .collect()
}

fn view(survey: Survey, answered: bool) -> Result<SurveyView, ApiError> {
    Ok(SurveyView {
        questions: read_questions(&survey)?,
        survey,
        answered,
    })
}

/// Where `survey` stands at `now`.
pub fn state(survey: &Survey, now: DateTime<Utc>) -> SurveyState {
    rules::state(survey.opens_at, survey.closes_at, now)
}

fn not_found() -> ApiError {
    ApiError::not_found("survey")
}

fn admin_only(user: &AuthUser) -> Result<(), ApiError> {
    scope(user)?;
    if user.has(Role::Admin) {
        Ok(())
    } else {
        Err(ApiError::new(
            Code::Forbidden,
            "Only admins make surveys and read their results.",
        ))
    }
}

fn micros(at: DateTime<Utc>) -> DateTime<Utc> {
    at.duration_trunc(TimeDelta::microseconds(1)).unwrap_or(at)
}

fn to_api(problems: Vec<rules::FieldProblem>) -> ApiError {
    ApiError::Validation {
        errors: problems
            .into_iter()
            .map(|p| FieldError::new(&p.field, p.code, p.message))
            .collect(),
    }
}

/// Makes a survey (admins).
pub fn create(
    conn: &mut DbConnection,
    user: &AuthUser,
    draft: SurveyDraft,
    now: DateTime<Utc>,
) -> Result<SurveyView, ApiError> {
    admin_only(user)?;
    let problems = rules::check_questions(&draft.questions);
    if !problems.is_empty() {
        return Err(to_api(problems));
    }
    let opens_at = micros(draft.opens_at.unwrap_or(now));
    let closes_at = micros(draft.closes_at);
    rules::check_window(opens_at, closes_at).map_err(|_| {
        ApiError::invalid(
            "closes_at",
            "closes_before_opening",
            "A survey closes after it opens.",
        )
    })?;
    let mut offices = Vec::new();
    for (i, office) in draft.offices.iter().enumerate() {
        if reference::find_office(conn, office.as_str())?.is_none() {
            return Err(ApiError::invalid(
                &format!("offices[{i}]"),
                "unknown_office",
                format!("There is no office {office}."),
            ));
        }
        offices.push(office.as_str().to_owned());
    }
    offices.sort();
    offices.dedup();
    let survey = Survey {
        id: SurveyId::from_uuid(uuid::Uuid::now_v7()),
        title: draft.title,
        description: draft.description,
        questions: questions_json(&draft.questions)?,
        opens_at,
        closes_at,
        offices,
        created_by: user.id(),
        created_at: now,
    };
    surveys::insert(conn, &survey)?;
    audit::record(
        conn,
        AuditKind::SurveyCreated,
        Some(user.id()),
        None,
        json!({"survey_id": survey.id.to_string(), "offices": survey.offices, "questions": draft.questions.len()}),
        now,
    )?;
    Ok(SurveyView {
        survey,
        questions: draft.questions,
        answered: false,
    })
}

fn office(user: &AuthUser) -> Option<&str> {
    user.account.office.as_ref().map(|o| o.as_str())
}

/// A page of surveys, newest first, each with whether the caller answered it: `all` (admins
/// only) every survey; otherwise those open to the caller now.
pub fn list(
    conn: &mut DbConnection,
    user: &AuthUser,
    all: bool,
    page: PageRequest<'_>,
    now: DateTime<Utc>,
) -> Result<Page<SurveyView>, ApiError> {
    let found = if all {
        admin_only(user)?;
        surveys::all_page(conn, user.id(), page)?
    } else {
        scope(user)?;
        surveys::open_page(conn, user.id(), office(user), now, page)?
    };
    let mut views = Vec::new();
    for (survey, answered) in found.items {
        views.push(view(survey, answered)?);
    }
    Ok(Page {
        items: views,
        has_more: found.has_more,
    })
}

/// A survey addressed to the caller's office (any, for admins), or 404.
fn addressed(conn: &mut DbConnection, user: &AuthUser, id: SurveyId) -> Result<Survey, ApiError> {
    scope(user)?;
    let survey = surveys::find(conn, id)?.ok_or_else(not_found)?;
    if user.has(Role::Admin) || resource::reaches(&survey.offices, office(user)) {
        Ok(survey)
    } else {
        Err(not_found())
    }
}

/// One survey: any for admins; for staff one addressed to their office that has opened.
pub fn get(
    conn: &mut DbConnection,
    user: &AuthUser,
    id: SurveyId,
    now: DateTime<Utc>,
) -> Result<SurveyView, ApiError> {
    let survey = addressed(conn, user, id)?;
    if !user.has(Role::Admin) && state(&survey, now) == SurveyState::Scheduled {
        return Err(not_found());
    }
    let answered = surveys::answered(conn, id, user.id())?;
    view(survey, answered)
}

/// Answers a survey, once: 409 `survey_already_answered` the second time, 409 `survey_closed`
/// after it closed, 422 with every answer's problem at its own path.
pub fn respond(
    conn: &mut DbConnection,
    user: &AuthUser,
    id: SurveyId,
    answers: Vec<RawAnswer>,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let survey = addressed(conn, user, id)?;
    match state(&survey, now) {
        SurveyState::Scheduled => return Err(not_found()),
        SurveyState::Closed => {
            return Err(ApiError::new(
                Code::SurveyClosed,
                "The survey closed; it takes no more answers.",
            ));
        }
        SurveyState::Open => {}
    }
    let already = || {
        ApiError::new(
            Code::SurveyAlreadyAnswered,
            "You answered this survey already; each staff member answers once.",
        )
    };
    if surveys::answered(conn, id, user.id())? {
        return Err(already());
    }
    let questions = read_questions(&survey)?;
    let checked = rules::check_answers(&questions, &answers).map_err(to_api)?;
    let mut stored = Vec::new();
    for (i, answer) in checked.into_iter().enumerate() {
        let question = i32::try_from(i).map_err(ApiError::internal)?;
        let row = |choice: Option<usize>, rating: Option<i64>, text: Option<String>| StoredAnswer {
            question,
            choice: choice.and_then(|c| i32::try_from(c).ok()),
            rating: rating.and_then(|r| i32::try_from(r).ok()),
            text,
        };
        match answer {
            Answer::Skipped => {}
            Answer::Choice(c) => stored.push(row(Some(c), None, None)),
            Answer::Choices(cs) => stored.extend(cs.into_iter().map(|c| row(Some(c), None, None))),
            Answer::Rating(r) => stored.push(row(None, Some(r), None)),
            Answer::Text(t) => stored.push(row(None, None, Some(t))),
        }
    }
    match surveys::respond(conn, id, user.id(), &stored, now) {
        Ok(()) => {}
        // Two answers racing: the primary key lets one through.
        Err(RepoError::Conflict { .. }) => return Err(already()),
        Err(e) => return Err(e.into()),
    }
    audit::record(
        conn,
        AuditKind::SurveyAnswered,
        Some(user.id()),
        None,
        json!({"survey_id": id.to_string()}),
        now,
    )?;
    Ok(())
}

/// A survey's results (admins): the response count and, per question, option counts, rating
/// counts and average, or the free-text answers, never who gave them.
pub fn results(
    conn: &mut DbConnection,
    user: &AuthUser,
    id: SurveyId,
) -> Result<SurveyResults, ApiError> {
    admin_only(user)?;
    let survey = surveys::find(conn, id)?.ok_or_else(not_found)?;
    let answered = surveys::answered(conn, id, user.id())?;
    let view = view(survey, answered)?;
    let responses = surveys::response_count(conn, id)?;
    let tallies = surveys::tallies(conn, id)?;
    let texts = surveys::texts(conn, id)?;
    let questions = view
        .questions
        .iter()
        .enumerate()
        .map(|(i, q)| {
            let mine = tallies
                .iter()
                .filter(|(question, ..)| usize::try_from(*question).ok() == Some(i));
            match q.kind {
                QuestionKind::SingleChoice | QuestionKind::MultipleChoice => {
                    let mut counts = vec![0; q.options.len()];
                    for (_, choice, _, n) in mine {
                        if let Some(slot) = choice
                            .and_then(|c| usize::try_from(c).ok())
                            .and_then(|c| counts.get_mut(c))
                        {
                            *slot += n;
                        }
                    }
                    QuestionResult::Choice(counts)
                }
                QuestionKind::Rating => {
                    let mut counts = [0; 5];
                    for (_, _, rating, n) in mine {
                        if let Some(slot) = rating
                            .and_then(|r| usize::try_from(r - 1).ok())
                            .and_then(|r| counts.get_mut(r))
                        {
                            *slot += n;
                        }
                    }
                    let total: i64 = counts.iter().sum();
                    let sum: i64 = counts
                        .iter()
                        .zip(1_i64..)
                        .map(|(n, rating)| n * rating)
                        .sum();
                    #[allow(clippy::cast_precision_loss)]
                    let average = (total > 0).then(|| {
                        let mean = sum as f64 / total as f64;
                        (mean * 100.0).round() / 100.0
                    });
                    QuestionResult::Rating(counts, average)
                }
                QuestionKind::FreeText => QuestionResult::Text(
                    texts
                        .iter()
                        .filter(|(question, _)| usize::try_from(*question).ok() == Some(i))
                        .map(|(_, t)| t.clone())
                        .collect(),
                ),
            }
        })
        .collect();
    Ok(SurveyResults {
        view,
        responses,
        questions,
    })
}

/// For the dashboard: how many surveys are open to the caller, how many of those they have not
/// answered, and the newest open one.
pub fn summary(
    conn: &mut DbConnection,
    user: &AuthUser,
    now: DateTime<Utc>,
) -> Result<(i64, i64, Option<SurveyView>), ApiError> {
    scope(user)?;
    let (open, unanswered, latest) = surveys::summary(conn, user.id(), office(user), now)?;
    let latest = latest.map(|(s, answered)| view(s, answered)).transpose()?;
    Ok((open, unanswered, latest))
}
