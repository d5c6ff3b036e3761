//! Staff surveys: the kinds of question, the rules for a survey's questions and window, and the
//! check of one staff member's answers against the questions (every problem at its own path).

use chrono::{DateTime, Utc};

use crate::text;

/// The most questions a survey has.
pub const MAX_QUESTIONS: usize = 30;
/// The fewest options of a choice question.
pub const MIN_OPTIONS: usize = 2;
/// The most options of a choice question.
pub const MAX_OPTIONS: usize = 20;
/// The longest free-text answer, in characters.
pub const MAX_TEXT_ANSWER: usize = 2000;
/// The lowest rating.
pub const RATING_MIN: i64 = 1;
/// The highest rating.
pub const RATING_MAX: i64 = 5;

/// What a question asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QuestionKind {
    /// One of the options.
    SingleChoice,
    /// Any of the options.
    MultipleChoice,
    /// A rating from 1 to 5.
    Rating,
    /// Free text.
    FreeText,
}

impl QuestionKind {
    /// Every kind.
    pub const ALL: &'static [QuestionKind] = &[
        QuestionKind::SingleChoice,
        QuestionKind::MultipleChoice,
        QuestionKind::Rating,
        QuestionKind::FreeText,
    ];

    /// The stable name (API and database).
    pub fn as_str(self) -> &'static str {
        match self {
            QuestionKind::SingleChoice => "single_choice",
            QuestionKind::MultipleChoice => "multiple_choice",
            QuestionKind::Rating => "rating",
            QuestionKind::FreeText => "free_text",
        }
    }

    /// Parses a stable name.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|k| k.as_str() == text)
    }

    /// Whether the question offers options.
    pub fn has_options(self) -> bool {
        matches!(
            self,
            QuestionKind::SingleChoice | QuestionKind::MultipleChoice
        )
    }

    /// The answer field this kind takes.
    pub fn answer_field(self) -> &'static str {
        match self {
            QuestionKind::SingleChoice => "choice",
            QuestionKind::MultipleChoice => "choices",
            QuestionKind::Rating => "rating",
            QuestionKind::FreeText => "text",
        }
    }
}

/// A survey question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    /// What is asked.
    pub prompt: String,
    /// What it asks for.
    pub kind: QuestionKind,
    /// The options of a choice question (empty otherwise), in order; answers name them by
    /// position.
    pub options: Vec<String>,
    /// Whether it must be answered.
    pub required: bool,
}

/// A problem with a request's field, at a path relative to the request (`questions[1].options`,
/// `answers[0].rating`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldProblem {
    /// Where.
    pub field: String,
    /// A stable code.
    pub code: &'static str,
    /// For people.
    pub message: String,
}

fn problem(field: String, code: &'static str, message: impl Into<String>) -> FieldProblem {
    FieldProblem {
        field,
        code,
        message: message.into(),
    }
}

/// Checks a survey's questions (their prompts and options already checked as text): choice
/// questions have 2 to 20 options, distinct ignoring letter case; the others have none.
pub fn check_questions(questions: &[Question]) -> Vec<FieldProblem> {
    let mut problems = Vec::new();
    for (i, q) in questions.iter().enumerate() {
        let at = format!("questions[{i}].options");
        if q.kind.has_options() {
            if !(MIN_OPTIONS..=MAX_OPTIONS).contains(&q.options.len()) {
                problems.push(problem(
                    at,
                    "option_count",
                    format!("A choice question has {MIN_OPTIONS} to {MAX_OPTIONS} options."),
                ));
                continue;
            }
            for (j, option) in q.options.iter().enumerate() {
                let key = option.to_lowercase();
                if q.options[..j].iter().any(|o| o.to_lowercase() == key) {
                    problems.push(problem(
                        format!("{at}[{j}]"),
                        "duplicate_option",
                        "Each option is offered once.",
                    ));
                }
            }
        } else if !q.options.is_empty() {
            problems.push(problem(
                at,
                "not_for_question",
                format!("A {} question has no options.", q.kind.as_str()),
            ));
        }
    }
    problems
}

/// The window closes after it opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a survey closes after it opens")]
pub struct WindowError;

/// Checks a survey's window.
pub fn check_window(opens_at: DateTime<Utc>, closes_at: DateTime<Utc>) -> Result<(), WindowError> {
    if closes_at > opens_at {
        Ok(())
    } else {
        Err(WindowError)
    }
}

/// Where a survey stands at an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SurveyState {
    /// It opens later.
    Scheduled,
    /// It takes answers.
    Open,
    /// It closed.
    Closed,
}

/// The state of a survey open from `opens_at` until `closes_at` (excluded), at `now`.
pub fn state(opens_at: DateTime<Utc>, closes_at: DateTime<Utc>, now: DateTime<Utc>) -> SurveyState {
    if now < opens_at {
        SurveyState::Scheduled
    } else if now < closes_at {
        SurveyState::Open
    } else {
        SurveyState::Closed
    }
}

/// One answer as sent: at most the field its question's kind takes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawAnswer {
    /// For a single-choice question: the option's position.
    pub choice: Option<i64>,
    /// For a multiple-choice question: the options' positions.
    pub choices: Option<Vec<i64>>,
    /// For a rating question: 1 to 5.
    pub rating: Option<i64>,
    /// For a free-text question.
    pub text: Option<String>,
}

/// A checked answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// An optional question left unanswered.
    Skipped,
    /// The option chosen.
    Choice(usize),
    /// The options chosen (at least one, each once, in the order sent).
    Choices(Vec<usize>),
    /// The rating.
    Rating(i64),
    /// The text, trimmed.
    Text(String),
}

fn option_index(q: &Question, value: i64) -> Option<usize> {
    usize::try_from(value).ok().filter(|i| *i < q.options.len())
}

/// Checks `answers` (one per question, in order) against `questions`: every problem is
/// reported, each at its own path (`answers[i]` for a missing required answer,
/// `answers[i].<field>` for a wrong one).
pub fn check_answers(
    questions: &[Question],
    answers: &[RawAnswer],
) -> Result<Vec<Answer>, Vec<FieldProblem>> {
    if answers.len() != questions.len() {
        return Err(vec![problem(
            "answers".into(),
            "answer_count",
            format!(
                "Send one answer per question, in order: {} answers.",
                questions.len()
            ),
        )]);
    }
    let mut problems = Vec::new();
    let mut checked = Vec::new();
    for (i, (q, a)) in questions.iter().zip(answers).enumerate() {
        let at = |field: &str| format!("answers[{i}].{field}");
        let expected = q.kind.answer_field();
        let given = [
            ("choice", a.choice.is_some()),
            ("choices", a.choices.is_some()),
            ("rating", a.rating.is_some()),
            ("text", a.text.is_some()),
        ];
        let mut wrong = false;
        for (field, present) in given {
            if present && field != expected {
                wrong = true;
                problems.push(problem(
                    at(field),
                    "not_for_question",
                    format!(
                        "This is a {} question: answer it with `{expected}`.",
                        q.kind.as_str()
                    ),
                ));
            }
        }
        if wrong {
            continue;
        }
        let answer = match q.kind {
            QuestionKind::SingleChoice => a.choice.map(|c| {
                option_index(q, c).map(Answer::Choice).ok_or_else(|| {
                    problem(
                        at("choice"),
                        "unknown_option",
                        "The question has no such option.",
                    )
                })
            }),
            QuestionKind::MultipleChoice => a.choices.as_ref().filter(|c| !c.is_empty()).map(|c| {
                let mut chosen = Vec::new();
                let mut bad = None;
                for (j, value) in c.iter().enumerate() {
                    match option_index(q, *value) {
                        None => {
                            bad.get_or_insert(problem(
                                format!("{}[{j}]", at("choices")),
                                "unknown_option",
                                "The question has no such option.",
                            ));
                        }
                        Some(index) if chosen.contains(&index) => {
                            bad.get_or_insert(problem(
                                format!("{}[{j}]", at("choices")),
                                "duplicate_option",
                                "Each option is chosen at most once.",
                            ));
                        }
                        Some(index) => chosen.push(index),
                    }
                }
                bad.map_or(Ok(Answer::Choices(chosen)), Err)
            }),
            QuestionKind::Rating => a.rating.map(|r| {
                if (RATING_MIN..=RATING_MAX).contains(&r) {
                    Ok(Answer::Rating(r))
                } else {
                    Err(problem(
                        at("rating"),
                        "out_of_range",
                        format!("A rating is {RATING_MIN} to {RATING_MAX}."),
                    ))
                }
            }),
            QuestionKind::FreeText => a.text.as_deref().map(|t| {
                if t.trim().is_empty() {
                    // An empty text is no answer.
                    return Ok(Answer::Skipped);
                }
                text::paragraphs(t, MAX_TEXT_ANSWER)
                    .map(Answer::Text)
                    .map_err(|e| problem(at("text"), e.code(), e.to_string()))
            }),
        };
        match answer.unwrap_or(Ok(Answer::Skipped)) {
            Ok(Answer::Skipped) if q.required => problems.push(problem(
                format!("answers[{i}]"),
                "answer_required",
                format!("This question must be answered (with `{expected}`)."),
            )),
            Ok(answer) => checked.push(answer),
            Err(p) => problems.push(p),
        }
    }
    if problems.is_empty() {
        Ok(checked)
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(kind: QuestionKind, options: &[&str], required: bool) -> Question {
        Question {
            prompt: "Q".into(),
            kind,
            options: options.iter().map(|o| (*o).to_owned()).collect(),
            required,
        }
    }

    fn fields(problems: &[FieldProblem]) -> Vec<(&str, &str)> {
        problems
            .iter()
            .map(|p| (p.field.as_str(), p.code))
            .collect()
    }

    #[test]
    fn answers_are_checked_against_their_questions_all_at_once() {
        use QuestionKind::*;
        let questions = [
            q(SingleChoice, &["a", "b"], true),
            q(MultipleChoice, &["a", "b", "c"], false),
            q(Rating, &[], true),
            q(FreeText, &[], false),
        ];
        let good = [
            RawAnswer {
                choice: Some(1),
                ..Default::default()
            },
            RawAnswer {
                choices: Some(vec![2, 0]),
                ..Default::default()
            },
            RawAnswer {
                rating: Some(5),
                ..Default::default()
            },
            RawAnswer {
                text: Some("  fine ".into()),
                ..Default::default()
            },
        ];
        assert_eq!(
            check_answers(&questions, &good),
            Ok(vec![
                Answer::Choice(1),
                Answer::Choices(vec![2, 0]),
                Answer::Rating(5),
                Answer::Text("fine".into())
            ])
        );
        let bad = [
            RawAnswer {
                choice: Some(2),
                ..Default::default()
            },
            RawAnswer {
                choices: Some(vec![0, 0]),
                ..Default::default()
            },
            RawAnswer {
                rating: Some(6),
                text: Some("x".into()),
                ..Default::default()
            },
            RawAnswer::default(),
        ];
        let problems = check_answers(&questions, &bad).unwrap_err();
        assert_eq!(
            fields(&problems),
            vec![
                ("answers[0].choice", "unknown_option"),
                ("answers[1].choices[1]", "duplicate_option"),
                ("answers[2].text", "not_for_question"),
            ]
        );
        let missing = [
            RawAnswer::default(),
            RawAnswer::default(),
            RawAnswer {
                rating: Some(0),
                ..Default::default()
            },
            RawAnswer::default(),
        ];
        assert_eq!(
            fields(&check_answers(&questions, &missing).unwrap_err()),
            vec![
                ("answers[0]", "answer_required"),
                ("answers[2].rating", "out_of_range")
            ]
        );
        assert_eq!(
            fields(&check_answers(&questions, &good[..2]).unwrap_err()),
            vec![("answers", "answer_count")]
        );
    }

    #[test]
    fn choice_questions_have_distinct_options_and_the_others_none() {
        use QuestionKind::*;
        let problems = check_questions(&[
            q(SingleChoice, &["Yes", "yes"], true),
            q(MultipleChoice, &["only"], true),
            q(Rating, &["x"], true),
            q(FreeText, &[], true),
        ]);
        assert_eq!(
            fields(&problems),
            vec![
                ("questions[0].options[1]", "duplicate_option"),
                ("questions[1].options", "option_count"),
                ("questions[2].options", "not_for_question"),
            ]
        );
    }

    #[test]
    fn a_survey_is_open_from_its_opening_until_its_closing() {
        use chrono::{Duration, TimeZone};
        let now = Utc.with_ymd_and_hms(2026, 3, 2, 9, 30, 0).unwrap();
        let (open, close) = (now - Duration::hours(1), now + Duration::hours(1));
        assert_eq!(state(open, close, now), SurveyState::Open);
        assert_eq!(state(open, close, close), SurveyState::Closed);
        assert_eq!(
            state(now + Duration::minutes(1), close, now),
            SurveyState::Scheduled
        );
        assert!(check_window(close, open).is_err());
        assert!(check_window(open, close).is_ok());
    }
}
