//! Everything Merit holds about the caller, in one read: the account, the profile, the
//! templates and the documents' metadata (the bytes are downloaded one by one).

use merit_persistence::{
    DbConnection, documents, documents::StoredDocument, templates, templates::StoredTemplate,
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
}

/// Collects the export of `account_id` in one consistent read.
pub fn collect(conn: &mut DbConnection, account_id: &str) -> Result<Export, ApiError> {
    Ok(Export {
        profile: profile::read(conn, account_id)?,
        templates: templates::all(conn, account_id)?,
        documents: documents::all(conn, account_id)?,
    })
}
