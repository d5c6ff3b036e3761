//! Shapes of profile merges.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use merit_domain::{
    ids::{AccountId, PostingId},
    merge::{ProfileField, Side},
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{
    error::ApiError,
    routes::{strings::IdValue, terms::api_enum},
    services::merges::{Choices, Conflict, ConflictKind, Item, ItemKind, Plan, Proof, Resolution},
    validation::{self, Fields},
};

api_enum!(
    /// One of the two profiles of a merge.
    MergeSideName => Side {
        /// The profile merged away (its account is closed).
        Source,
        /// The surviving Employee ID profile.
        Target,
    }
);

api_enum!(
    /// A profile field a merge decides on.
    ProfileFieldName => ProfileField {
        /// The given name.
        FirstName,
        /// The family name.
        LastName,
        /// The phone number.
        Phone,
        /// The mailing address, as a whole.
        MailingAddress,
        /// The previous supervisors, as a whole.
        Supervisors,
        /// The conditions of employment with the willingness to be contacted, as a whole.
        Conditions,
    }
);

api_enum!(
    /// What kind of item moves.
    MergeItemKind => ItemKind {
        /// An application template.
        Template,
        /// A document.
        Document,
        /// An exam result (attempt).
        ExamResult,
        /// An eligibility granted by an exam result.
        Eligibility,
        /// An application.
        Application,
        /// A saved search.
        SavedSearch,
        /// A job alert.
        JobAlert,
        /// An inbox message.
        Message,
        /// A contact letter from a department.
        ContactLetter,
        /// A waiver of appointment.
        Waiver,
        /// A staff case about the person.
        Case,
        /// A letter from staff.
        Correspondence,
    }
);

api_enum!(
    /// What kind of conflict.
    MergeConflictKind => ConflictKind {
        /// A profile field whose two values differ.
        ProfileField,
        /// Both accounts applied to the same posting: a choice is needed.
        SamePosting,
        /// Both hold exam results for the same classification.
        SameClassification,
        /// The target has a template of the same name.
        TemplateName,
        /// Both have a default template.
        DefaultTemplate,
        /// The target has a saved search of the same name.
        SavedSearchName,
        /// Both had a contact letter about the same posting.
        ContactLetter,
        /// Both have a waiver of appointment on the same posting.
        Waiver,
        /// Both have an open case in the same office.
        OpenCase,
    }
);

api_enum!(
    /// How a conflict is resolved.
    MergeResolution => Resolution {
        /// The source's value or item wins.
        KeepSource,
        /// The target's value or item wins.
        KeepTarget,
        /// Both are kept (exam results are legal records; the best unexpired one counts on the
        /// eligible list).
        KeepBoth,
        /// The source's item moves under `new_name`.
        Rename,
        /// The source's item stays with the closed account.
        StaysWithClosedAccount,
        /// A choice is needed: the merge cannot proceed without it.
        ChoiceRequired,
    }
);

/// Whose value each profile field keeps where the two differ. A field left out keeps the
/// target's value, or the source's where the target has none.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfileFieldChoices {
    /// The given name.
    #[serde(default)]
    pub first_name: Option<MergeSideName>,
    /// The family name.
    #[serde(default)]
    pub last_name: Option<MergeSideName>,
    /// The phone number.
    #[serde(default)]
    pub phone: Option<MergeSideName>,
    /// The mailing address.
    #[serde(default)]
    pub mailing_address: Option<MergeSideName>,
    /// The previous supervisors.
    #[serde(default)]
    pub supervisors: Option<MergeSideName>,
    /// The conditions of employment.
    #[serde(default)]
    pub conditions: Option<MergeSideName>,
}

/// Which application survives where both accounts applied to one posting. The other one is
/// withdrawn and stays with the closed account.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApplicationChoice {
    /// The posting both applied to (a `same_posting` conflict's `posting_id`).
    pub posting_id: IdValue,
    /// Whose application survives.
    pub keep: MergeSideName,
}

/// The caller's decisions on a merge's conflicts.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MergeChoices {
    /// Per profile field, whose value is kept.
    #[serde(default)]
    pub profile: ProfileFieldChoices,
    /// Per posting both applied to, whose application survives (each posting once).
    #[serde(default)]
    #[schema(max_items = 100)]
    pub applications: Vec<ApplicationChoice>,
}

fn yes() -> bool {
    true
}

/// The other account, proven by its password.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MergeSourcePassword {
    /// The other account's sign-in name (its email address or username).
    #[schema(min_length = 1, max_length = 254, example = "dana.rivera@example.com")]
    pub login: String,
    /// Its password, exactly as typed.
    #[schema(min_length = 1, max_length = 1024, example = "Tulip.Harbor7")]
    pub password: String,
}

/// The other account, proven by a code emailed to its verified address
/// (`POST /api/v1/me/profile-merge-codes`).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MergeSourceCode {
    /// The other account's sign-in name (its email address or username), as the code was asked
    /// for.
    #[schema(min_length = 1, max_length = 254, example = "dana.rivera@example.com")]
    pub login: String,
    /// The code from the email: six digits.
    #[schema(pattern = "^[0-9]{6}$", example = "493027")]
    pub code: String,
}

/// The other account and the proof of control: exactly one of its password or an emailed
/// code.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum MergeSourceCredentials {
    /// By password.
    Password(MergeSourcePassword),
    /// By emailed code.
    Code(MergeSourceCode),
}

impl MergeSourceCredentials {
    /// The sign-in name and the proof.
    pub fn into_proof(self) -> (String, Proof) {
        match self {
            MergeSourceCredentials::Password(p) => (p.login, Proof::Password(p.password)),
            MergeSourceCredentials::Code(c) => (c.login, Proof::Code(c.code)),
        }
    }
}

/// Ask for a code proving control of my other account.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MergeCodeRequest {
    /// The other account's sign-in name (its email address or username).
    #[schema(min_length = 1, max_length = 254, example = "dana.rivera@example.com")]
    pub login: String,
}

/// A code was sent, if the sign-in name names an account that can get one.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MergeCodeResponse {
    /// When the code (if one was sent) stops working.
    pub expires_at: DateTime<Utc>,
}

/// Merge my other (email) account into this Employee ID account.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OwnProfileMergeRequest {
    /// The account to merge into mine (closed by the merge), with its password or an emailed
    /// code: exactly one.
    pub source: MergeSourceCredentials,
    /// Only list what would move and the conflicts (the default); `false` merges.
    #[serde(default = "yes")]
    #[schema(default = true)]
    pub dry_run: bool,
    /// Decisions on conflicts.
    #[serde(default)]
    pub choices: MergeChoices,
}

/// Merge one person's external (email) account into their Employee ID account.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AdminProfileMergeRequest {
    /// The applicant's own (email) account, closed by the merge.
    pub source_account_id: IdValue,
    /// The same person's Employee ID account, which survives.
    pub target_account_id: IdValue,
    /// Only list what would move and the conflicts (the default); `false` merges.
    #[serde(default = "yes")]
    #[schema(default = true)]
    pub dry_run: bool,
    /// Decisions on conflicts.
    #[serde(default)]
    pub choices: MergeChoices,
}

impl MergeChoices {
    /// The checked choices: 422 `invalid_id` or `duplicate` at
    /// `choices.applications[i].posting_id`, `too_many` beyond 100.
    pub fn parse(self, fields: &mut Fields) -> Choices {
        let p = self.profile;
        let mut chosen = BTreeMap::new();
        for (field, side) in [
            (ProfileField::FirstName, p.first_name),
            (ProfileField::LastName, p.last_name),
            (ProfileField::Phone, p.phone),
            (ProfileField::MailingAddress, p.mailing_address),
            (ProfileField::Supervisors, p.supervisors),
            (ProfileField::Conditions, p.conditions),
        ] {
            if let Some(side) = side {
                chosen.insert(field, side.into());
            }
        }
        validation::at_most(fields, "choices.applications", &self.applications, 100);
        let mut applications: Vec<(String, String, Side)> = Vec::new();
        for (i, choice) in self.applications.into_iter().enumerate() {
            let path = format!("choices.applications[{i}].posting_id");
            if let Some(posting) = validation::id::<PostingId>(fields, &path, &choice.posting_id.0)
            {
                let posting = posting.to_string();
                if applications.iter().any(|(_, p, _)| *p == posting) {
                    fields.push(&path, "duplicate", "This posting is chosen for already.");
                } else {
                    applications.push((path, posting, choice.keep.into()));
                }
            }
        }
        Choices {
            fields: chosen,
            applications,
        }
    }
}

impl AdminProfileMergeRequest {
    /// The checked ids (422 `invalid_id` at their fields) and choices.
    pub fn parse(self) -> Result<(AccountId, AccountId, bool, Choices), ApiError> {
        let mut fields = Fields::new();
        let source = validation::id::<AccountId>(
            &mut fields,
            "source_account_id",
            &self.source_account_id.0,
        );
        let target = validation::id::<AccountId>(
            &mut fields,
            "target_account_id",
            &self.target_account_id.0,
        );
        let choices = self.choices.parse(&mut fields);
        let ids = fields.into_result(source.zip(target))?;
        Ok((ids.0, ids.1, self.dry_run, choices))
    }
}

/// How many items of each kind move.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)] // closes the schema: additionalProperties: false
pub struct MergeCounts {
    /// Profile fields that take the source's value.
    pub profile_fields: usize,
    /// Application templates.
    pub templates: usize,
    /// Documents.
    pub documents: usize,
    /// Exam results.
    pub exam_results: usize,
    /// Eligibilities.
    pub eligibilities: usize,
    /// Applications.
    pub applications: usize,
    /// Saved searches.
    pub saved_searches: usize,
    /// Job alerts.
    pub job_alerts: usize,
    /// Inbox messages.
    pub messages: usize,
    /// Contact letters.
    pub contact_letters: usize,
    /// Waivers of appointment.
    pub waivers: usize,
    /// Staff cases.
    pub cases: usize,
    /// Letters from staff.
    pub correspondence: usize,
}

/// One item that moves to the target.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)] // closes the schema: additionalProperties: false
pub struct MergeItem {
    /// What it is.
    pub kind: MergeItemKind,
    /// Its id.
    pub id: String,
    /// Its name or title after the merge (templates, documents, saved searches).
    pub name: Option<String>,
    /// The posting it is about (applications, contact letters, waivers).
    pub posting_id: Option<String>,
    /// The classification (exam results, eligibilities).
    pub classification_code: Option<String>,
}

/// A conflict and how it is resolved.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)] // closes the schema: additionalProperties: false
pub struct MergeConflict {
    /// What kind.
    pub kind: MergeConflictKind,
    /// How it is resolved (`choice_required` blocks the merge).
    pub resolution: MergeResolution,
    /// Whether the request's `choices` decided it.
    pub chosen: bool,
    /// The profile field (`profile_field`).
    pub field: Option<ProfileFieldName>,
    /// The posting (`same_posting`, `contact_letter`, `waiver`).
    pub posting_id: Option<String>,
    /// The classification (`same_classification`).
    pub classification_code: Option<String>,
    /// The office (`open_case`).
    pub office_code: Option<String>,
    /// The source's item.
    pub source_id: Option<String>,
    /// The target's item.
    pub target_id: Option<String>,
    /// The source item's name (renames).
    pub name: Option<String>,
    /// The name it moves under (renames).
    pub new_name: Option<String>,
    /// The source's best score for the class (`same_classification`).
    pub source_best_score: Option<i32>,
    /// The target's best score for the class (`same_classification`).
    pub target_best_score: Option<i32>,
}

/// A merge's plan: what moves and every conflict; after a merge, what was done.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)] // closes the schema: additionalProperties: false
pub struct ProfileMergeResponse {
    /// The account merged away.
    pub source_account_id: String,
    /// The surviving Employee ID account.
    pub target_account_id: String,
    /// Whether this was only a plan (nothing changed).
    pub dry_run: bool,
    /// Whether the merge was carried out (the source is closed).
    pub merged: bool,
    /// Whether the merge can proceed: no conflict needs a choice.
    pub can_proceed: bool,
    /// Counts by kind.
    pub moves: MergeCounts,
    /// The profile fields that take the source's value.
    pub profile_fields: Vec<ProfileFieldName>,
    /// Every item that moves.
    pub items: Vec<MergeItem>,
    /// Every conflict with its resolution.
    pub conflicts: Vec<MergeConflict>,
}

impl From<Item> for MergeItem {
    fn from(i: Item) -> Self {
        MergeItem {
            kind: i.kind.into(),
            id: i.id,
            name: i.name,
            posting_id: i.posting_id,
            classification_code: i.classification_code,
        }
    }
}

impl From<Conflict> for MergeConflict {
    fn from(c: Conflict) -> Self {
        MergeConflict {
            kind: c.kind.into(),
            resolution: c.resolution.into(),
            chosen: c.chosen,
            field: c.field.map(Into::into),
            posting_id: c.posting_id,
            classification_code: c.classification_code,
            office_code: c.office_code,
            source_id: c.source_id,
            target_id: c.target_id,
            name: c.name,
            new_name: c.new_name,
            source_best_score: c.source_best_score,
            target_best_score: c.target_best_score,
        }
    }
}

impl From<Plan> for ProfileMergeResponse {
    fn from(p: Plan) -> Self {
        let moves = MergeCounts {
            profile_fields: p.profile_fields.len(),
            templates: p.count(ItemKind::Template),
            documents: p.count(ItemKind::Document),
            exam_results: p.count(ItemKind::ExamResult),
            eligibilities: p.count(ItemKind::Eligibility),
            applications: p.count(ItemKind::Application),
            saved_searches: p.count(ItemKind::SavedSearch),
            job_alerts: p.count(ItemKind::JobAlert),
            messages: p.count(ItemKind::Message),
            contact_letters: p.count(ItemKind::ContactLetter),
            waivers: p.count(ItemKind::Waiver),
            cases: p.count(ItemKind::Case),
            correspondence: p.count(ItemKind::Correspondence),
        };
        ProfileMergeResponse {
            source_account_id: p.source.to_string(),
            target_account_id: p.target.to_string(),
            dry_run: p.dry_run,
            merged: p.merged,
            can_proceed: p.can_proceed,
            moves,
            profile_fields: p.profile_fields.iter().map(|f| (*f).into()).collect(),
            items: p.items.clone().into_iter().map(Into::into).collect(),
            conflicts: p.conflicts.clone().into_iter().map(Into::into).collect(),
        }
    }
}
