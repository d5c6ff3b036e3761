//! Reading applications: one with its history and snapshot, and the caller's own list.

use merit_domain::ids::{ApplicationId, DocumentId, PostingId};
use merit_persistence::{
    DbConnection, Page, PageRequest,
    applications::{self, Application, Frozen, Summary, events::Event, files::FrozenFile},
    postings,
};

use super::{Access, not_found, readable};
use crate::{auth::AuthUser, error::ApiError};

/// What was frozen at submission.
#[derive(Debug, Clone)]
pub struct Snapshot {
    /// Who applied and how they rank.
    pub summary: Summary,
    /// The profile and template as submitted.
    pub frozen: Frozen,
}

/// One application as the caller may see it.
#[derive(Debug, Clone)]
pub struct ApplicationView {
    /// The application.
    pub application: Application,
    /// How the caller relates to it.
    pub access: Access,
    /// The posting's title.
    pub posting_title: String,
    /// A draft's attached documents.
    pub document_ids: Vec<DocumentId>,
    /// A submission's frozen documents.
    pub files: Vec<FrozenFile>,
    /// Every transition, oldest first.
    pub timeline: Vec<Event>,
    /// What was frozen, once submitted.
    pub snapshot: Option<Snapshot>,
}

/// Builds the view of `application` for a caller with `access`.
pub fn view(
    conn: &mut DbConnection,
    application: Application,
    access: Access,
) -> Result<ApplicationView, ApiError> {
    let id = application.id;
    let posting_title = postings::find(conn, application.posting_id)?
        .map(|p| p.title.as_str().to_owned())
        .unwrap_or_default();
    let snapshot = match (&application.summary, applications::frozen(conn, id)?) {
        (Some(summary), Some(frozen)) => Some(Snapshot {
            summary: summary.clone(),
            frozen,
        }),
        _ => None,
    };
    Ok(ApplicationView {
        posting_title,
        document_ids: applications::attachments(conn, id)?,
        files: applications::files::of(conn, id)?,
        timeline: applications::events::of(conn, id)?,
        snapshot,
        access,
        application,
    })
}

/// An application the caller owns, or works as its posting's department (drafts: owners only).
pub fn get(
    conn: &mut DbConnection,
    user: &AuthUser,
    id: ApplicationId,
) -> Result<ApplicationView, ApiError> {
    let (application, _, access) = readable(conn, user, id)?;
    view(conn, application, access)
}

/// One of the caller's own applications.
pub fn my_application(
    conn: &mut DbConnection,
    user: &AuthUser,
    id: ApplicationId,
) -> Result<ApplicationView, ApiError> {
    let (application, _, access) = readable(conn, user, id)?;
    if access != Access::Owner {
        return Err(not_found());
    }
    view(conn, application, access)
}

/// A page of the caller's applications (drafts included), newest first, with posting titles.
pub fn list_mine(
    conn: &mut DbConnection,
    user: &AuthUser,
    page: PageRequest<'_>,
) -> Result<Page<(Application, String)>, ApiError> {
    let account = user.id();
    let found = applications::list_mine(conn, account, page)?;
    let ids: Vec<PostingId> = found.items.iter().map(|a| a.posting_id).collect();
    let titles: Vec<_> = postings::find_many(conn, &ids)?
        .into_iter()
        .map(|p| (p.id, p.title.as_str().to_owned()))
        .collect();
    Ok(found.map(|a| {
        let title = titles
            .iter()
            .find(|(id, _)| *id == a.posting_id)
            .map(|(_, t)| t.clone())
            .unwrap_or_default();
        (a, title)
    }))
}

/// A frozen document of an application the caller may read.
pub fn file(
    conn: &mut DbConnection,
    user: &AuthUser,
    id: ApplicationId,
    document: DocumentId,
) -> Result<FrozenFile, ApiError> {
    readable(conn, user, id)?;
    applications::files::of(conn, id)?
        .into_iter()
        .find(|f| f.document_id == document.to_string())
        .ok_or_else(|| ApiError::not_found("document"))
}
