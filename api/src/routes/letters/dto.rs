//! Shapes of contact letters and waivers.

use chrono::{DateTime, Utc};
use merit_domain::{letter as domain, profile::TermsFilter, reference::CountyCode};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{
    error::ApiError,
    routes::{
        exams::band_label,
        postings::{TenureName, TimeBaseName},
        strings::{CountyCodeValue, IdValue, RankBandName},
        terms::api_enum,
    },
    services::letters::{LetterView, Recipients, RecordedWaiver, Sending},
    validation::{self, Fields},
};

api_enum!(
    /// A person's answer to a contact letter.
    AnswerName => domain::Answer {
        /// They want to be considered.
        Interested,
        /// They do not (never a waiver of appointment).
        NotInterested,
    }
);

api_enum!(
    /// Where a contact letter stands.
    LetterStateName => domain::LetterState {
        /// Sent; the window is open and no answer yet.
        Sent,
        /// Answered interested.
        Interested,
        /// Answered not interested.
        NotInterested,
        /// No answer by `respond_by` (only from that instant on): counts as not interested.
        NoReply,
        /// No answer, but the person applied to the posting (by its final filing date): never
        /// counted as not interested.
        Applied,
        /// The department recorded a waiver of appointment for the person on this posting.
        Waived,
    }
);

api_enum!(
    /// Why a waiver of appointment is recorded (2 CCR §260.1).
    WaiverReasonName => domain::WaiverReason {
        /// The person declined a job offer.
        DeclinedOffer,
        /// The person was not available within 30 calendar days of the offer.
        #[serde(rename = "unavailable_within_30_days")]
        UnavailableWithin30Days,
        /// The person failed to appear for an interview or for work.
        FailedToAppear,
    }
);

/// Send contact letters about a posting. Every field narrows who gets one; `{}` sends to
/// everyone on the list who accepts contact letters and whose conditions of employment fit the
/// posting.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SendLettersRequest {
    /// Only people who will work in this county (code).
    #[serde(default)]
    pub county: Option<CountyCodeValue>,
    /// Only people who will take this tenure.
    #[serde(default)]
    pub tenure: Option<TenureName>,
    /// Only people who will take this time base.
    #[serde(default)]
    pub time_base: Option<TimeBaseName>,
    /// Only people in this rank band or a better one.
    #[serde(default)]
    pub lowest_rank_band: Option<RankBandName>,
}

impl SendLettersRequest {
    /// The checked recipients: 422 `invalid_code` at `county`, `invalid_rank_band` at
    /// `lowest_rank_band`.
    pub fn parse(self) -> Result<Recipients, ApiError> {
        let mut fields = Fields::new();
        let county = fields.check_optional(
            "county",
            "invalid_code",
            self.county.map(|c| CountyCode::parse(&c.0)),
        );
        let band = match self.lowest_rank_band {
            Some(name) => {
                let found = (1..=7).find(|n| band_label(*n) == name.0);
                if found.is_none() {
                    fields.push(
                        "lowest_rank_band",
                        "invalid_rank_band",
                        "This is not a rank band.",
                    );
                }
                found
            }
            None => None,
        };
        fields.finish()?;
        Ok(Recipients {
            filter: TermsFilter {
                county,
                tenure: self.tenure.map(Into::into),
                time_base: self.time_base.map(Into::into),
                accepts_contact: None,
            },
            lowest_rank_band: band,
        })
    }
}

/// What one sending did.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)] // closes the schema: additionalProperties: false
pub struct SendLettersResponse {
    /// Letters sent now.
    pub sent: u32,
    /// People skipped: `already_sent` plus `not_certifiable`.
    pub skipped: u32,
    /// People who fit but already had a letter about this posting.
    pub already_sent: u32,
    /// People who fit but are no longer certified for the class (three waivers of
    /// appointment).
    pub not_certifiable: u32,
    /// When the letters sent now are due: the end (midnight, Pacific time) of the sixth
    /// business day after today (2 CCR §258; weekends and California state holidays excluded).
    pub respond_by: DateTime<Utc>,
}

impl From<Sending> for SendLettersResponse {
    fn from(s: Sending) -> Self {
        SendLettersResponse {
            sent: s.sent,
            skipped: s.already_sent + s.not_certifiable,
            already_sent: s.already_sent,
            not_certifiable: s.not_certifiable,
            respond_by: s.respond_by,
        }
    }
}

/// A contact letter.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)] // closes the schema: additionalProperties: false
pub struct ContactLetterResponse {
    /// Opaque id.
    pub id: String,
    /// The posting it is about.
    pub posting_id: String,
    /// The posting's title.
    pub posting_title: String,
    /// The posting's department (code).
    pub department_code: String,
    /// The classification (class code).
    pub classification_code: String,
    /// The person's account id.
    pub account_id: String,
    /// Given name.
    pub first_name: String,
    /// Family name.
    pub last_name: String,
    /// The person's rank band on the list when the letter was sent.
    pub rank_band: RankBandName,
    /// The inbox message that carried it (`GET /api/v1/me/messages/{id}`, for the person).
    pub message_id: String,
    /// When it was sent.
    pub sent_at: DateTime<Utc>,
    /// When the answer is due: until then any answer is taken; from then on no answer counts
    /// as not interested (unless the person applied), and only `not_interested` is taken.
    pub respond_by: DateTime<Utc>,
    /// The person's answer, if any (the latest).
    pub answer: Option<AnswerName>,
    /// When they answered.
    pub answered_at: Option<DateTime<Utc>>,
    /// The letter's state now.
    pub state: LetterStateName,
}

impl From<LetterView> for ContactLetterResponse {
    fn from(v: LetterView) -> Self {
        let sent_at = v.row.sent_at();
        let respond_by = v.row.respond_by();
        let row = v.row;
        ContactLetterResponse {
            id: row.id.to_string(),
            posting_id: row.posting_id.to_string(),
            posting_title: row.posting_title,
            department_code: row.department_code,
            classification_code: row.classification_code,
            account_id: row.account_id.to_string(),
            first_name: row.first_name,
            last_name: row.last_name,
            rank_band: RankBandName::of(u8::try_from(row.rank_band).unwrap_or(7)),
            message_id: row.message_id.to_string(),
            sent_at,
            respond_by,
            answer: v.answer.map(Into::into),
            answered_at: row.answered_at.map(merit_persistence::time::utc),
            state: v.state.into(),
        }
    }
}

/// Answer a contact letter.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LetterAnswerRequest {
    /// `interested` or `not_interested`.
    pub answer: AnswerName,
}

/// Record a waiver of appointment.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WaiverRequest {
    /// The person (who had a contact letter about the posting or applied to it).
    pub account_id: IdValue,
    /// Why.
    pub reason: WaiverReasonName,
}

impl WaiverRequest {
    /// The checked person and reason: 422 `invalid_id` at `account_id`.
    pub fn parse(self) -> Result<(merit_domain::ids::AccountId, domain::WaiverReason), ApiError> {
        let mut fields = Fields::new();
        let account = validation::id(&mut fields, "account_id", &self.account_id.0);
        fields.into_result(account.map(|a| (a, self.reason.into())))
    }
}

/// A waiver of appointment.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)] // closes the schema: additionalProperties: false
pub struct WaiverResponse {
    /// Opaque id.
    pub id: String,
    /// The person.
    pub account_id: String,
    /// The posting whose offer it concerns.
    pub posting_id: String,
    /// The classification (class code) it counts in.
    pub classification_code: String,
    /// Why.
    pub reason: WaiverReasonName,
    /// When it was recorded.
    pub recorded_at: DateTime<Utc>,
    /// The person's waivers of appointment in the class, this one included.
    pub waivers_in_class: u32,
    /// Whether the person may still be certified for the class: `false` from the third waiver
    /// on (2 CCR §262); the eligible list shows it and no more letters go to them for it.
    pub certifiable: bool,
}

impl From<RecordedWaiver> for WaiverResponse {
    fn from(r: RecordedWaiver) -> Self {
        WaiverResponse {
            id: r.waiver.id.to_string(),
            account_id: r.waiver.account_id.to_string(),
            posting_id: r.waiver.posting_id.to_string(),
            classification_code: r.waiver.classification,
            reason: r.waiver.reason.into(),
            recorded_at: r.waiver.recorded_at,
            waivers_in_class: r.waivers_in_class,
            certifiable: r.certifiable,
        }
    }
}
