//! Everything Merit holds about the caller, in one read: the account, the profile, the
//! templates, the documents' metadata (the bytes are downloaded one by one), the saved
//! searches, every exam attempt with its answers, every eligibility with its status, the
//! sign-in sessions, and the messages with the notification preferences.

use chrono::{DateTime, Utc};
use merit_domain::{
    exam::{EligibilityStatus, status_at},
    ids::AccountId,
    message::EmailPreferences,
};
use merit_persistence::{
    DbConnection, documents,
    documents::StoredDocument,
    exams::{self, Attempt, Eligibility},
    messages::{self, Message},
    saved_searches::{self, SavedSearch},
    sessions::{self, SessionRecord},
    templates,
    templates::StoredTemplate,
};

use crate::{
    error::ApiError,
    services::profile::{self, ProfileView},
};

/// What Merit holds about one person.
#[derive(Debug, Clone)]
pub struct Export {
    /// The profile, with the account it belongs to.
    pub profile: ProfileView,
    /// Every application template.
    pub templates: Vec<StoredTemplate>,
    /// Every document's metadata.
    pub documents: Vec<StoredDocument>,
    /// Every saved search.
    pub saved_searches: Vec<SavedSearch>,
    /// Every exam attempt, with the answers given, newest first.
    pub exam_attempts: Vec<Attempt>,
    /// Every eligibility a pass granted, with its status at the time of the export.
    pub eligibilities: Vec<(Eligibility, EligibilityStatus)>,
    /// Every sign-in session, newest first.
    pub sessions: Vec<SessionRecord>,
    /// Every message in the inbox and the archive, newest first.
    pub messages: Vec<Message>,
    /// Which kinds of message also go by email.
    pub email_preferences: EmailPreferences,
}

/// Collects the export of `account_id` at `now` in one consistent read.
pub fn collect(
    conn: &mut DbConnection,
    account_id: AccountId,
    now: DateTime<Utc>,
) -> Result<Export, ApiError> {
    let account: AccountId = account_id;
    Ok(Export {
        profile: profile::read(conn, account_id)?,
        templates: templates::all(conn, account_id)?,
        documents: documents::all(conn, account_id)?,
        saved_searches: saved_searches::all_own(conn, account_id)?,
        exam_attempts: exams::attempts_of(conn, account_id)?,
        eligibilities: exams::eligibilities_of(conn, account_id)?
            .into_iter()
            .map(|e| {
                let status = status_at(e.expires_at, now);
                (e, status)
            })
            .collect(),
        sessions: sessions::history(conn, account_id)?,
        messages: messages::all(conn, account)?,
        email_preferences: messages::email_preferences(conn, account)?,
    })
}
