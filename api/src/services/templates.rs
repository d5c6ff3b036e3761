//! The caller's application templates: at most [`MAX_TEMPLATES_PER_PERSON`], names unique per
//! person, at most one default (making one the default unsets the other).

use chrono::{DateTime, Utc};
use merit_domain::{
    ids::{AccountId, EntityId, TemplateId},
    profile::{MAX_TEMPLATES_PER_PERSON, TemplateContent},
};
use merit_persistence::{
    DbConnection, Page, PageRequest, RepoError, profiles,
    templates::{self, StoredTemplate, TemplateWrite},
};

use crate::{
    conditional::{IfMatch, entity_tag},
    error::{ApiError, Code},
};

/// A checked template, as created or replaced.
#[derive(Debug, Clone)]
pub struct TemplateDraft {
    /// Its name.
    pub name: String,
    /// Whether it is the default.
    pub is_default: bool,
    /// What it holds.
    pub content: TemplateContent,
}

impl TemplateDraft {
    fn write(&self) -> TemplateWrite<'_> {
        TemplateWrite {
            name: &self.name,
            is_default: self.is_default,
            content: &self.content,
        }
    }
}

/// The ETag of a template version.
pub fn etag(template: &StoredTemplate) -> String {
    entity_tag(&template.version.to_string())
}

fn not_found() -> ApiError {
    ApiError::not_found("template")
}

fn name_taken(error: RepoError) -> ApiError {
    match error {
        RepoError::Conflict { constraint } if constraint == "application_templates_name_key" => {
            ApiError::new(
                Code::TemplateNameTaken,
                "You already have a template with this name. Choose another.",
            )
        }
        other => other.into(),
    }
}

/// A page of the owner's templates.
pub fn list(
    conn: &mut DbConnection,
    owner: AccountId,
    page: PageRequest<'_>,
) -> Result<Page<StoredTemplate>, ApiError> {
    Ok(templates::list(conn, owner, page)?)
}

/// One of the owner's templates (404 for anyone else's).
pub fn get(
    conn: &mut DbConnection,
    owner: AccountId,
    id: TemplateId,
) -> Result<StoredTemplate, ApiError> {
    templates::find(conn, owner, id)?.ok_or_else(not_found)
}

/// Creates a template, unless the owner has the most allowed already.
pub fn create(
    conn: &mut DbConnection,
    owner: AccountId,
    draft: &TemplateDraft,
    now: DateTime<Utc>,
) -> Result<StoredTemplate, ApiError> {
    profiles::lock_person(conn, owner)?;
    if templates::count(conn, owner)? >= MAX_TEMPLATES_PER_PERSON as i64 {
        return Err(ApiError::new(
            Code::TemplateLimitReached,
            format!("You may keep at most {MAX_TEMPLATES_PER_PERSON} templates. Delete one first."),
        ));
    }
    let id = TemplateId::from_uuid(uuid::Uuid::now_v7());
    if draft.is_default {
        templates::clear_default(conn, owner, id)?;
    }
    templates::insert(conn, owner, id, draft.write(), now).map_err(name_taken)?;
    get(conn, owner, id)
}

/// Replaces a template; with `If-Match`, only the version it names.
pub fn replace(
    conn: &mut DbConnection,
    owner: AccountId,
    id: TemplateId,
    draft: &TemplateDraft,
    if_match: &IfMatch,
    now: DateTime<Utc>,
) -> Result<StoredTemplate, ApiError> {
    profiles::lock_person(conn, owner)?;
    let current = get(conn, owner, id)?;
    if_match.check(&etag(&current))?;
    if draft.is_default {
        templates::clear_default(conn, owner, id)?;
    }
    if !templates::update(conn, owner, id, current.version, draft.write(), now)
        .map_err(name_taken)?
    {
        return Err(ApiError::PreconditionFailed);
    }
    get(conn, owner, id)
}

/// Deletes a template; with `If-Match`, only the version it names.
pub fn delete(
    conn: &mut DbConnection,
    owner: AccountId,
    id: TemplateId,
    if_match: &IfMatch,
) -> Result<(), ApiError> {
    let current = get(conn, owner, id)?;
    if_match.check(&etag(&current))?;
    templates::delete(conn, owner, id)?;
    Ok(())
}
