//! Surveys of staff: the survey (its questions as JSON), its audience, who answered, and the
//! answers, kept apart from who gave them.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::{
    dsl::{case_when, count, count_star},
    prelude::*,
};
use merit_domain::ids::{AccountId, SurveyId};

use crate::{
    DbConnection, audience,
    error::{RepoError, RepoResult, parse_id},
    paging::{Page, PageRequest},
    schema::{survey_answers, survey_offices, survey_responses, surveys},
    time::{naive, utc},
};

/// A survey.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Survey {
    /// Its id.
    pub id: SurveyId,
    /// The title.
    pub title: String,
    /// What it is about.
    pub description: Option<String>,
    /// The questions, as JSON (the API's use case reads and writes it).
    pub questions: String,
    /// Open from.
    pub opens_at: DateTime<Utc>,
    /// Open until (excluded).
    pub closes_at: DateTime<Utc>,
    /// The offices it is for (empty: every office).
    pub offices: Vec<String>,
    /// Who made it.
    pub created_by: AccountId,
    /// When.
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = surveys)]
struct SurveyRow {
    id: String,
    title: String,
    description: Option<String>,
    questions: String,
    opens_at: NaiveDateTime,
    closes_at: NaiveDateTime,
    all_offices: bool,
    created_by: String,
    created_at: NaiveDateTime,
}

/// One stored answer: the question's position and a choice, a rating or a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAnswer {
    /// The question's position.
    pub question: i32,
    /// A chosen option's position.
    pub choice: Option<i32>,
    /// A rating.
    pub rating: Option<i32>,
    /// A free-text answer.
    pub text: Option<String>,
}

fn load(conn: &mut DbConnection, rows: Vec<SurveyRow>) -> RepoResult<Vec<Survey>> {
    let ids = audience::limited(&rows, |r| r.all_offices, |r| &r.id);
    let offices: Vec<(String, String)> = if ids.is_empty() {
        Vec::new()
    } else {
        survey_offices::table
            .filter(survey_offices::survey_id.eq_any(ids))
            .order(survey_offices::office_code.asc())
            .select((survey_offices::survey_id, survey_offices::office_code))
            .load(conn)?
    };
    rows.into_iter()
        .map(|row| {
            Ok(Survey {
                offices: audience::listed_for(&offices, &row.id),
                id: parse_id("surveys", &row.id)?,
                title: row.title,
                description: row.description,
                questions: row.questions,
                opens_at: utc(row.opens_at),
                closes_at: utc(row.closes_at),
                created_by: parse_id("surveys", &row.created_by)?,
                created_at: utc(row.created_at),
            })
        })
        .collect()
}

/// Stores a new survey with its offices.
pub fn insert(conn: &mut DbConnection, s: &Survey) -> RepoResult<()> {
    diesel::insert_into(surveys::table)
        .values(SurveyRow {
            id: s.id.to_string(),
            title: s.title.clone(),
            description: s.description.clone(),
            questions: s.questions.clone(),
            opens_at: naive(s.opens_at),
            closes_at: naive(s.closes_at),
            all_offices: s.offices.is_empty(),
            created_by: s.created_by.to_string(),
            created_at: naive(s.created_at),
        })
        .execute(conn)?;
    for office in &s.offices {
        diesel::insert_into(survey_offices::table)
            .values((
                survey_offices::survey_id.eq(s.id.to_string()),
                survey_offices::office_code.eq(office),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// One survey.
pub fn find(conn: &mut DbConnection, id: SurveyId) -> RepoResult<Option<Survey>> {
    let row = surveys::table
        .find(id.to_string())
        .select(SurveyRow::as_select())
        .first(conn)
        .optional()?;
    Ok(match row {
        Some(row) => load(conn, vec![row])?.pop(),
        None => None,
    })
}

type Boxed<'a> = surveys::BoxedQuery<'a, <DbConnection as diesel::Connection>::Backend>;

/// The surveys open at `now` to a reader of `office`: for every office or listing theirs.
fn open_for<'a>(office: Option<&str>, now: DateTime<Utc>) -> Boxed<'a> {
    let now = naive(now);
    let listed = survey_offices::table
        .filter(survey_offices::office_code.eq(office.unwrap_or_default().to_owned()))
        .select(survey_offices::survey_id);
    surveys::table
        .filter(surveys::opens_at.le(now))
        .filter(surveys::closes_at.gt(now))
        .filter(surveys::all_offices.eq(true).or(surveys::id.eq_any(listed)))
        .into_boxed()
}

/// Whether `key` is a key a list gave out (a survey id).
pub fn is_list_key(key: &str) -> bool {
    merit_domain::ids::parse_uuid(key).is_ok()
}

fn after<'a>(query: Boxed<'a>, page: &PageRequest<'_>) -> RepoResult<Boxed<'a>> {
    Ok(match page.after {
        None => query,
        Some(key) if is_list_key(key) => query.filter(surveys::id.lt(key.to_owned())),
        Some(key) => {
            return Err(RepoError::InvalidRow {
                table: "surveys",
                reason: format!("cursor: {key}"),
            });
        }
    })
}

/// Which of `ids` `account` answered.
fn answered_of(
    conn: &mut DbConnection,
    account: AccountId,
    ids: &[SurveyId],
) -> RepoResult<Vec<SurveyId>> {
    let found: Vec<String> = survey_responses::table
        .filter(survey_responses::account_id.eq(account.to_string()))
        .filter(survey_responses::survey_id.eq_any(ids.iter().map(ToString::to_string)))
        .select(survey_responses::survey_id)
        .load(conn)?;
    found
        .iter()
        .map(|id| parse_id("survey_responses", id))
        .collect()
}

/// A page of the surveys open to `account` (of `office`) at `now`, newest first, each with
/// whether they answered it.
pub fn open_page(
    conn: &mut DbConnection,
    account: AccountId,
    office: Option<&str>,
    now: DateTime<Utc>,
    page: PageRequest<'_>,
) -> RepoResult<Page<(Survey, bool)>> {
    let rows = after(open_for(office, now), &page)?
        .select(SurveyRow::as_select())
        .order(surveys::id.desc())
        .limit(page.fetch())
        .load(conn)?;
    let page = Page::from_overfetch(load(conn, rows)?, page.limit);
    let answered = answered_of(
        conn,
        account,
        &page.items.iter().map(|s| s.id).collect::<Vec<_>>(),
    )?;
    Ok(page.map(|s| {
        let done = answered.contains(&s.id);
        (s, done)
    }))
}

/// A page of every survey, newest first (admins), each with whether `account` answered it.
pub fn all_page(
    conn: &mut DbConnection,
    account: AccountId,
    page: PageRequest<'_>,
) -> RepoResult<Page<(Survey, bool)>> {
    let rows = after(surveys::table.into_boxed(), &page)?
        .select(SurveyRow::as_select())
        .order(surveys::id.desc())
        .limit(page.fetch())
        .load(conn)?;
    let page = Page::from_overfetch(load(conn, rows)?, page.limit);
    let answered = answered_of(
        conn,
        account,
        &page.items.iter().map(|s| s.id).collect::<Vec<_>>(),
    )?;
    Ok(page.map(|s| {
        let done = answered.contains(&s.id);
        (s, done)
    }))
}

/// The surveys open to a reader: how many, how many they have not answered, and the newest
/// with whether they answered it.
pub type OpenSummary = (i64, i64, Option<(Survey, bool)>);

/// One count of answers: (question, choice, rating, how many).
pub type Tally = (i32, Option<i32>, Option<i32>, i64);

/// How many surveys are open to `account` (of `office`) at `now`, how many of those they have
/// not answered, and the newest open one with whether they answered it.
pub fn summary(
    conn: &mut DbConnection,
    account: AccountId,
    office: Option<&str>,
    now: DateTime<Utc>,
) -> RepoResult<OpenSummary> {
    let mine = survey_responses::table
        .filter(survey_responses::account_id.eq(account.to_string()))
        .select(survey_responses::survey_id);
    // Both counts in one statement: the unanswered ones are those the `CASE` keeps.
    let (open, unanswered): (i64, i64) = open_for(office, now)
        .select((
            count_star(),
            count(case_when(
                diesel::dsl::not(surveys::id.eq_any(mine)),
                surveys::id,
            )),
        ))
        .first(conn)?;
    let latest = open_for(office, now)
        .select(SurveyRow::as_select())
        .order(surveys::id.desc())
        .limit(1)
        .load(conn)?;
    let latest = load(conn, latest)?.pop();
    let latest = match latest {
        Some(s) => {
            let done = !answered_of(conn, account, &[s.id])?.is_empty();
            Some((s, done))
        }
        None => None,
    };
    Ok((open, unanswered, latest))
}

/// Whether `account` answered survey `id`.
pub fn answered(conn: &mut DbConnection, id: SurveyId, account: AccountId) -> RepoResult<bool> {
    Ok(!answered_of(conn, account, &[id])?.is_empty())
}

/// Records that `account` answered survey `id` at `now`, and the answers, with nothing tying
/// them to the account (each answer a random id). A second response is a
/// [`RepoError::Conflict`] (the primary key), also when two race.
pub fn respond(
    conn: &mut DbConnection,
    id: SurveyId,
    account: AccountId,
    answers: &[StoredAnswer],
    now: DateTime<Utc>,
) -> RepoResult<()> {
    diesel::insert_into(survey_responses::table)
        .values((
            survey_responses::survey_id.eq(id.to_string()),
            survey_responses::account_id.eq(account.to_string()),
            survey_responses::submitted_at.eq(naive(now)),
        ))
        .execute(conn)?;
    for a in answers {
        diesel::insert_into(survey_answers::table)
            .values((
                survey_answers::id.eq(uuid::Uuid::new_v4().to_string()),
                survey_answers::survey_id.eq(id.to_string()),
                survey_answers::question.eq(a.question),
                survey_answers::choice.eq(a.choice),
                survey_answers::rating.eq(a.rating),
                survey_answers::answer_text.eq(&a.text),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// How many staff members answered survey `id`.
pub fn response_count(conn: &mut DbConnection, id: SurveyId) -> RepoResult<i64> {
    Ok(survey_responses::table
        .filter(survey_responses::survey_id.eq(id.to_string()))
        .select(count_star())
        .first(conn)?)
}

/// Survey `id`'s choice and rating answers counted: (question, choice, rating, count).
pub fn tallies(conn: &mut DbConnection, id: SurveyId) -> RepoResult<Vec<Tally>> {
    Ok(survey_answers::table
        .filter(survey_answers::survey_id.eq(id.to_string()))
        .filter(survey_answers::answer_text.is_null())
        .group_by((
            survey_answers::question,
            survey_answers::choice,
            survey_answers::rating,
        ))
        .select((
            survey_answers::question,
            survey_answers::choice,
            survey_answers::rating,
            count_star(),
        ))
        .load(conn)?)
}

/// Survey `id`'s free-text answers: (question, text), in an order that says nothing of who
/// answered when (their random ids).
pub fn texts(conn: &mut DbConnection, id: SurveyId) -> RepoResult<Vec<(i32, String)>> {
    let found: Vec<(i32, Option<String>)> = survey_answers::table
        .filter(survey_answers::survey_id.eq(id.to_string()))
        .filter(survey_answers::answer_text.is_not_null())
        .order((survey_answers::question.asc(), survey_answers::id.asc()))
        .select((survey_answers::question, survey_answers::answer_text))
        .load(conn)?;
    Ok(found
        .into_iter()
        .filter_map(|(q, t)| t.map(|t| (q, t)))
        .collect())
}
