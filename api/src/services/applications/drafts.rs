//! Drafts: started for a posting the person may apply to, from a template (or the profile
//! alone), with documents of their own; changed with a merge patch and `If-Match`; deleted.

use chrono::{DateTime, Utc};
use merit_domain::{
    application::ApplicationStatus,
    ids::{AccountId, ApplicationId, DocumentId, EntityId, PostingId, TemplateId},
};
use merit_persistence::{
    DbConnection, applications, applications::Application, documents, postings, templates,
};

use super::{Access, not_found, readable};
use crate::{
    auth::{AuthUser, viewer_of},
    conditional::{IfMatch, version_tag},
    error::{ApiError, Code, FieldError},
    services::postings::candidate_of,
};

/// The most documents one application carries.
pub const MAX_DOCUMENTS: usize = 20;

/// A new draft.
#[derive(Debug, Clone)]
pub struct DraftCommand {
    /// The posting applied to.
    pub posting_id: PostingId,
    /// The template to apply with, if any.
    pub template_id: Option<TemplateId>,
    /// The caller's documents to attach, in order.
    pub document_ids: Vec<DocumentId>,
}

/// A merge patch of a draft: `None` leaves a member as it is.
#[derive(Debug, Clone, Default)]
pub struct DraftPatch {
    /// The template (`Some(None)` removes it).
    pub template_id: Option<Option<TemplateId>>,
    /// The documents, replacing the list.
    pub document_ids: Option<Vec<DocumentId>>,
}

fn check_own(
    conn: &mut DbConnection,
    owner: AccountId,
    template: Option<TemplateId>,
    documents: &[DocumentId],
) -> Result<(), ApiError> {
    let mut errors = Vec::new();
    if let Some(t) = template
        && templates::find(conn, owner, t)?.is_none()
    {
        errors.push(FieldError::new(
            "template_id",
            "unknown_template",
            "You have no template with this id.",
        ));
    }
    if documents.len() > MAX_DOCUMENTS {
        errors.push(FieldError::new(
            "document_ids",
            "too_many",
            format!("At most {MAX_DOCUMENTS} documents."),
        ));
    }
    for (i, d) in documents.iter().enumerate().take(MAX_DOCUMENTS + 1) {
        let field = format!("document_ids[{i}]");
        if documents[..i].contains(d) {
            errors.push(FieldError::new(
                field,
                "duplicate",
                "This document is listed twice.",
            ));
        } else if documents::find(conn, owner, *d)?.is_none() {
            errors.push(FieldError::new(
                field,
                "unknown_document",
                "You have no document with this id.",
            ));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Validation { errors })
    }
}

/// 409 `already_applied` when the person already submitted an application to the posting.
pub(super) fn refuse_second(
    conn: &mut DbConnection,
    user: &AuthUser,
    posting: PostingId,
) -> Result<(), ApiError> {
    if applications::submitted_to(conn, user.id(), posting)? {
        return Err(ApiError::new(
            Code::AlreadyApplied,
            "You already applied to this posting; follow it under your applications.",
        ));
    }
    Ok(())
}

/// Starts a draft to a posting the caller can see and that accepts applications.
pub fn create_draft(
    conn: &mut DbConnection,
    user: &AuthUser,
    cmd: DraftCommand,
    now: DateTime<Utc>,
) -> Result<Application, ApiError> {
    if !candidate_of(user).is_applicant {
        return Err(ApiError::new(
            Code::NotAnApplicant,
            "Only applicants apply (staff, employer and admin accounts do not).",
        ));
    }
    let posting = postings::find_visible(conn, cmd.posting_id, &viewer_of(Some(user)))?
        .ok_or_else(|| {
            ApiError::invalid(
                "posting_id",
                "unknown_posting",
                "No posting you can see has this id.",
            )
        })?;
    check_own(conn, user.id(), cmd.template_id, &cmd.document_ids)?;
    if !posting.accepting_applications(now) {
        return Err(filing_closed());
    }
    refuse_second(conn, user, cmd.posting_id)?;
    let draft = Application {
        id: ApplicationId::from_uuid(uuid::Uuid::now_v7()),
        posting_id: cmd.posting_id,
        account_id: user.id(),
        template_id: cmd.template_id,
        status: ApplicationStatus::Draft,
        stage: None,
        version: 1,
        created_at: now,
        updated_at: now,
        submitted_at: None,
        summary: None,
    };
    applications::insert_draft(conn, &draft)?;
    applications::set_attachments(conn, draft.id, &cmd.document_ids)?;
    Ok(draft)
}

/// 409 `filing_closed`.
pub(super) fn filing_closed() -> ApiError {
    ApiError::new(
        Code::FilingClosed,
        "This posting no longer accepts applications: it is not open or its final filing date has passed.",
    )
}

fn own_draft(
    conn: &mut DbConnection,
    user: &AuthUser,
    id: ApplicationId,
) -> Result<Application, ApiError> {
    let (application, _, access) = readable(conn, user, id)?;
    if access != Access::Owner {
        return Err(not_found());
    }
    if application.status != ApplicationStatus::Draft {
        return Err(ApiError::new(
            Code::ApplicationNotDraft,
            "This application was submitted; it can no longer be changed or deleted.",
        ));
    }
    Ok(application)
}

/// Applies a merge patch to the caller's draft read at the version `If-Match` names.
pub fn patch_draft(
    conn: &mut DbConnection,
    user: &AuthUser,
    id: ApplicationId,
    patch: DraftPatch,
    if_match: &IfMatch,
    now: DateTime<Utc>,
) -> Result<Application, ApiError> {
    let mut draft = own_draft(conn, user, id)?;
    if_match.check(&version_tag(draft.version))?;
    let template = patch.template_id.unwrap_or(draft.template_id);
    let docs = match &patch.document_ids {
        Some(docs) => docs.clone(),
        None => applications::attachments(conn, id)?,
    };
    check_own(conn, user.id(), template, &docs)?;
    let read_version = draft.version;
    draft.template_id = template;
    draft.version += 1;
    draft.updated_at = now;
    if !applications::update_draft(conn, &draft, read_version)? {
        return Err(ApiError::PreconditionFailed);
    }
    applications::set_attachments(conn, id, &docs)?;
    Ok(draft)
}

/// Deletes the caller's draft.
pub fn delete_draft(
    conn: &mut DbConnection,
    user: &AuthUser,
    id: ApplicationId,
    if_match: &IfMatch,
) -> Result<(), ApiError> {
    let draft = own_draft(conn, user, id)?;
    if_match.check(&version_tag(draft.version))?;
    if applications::delete_draft(conn, id)? {
        Ok(())
    } else {
        Err(not_found())
    }
}
