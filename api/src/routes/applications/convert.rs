//! Applications between the API's shapes and the use cases'.

use merit_domain::{
    application::ClosingReason as DomainReason,
    ids::{AccountId, ApplicationId, PostingId, TemplateId},
};
use merit_persistence::applications::{Application, events::Event, files::FrozenFile};

use super::{department_dto::*, dto::*};
use crate::{
    error::ApiError,
    routes::{
        profile::{ConditionsOfEmployment, MailingAddress, Supervisor},
        strings::IdValue,
        text::{Line, Paragraphs},
    },
    services::applications::{
        Access, ApplicationView, DraftCommand, DraftPatch, MoveCommand, Snapshot, Target,
    },
    validation::{Fields, id, ids, optional_id},
};

/// The texts of a list of body ids.
fn texts(ids: &[IdValue]) -> Vec<&str> {
    ids.iter().map(|id| &**id).collect()
}

impl CreateApplicationRequest {
    /// The checked command.
    pub fn parse(self) -> Result<DraftCommand, ApiError> {
        let mut fields = Fields::new();
        let posting: Option<PostingId> = id(&mut fields, "posting_id", &self.posting_id);
        let template = optional_id(&mut fields, "template_id", self.template_id.as_deref());
        let document_ids = ids(&mut fields, "document_ids", &texts(&self.document_ids));
        let command = posting
            .zip(template)
            .map(|(posting_id, template_id)| DraftCommand {
                posting_id,
                template_id,
                document_ids,
            });
        fields.into_result(command)
    }
}

impl ApplicationPatchRequest {
    /// The checked patch.
    pub fn parse(self) -> Result<DraftPatch, ApiError> {
        let mut fields = Fields::new();
        let template_id = self
            .template_id
            .map(|t| optional_id::<TemplateId>(&mut fields, "template_id", t.as_deref()).flatten());
        let document_ids = self
            .document_ids
            .map(|d| ids(&mut fields, "document_ids", &texts(&d.unwrap_or_default())));
        fields.finish()?;
        Ok(DraftPatch {
            template_id,
            document_ids,
        })
    }
}

/// A note: trimmed, or a 422 at `note` (blank, too long, control characters).
pub fn note(raw: Option<&Paragraphs<1000>>) -> Result<Option<String>, ApiError> {
    let mut fields = Fields::new();
    let note = Paragraphs::check_optional(raw, &mut fields, "note");
    fields.finish()?;
    Ok(note)
}

/// The move a status change asks for.
pub fn move_command(
    status: Option<ApplicationStatus>,
    stage: Option<Line<60>>,
    reason: Option<ClosingReason>,
    raw_note: Option<Paragraphs<1000>>,
) -> Result<MoveCommand, ApiError> {
    let target = match (status, stage) {
        (Some(status), None) => Target::Status(status.into()),
        (None, Some(stage)) => {
            let mut fields = Fields::new();
            let name = stage.check(&mut fields, "stage");
            fields.into_result(name).map(Target::Stage)?
        }
        _ => {
            return Err(ApiError::invalid(
                "status",
                "status_or_stage",
                "Give exactly one of status and stage.",
            ));
        }
    };
    Ok(MoveCommand {
        target,
        reason: reason.map(DomainReason::from),
        note: note(raw_note.as_ref())?,
    })
}

/// Parses the ids of a bulk move.
pub fn bulk_ids(values: &[IdValue]) -> Result<Vec<ApplicationId>, ApiError> {
    let mut fields = Fields::new();
    let parsed = ids(&mut fields, "application_ids", &texts(values));
    fields.finish()?;
    Ok(parsed)
}

fn timeline_entry(e: Event, access: Access, owner: AccountId) -> TimelineEntry {
    let department = access == Access::Department;
    let own_note = e.actor_id == Some(owner);
    TimelineEntry {
        at: e.at,
        status: e.status.into(),
        reason: e.reason,
        notice_sent: e.notice_sent,
        stage: e.stage.filter(|_| department),
        note: e.note.filter(|_| department || own_note),
        actor_id: e.actor_id.filter(|_| department).map(|a| a.to_string()),
    }
}

fn document(f: FrozenFile) -> SubmittedDocument {
    SubmittedDocument {
        id: f.document_id,
        kind: f.kind,
        title: f.title,
        file_name: f.file_name,
        media_type: f.media_type,
        size_bytes: f.size_bytes,
        sha256: f.sha256,
    }
}

fn snapshot(s: Snapshot) -> SnapshotResponse {
    let p = s.frozen.profile;
    let template = s
        .frozen
        .template
        .map(|(name, content)| SubmittedTemplate::new(name, content));
    SnapshotResponse {
        profile: SubmittedProfile {
            first_name: s.summary.first_name,
            last_name: s.summary.last_name,
            email: s.summary.email,
            phone: s.summary.phone,
            mailing_address: p.mailing_address.as_ref().map(MailingAddress::from_domain),
            supervisors: p.supervisors.iter().map(Supervisor::from_domain).collect(),
            conditions: ConditionsOfEmployment::from_domain(&p.conditions),
        },
        template,
        rank_band: s.summary.rank_band,
        score: s.summary.score,
        conditions_fit: s.summary.conditions_fit,
    }
}

impl ApplicationResponse {
    /// The response for a view.
    pub fn new(v: ApplicationView) -> Self {
        let a = v.application;
        let owner = a.account_id;
        let department = v.access == Access::Department;
        ApplicationResponse {
            id: a.id.to_string(),
            posting_id: a.posting_id.to_string(),
            posting_title: v.posting_title,
            status: a.status.into(),
            stage: a.stage.clone().filter(|_| department),
            template_id: a.template_id.map(|t| t.to_string()),
            document_ids: v.document_ids.iter().map(ToString::to_string).collect(),
            documents: v.files.into_iter().map(document).collect(),
            version: a.version,
            created_at: a.created_at,
            updated_at: a.updated_at,
            submitted_at: a.submitted_at,
            timeline: v
                .timeline
                .into_iter()
                .map(|e| timeline_entry(e, v.access, owner))
                .collect(),
            snapshot: v.snapshot.map(snapshot),
        }
    }
}

impl MyApplicationSummary {
    /// The list item of an application and its posting's title.
    pub fn new((a, posting_title): (Application, String)) -> Self {
        MyApplicationSummary {
            id: a.id.to_string(),
            posting_id: a.posting_id.to_string(),
            posting_title,
            status: a.status.into(),
            created_at: a.created_at,
            updated_at: a.updated_at,
            submitted_at: a.submitted_at,
        }
    }
}

impl DepartmentApplicationRow {
    /// The row of a submitted application.
    pub fn new(a: Application) -> Self {
        let s = a
            .summary
            .unwrap_or_else(|| merit_persistence::applications::Summary {
                first_name: String::new(),
                last_name: String::new(),
                email: None,
                phone: None,
                conditions_fit: false,
                rank_band: None,
                score: None,
                sort_key: String::new(),
            });
        DepartmentApplicationRow {
            id: a.id.to_string(),
            applicant_id: a.account_id.to_string(),
            first_name: s.first_name,
            last_name: s.last_name,
            email: s.email,
            phone: s.phone,
            status: a.status.into(),
            stage: a.stage,
            rank_band: s.rank_band,
            score: s.score,
            conditions_fit: s.conditions_fit,
            submitted_at: a.submitted_at.unwrap_or(a.created_at),
            version: a.version,
            updated_at: a.updated_at,
        }
    }
}
