//! Exams: creating them, taking them (scored at once), a person's results and eligibilities,
//! and the eligible list of a classification.

use chrono::{DateTime, Utc};
use merit_domain::{
    exam::{
        self, AnswerError, EligibilityStatus, Exam, days_left, eligibility_expires_at, rank_band,
        retake_allowed_from, status_at,
    },
    ids::{AccountId, ExamId},
    paging::PageLimit,
    posting::EligibilityStanding,
    profile::{ConditionsOfEmployment, TermsFilter},
    reference::ClassificationCode,
};
use merit_persistence::{
    DbConnection, Page, PageRequest, exams,
    exams::{Attempt, AttemptKey, ListEntry, ListKey},
    profiles, reference,
};

use crate::{
    auth::AuthUser,
    error::{ApiError, Code, FieldError},
};

fn not_found() -> ApiError {
    ApiError::not_found("exam")
}

/// Stores a new exam; its classification must exist.
pub fn create(conn: &mut DbConnection, author: &AuthUser, exam: Exam) -> Result<Exam, ApiError> {
    if reference::find_classification(conn, exam.classification.as_str())?.is_none() {
        let detail = format!("No classification has the code {}.", exam.classification);
        return Err(ApiError::invalid(
            "classification_code",
            "unknown_classification",
            detail,
        ));
    }
    exams::insert(conn, &exam, author.id())?;
    Ok(exam)
}

/// An exam by id.
pub fn get(conn: &mut DbConnection, id: ExamId) -> Result<Exam, ApiError> {
    exams::find(conn, id)?.ok_or_else(not_found)
}

/// A page of exams.
pub fn list(
    conn: &mut DbConnection,
    filter: &exams::ExamFilter,
    page: PageRequest<'_>,
) -> Result<Page<Exam>, ApiError> {
    Ok(exams::list(conn, filter, page)?)
}

fn answer_errors(errors: Vec<AnswerError>) -> ApiError {
    let errors = errors
        .into_iter()
        .map(|e| {
            let code = match &e {
                AnswerError::Missing(_) => "unanswered_question",
                AnswerError::UnknownQuestion(_) => "unknown_question",
                AnswerError::Duplicate(_) => "duplicate_answer",
                AnswerError::UnknownOption { .. } => "unknown_option",
            };
            FieldError::new("answers", code, e.to_string())
        })
        .collect();
    ApiError::Validation { errors }
}

/// Takes an exam: refuses a closed exam and a re-take before it is allowed, scores the answers,
/// and on a pass grants an eligibility until now + the list duration. Runs in a write
/// transaction: the person's row is locked first, so two concurrent attempts by one person are
/// checked one after the other and the second sees the first.
pub fn take(
    conn: &mut DbConnection,
    user: &AuthUser,
    exam_id: ExamId,
    answers: Vec<(String, String)>,
    now: DateTime<Utc>,
) -> Result<Attempt, ApiError> {
    profiles::lock_person(conn, user.id())?;
    let exam = get(conn, exam_id)?;
    if !exam.accepting_attempts(now) {
        return Err(ApiError::new(
            Code::ExamClosed,
            "This exam is not taking attempts.",
        ));
    }
    if let Some(last) = exams::attempts_at(conn, user.id(), exam_id)?
        .into_iter()
        .next()
    {
        let own_expiry = last.eligibility_expires_at;
        if let Some(from) = retake_allowed_from(last.taken_at, exam.retake_wait, own_expiry, now) {
            return Err(ApiError::RetakeNotAllowedYet { allowed_from: from });
        }
    }
    let score = exam::score(&exam.questions, &answers).map_err(answer_errors)?;
    let passed = score.passes(exam.passing_score);
    let attempt = Attempt {
        id: uuid::Uuid::now_v7().to_string(),
        exam_id: exam.id,
        exam_title: exam.title.clone(),
        account_id: user.id().to_string(),
        classification: exam.classification.to_string(),
        score: score.value(),
        passed,
        rank_band: passed.then(|| rank_band(score).number()),
        answers,
        taken_at: now,
        eligibility_expires_at: passed.then(|| eligibility_expires_at(now, exam.list_duration)),
    };
    exams::insert_attempt(conn, &attempt)?;
    Ok(attempt)
}

/// A person's standing on one classification's list.
#[derive(Debug, Clone)]
pub struct Standing {
    /// The classification's code.
    pub classification: String,
    /// Its title.
    pub classification_title: String,
    /// Active, expiring soon or expired.
    pub status: EligibilityStatus,
    /// The counting score.
    pub score: u8,
    /// Its rank band.
    pub rank_band: u8,
    /// When the counting eligibility ends.
    pub expires_at: DateTime<Utc>,
    /// Days left (0 once expired).
    pub days_left: i64,
    /// When the person may re-take the exam of their latest attempt (none: now).
    pub retake_allowed_from: Option<DateTime<Utc>>,
}

/// Per classification the person ever passed: the eligibility that counts (the best active one,
/// else the latest expired), and when a re-take is possible.
pub fn standings(
    conn: &mut DbConnection,
    user: &AuthUser,
    now: DateTime<Utc>,
) -> Result<Vec<Standing>, ApiError> {
    let attempts = exams::attempts_of(conn, user.id())?;
    let titles = reference::classification_titles(conn)?;
    let mut classifications: Vec<&str> = attempts
        .iter()
        .filter(|a| a.passed)
        .map(|a| a.classification.as_str())
        .collect();
    classifications.sort_unstable();
    classifications.dedup();
    let mut out = Vec::new();
    for classification in classifications {
        let passes: Vec<&Attempt> = attempts
            .iter()
            .filter(|a| a.classification == classification && a.passed)
            .collect();
        let key = |a: &&Attempt| (a.score, a.eligibility_expires_at.unwrap_or(a.taken_at));
        let counting = exam::best_active(&passes, now, key)
            .or_else(|| passes.iter().max_by_key(|a| a.eligibility_expires_at));
        let Some(counting) = counting else { continue };
        let expires_at = counting.eligibility_expires_at.unwrap_or(counting.taken_at);
        let latest = attempts.iter().find(|a| a.classification == classification);
        let retake = match latest {
            Some(last) => {
                let wait = exams::find(conn, last.exam_id)?
                    .map(|e| e.retake_wait)
                    .unwrap_or_default();
                retake_allowed_from(last.taken_at, wait, last.eligibility_expires_at, now)
            }
            None => None,
        };
        out.push(Standing {
            classification: classification.to_owned(),
            classification_title: titles.get(classification).cloned().unwrap_or_default(),
            status: status_at(expires_at, now),
            score: counting.score,
            rank_band: counting.rank_band.unwrap_or(7),
            expires_at,
            days_left: days_left(expires_at, now),
            retake_allowed_from: retake,
        });
    }
    Ok(out)
}

/// One page of the person's attempts, newest first, after `after`.
pub fn results_page(
    conn: &mut DbConnection,
    user: &AuthUser,
    after: Option<AttemptKey>,
    limit: PageLimit,
) -> Result<Page<Attempt>, ApiError> {
    Ok(exams::attempts_page(
        conn,
        user.id(),
        after.as_ref(),
        limit,
    )?)
}

/// One page of the person's standings, in classification code order, after the classification
/// `after`. A person passes a few classifications at most, so the page is cut from all of them.
pub fn standings_page(
    conn: &mut DbConnection,
    user: &AuthUser,
    now: DateTime<Utc>,
    page: PageRequest<'_>,
) -> Result<Page<Standing>, ApiError> {
    let rows: Vec<Standing> = standings(conn, user, now)?
        .into_iter()
        .filter(|s| page.after.is_none_or(|a| s.classification.as_str() > a))
        .take(page.limit.get() as usize + 1)
        .collect();
    Ok(Page::from_overfetch(rows, page.limit))
}

/// The standing the consideration preview needs for one classification.
pub fn standing_for(
    conn: &mut DbConnection,
    account_id: AccountId,
    classification: &str,
    now: DateTime<Utc>,
) -> Result<EligibilityStanding, ApiError> {
    Ok(exam::standing(
        exams::latest_expiry(conn, account_id, classification)?,
        now,
    ))
}

/// The most rows one read of the eligible list takes.
const MAX_CHUNK: i64 = 4096;

/// A person on an eligible list with their waivers of appointment in the class.
#[derive(Debug, Clone)]
pub struct EligibleEntry {
    /// The list entry.
    pub entry: ListEntry,
    /// Waivers of appointment in the class (2 CCR §260.1).
    pub waivers: u32,
    /// Whether the person may be certified (fewer than three waivers, §262).
    pub certifiable: bool,
}

/// One page of a classification's eligible list at `now`, keeping only people whose conditions
/// of employment match `filter` (scanning ahead in rank order until the page is full), each
/// with their waivers of appointment in the class and whether they are still certifiable.
pub fn eligible_page(
    conn: &mut DbConnection,
    classification: &ClassificationCode,
    filter: &TermsFilter,
    now: DateTime<Utc>,
    after: Option<ListKey>,
    limit: usize,
) -> Result<(Vec<EligibleEntry>, bool), ApiError> {
    let (entries, has_more) = eligible_rows(conn, classification, filter, now, after, limit)?;
    let ids: Vec<String> = entries.iter().map(|e| e.account_id.clone()).collect();
    let counts =
        merit_persistence::letters::waiver_counts(conn, classification.as_str(), Some(&ids))?;
    let entries = entries
        .into_iter()
        .map(|entry| {
            let waivers = counts.get(&entry.account_id).copied().unwrap_or(0);
            EligibleEntry {
                entry,
                waivers,
                certifiable: merit_domain::letter::certifiable(waivers),
            }
        })
        .collect();
    Ok((entries, has_more))
}

fn eligible_rows(
    conn: &mut DbConnection,
    classification: &ClassificationCode,
    filter: &TermsFilter,
    now: DateTime<Utc>,
    after: Option<ListKey>,
    limit: usize,
) -> Result<(Vec<ListEntry>, bool), ApiError> {
    if reference::find_classification(conn, classification.as_str())?.is_none() {
        return Err(ApiError::not_found("classification"));
    }
    let wanted = limit + 1;
    // Most filters keep a third or more of the list: three pages' worth usually fills one. A
    // filter that keeps few people doubles the next read, so even one matching almost nobody
    // on a list of tens of thousands takes a dozen reads, not hundreds.
    let mut chunk = i64::try_from((wanted * 3).max(32)).unwrap_or(64);
    let mut found = Vec::with_capacity(wanted);
    let mut cursor = after;
    loop {
        let rows =
            exams::eligible_list(conn, classification.as_str(), now, cursor.as_ref(), chunk)?;
        let exhausted = i64::try_from(rows.len()).unwrap_or(0) < chunk;
        for row in rows {
            cursor = Some(ListKey {
                band: row.rank_band,
                score: row.score,
                account_id: row.account_id.clone(),
            });
            let conditions = match &row.conditions {
                Some(json) => {
                    profiles::conditions_from_json(json, row.accepts_contact.unwrap_or(false))?
                }
                None => ConditionsOfEmployment::default(),
            };
            if conditions.matches(filter) {
                found.push(row);
                if found.len() == wanted {
                    break;
                }
            }
        }
        if found.len() == wanted || exhausted {
            break;
        }
        chunk = (chunk * 2).min(MAX_CHUNK);
    }
    let has_more = found.len() > limit;
    found.truncate(limit);
    Ok((found, has_more))
}
