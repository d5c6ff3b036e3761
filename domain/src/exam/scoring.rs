//! Scoring a Training and Experience questionnaire: each chosen option carries points; the score
//! is the share of the best possible total, 0 to 100.

use std::collections::{HashMap, HashSet};

use thiserror::Error;

/// One option of a question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerOption {
    /// Its id within the question.
    pub id: String,
    /// What the candidate reads.
    pub text: String,
    /// Points it earns (never shown to candidates).
    pub points: u32,
}

/// A question with its options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    /// Its id within the exam.
    pub id: String,
    /// What the candidate reads.
    pub text: String,
    /// The options; one is chosen.
    pub options: Vec<AnswerOption>,
}

/// An exam score, 0 to 100.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Score(u8);

/// A score outside 0–100.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
#[error("a score is 0 to 100")]
pub struct ScoreError;

impl Score {
    /// Accepts 0 to 100.
    pub fn new(value: u32) -> Result<Self, ScoreError> {
        u8::try_from(value)
            .ok()
            .filter(|v| *v <= 100)
            .map(Score)
            .ok_or(ScoreError)
    }

    /// The score as a number.
    pub fn value(self) -> u8 {
        self.0
    }

    /// Whether it reaches `passing`.
    pub fn passes(self, passing: Score) -> bool {
        self >= passing
    }
}

/// Why a set of answers cannot be scored.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AnswerError {
    /// A question has no answer.
    #[error("question {0} is not answered")]
    Missing(String),
    /// An answer names a question the exam does not have.
    #[error("the exam has no question {0}")]
    UnknownQuestion(String),
    /// A question is answered twice.
    #[error("question {0} is answered more than once")]
    Duplicate(String),
    /// An answer names an option the question does not have.
    #[error("question {question} has no option {option}")]
    UnknownOption {
        /// The question.
        question: String,
        /// The option given.
        option: String,
    },
}

/// Scores `answers` (question id, option id) against `questions`: every question answered once,
/// from its options; the score is the points earned over the points possible, rounded half up.
/// An exam whose options are all worth nothing scores 0.
pub fn score(
    questions: &[Question],
    answers: &[(String, String)],
) -> Result<Score, Vec<AnswerError>> {
    let by_id: HashMap<&str, &Question> = questions.iter().map(|q| (q.id.as_str(), q)).collect();
    let mut errors = Vec::new();
    let mut seen = HashSet::new();
    let mut earned: u64 = 0;
    for (question_id, option_id) in answers {
        let Some(question) = by_id.get(question_id.as_str()) else {
            errors.push(AnswerError::UnknownQuestion(question_id.clone()));
            continue;
        };
        if !seen.insert(question_id.as_str()) {
            errors.push(AnswerError::Duplicate(question_id.clone()));
            continue;
        }
        match question.options.iter().find(|o| o.id == *option_id) {
            Some(option) => earned += u64::from(option.points),
            None => errors.push(AnswerError::UnknownOption {
                question: question_id.clone(),
                option: option_id.clone(),
            }),
        }
    }
    errors.extend(
        questions
            .iter()
            .filter(|q| !seen.contains(q.id.as_str()))
            .map(|q| AnswerError::Missing(q.id.clone())),
    );
    if !errors.is_empty() {
        return Err(errors);
    }
    let possible: u64 = questions
        .iter()
        .map(|q| u64::from(q.options.iter().map(|o| o.points).max().unwrap_or(0)))
        .sum();
    let value = if possible == 0 {
        0
    } else {
        (earned * 200 + possible) / (possible * 2)
    };
    Ok(Score(u8::try_from(value.min(100)).unwrap_or(100)))
}

/// The band a passing score ranks in: 95 and up is band 1, then 90–94, 85–89, 80–84, 75–79 and
/// 70–74 (bands 2 to 6); lower passing scores (when the passing score is below 70) are band 7.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RankBand(u8);

impl RankBand {
    /// The band number, 1 (best) to 7.
    pub fn number(self) -> u8 {
        self.0
    }

    /// The band as its score range, such as `95-100` or `85-89`.
    pub fn label(self) -> &'static str {
        match self.0 {
            1 => "95-100",
            2 => "90-94",
            3 => "85-89",
            4 => "80-84",
            5 => "75-79",
            6 => "70-74",
            _ => "below 70",
        }
    }
}

/// The rank band of a score.
pub fn rank_band(score: Score) -> RankBand {
    RankBand(match score.value() {
        95.. => 1,
        90..=94 => 2,
        85..=89 => 3,
        80..=84 => 4,
        75..=79 => 5,
        70..=74 => 6,
        _ => 7,
    })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn question(id: &str, points: &[u32]) -> Question {
        Question {
            id: id.into(),
            text: format!("Question {id}"),
            options: points
                .iter()
                .enumerate()
                .map(|(i, p)| AnswerOption {
                    id: format!("{i}"),
                    text: format!("{p} points"),
                    points: *p,
                })
                .collect(),
        }
    }

    fn answer(q: &str, o: &str) -> (String, String) {
        (q.into(), o.into())
    }

    #[test]
    fn the_best_options_score_100_and_the_worst_0() {
        let exam = [question("a", &[0, 5, 10]), question("b", &[0, 10])];
        assert_eq!(
            score(&exam, &[answer("a", "2"), answer("b", "1")])
                .unwrap()
                .value(),
            100
        );
        assert_eq!(
            score(&exam, &[answer("a", "0"), answer("b", "0")])
                .unwrap()
                .value(),
            0
        );
        assert_eq!(
            score(&exam, &[answer("a", "1"), answer("b", "1")])
                .unwrap()
                .value(),
            75
        );
    }

    #[test]
    fn halves_round_up() {
        let exam = [
            question("a", &[0, 1]),
            question("b", &[0, 1]),
            question("c", &[0, 1]),
            question("d", &[0, 1]),
            question("e", &[0, 1]),
            question("f", &[0, 1]),
            question("g", &[0, 1]),
            question("h", &[0, 1]),
        ];
        let answers: Vec<_> = ["a", "b", "c"]
            .iter()
            .map(|q| answer(q, "1"))
            .chain(["d", "e", "f", "g", "h"].iter().map(|q| answer(q, "0")))
            .collect();
        assert_eq!(score(&exam, &answers).unwrap().value(), 38); // 37.5 rounds up
    }

    #[test]
    fn every_problem_with_the_answers_is_reported() {
        let exam = [
            question("a", &[0, 10]),
            question("b", &[0, 10]),
            question("c", &[0, 10]),
        ];
        let errors = score(
            &exam,
            &[
                answer("a", "1"),
                answer("a", "0"),
                answer("b", "9"),
                answer("z", "0"),
            ],
        )
        .unwrap_err();
        assert_eq!(
            errors,
            [
                AnswerError::Duplicate("a".into()),
                AnswerError::UnknownOption {
                    question: "b".into(),
                    option: "9".into()
                },
                AnswerError::UnknownQuestion("z".into()),
                AnswerError::Missing("c".into()),
            ]
        );
    }

    #[test]
    fn bands_follow_the_score_ranges() {
        let band = |s| rank_band(Score::new(s).unwrap()).label();
        assert_eq!(
            [
                band(100),
                band(95),
                band(94),
                band(90),
                band(89),
                band(70),
                band(69)
            ],
            [
                "95-100", "95-100", "90-94", "90-94", "85-89", "70-74", "below 70"
            ]
        );
    }

    proptest! {
        #[test]
        fn any_complete_answer_set_scores_between_0_and_100(points in proptest::collection::vec(proptest::collection::vec(0u32..50, 1..5), 1..12), picks in proptest::collection::vec(0usize..5, 12)) {
            let exam: Vec<Question> = points.iter().enumerate().map(|(i, p)| question(&i.to_string(), p)).collect();
            let answers: Vec<_> = exam.iter().zip(&picks).map(|(q, pick)| answer(&q.id, &(pick % q.options.len()).to_string())).collect();
            let s = score(&exam, &answers).unwrap();
            prop_assert!(s.value() <= 100);
        }

        #[test]
        fn choosing_a_better_option_never_lowers_the_score(points in proptest::collection::vec(0u32..50, 2..6)) {
            let mut sorted = points.clone();
            sorted.sort();
            let exam = [question("q", &sorted)];
            let scores: Vec<u8> = (0..sorted.len()).map(|i| score(&exam, &[answer("q", &i.to_string())]).unwrap().value()).collect();
            prop_assert!(scores.windows(2).all(|w| w[0] <= w[1]));
        }
    }
}
