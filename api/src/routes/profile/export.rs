//! The shape of the export: everything Merit holds about the caller, and how it is built from
//! what was read.

use chrono::{DateTime, Utc};
use merit_domain::exam::EligibilityStatus;
use merit_persistence::exams::{Attempt, Eligibility};
use serde::Serialize;
use utoipa::ToSchema;

use super::dto::ProfileResponse;
use crate::{
    error::ApiError,
    routes::{
        documents::DocumentResponse,
        exams::band_label,
        me::AccountResponse,
        messages::{MessageResponse, NotificationPreferencesResponse},
        saved_searches::SavedSearchResponse,
        templates::TemplateResponse,
    },
    services::export::Export,
};

/// Everything Merit holds about the caller.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)] // closes the schema: additionalProperties: false
pub struct ExportResponse {
    /// When this export was made.
    pub exported_at: DateTime<Utc>,
    /// The account.
    pub account: AccountResponse,
    /// The profile.
    pub profile: ProfileResponse,
    /// Every application template.
    pub templates: Vec<TemplateResponse>,
    /// Every document's metadata (download each from its `content` link).
    pub documents: Vec<DocumentResponse>,
    /// Every saved search, oldest first.
    pub saved_searches: Vec<SavedSearchResponse>,
    /// Every exam attempt with the answers given, newest first.
    pub exam_results: Vec<ExportedAttempt>,
    /// Every eligibility a passed exam granted (also expired ones), newest first, with its
    /// status when this export was made.
    pub eligibilities: Vec<ExportedEligibility>,
    /// Every sign-in session, newest first (tokens are never exported).
    pub sessions: Vec<ExportedSession>,
    /// Every message, in the inbox and archived, newest first.
    pub messages: Vec<MessageResponse>,
    /// Which kinds of message also go by email.
    pub notification_preferences: NotificationPreferencesResponse,
}

/// One answer given in an exam.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)] // closes the schema: additionalProperties: false
pub struct ExportedAnswer {
    /// The question's id (the questions are in `GET /api/v1/exams/{exam_id}`).
    #[schema(example = "q1")]
    pub question_id: String,
    /// The id of the option chosen.
    #[schema(example = "b")]
    pub option_id: String,
}

/// An exam attempt: its result and the answers given.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)] // closes the schema: additionalProperties: false
pub struct ExportedAttempt {
    /// The attempt's id.
    pub id: String,
    /// The exam.
    pub exam_id: String,
    /// The exam's title.
    pub exam_title: String,
    /// The exam's classification.
    pub classification_code: String,
    /// The score, 0 to 100.
    pub score: u8,
    /// Whether it passed.
    pub passed: bool,
    /// The rank band of a pass, such as `95-100` or `85-89`.
    pub rank_band: Option<&'static str>,
    /// When it was taken.
    pub taken_at: DateTime<Utc>,
    /// When the eligibility a pass granted ends.
    pub eligibility_expires_at: Option<DateTime<Utc>>,
    /// The answers given, one per question.
    pub answers: Vec<ExportedAnswer>,
}

/// An eligibility for a classification, granted by a passed exam.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)] // closes the schema: additionalProperties: false
pub struct ExportedEligibility {
    /// The attempt that granted it (one of `exam_results`).
    pub attempt_id: String,
    /// The exam passed.
    pub exam_id: String,
    /// The classification it is for.
    pub classification_code: String,
    /// `active`, `expiring_soon` (60 days or less) or `expired`, when the export was made.
    #[schema(example = "active")]
    pub status: &'static str,
    /// The score of the attempt.
    pub score: u8,
    /// Its rank band, such as `95-100`.
    pub rank_band: &'static str,
    /// When it was granted.
    pub granted_at: DateTime<Utc>,
    /// When it ends.
    pub expires_at: DateTime<Utc>,
}

/// A sign-in session.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)] // closes the schema: additionalProperties: false
pub struct ExportedSession {
    /// When it began (the sign-in).
    pub started_at: DateTime<Utc>,
    /// When it was last used to get a new access token.
    pub last_used_at: DateTime<Utc>,
    /// When it ends at the latest.
    pub expires_at: DateTime<Utc>,
    /// When it was ended early, if it was.
    pub ended_at: Option<DateTime<Utc>>,
    /// Why it was ended, such as `signed_out` or `password_changed`.
    #[schema(example = "signed_out")]
    pub end_reason: Option<String>,
}

impl ExportResponse {
    /// The export's response, made at `now` (500 if a stored saved search no longer reads).
    pub fn new(
        export: Export,
        on_active_roster: bool,
        now: DateTime<Utc>,
    ) -> Result<Self, ApiError> {
        let account = AccountResponse::new(export.profile.account.clone(), on_active_roster, now);
        Ok(ExportResponse {
            exported_at: now,
            account,
            profile: ProfileResponse::new(export.profile),
            templates: export
                .templates
                .into_iter()
                .map(TemplateResponse::new)
                .collect(),
            documents: export
                .documents
                .into_iter()
                .map(DocumentResponse::new)
                .collect(),
            saved_searches: export
                .saved_searches
                .into_iter()
                .map(SavedSearchResponse::from)
                .collect(),
            exam_results: export.exam_attempts.into_iter().map(Into::into).collect(),
            eligibilities: export.eligibilities.into_iter().map(Into::into).collect(),
            sessions: export
                .sessions
                .into_iter()
                .map(|s| ExportedSession {
                    started_at: s.created_at,
                    last_used_at: s.last_used_at,
                    expires_at: s.expires_at,
                    ended_at: s.revoked_at,
                    end_reason: s.revoked_reason,
                })
                .collect(),
            notification_preferences: NotificationPreferencesResponse::new(
                &export.email_preferences,
            ),
            messages: export
                .messages
                .into_iter()
                .map(MessageResponse::from)
                .collect(),
        })
    }
}

impl From<Attempt> for ExportedAttempt {
    fn from(a: Attempt) -> Self {
        ExportedAttempt {
            id: a.id,
            exam_id: a.exam_id.to_string(),
            exam_title: a.exam_title,
            classification_code: a.classification,
            score: a.score,
            passed: a.passed,
            rank_band: a.rank_band.map(band_label),
            taken_at: a.taken_at,
            eligibility_expires_at: a.eligibility_expires_at,
            answers: a
                .answers
                .into_iter()
                .map(|(question_id, option_id)| ExportedAnswer {
                    question_id,
                    option_id,
                })
                .collect(),
        }
    }
}

impl From<(Eligibility, EligibilityStatus)> for ExportedEligibility {
    fn from((e, status): (Eligibility, EligibilityStatus)) -> Self {
        ExportedEligibility {
            attempt_id: e.attempt_id,
            exam_id: e.exam_id.to_string(),
            classification_code: e.classification,
            status: status.as_str(),
            score: e.score,
            rank_band: band_label(e.rank_band),
            granted_at: e.granted_at,
            expires_at: e.expires_at,
        }
    }
}
