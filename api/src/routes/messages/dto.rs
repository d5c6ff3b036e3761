//! Shapes of messages and notification preferences.

use chrono::{DateTime, Utc};
use merit_domain::message::{self as domain, EmailPreferences, MessageKind as Kind};
use merit_persistence::messages::Message;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::{
    error::ApiError, merge_patch::not_null, routes::terms::api_enum,
    services::messages::MessagePatch,
};

api_enum!(
    /// What a message is about.
    MessageKind => domain::MessageKind {
        /// An application was received, changed status, was withdrawn or cancelled.
        ApplicationStatus,
        /// Something happened to the account itself (its email address was changed); always
        /// emailed too.
        Account,
        /// New postings matched one of the person's job alerts (at once, or a digest).
        JobAlert,
        /// A department's contact letter about a posting
        /// (`POST /api/v1/me/contact-letters/{id}/response` answers it).
        ContactLetter,
        /// A letter from the staff member working the person's case.
        Correspondence,
    }
);

/// Filters of the inbox.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct MessageQuery {
    /// `true`: read messages only; `false`: unread ones only; left out: both.
    pub read: Option<bool>,
    /// Messages of this kind only.
    pub kind: Option<MessageKind>,
    /// `true`: the archived messages; `false` (the default): the others.
    #[param(default = false)]
    pub archived: Option<bool>,
    /// Items per page, 1 to 100.
    #[param(minimum = 1, maximum = 100, default = 20)]
    pub limit: Option<u64>,
    /// The `next_cursor` of the previous page of this list.
    #[param(max_length = 512)]
    pub cursor: Option<String>,
}

/// A message in the caller's inbox.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)] // closes the schema: additionalProperties: false
pub struct MessageResponse {
    /// Opaque id.
    pub id: String,
    /// What it is about.
    pub kind: MessageKind,
    /// The subject line.
    pub subject: String,
    /// The body, plain text (paragraphs separated by a blank line).
    pub body: String,
    /// The application it is about (`GET /api/v1/me/applications/{id}`), if any.
    pub application_id: Option<String>,
    /// The posting it is about (`GET /api/v1/postings/{id}`), if any.
    pub posting_id: Option<String>,
    /// Whether it also went by email.
    pub emailed: bool,
    /// When it was sent.
    pub created_at: DateTime<Utc>,
    /// When it was marked read; null while unread.
    pub read_at: Option<DateTime<Utc>>,
    /// When it was archived; null while in the inbox.
    pub archived_at: Option<DateTime<Utc>>,
}

impl From<Message> for MessageResponse {
    fn from(m: Message) -> Self {
        MessageResponse {
            id: m.id.to_string(),
            kind: m.kind.into(),
            subject: m.subject,
            body: m.body,
            application_id: m.application_id.map(|a| a.to_string()),
            posting_id: m.posting_id.map(|p| p.to_string()),
            emailed: m.outbox_email_id.is_some(),
            created_at: m.created_at,
            read_at: m.read_at,
            archived_at: m.archived_at,
        }
    }
}

/// How many messages are unread.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)] // closes the schema: additionalProperties: false
pub struct UnreadCountResponse {
    /// Unread messages in the inbox (archived ones are not counted).
    #[schema(minimum = 0)]
    pub unread: i64,
}

/// Change a message, as a JSON Merge Patch (RFC 7396): members left out stay as they are
/// (neither can be null).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MessagePatchRequest {
    /// Mark read (`true`) or unread again (`false`).
    #[serde(default, deserialize_with = "crate::merge_patch::present")]
    #[schema(value_type = bool)]
    pub read: Option<Option<bool>>,
    /// Archive (`true`) or bring back to the inbox (`false`).
    #[serde(default, deserialize_with = "crate::merge_patch::present")]
    #[schema(value_type = bool)]
    pub archived: Option<Option<bool>>,
}

impl MessagePatchRequest {
    /// The checked change: `null` is 422 `required`.
    pub fn into_patch(self) -> Result<MessagePatch, ApiError> {
        Ok(MessagePatch {
            read: not_null("read", self.read)?,
            archived: not_null("archived", self.archived)?,
        })
    }
}

/// Per kind of message, whether it also goes by email.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EmailChannels {
    /// Application notices (received, status changes, withdrawal, cancellation).
    pub application_status: bool,
    /// Account notices: always emailed, so `false` is refused (422 `always_emailed`).
    pub account: bool,
    /// Job alerts (instant notices and digests) of alerts whose channel is `email`; left out:
    /// `true`.
    #[serde(default = "emailed")]
    #[schema(default = true)]
    pub job_alert: bool,
    /// Contact letters from departments (left out: emailed).
    #[serde(default = "emailed")]
    #[schema(default = true)]
    pub contact_letter: bool,
    /// Letters from the staff member working the person's case (left out: emailed).
    #[serde(default = "emailed")]
    #[schema(default = true)]
    pub correspondence: bool,
}

fn emailed() -> bool {
    true
}

impl EmailChannels {
    fn of(preferences: &EmailPreferences) -> Self {
        EmailChannels {
            application_status: preferences.emails(Kind::ApplicationStatus),
            account: preferences.emails(Kind::Account),
            job_alert: preferences.emails(Kind::JobAlert),
            contact_letter: preferences.emails(Kind::ContactLetter),
            correspondence: preferences.emails(Kind::Correspondence),
        }
    }

    /// The kinds turned off, each with its field name.
    fn off(&self) -> Vec<(&'static str, Kind)> {
        [
            (
                "application_status",
                Kind::ApplicationStatus,
                self.application_status,
            ),
            ("account", Kind::Account, self.account),
            ("job_alert", Kind::JobAlert, self.job_alert),
            ("contact_letter", Kind::ContactLetter, self.contact_letter),
            ("correspondence", Kind::Correspondence, self.correspondence),
        ]
        .into_iter()
        .filter(|(_, _, on)| !on)
        .map(|(field, kind, _)| (field, kind))
        .collect()
    }
}

/// Replace the caller's notification preferences.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NotificationPreferencesRequest {
    /// Which kinds of message also go by email. Every message is in the inbox whatever is set
    /// here.
    pub email: EmailChannels,
}

impl NotificationPreferencesRequest {
    /// The checked preferences: turning off a kind that is always emailed is 422
    /// `always_emailed` at its field (`email.account`).
    pub fn parse(&self) -> Result<EmailPreferences, ApiError> {
        let off = self.email.off();
        let errors: Vec<_> = off
            .iter()
            .filter(|(_, kind)| kind.always_emailed())
            .map(|(field, kind)| {
                crate::error::FieldError::new(
                    format!("email.{field}"),
                    "always_emailed",
                    format!("{} messages always go by email.", kind.as_str()),
                )
            })
            .collect();
        if !errors.is_empty() {
            return Err(ApiError::Validation { errors });
        }
        EmailPreferences::new(off.into_iter().map(|(_, kind)| kind)).map_err(ApiError::internal)
    }
}

/// The caller's notification preferences.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)] // closes the schema: additionalProperties: false
pub struct NotificationPreferencesResponse {
    /// Which kinds of message also go by email.
    pub email: EmailChannels,
    /// The kinds that always go by email, whatever is set.
    pub always_emailed: Vec<MessageKind>,
}

impl NotificationPreferencesResponse {
    /// The response for `preferences`.
    pub fn new(preferences: &EmailPreferences) -> Self {
        NotificationPreferencesResponse {
            email: EmailChannels::of(preferences),
            always_emailed: Kind::ALL
                .into_iter()
                .filter(|k| k.always_emailed())
                .map(Into::into)
                .collect(),
        }
    }
}
