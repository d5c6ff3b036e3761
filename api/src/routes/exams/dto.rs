//! Shapes of the exam endpoints.

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use merit_domain::{
    exam::{AnswerOption, Exam, ListDuration, Question, Score},
    ids::ExamId,
    reference::ClassificationCode,
};
use merit_persistence::exams::Attempt;
use serde::{Deserialize, Serialize};
use utoipa::{
    IntoParams, ToSchema,
    openapi::schema::{Object, ObjectBuilder, Type},
};

use crate::{
    error::ApiError,
    routes::{
        postings::{TenureName, TimeBaseName},
        strings::{ClassificationCodeValue, CountyCodeValue, RankBandName},
        terms::api_enum,
    },
    validation::Fields,
};

api_enum!(
    /// Where a person's eligibility stands.
    EligibilityStatusName => merit_domain::exam::EligibilityStatus {
        /// On the list, with more than 60 days left.
        Active,
        /// On the list, with 60 days or less left.
        ExpiringSoon,
        /// Off the list.
        Expired,
    }
);

/// An option of a new question.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewOption {
    /// What the candidate reads.
    #[schema(min_length = 1, max_length = 500, example = "More than four years")]
    pub text: String,
    /// The points it earns (never shown to candidates).
    #[serde(deserialize_with = "crate::routes::numbers::integer")]
    #[schema(minimum = 0, maximum = 1000, example = 10)]
    pub points: u32,
}

/// A new question.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewQuestion {
    /// What the candidate reads.
    #[schema(
        min_length = 1,
        max_length = 1000,
        example = "How many years of analytical experience do you have?"
    )]
    pub text: String,
    /// Two to ten options; one is chosen.
    #[schema(min_items = 2, max_items = 10)]
    pub options: Vec<NewOption>,
}

/// Create an exam.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewExamRequest {
    /// The classification a pass puts people on the list for.
    pub classification_code: ClassificationCodeValue,
    /// Its title.
    #[schema(
        min_length = 3,
        max_length = 200,
        example = "Associate Governmental Program Analyst (Training and Experience)"
    )]
    pub title: String,
    /// What it covers and how it works.
    #[serde(default)]
    #[schema(max_length = 5000)]
    pub description: String,
    /// Whether it takes attempts (default true).
    #[serde(default = "yes")]
    pub open: bool,
    /// The last day to take it, if any.
    pub final_filing_date: Option<NaiveDate>,
    /// How long a pass keeps someone on the list: 12 or 24 months (anything else is 422
    /// `invalid_list_duration`).
    #[serde(deserialize_with = "crate::routes::numbers::integer")]
    #[schema(schema_with = list_duration_schema)]
    pub list_duration_months: u32,
    /// The lowest passing score, 0 to 100 (default 70).
    #[serde(default, deserialize_with = "crate::routes::numbers::optional_integer")]
    #[schema(minimum = 0, maximum = 100, example = 70)]
    pub passing_score: Option<u32>,
    /// Days to wait before taking it again (default 180).
    #[serde(default, deserialize_with = "crate::routes::numbers::optional_integer")]
    #[schema(minimum = 0, maximum = 3650, example = 180)]
    pub retake_wait_days: Option<u32>,
    /// The questionnaire: 1 to 100 questions.
    #[schema(min_items = 1, max_items = 100)]
    pub questions: Vec<NewQuestion>,
}

/// The schema of `list_duration_months`: exactly the two values `ListDuration` accepts (a range
/// would promise 13 to 23 too). utoipa has no `enum` attribute for a field, hence a function.
fn list_duration_schema() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::Integer)
        .description(Some(
            "How long a pass keeps someone on the eligible list, in months: 12 or 24.",
        ))
        .enum_values(Some([12, 24]))
        .examples([24])
        .build()
}

fn yes() -> bool {
    true
}

fn length_ok(text: &str, min: usize, max: usize) -> bool {
    (min..=max).contains(&text.trim().chars().count())
        && text.chars().count() <= max
        && !text.chars().any(|c| c.is_control() && c != '\n')
}

impl NewExamRequest {
    /// The checked exam (ids assigned: questions `q1`, `q2`, ...; options `a`, `b`, ...), or 422
    /// naming every bad field.
    pub fn parse(self, id: ExamId, now: DateTime<Utc>) -> Result<Exam, ApiError> {
        let mut fields = Fields::new();
        let classification = fields.check(
            "classification_code",
            "invalid_code",
            ClassificationCode::parse(&self.classification_code),
        );
        if !length_ok(&self.title, 3, 200) {
            fields.push("title", "length", "A title has 3 to 200 characters.");
        }
        if self.description.chars().count() > 5000 {
            fields.push(
                "description",
                "too_long",
                "A description has at most 5,000 characters.",
            );
        }
        let duration = fields.check(
            "list_duration_months",
            "invalid_list_duration",
            ListDuration::from_months(self.list_duration_months),
        );
        let passing = fields.check(
            "passing_score",
            "out_of_range",
            Score::new(self.passing_score.unwrap_or(70)),
        );
        let wait_days = self.retake_wait_days.unwrap_or(180);
        if wait_days > 3650 {
            fields.push(
                "retake_wait_days",
                "out_of_range",
                "The wait is at most 3,650 days.",
            );
        }
        if !(1..=100).contains(&self.questions.len()) {
            fields.push("questions", "length", "An exam has 1 to 100 questions.");
        }
        let mut questions = Vec::with_capacity(self.questions.len());
        for (qi, question) in self.questions.into_iter().enumerate() {
            if !length_ok(&question.text, 1, 1000) {
                fields.push(
                    &format!("questions[{qi}].text"),
                    "length",
                    "A question has 1 to 1,000 characters.",
                );
            }
            if !(2..=10).contains(&question.options.len()) {
                fields.push(
                    &format!("questions[{qi}].options"),
                    "length",
                    "A question has 2 to 10 options.",
                );
            }
            let mut options = Vec::new();
            for (oi, option) in question.options.into_iter().enumerate() {
                if !length_ok(&option.text, 1, 500) {
                    fields.push(
                        &format!("questions[{qi}].options[{oi}].text"),
                        "length",
                        "An option has 1 to 500 characters.",
                    );
                }
                if option.points > 1000 {
                    fields.push(
                        &format!("questions[{qi}].options[{oi}].points"),
                        "out_of_range",
                        "An option is worth 0 to 1,000 points.",
                    );
                }
                let letter = char::from(b'a' + u8::try_from(oi % 26).unwrap_or(0));
                options.push(AnswerOption {
                    id: letter.to_string(),
                    text: option.text.trim().to_owned(),
                    points: option.points,
                });
            }
            questions.push(Question {
                id: format!("q{}", qi + 1),
                text: question.text.trim().to_owned(),
                options,
            });
        }
        let parts = classification.zip(duration).zip(passing);
        fields.into_result(
            parts.map(|((classification, list_duration), passing_score)| Exam {
                id,
                classification,
                title: self.title.trim().to_owned(),
                description: self.description.trim().to_owned(),
                open: self.open,
                final_filing_date: self.final_filing_date,
                list_duration,
                passing_score,
                retake_wait: TimeDelta::days(i64::from(wait_days)),
                questions,
                created_at: now,
            }),
        )
    }
}

/// An option of a question.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)] // closes the schema: additionalProperties: false
pub struct OptionResponse {
    /// Its id within the question (`a`, `b`, ...).
    pub id: String,
    /// What the candidate reads.
    pub text: String,
    /// Points it earns: shown to employers and admins only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub points: Option<u32>,
}

/// A question.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)] // closes the schema: additionalProperties: false
pub struct QuestionResponse {
    /// Its id (`q1`, `q2`, ...).
    pub id: String,
    /// What the candidate reads.
    pub text: String,
    /// The options.
    pub options: Vec<OptionResponse>,
}

/// An exam.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)] // closes the schema: additionalProperties: false
pub struct ExamResponse {
    /// Opaque id.
    pub id: String,
    /// The classification a pass puts people on the list for.
    pub classification_code: String,
    /// Its title.
    pub title: String,
    /// What it covers.
    pub description: String,
    /// Whether it is open.
    pub open: bool,
    /// Whether it takes attempts now (open, and the filing date not past).
    pub accepting_attempts: bool,
    /// The last day to take it, if any.
    pub final_filing_date: Option<NaiveDate>,
    /// How long a pass keeps someone on the list: 12 or 24 months.
    #[schema(schema_with = list_duration_schema)]
    pub list_duration_months: u32,
    /// The lowest passing score.
    pub passing_score: u8,
    /// Days to wait before taking it again.
    pub retake_wait_days: i64,
    /// The questionnaire.
    pub questions: Vec<QuestionResponse>,
    /// When it was created.
    pub created_at: DateTime<Utc>,
}

impl ExamResponse {
    /// The response; option points only when `show_points`.
    pub fn new(exam: Exam, show_points: bool, now: DateTime<Utc>) -> Self {
        ExamResponse {
            accepting_attempts: exam.accepting_attempts(now),
            id: exam.id.to_string(),
            classification_code: exam.classification.to_string(),
            title: exam.title,
            description: exam.description,
            open: exam.open,
            final_filing_date: exam.final_filing_date,
            list_duration_months: exam.list_duration.months(),
            passing_score: exam.passing_score.value(),
            retake_wait_days: exam.retake_wait.num_days(),
            questions: exam
                .questions
                .into_iter()
                .map(|q| QuestionResponse {
                    id: q.id,
                    text: q.text,
                    options: q
                        .options
                        .into_iter()
                        .map(|o| OptionResponse {
                            id: o.id,
                            text: o.text,
                            points: show_points.then_some(o.points),
                        })
                        .collect(),
                })
                .collect(),
            created_at: exam.created_at,
        }
    }
}

/// Find exams.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ExamQuery {
    /// Only exams for this classification (code).
    pub classification: Option<ClassificationCodeValue>,
    /// Only exams whose title or description contains this text.
    #[param(min_length = 1, max_length = 100, pattern = r"^[^\u0000]*$")]
    pub q: Option<String>,
    /// Only exams taking attempts now (default true); false lists closed ones too.
    pub open_now: Option<bool>,
    /// Items per page, 1 to 100.
    #[param(minimum = 1, maximum = 100, default = 20)]
    pub limit: Option<u64>,
    /// The `next_cursor` of the previous page.
    #[param(max_length = 512)]
    pub cursor: Option<String>,
}

/// One answer.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerRequest {
    /// The question's id.
    #[schema(min_length = 1, max_length = 16, example = "q1")]
    pub question_id: String,
    /// The chosen option's id.
    #[schema(min_length = 1, max_length = 16, example = "b")]
    pub option_id: String,
}

/// Take an exam.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttemptRequest {
    /// One answer per question.
    #[schema(max_items = 200)]
    pub answers: Vec<AnswerRequest>,
}

/// A scored attempt.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)] // closes the schema: additionalProperties: false
pub struct AttemptResponse {
    /// Opaque id.
    pub id: String,
    /// The exam.
    pub exam_id: String,
    /// The exam's title.
    pub exam_title: String,
    /// The classification.
    pub classification_code: String,
    /// The score, 0 to 100.
    pub score: u8,
    /// Whether it passed.
    pub passed: bool,
    /// The rank band of a pass.
    pub rank_band: Option<RankBandName>,
    /// When it was taken.
    pub taken_at: DateTime<Utc>,
    /// When the eligibility a pass granted ends.
    pub eligibility_expires_at: Option<DateTime<Utc>>,
}

impl RankBandName {
    /// The name of band `n`.
    pub fn of(n: u8) -> Self {
        RankBandName(band_label(n).to_owned())
    }
}

/// The label of band `n`.
pub fn band_label(n: u8) -> &'static str {
    match n {
        1 => "95-100",
        2 => "90-94",
        3 => "85-89",
        4 => "80-84",
        5 => "75-79",
        6 => "70-74",
        _ => "below 70",
    }
}

impl From<Attempt> for AttemptResponse {
    fn from(a: Attempt) -> Self {
        AttemptResponse {
            id: a.id,
            exam_id: a.exam_id.to_string(),
            exam_title: a.exam_title,
            classification_code: a.classification,
            score: a.score,
            passed: a.passed,
            rank_band: a.rank_band.map(RankBandName::of),
            taken_at: a.taken_at,
            eligibility_expires_at: a.eligibility_expires_at,
        }
    }
}

/// A person's standing on one classification's list.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)] // closes the schema: additionalProperties: false
pub struct EligibilityResponse {
    /// The classification's code.
    pub classification_code: String,
    /// Its title.
    pub classification_title: String,
    /// Where the eligibility stands.
    pub status: EligibilityStatusName,
    /// The score that counts (the best active one).
    pub score: u8,
    /// Its rank band.
    pub rank_band: RankBandName,
    /// When it ends.
    pub expires_at: DateTime<Utc>,
    /// Whole days left, counting a started day (0 once expired).
    pub days_left: i64,
    /// When the exam of the latest attempt may be taken again (null: now).
    pub retake_allowed_from: Option<DateTime<Utc>>,
}

/// Filters of an eligible list: people whose conditions of employment admit these terms.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct EligibleListQuery {
    /// People who will work in this county (code).
    pub county: Option<CountyCodeValue>,
    /// People who will take this tenure.
    pub tenure: Option<TenureName>,
    /// People who will take this time base.
    pub time_base: Option<TimeBaseName>,
    /// People who accept (`true`) or do not accept (`false`) contact letters.
    pub accepts_contact: Option<bool>,
    /// Items per page, 1 to 100.
    #[param(minimum = 1, maximum = 100, default = 20)]
    pub limit: Option<u64>,
    /// The `next_cursor` of the previous page.
    #[param(max_length = 512)]
    pub cursor: Option<String>,
}

/// A person on an eligible list: only what an employer needs to contact them.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)] // closes the schema: additionalProperties: false
pub struct EligibleListEntry {
    /// The person's account id.
    pub account_id: String,
    /// Given name.
    pub first_name: String,
    /// Family name.
    pub last_name: String,
    /// Contact email.
    pub email: Option<String>,
    /// Rank band.
    pub rank_band: RankBandName,
    /// When their eligibility ends.
    pub expires_at: DateTime<Utc>,
    /// Their waivers of appointment in this class (declined offers and the like, recorded by
    /// departments with `POST /api/v1/postings/{id}/waivers`).
    pub waivers: u32,
    /// Whether they may be certified for this class: `false` after the third waiver of
    /// appointment (2 CCR §262). They stay listed but get no contact letters for the class.
    pub certifiable: bool,
}
