//! Postings: employers write, publish and close them; everyone reads what they may see.

use chrono::{DateTime, Utc};
use merit_domain::{
    ids::{EntityId, PostingId},
    posting::{
        Candidate, Consideration, Duties, EligibilityStanding, Posting, PostingAction,
        PostingStatus, PostingTitle, SalaryRange, SearchCriteria, Viewer, Visibility,
        consideration,
    },
    reference::{ClassificationCode, CountyCode, DepartmentCode},
    terms::{Shift, Tenure, TimeBase},
};
use merit_persistence::{DbConnection, Page, PageRequest, postings, reference};

pub use super::posting_names::{NamedPosting, PostingNames};
use super::posting_names::{named, named_page};
use crate::webhooks::payload::WebhookPostingEventType;
use crate::{
    auth::{AuthUser, Employer},
    conditional::{IfMatch, entity_tag, version_tag},
    db::Db,
    error::{ApiError, Code},
    search::SearchService,
};

/// The content of a posting, as an employer writes it.
#[derive(Debug, Clone)]
pub struct PostingContent {
    /// The job classification.
    pub classification: ClassificationCode,
    /// Working title.
    pub title: PostingTitle,
    /// Duties statement.
    pub duties: Duties,
    /// Where the job is.
    pub county: CountyCode,
    /// Tenure.
    pub tenure: Tenure,
    /// Time base.
    pub time_base: TimeBase,
    /// Shift.
    pub shift: Shift,
    /// Monthly salary range.
    pub salary: SalaryRange,
    /// Last day to apply.
    pub final_filing_date: chrono::NaiveDate,
    /// Document kinds an application must include.
    pub required_documents: Vec<String>,
    /// Whether list eligibility is required.
    pub eligibility_required: bool,
    /// Public or internal only.
    pub visibility: Visibility,
}

fn not_found() -> ApiError {
    ApiError::not_found("posting")
}

fn check_references(conn: &mut DbConnection, content: &PostingContent) -> Result<(), ApiError> {
    if reference::find_classification(conn, content.classification.as_str())?.is_none() {
        let detail = format!("No classification has the code {}.", content.classification);
        return Err(ApiError::invalid(
            "classification_code",
            "unknown_classification",
            detail,
        ));
    }
    if reference::find_location(conn, content.county.as_str())?.is_none() {
        return Err(ApiError::invalid(
            "county_code",
            "unknown_county",
            format!("No county has the code {}.", content.county),
        ));
    }
    Ok(())
}

fn apply(posting: &mut Posting, content: PostingContent) {
    posting.classification = content.classification;
    posting.title = content.title;
    posting.duties = content.duties;
    posting.county = content.county;
    posting.tenure = content.tenure;
    posting.time_base = content.time_base;
    posting.shift = content.shift;
    posting.salary = content.salary;
    posting.final_filing_date = content.final_filing_date;
    posting.required_documents = content.required_documents;
    posting.eligibility_required = content.eligibility_required;
    posting.visibility = content.visibility;
}

/// Creates a draft posting for the employer's department.
pub fn create(
    conn: &mut DbConnection,
    employer: &Employer,
    content: PostingContent,
    now: DateTime<Utc>,
) -> Result<NamedPosting, ApiError> {
    check_references(conn, &content)?;
    let mut posting = Posting {
        id: PostingId::from_uuid(uuid::Uuid::now_v7()),
        department: employer.department.clone(),
        classification: content.classification.clone(),
        title: content.title.clone(),
        duties: content.duties.clone(),
        county: content.county.clone(),
        tenure: content.tenure,
        time_base: content.time_base,
        shift: content.shift,
        salary: content.salary,
        final_filing_date: content.final_filing_date,
        required_documents: Vec::new(),
        eligibility_required: false,
        visibility: content.visibility,
        status: PostingStatus::Draft,
        published_at: None,
        created_at: now,
        updated_at: now,
        version: 1,
    };
    apply(&mut posting, content);
    postings::insert(conn, &posting, employer.user.id())?;
    named(conn, posting)
}

/// The employer's own posting, or 404 (another department's postings do not exist for them).
fn own(conn: &mut DbConnection, employer: &Employer, id: PostingId) -> Result<Posting, ApiError> {
    postings::find(conn, id)?
        .filter(|p| p.department == employer.department)
        .ok_or_else(not_found)
}

/// The tag of version `version` once its final filing date has passed while it is open.
fn filing_closed_tag(version: i64) -> String {
    entity_tag(&format!("{version}-filing-closed"))
}

/// The entity tag of `posting` as served at `now`. Its answer says whether it accepts
/// applications, which changes at the final filing date without a new version; the tag changes
/// then too, so a copy cached before the date is not confirmed with 304 after it.
pub fn posting_tag(posting: &Posting, now: DateTime<Utc>) -> String {
    if posting.status == PostingStatus::Open && !posting.accepting_applications(now) {
        filing_closed_tag(posting.version)
    } else {
        version_tag(posting.version)
    }
}

fn save(
    conn: &mut DbConnection,
    posting: &mut Posting,
    if_match: &IfMatch,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let current = posting.version;
    if_match.check_any(&[&version_tag(current), &filing_closed_tag(current)])?;
    postings::touch(posting, now);
    if postings::update(conn, posting, current)? {
        Ok(())
    } else {
        Err(ApiError::PreconditionFailed)
    }
}

/// Changes the content of an editable posting (draft or open) to what `edit` makes of the
/// current posting (a merge patch applied to it); a version named in `If-Match` that is no
/// longer current is 412, before the change is looked at.
pub fn update(
    conn: &mut DbConnection,
    employer: &Employer,
    id: PostingId,
    edit: impl FnOnce(&Posting) -> Result<PostingContent, ApiError>,
    if_match: &IfMatch,
    now: DateTime<Utc>,
) -> Result<NamedPosting, ApiError> {
    let mut posting = own(conn, employer, id)?;
    if !posting.status.editable() {
        return Err(ApiError::new(
            Code::PostingNotEditable,
            format!("A {} posting cannot be edited.", posting.status.as_str()),
        ));
    }
    let version = posting.version;
    if_match.check_any(&[&version_tag(version), &filing_closed_tag(version)])?;
    let content = edit(&posting)?;
    check_references(conn, &content)?;
    apply(&mut posting, content);
    save(conn, &mut posting, if_match, now)?;
    named(conn, posting)
}

/// Publishes, closes or cancels a posting. Publishing needs a final filing date not yet past.
pub fn transition(
    conn: &mut DbConnection,
    employer: &Employer,
    id: PostingId,
    action: PostingAction,
    now: DateTime<Utc>,
) -> Result<NamedPosting, ApiError> {
    let mut posting = own(conn, employer, id)?;
    let was_open = posting.status == merit_domain::posting::PostingStatus::Open;
    let next = posting.status.apply(action).map_err(|e| {
        ApiError::new(
            Code::InvalidTransition,
            format!("{}.", capitalise(&e.to_string())),
        )
    })?;
    if action == PostingAction::Publish {
        posting.status = next;
        if !posting.accepting_applications(now) {
            return Err(ApiError::invalid(
                "final_filing_date",
                "filing_date_passed",
                "The final filing date has passed; change it before publishing.",
            ));
        }
        posting.published_at = Some(now);
    }
    posting.status = next;
    save(conn, &mut posting, &IfMatch::Absent, now)?;
    if action == PostingAction::Publish {
        // Job alerts are matched by the worker; queued here so that a posting that opened is
        // matched exactly once, even if this instance stops right after committing.
        super::alerts::posting_opened(conn, posting.id, now)?;
        super::webhooks::posting_event(
            conn,
            &posting,
            WebhookPostingEventType::PostingPublished,
            now,
        )?;
    }
    if action == PostingAction::Close || (action == PostingAction::Cancel && was_open) {
        // An open posting stopped taking applications (`status` says closed or cancelled).
        super::webhooks::posting_event(
            conn,
            &posting,
            WebhookPostingEventType::PostingClosed,
            now,
        )?;
    }
    if action == PostingAction::Cancel {
        // Every open application is cancelled in the same transaction, each with its notice.
        super::applications::cancel_open(conn, &posting, employer.user.id(), now)?;
    }
    named(conn, posting)
}

/// Runs a posting write (one of the use cases above) in one transaction, then brings the search
/// index up to date, so the writer's next search sees the change.
pub async fn write_and_reindex<T, F>(
    db: &Db,
    index: &SearchService,
    write: F,
) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce(&mut DbConnection) -> Result<T, ApiError> + Send + 'static,
{
    let written = db.write(write).await?;
    index.refresh_after_write(db).await;
    Ok(written)
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// A posting the viewer may see, or 404.
fn visible(conn: &mut DbConnection, id: PostingId, viewer: &Viewer) -> Result<Posting, ApiError> {
    postings::find_visible(conn, id, viewer)?.ok_or_else(not_found)
}

/// A posting the viewer may see, with its names, or 404.
pub fn get(
    conn: &mut DbConnection,
    id: PostingId,
    viewer: &Viewer,
) -> Result<NamedPosting, ApiError> {
    let posting = visible(conn, id, viewer)?;
    named(conn, posting)
}

/// All postings of the employer's department, every status, newest first.
pub fn list_department(
    conn: &mut DbConnection,
    department: &DepartmentCode,
    viewer: &Viewer,
    page: PageRequest<'_>,
) -> Result<Page<NamedPosting>, ApiError> {
    let page = postings::list_for_department(conn, department, viewer, page)?;
    named_page(conn, page)
}

/// Incremental sync: the postings `viewer` may see (every status but drafts, except a
/// department's employer's own drafts; as `GET /postings/{id}` shows them) changed at or after
/// `since` and settled at `now` (the same [`SYNC_SETTLE`](super::applications::SYNC_SETTLE)
/// as applications), ordered by (last change, id), filtered by `criteria` (keywords and the
/// order are refused before this).
pub fn changes(
    conn: &mut DbConnection,
    viewer: &Viewer,
    criteria: &SearchCriteria,
    since: DateTime<Utc>,
    page: PageRequest<'_>,
    now: DateTime<Utc>,
) -> Result<Page<NamedPosting>, ApiError> {
    let settled = now - super::applications::SYNC_SETTLE;
    let page = postings::changed_since_instant(conn, viewer, criteria, since, settled, page)?;
    named_page(conn, page)
}

/// The viewer's standing on the eligible list of `posting`'s classification.
pub fn eligibility_standing(
    conn: &mut DbConnection,
    user: &AuthUser,
    posting: &Posting,
    now: DateTime<Utc>,
) -> Result<EligibilityStanding, ApiError> {
    super::exams::standing_for(conn, user.id(), posting.classification.as_str(), now)
}

/// Whether the signed-in person may apply to a posting they can see, and will be considered.
pub fn preview(
    conn: &mut DbConnection,
    user: &AuthUser,
    id: PostingId,
    viewer: &Viewer,
    now: DateTime<Utc>,
) -> Result<(Posting, Consideration), ApiError> {
    let posting = visible(conn, id, viewer)?;
    let answer = consider(conn, user, &posting, now)?;
    Ok((posting, answer))
}

/// The signed-in person as the consideration rule sees them.
pub fn candidate_of(user: &AuthUser) -> Candidate {
    Candidate {
        is_applicant: user.has(merit_domain::account::Role::Applicant),
        email_verified: user.account.email_verified_at.is_some() || user.employee.is_some(),
        employee_of: user.employee.as_ref().map(|e| e.department.clone()),
    }
}

/// The consideration rule for `user` and a posting they can see, at `now`: the preview's
/// answer, and what submission checks again.
pub fn consider(
    conn: &mut DbConnection,
    user: &AuthUser,
    posting: &Posting,
    now: DateTime<Utc>,
) -> Result<Consideration, ApiError> {
    let standing = eligibility_standing(conn, user, posting, now)?;
    Ok(consideration(posting, &candidate_of(user), standing, now))
}
