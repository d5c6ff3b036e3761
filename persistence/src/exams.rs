//! Exams, attempts and eligibilities.

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeDelta, Utc};
use diesel::{
    prelude::*,
    sql_types::{BigInt, Integer, Nullable, Text, Timestamp},
};
use merit_domain::{
    exam::{AnswerOption, Exam, ListDuration, Question, Score},
    ids::{AccountId, ExamId},
    paging::PageLimit,
    reference::ClassificationCode,
};
use serde::{Deserialize, Serialize};

use crate::{
    DbConnection,
    error::{RepoError, RepoResult},
    paging::{Page, PageRequest},
    reference::like_prefix,
    schema::{eligibilities, exam_attempts, exams},
    time::{naive, utc},
};

#[derive(Serialize, Deserialize)]
struct OptionJson {
    id: String,
    text: String,
    points: u32,
}

#[derive(Serialize, Deserialize)]
struct QuestionJson {
    id: String,
    text: String,
    options: Vec<OptionJson>,
}

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = exams)]
struct ExamRow {
    id: String,
    classification_code: String,
    title: String,
    description: String,
    is_open: bool,
    final_filing_date: Option<NaiveDate>,
    list_duration_months: i32,
    passing_score: i32,
    retake_wait_days: i32,
    questions: String,
    created_at: NaiveDateTime,
}

fn bad(reason: impl ToString) -> RepoError {
    RepoError::InvalidRow {
        table: "exams",
        reason: reason.to_string(),
    }
}

impl TryFrom<ExamRow> for Exam {
    type Error = RepoError;
    fn try_from(row: ExamRow) -> RepoResult<Self> {
        let questions: Vec<QuestionJson> = serde_json::from_str(&row.questions).map_err(bad)?;
        Ok(Exam {
            id: ExamId::parse(&row.id).map_err(bad)?,
            classification: ClassificationCode::parse(&row.classification_code).map_err(bad)?,
            title: row.title,
            description: row.description,
            open: row.is_open,
            final_filing_date: row.final_filing_date,
            list_duration: ListDuration::from_months(
                u32::try_from(row.list_duration_months).unwrap_or(0),
            )
            .map_err(bad)?,
            passing_score: Score::new(u32::try_from(row.passing_score).unwrap_or(u32::MAX))
                .map_err(bad)?,
            retake_wait: TimeDelta::days(i64::from(row.retake_wait_days)),
            questions: questions
                .into_iter()
                .map(|q| Question {
                    id: q.id,
                    text: q.text,
                    options: q
                        .options
                        .into_iter()
                        .map(|o| AnswerOption {
                            id: o.id,
                            text: o.text,
                            points: o.points,
                        })
                        .collect(),
                })
                .collect(),
            created_at: utc(row.created_at),
        })
    }
}

/// Stores a new exam.
pub fn insert(conn: &mut DbConnection, exam: &Exam, created_by: AccountId) -> RepoResult<()> {
    let questions: Vec<QuestionJson> = exam
        .questions
        .iter()
        .map(|q| QuestionJson {
            id: q.id.clone(),
            text: q.text.clone(),
            options: q
                .options
                .iter()
                .map(|o| OptionJson {
                    id: o.id.clone(),
                    text: o.text.clone(),
                    points: o.points,
                })
                .collect(),
        })
        .collect();
    let row = ExamRow {
        id: exam.id.to_string(),
        classification_code: exam.classification.to_string(),
        title: exam.title.clone(),
        description: exam.description.clone(),
        is_open: exam.open,
        final_filing_date: exam.final_filing_date,
        list_duration_months: i32::try_from(exam.list_duration.months()).unwrap_or(12),
        passing_score: i32::from(exam.passing_score.value()),
        retake_wait_days: i32::try_from(exam.retake_wait.num_days()).unwrap_or(i32::MAX),
        questions: serde_json::to_string(&questions).map_err(bad)?,
        created_at: naive(exam.created_at),
    };
    diesel::insert_into(exams::table)
        .values((
            row,
            exams::created_by.eq(created_by.to_string()),
            exams::updated_at.eq(naive(exam.created_at)),
        ))
        .execute(conn)?;
    Ok(())
}

/// An exam by id.
pub fn find(conn: &mut DbConnection, id: ExamId) -> RepoResult<Option<Exam>> {
    exams::table
        .find(id.to_string())
        .select(ExamRow::as_select())
        .first(conn)
        .optional()?
        .map(Exam::try_from)
        .transpose()
}

/// Filters of the exam list.
#[derive(Debug, Clone, Default)]
pub struct ExamFilter {
    /// Only exams for this classification.
    pub classification: Option<String>,
    /// Only exams whose title starts with this, or whose title or description holds it.
    pub text: Option<String>,
    /// Only open exams with no final filing date or one on or after this day: the first final
    /// filing date still open at an instant (`merit_domain::posting::first_open_filing_date`),
    /// so the list keeps exactly the exams that `Exam::accepting_attempts` then.
    pub open_filing_from: Option<NaiveDate>,
}

diesel::define_sql_function! {
    /// SQL `lower()`.
    fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text;
}

/// Exams matching `filter`, newest first.
pub fn list(
    conn: &mut DbConnection,
    filter: &ExamFilter,
    page: PageRequest<'_>,
) -> RepoResult<Page<Exam>> {
    let mut query = exams::table.select(ExamRow::as_select()).into_boxed();
    if let Some(code) = &filter.classification {
        query = query.filter(exams::classification_code.eq(code.clone()));
    }
    if let Some(text) = &filter.text {
        let pattern = format!("%{}", like_prefix(text));
        query = query.filter(
            lower(exams::title)
                .like(pattern.clone())
                .escape('\\')
                .or(lower(exams::description).like(pattern).escape('\\')),
        );
    }
    if let Some(day) = filter.open_filing_from {
        query = query.filter(exams::is_open.eq(true)).filter(
            exams::final_filing_date
                .is_null()
                .or(exams::final_filing_date.ge(day)),
        );
    }
    if let Some(after) = page.after {
        query = query.filter(exams::id.lt(after.to_owned()));
    }
    let rows: Vec<ExamRow> = query
        .order(exams::id.desc())
        .limit(page.fetch())
        .load(conn)?;
    let items = rows
        .into_iter()
        .map(Exam::try_from)
        .collect::<RepoResult<Vec<_>>>()?;
    Ok(Page::from_overfetch(items, page.limit))
}

/// A scored attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    /// Opaque id.
    pub id: String,
    /// The exam.
    pub exam_id: ExamId,
    /// The exam's title (when read back).
    pub exam_title: String,
    /// Who took it.
    pub account_id: String,
    /// The exam's classification.
    pub classification: String,
    /// The score.
    pub score: u8,
    /// Whether it passed.
    pub passed: bool,
    /// The rank band of a pass.
    pub rank_band: Option<u8>,
    /// The answers, (question id, option id).
    pub answers: Vec<(String, String)>,
    /// When it was taken.
    pub taken_at: DateTime<Utc>,
    /// When the eligibility it granted ends (passes only).
    pub eligibility_expires_at: Option<DateTime<Utc>>,
}

/// Stores an attempt and, for a pass, its eligibility.
pub fn insert_attempt(conn: &mut DbConnection, attempt: &Attempt) -> RepoResult<()> {
    diesel::insert_into(exam_attempts::table)
        .values((
            exam_attempts::id.eq(&attempt.id),
            exam_attempts::exam_id.eq(attempt.exam_id.to_string()),
            exam_attempts::account_id.eq(&attempt.account_id),
            exam_attempts::classification_code.eq(&attempt.classification),
            exam_attempts::score.eq(i32::from(attempt.score)),
            exam_attempts::passed.eq(attempt.passed),
            exam_attempts::rank_band.eq(attempt.rank_band.map(i32::from)),
            exam_attempts::answers.eq(serde_json::to_string(&attempt.answers).map_err(bad)?),
            exam_attempts::taken_at.eq(naive(attempt.taken_at)),
        ))
        .execute(conn)?;
    if let (true, Some(band), Some(expires)) = (
        attempt.passed,
        attempt.rank_band,
        attempt.eligibility_expires_at,
    ) {
        diesel::insert_into(eligibilities::table)
            .values((
                eligibilities::attempt_id.eq(&attempt.id),
                eligibilities::account_id.eq(&attempt.account_id),
                eligibilities::classification_code.eq(&attempt.classification),
                eligibilities::exam_id.eq(attempt.exam_id.to_string()),
                eligibilities::score.eq(i32::from(attempt.score)),
                eligibilities::rank_band.eq(i32::from(band)),
                eligibilities::granted_at.eq(naive(attempt.taken_at)),
                eligibilities::expires_at.eq(naive(expires)),
            ))
            .execute(conn)?;
    }
    Ok(())
}

type AttemptTuple = (
    String,
    String,
    String,
    String,
    String,
    i32,
    bool,
    Option<i32>,
    String,
    NaiveDateTime,
    Option<NaiveDateTime>,
);

/// Where a page of a person's attempts starts: after this attempt, newest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttemptKey {
    /// When the last attempt seen was taken.
    pub taken_at: DateTime<Utc>,
    /// Its id (breaks ties between attempts taken at the same instant).
    pub id: String,
}

/// Which of a person's attempts to read.
#[derive(Debug, Clone, Copy, Default)]
struct AttemptFilter<'a> {
    exam_id: Option<ExamId>,
    after: Option<&'a AttemptKey>,
    fetch: Option<i64>,
}

fn attempts_where(
    conn: &mut DbConnection,
    account_id: AccountId,
    filter: AttemptFilter<'_>,
) -> RepoResult<Vec<Attempt>> {
    let mut query = exam_attempts::table
        .inner_join(exams::table)
        .left_join(eligibilities::table.on(eligibilities::attempt_id.eq(exam_attempts::id)))
        .filter(exam_attempts::account_id.eq(account_id.to_string()))
        .select((
            exam_attempts::id,
            exam_attempts::exam_id,
            exams::title,
            exam_attempts::account_id,
            exam_attempts::classification_code,
            exam_attempts::score,
            exam_attempts::passed,
            exam_attempts::rank_band,
            exam_attempts::answers,
            exam_attempts::taken_at,
            eligibilities::expires_at.nullable(),
        ))
        .into_boxed();
    if let Some(exam_id) = filter.exam_id {
        query = query.filter(exam_attempts::exam_id.eq(exam_id.to_string()));
    }
    if let Some(after) = filter.after {
        let taken_at = naive(after.taken_at);
        query = query.filter(
            exam_attempts::taken_at
                .lt(taken_at)
                .or(exam_attempts::taken_at
                    .eq(taken_at)
                    .and(exam_attempts::id.lt(after.id.clone()))),
        );
    }
    if let Some(fetch) = filter.fetch {
        query = query.limit(fetch);
    }
    let rows: Vec<AttemptTuple> = query
        .order((exam_attempts::taken_at.desc(), exam_attempts::id.desc()))
        .load(conn)?;
    rows.into_iter()
        .map(
            |(
                id,
                exam_id,
                exam_title,
                account_id,
                classification,
                score,
                passed,
                band,
                answers,
                taken_at,
                expires,
            )| {
                Ok(Attempt {
                    id,
                    exam_id: ExamId::parse(&exam_id).map_err(bad)?,
                    exam_title,
                    account_id,
                    classification,
                    score: u8::try_from(score).map_err(bad)?,
                    passed,
                    rank_band: band.map(u8::try_from).transpose().map_err(bad)?,
                    answers: serde_json::from_str(&answers).map_err(bad)?,
                    taken_at: utc(taken_at),
                    eligibility_expires_at: expires.map(utc),
                })
            },
        )
        .collect()
}

/// A person's attempts, newest first.
pub fn attempts_of(conn: &mut DbConnection, account_id: AccountId) -> RepoResult<Vec<Attempt>> {
    attempts_where(conn, account_id, AttemptFilter::default())
}

/// One page of a person's attempts, newest first, after `after`.
pub fn attempts_page(
    conn: &mut DbConnection,
    account_id: AccountId,
    after: Option<&AttemptKey>,
    limit: PageLimit,
) -> RepoResult<Page<Attempt>> {
    let filter = AttemptFilter {
        after,
        fetch: Some(i64::from(limit.get()) + 1),
        ..AttemptFilter::default()
    };
    let rows = attempts_where(conn, account_id, filter)?;
    Ok(Page::from_overfetch(rows, limit))
}

/// A person's attempts at one exam, newest first.
pub fn attempts_at(
    conn: &mut DbConnection,
    account_id: AccountId,
    exam_id: ExamId,
) -> RepoResult<Vec<Attempt>> {
    let filter = AttemptFilter {
        exam_id: Some(exam_id),
        ..AttemptFilter::default()
    };
    attempts_where(conn, account_id, filter)
}

/// The latest expiry of a person's eligibilities for a classification.
pub fn latest_expiry(
    conn: &mut DbConnection,
    account_id: AccountId,
    classification: &str,
) -> RepoResult<Option<DateTime<Utc>>> {
    let latest: Option<NaiveDateTime> = eligibilities::table
        .filter(eligibilities::account_id.eq(account_id.to_string()))
        .filter(eligibilities::classification_code.eq(classification))
        .select(diesel::dsl::max(eligibilities::expires_at))
        .first(conn)?;
    Ok(latest.map(utc))
}

/// An eligibility as stored: what one pass granted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Eligibility {
    /// The attempt that granted it.
    pub attempt_id: String,
    /// The exam passed.
    pub exam_id: ExamId,
    /// The classification it is for.
    pub classification: String,
    /// The attempt's score.
    pub score: u8,
    /// The score's rank band.
    pub rank_band: u8,
    /// When it was granted.
    pub granted_at: DateTime<Utc>,
    /// When it ends.
    pub expires_at: DateTime<Utc>,
}

/// Every eligibility of a person, newest first.
pub fn eligibilities_of(
    conn: &mut DbConnection,
    account_id: AccountId,
) -> RepoResult<Vec<Eligibility>> {
    let rows: Vec<(
        String,
        String,
        String,
        i32,
        i32,
        NaiveDateTime,
        NaiveDateTime,
    )> = eligibilities::table
        .filter(eligibilities::account_id.eq(account_id.to_string()))
        .select((
            eligibilities::attempt_id,
            eligibilities::exam_id,
            eligibilities::classification_code,
            eligibilities::score,
            eligibilities::rank_band,
            eligibilities::granted_at,
            eligibilities::expires_at,
        ))
        .order((
            eligibilities::granted_at.desc(),
            eligibilities::attempt_id.desc(),
        ))
        .load(conn)?;
    rows.into_iter()
        .map(
            |(attempt_id, exam_id, classification, score, band, granted, expires)| {
                Ok(Eligibility {
                    attempt_id,
                    exam_id: ExamId::parse(&exam_id).map_err(bad)?,
                    classification,
                    score: u8::try_from(score).map_err(bad)?,
                    rank_band: u8::try_from(band).map_err(bad)?,
                    granted_at: utc(granted),
                    expires_at: utc(expires),
                })
            },
        )
        .collect()
}

/// One person on an eligible list.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct ListEntry {
    /// The person's account.
    #[diesel(sql_type = Text)]
    pub account_id: String,
    /// Given name.
    #[diesel(sql_type = Text)]
    pub first_name: String,
    /// Family name.
    #[diesel(sql_type = Text)]
    pub last_name: String,
    /// The account's email address.
    #[diesel(sql_type = Nullable<Text>)]
    pub email: Option<String>,
    /// The counting score.
    #[diesel(sql_type = Integer)]
    pub score: i32,
    /// Its rank band.
    #[diesel(sql_type = Integer)]
    pub rank_band: i32,
    /// When that eligibility ends.
    #[diesel(sql_type = Timestamp)]
    pub expires_at: NaiveDateTime,
    /// The person's conditions of employment (profile JSON), if they have a profile.
    #[diesel(sql_type = Nullable<Text>)]
    pub conditions: Option<String>,
    /// Whether they accept contact letters, if they have a profile.
    #[diesel(sql_type = Nullable<diesel::sql_types::Bool>)]
    pub accepts_contact: Option<bool>,
}

/// Where a page of an eligible list starts: after (band, score, account id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListKey {
    /// Rank band of the last entry seen.
    pub band: i32,
    /// Score of the last entry seen.
    pub score: i32,
    /// Account of the last entry seen.
    pub account_id: String,
}

/// The people on a classification's eligible list at `now` (each counted once, by their best
/// unexpired eligibility), in rank order — band, then score, then account — after `after`, at
/// most `limit` of them. Disabled accounts are left out.
pub fn eligible_list(
    conn: &mut DbConnection,
    classification: &str,
    now: DateTime<Utc>,
    after: Option<&ListKey>,
    limit: i64,
) -> RepoResult<Vec<ListEntry>> {
    let start = after.cloned().unwrap_or(ListKey {
        band: 0,
        score: 101,
        account_id: String::new(),
    });
    let sql = "SELECT e.account_id, a.first_name, a.last_name, a.email, e.score, e.rank_band, e.expires_at, \
        p.conditions, p.accepts_contact \
        FROM eligibilities e JOIN accounts a ON a.id = e.account_id LEFT JOIN profiles p ON p.account_id = e.account_id \
        WHERE e.classification_code = $1 AND e.expires_at > $2 AND a.disabled_at IS NULL \
        AND NOT EXISTS (SELECT 1 FROM eligibilities b WHERE b.account_id = e.account_id \
            AND b.classification_code = e.classification_code AND b.expires_at > $2 \
            AND (b.score > e.score OR (b.score = e.score AND (b.expires_at > e.expires_at \
                OR (b.expires_at = e.expires_at AND b.attempt_id > e.attempt_id))))) \
        AND (e.rank_band > $3 OR (e.rank_band = $3 AND (e.score < $4 OR (e.score = $4 AND e.account_id > $5)))) \
        ORDER BY e.rank_band ASC, e.score DESC, e.account_id ASC LIMIT $6";
    Ok(diesel::sql_query(sql)
        .bind::<Text, _>(classification)
        .bind::<Timestamp, _>(naive(now))
        .bind::<Integer, _>(start.band)
        .bind::<Integer, _>(start.score)
        .bind::<Text, _>(start.account_id)
        .bind::<BigInt, _>(limit)
        .load(conn)?)
}
