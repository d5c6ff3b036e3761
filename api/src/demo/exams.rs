//! Demo exams: an online Training and Experience questionnaire for several demo classifications.

use chrono::{DateTime, TimeDelta, Utc};
use merit_domain::{
    exam::{AnswerOption, Exam, ListDuration, Question, Score},
    reference::ClassificationCode,
};
use merit_persistence::{DbConnection, exams};

use crate::error::ApiError;

/// Who demo exams are created by.
pub const DEMO_AUTHOR: &str = "demo";

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

/// The demo exams, with ids stable across loads.
pub fn all(now: DateTime<Utc>) -> Result<Vec<Exam>, ApiError> {
    EXAMS
        .iter()
        .map(|(code, title, months)| {
            Ok(Exam {
                id: format!("demo-exam-{code}"),
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
        if exams::find(conn, &exam.id)?.is_none() {
            exams::insert(conn, &exam, DEMO_AUTHOR)?;
            added += 1;
        }
    }
    Ok(added)
}
