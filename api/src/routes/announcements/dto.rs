//! Shapes of announcements.

use chrono::{DateTime, Utc};
use merit_domain::{announcement as domain, reference::OfficeCode};
use merit_persistence::announcements::Announcement;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::{
    error::ApiError,
    routes::{
        strings::OfficeCodeValue,
        terms::api_enum,
        text::{Line, Paragraphs},
    },
    services::announcements::{AnnouncementDraft, AnnouncementState as State},
    validation::{Fields, at_most},
};

api_enum!(
    /// A role an announcement can be addressed to.
    AudienceRole => domain::AudienceRole {
        /// Workforce staff.
        Staff,
        /// Administrators.
        Admin,
    }
);

api_enum!(
    /// Where an announcement stands now: `scheduled` (publication ahead), `live` (shown),
    /// `expired`, `withdrawn`.
    AnnouncementState => State {
        /// Its publication is ahead.
        Scheduled,
        /// Shown now.
        Live,
        /// Past its expiry.
        Expired,
        /// Withdrawn by an admin.
        Withdrawn,
    }
);

/// Which announcements a list holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AnnouncementListScope {
    /// Those shown to me now (the default).
    Current,
    /// Every announcement, whatever its state (admins only).
    All,
}

/// An announcement as published or replaced.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnnouncementRequest {
    /// The headline.
    pub title: Line<200>,
    /// The text.
    pub body: Paragraphs<4000>,
    /// The offices it is for, at most 50 (none or absent: every office).
    #[serde(default)]
    #[schema(max_items = 50)]
    pub offices: Vec<OfficeCodeValue>,
    /// The roles it is for (none or absent: staff and admins).
    #[serde(default)]
    #[schema(max_items = 2)]
    pub roles: Vec<AudienceRole>,
    /// Shown from this instant (now when absent; unchanged on a change when absent).
    #[serde(default)]
    pub publish_at: Option<DateTime<Utc>>,
    /// Shown until this instant, after `publish_at` (422 `expires_before_publication`); for
    /// good when absent.
    #[serde(default)]
    pub expire_at: Option<DateTime<Utc>>,
}

/// An announcement.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnnouncementResponse {
    /// Opaque id.
    pub id: String,
    /// The headline.
    pub title: String,
    /// The text.
    pub body: String,
    /// The offices it is for (empty: every office).
    pub offices: Vec<String>,
    /// The roles it is for (empty: staff and admins).
    pub roles: Vec<AudienceRole>,
    /// Shown from.
    pub publish_at: DateTime<Utc>,
    /// Shown until.
    pub expire_at: Option<DateTime<Utc>>,
    /// When it was withdrawn.
    pub withdrawn_at: Option<DateTime<Utc>>,
    /// Where it stands now.
    pub state: AnnouncementState,
    /// Whether I have read it.
    pub read: bool,
    /// Who published it.
    pub created_by: String,
    /// When.
    pub created_at: DateTime<Utc>,
    /// The last change.
    pub updated_at: DateTime<Utc>,
    /// The version (its `ETag`, quoted, for `If-Match` on a change).
    pub version: i64,
}

/// An announcement list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AnnouncementListQuery {
    /// Items per page, 1 to 100.
    #[param(minimum = 1, maximum = 100, default = 20)]
    pub limit: Option<u64>,
    /// The `next_cursor` of the previous page.
    #[param(max_length = 512)]
    pub cursor: Option<String>,
    /// `current` (default): those shown to me now; `all`: every announcement (admins).
    #[param(inline)]
    pub scope: Option<AnnouncementListScope>,
}

impl AnnouncementRequest {
    /// The checked draft.
    pub fn parse(self) -> Result<AnnouncementDraft, ApiError> {
        let mut fields = Fields::new();
        let title = self.title.check(&mut fields, "title");
        let body = self.body.check(&mut fields, "body");
        let mut offices = Vec::new();
        if at_most(&mut fields, "offices", &self.offices, 50) {
            for (i, code) in self.offices.iter().enumerate() {
                if let Some(office) = fields.check(
                    &format!("offices[{i}]"),
                    "invalid_code",
                    OfficeCode::parse(code),
                ) {
                    offices.push(office);
                }
            }
        }
        let draft = match (title, body) {
            (Some(title), Some(body)) => Some(AnnouncementDraft {
                title,
                body,
                offices,
                roles: self.roles.into_iter().map(Into::into).collect(),
                publish_at: self.publish_at,
                expire_at: self.expire_at,
            }),
            _ => None,
        };
        fields.into_result(draft)
    }
}

impl AnnouncementResponse {
    /// The response for an announcement, as `read` by the caller, at `now`.
    pub fn new(a: Announcement, read: bool, now: DateTime<Utc>) -> Self {
        let state = crate::services::announcements::state(&a, now).into();
        AnnouncementResponse {
            id: a.id.to_string(),
            title: a.title,
            body: a.body,
            offices: a.offices,
            roles: a
                .roles
                .iter()
                .filter_map(|r| {
                    domain::AudienceRole::ALL
                        .iter()
                        .find(|x| x.as_str() == r)
                        .map(|x| (*x).into())
                })
                .collect(),
            publish_at: a.publish_at,
            expire_at: a.expire_at,
            withdrawn_at: a.withdrawn_at,
            state,
            read,
            created_by: a.created_by.to_string(),
            created_at: a.created_at,
            updated_at: a.updated_at,
            version: a.version,
        }
    }
}
