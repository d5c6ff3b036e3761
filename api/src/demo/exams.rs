//! Demo exams: an online Training and Experience questionnaire for several demo classifications.

use chrono::{DateTime, TimeDelta, Utc};
use merit_domain::{
    exam::{AnswerOption, Exam, ListDuration, Question, Score},
    ids::ExamId,
    reference::ClassificationCode,
};
use merit_persistence::{DbConnection, exams};

use crate::error::ApiError;

/// (class code, title, list months).
const EXAMS: &[(&str, &str, u32)] = &[
    ("5393", "Associate Governmental Program Analyst", 24),
    ("5157", "Staff Services Analyst (General)", 24),
    ("1139", "Office Technician (Typing)", 12),
    ("1402", "Information Technology Specialist I", 24),
    ("9662", "Correctional Officer", 12),
];

fn questions(title: &str) -> Vec<Question> {
    let scale = |options: &[(&str, u32)]| -> Vec<AnswerOption> {
        options
            .iter()
            .enumerate()
            .map(|(i, (text, points))| AnswerOption {
                id: char::from(b'a' + u8::try_from(i).unwrap_or(0)).to_string(),
                text: (*text).to_owned(),
                points: *points,
            })
            .collect()
    };
    let years = scale(&[
        ("None", 0),
        ("Less than one year", 3),
        ("One to two years", 6),
        ("Two to four years", 8),
        ("More than four years", 10),
    ]);
    let level = scale(&[
        ("I have not done this", 0),
        ("I have done this under close supervision", 4),
        ("I have done this independently", 8),
        ("I have trained others to do this", 10),
    ]);
    vec![
        Question { id: "q1".into(), text: format!("How many years of experience do you have in work like that of a {title}?"), options: years },
        Question { id: "q2".into(), text: "Which best describes your experience writing reports for management?".into(), options: level.clone() },
        Question { id: "q3".into(), text: "Which best describes your experience explaining rules and procedures to the public?".into(), options: level.clone() },
        Question { id: "q4".into(), text: "Which best describes your experience organizing your own workload to meet deadlines?".into(), options: level },
    ]
}

/// The id of the demo exam of classification `code`, stable across loads:
/// `00000000-0000-8000-8000-<code zero-padded to 12>`, a UUIDv8 (application-defined) that no
/// exam made through the API (UUIDv7) can have. The migration `demo_exam_ids` moved the demo
/// exams of earlier releases, stored as `demo-exam-<code>`, to these ids; its down.sql tells
/// demo exams apart by this prefix, so keep the two in step.
fn demo_exam_id(code: &str) -> Result<ExamId, ApiError> {
    ExamId::parse(&format!("00000000-0000-8000-8000-{code:0>12}")).map_err(ApiError::internal)
}

/// The demo exams, with ids stable across loads.
pub fn all(now: DateTime<Utc>) -> Result<Vec<Exam>, ApiError> {
    EXAMS
        .iter()
        .map(|(code, title, months)| {
            Ok(Exam {
                id: demo_exam_id(code)?,
                classification: ClassificationCode::parse(code).map_err(ApiError::internal)?,
                title: format!("{title} (Training and Experience)"),
                description: format!("An online Training and Experience questionnaire for {title}. Answer every question; your score is given at once. A passing score of 70 puts you on the eligible list."),
                open: true,
                final_filing_date: None,
                list_duration: ListDuration::from_months(*months).map_err(ApiError::internal)?,
                passing_score: Score::new(70).map_err(ApiError::internal)?,
                retake_wait: TimeDelta::days(180),
                questions: questions(title),
                created_at: now,
            })
        })
        .collect()
}

/// Adds the demo exams that are missing; returns how many were added.
pub fn load(conn: &mut DbConnection, now: DateTime<Utc>) -> Result<usize, ApiError> {
    let mut added = 0;
    for exam in all(now)? {
        if exams::find(conn, exam.id)?.is_none() {
            exams::insert(conn, &exam, super::author())?;
            added += 1;
        }
    }
    Ok(added)
}

/// A demo result: (applicant's email, class code, answers (q1..q4 option ids), months ago).
const RESULTS: &[(&str, &str, [&str; 4], u32)] = &[
    // 95, three months ago on a 24-month list: active.
    ("maria.santos@example.org", "5393", ["e", "d", "d", "c"], 3),
    // 80, eleven months ago on a 12-month list: expiring soon.
    ("maria.santos@example.org", "1139", ["e", "d", "c", "b"], 11),
    // 85, twenty-five months ago on a 24-month list: expired.
    ("david.nguyen@example.org", "5157", ["e", "c", "c", "c"], 25),
    // 60, a month ago: failed, re-take waiting.
    ("david.nguyen@example.org", "1402", ["d", "c", "b", "b"], 1),
    // 100, this month on a 12-month list: active, top band.
    ("aisha.johnson@example.org", "9662", ["e", "d", "d", "d"], 0),
];

/// Gives the demo applicants exam results (some active, one expiring soon, one expired, one
/// failed), unless they already have results; returns how many were added.
pub fn load_results(conn: &mut DbConnection, now: DateTime<Utc>) -> Result<usize, ApiError> {
    use merit_domain::{
        account::{EmailAddress, LoginIdentifier},
        exam::{eligibility_expires_at, rank_band, score},
    };
    use merit_persistence::{accounts, exams::Attempt};

    let mut added = 0;
    for (email, code, picks, months_ago) in RESULTS {
        let key = LoginIdentifier::Email(
            EmailAddress::parse(email)
                .map_err(ApiError::internal)?
                .key(),
        );
        let Some((account, _)) = accounts::find_for_login(conn, &key)? else {
            continue;
        };
        let exam_id = demo_exam_id(code)?;
        let Some(exam) = exams::find(conn, exam_id)? else {
            continue;
        };
        if !exams::attempts_at(conn, account.id, exam_id)?.is_empty() {
            continue;
        }
        let answers: Vec<(String, String)> = picks
            .iter()
            .enumerate()
            .map(|(i, option)| (format!("q{}", i + 1), (*option).to_owned()))
            .collect();
        let result = score(&exam.questions, &answers)
            .map_err(|e| ApiError::internal(anyhow::anyhow!("{e:?}")))?;
        let taken_at = now
            .checked_sub_months(chrono::Months::new(*months_ago))
            .unwrap_or(now)
            - TimeDelta::days(1);
        let passed = result.passes(exam.passing_score);
        exams::insert_attempt(
            conn,
            &Attempt {
                id: uuid::Uuid::now_v7().to_string(),
                exam_id,
                exam_title: exam.title.clone(),
                account_id: account.id.to_string(),
                classification: (*code).to_owned(),
                score: result.value(),
                passed,
                rank_band: passed.then(|| rank_band(result).number()),
                answers,
                taken_at,
                eligibility_expires_at: passed
                    .then(|| eligibility_expires_at(taken_at, exam.list_duration)),
            },
        )?;
        added += 1;
    }
    Ok(added)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_demo_exam_id_is_the_one_the_migration_gives_its_old_id() {
        assert_eq!(
            demo_exam_id("5393").unwrap().to_string(),
            "00000000-0000-8000-8000-000000005393"
        );
        assert!(EXAMS.iter().all(|(code, _, _)| demo_exam_id(code).is_ok()));
    }
}
