//! Submission (with `Idempotency-Key`) and withdrawal.

use chrono::{DateTime, TimeDelta, Utc};
use merit_domain::{
    application::{ApplicationStatus, Outcome, ReasonCode, missing_documents, outcome},
    exam::best_active,
    ids::ApplicationId,
    posting::{Posting, Reason},
    terms::PostingTerms,
};
use merit_persistence::{
    DbConnection, accounts,
    applications::{
        self, Application, Frozen, Submission, Summary, files::FrozenFile, idempotency,
    },
    documents, exams, profiles, templates,
};
use sha2::{Digest, Sha256};

use super::{
    Access, ApplicationView, Move,
    drafts::{filing_closed, refuse_second},
    log, not_found, readable, reads,
};
use crate::{
    auth::AuthUser,
    error::{ApiError, Code},
    services::postings::consider,
};

/// How long an idempotency key is remembered.
pub const KEY_LIFETIME: TimeDelta = TimeDelta::hours(24);

const SCOPE: &str = "POST /api/v1/applications/{id}/submit";

/// A checked `Idempotency-Key`: 1 to 255 visible ASCII characters (an RFC 8941 string, sent
/// with or without its quotes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyKey(String);

impl IdempotencyKey {
    /// Checks a header value.
    pub fn parse(raw: &str) -> Option<IdempotencyKey> {
        let bare = raw
            .strip_prefix('"')
            .and_then(|r| r.strip_suffix('"'))
            .unwrap_or(raw);
        let ok = (1..=255).contains(&bare.len())
            && bare
                .bytes()
                .all(|b| (0x21..=0x7e).contains(&b) && b != b'"' && b != b'\\');
        ok.then(|| IdempotencyKey(bare.to_owned()))
    }
}

/// The answer to a submission: fresh, or the first answer replayed.
#[derive(Debug, Clone)]
pub struct SubmitAnswer {
    /// Status code.
    pub status: u16,
    /// The JSON body.
    pub body: String,
    /// The application's id.
    pub application_id: String,
    /// Its ETag, on a fresh answer.
    pub etag: Option<String>,
    /// Whether this replays an earlier answer.
    pub replayed: bool,
}

fn fingerprint(id: ApplicationId) -> String {
    hex::encode(Sha256::digest(format!(
        "POST /api/v1/applications/{id}/submit"
    )))
}

/// Submits the caller's draft. With a key, the first successful answer is remembered for 24
/// hours and replayed to a retry; the key used for another application is 422
/// `idempotency_key_reused`. `render` makes the answer's body.
pub fn submit(
    conn: &mut DbConnection,
    user: &AuthUser,
    id: ApplicationId,
    key: Option<&IdempotencyKey>,
    now: DateTime<Utc>,
    render: impl FnOnce(ApplicationView) -> Result<String, ApiError>,
) -> Result<SubmitAnswer, ApiError> {
    // Concurrent submissions of one person queue here, so a retry sees the first's key.
    profiles::lock_person(conn, user.id())?;
    let scope = key.map(|k| idempotency::KeyScope {
        account_id: user.id(),
        scope: SCOPE,
        key: &k.0,
    });
    if let Some(at) = scope
        && let Some(found) = idempotency::find(conn, at, now)?
    {
        if found.fingerprint != fingerprint(id) {
            return Err(ApiError::new(
                Code::IdempotencyKeyReused,
                "This Idempotency-Key was used for another request. Use a new key for each submission.",
            ));
        }
        return Ok(SubmitAnswer {
            status: found.status_code,
            body: found.body,
            application_id: found.resource_id,
            etag: None,
            replayed: true,
        });
    }
    let application = submit_draft(conn, user, id, now)?;
    let etag = super::etag(&application);
    let body = render(reads::view(conn, application, Access::Owner)?)?;
    if let Some(at) = scope {
        let answer = idempotency::Remembered {
            fingerprint: fingerprint(id),
            status_code: 201,
            resource_id: id.to_string(),
            body: body.clone(),
        };
        idempotency::remember(conn, at, &answer, now, now + KEY_LIFETIME)?;
    }
    Ok(SubmitAnswer {
        status: 201,
        body,
        application_id: id.to_string(),
        etag: Some(etag),
        replayed: false,
    })
}

fn refused(reason: Reason) -> ApiError {
    match reason {
        Reason::FilingClosed => filing_closed(),
        Reason::NotAnApplicant => ApiError::new(Code::NotAnApplicant, "Only applicants apply."),
        Reason::EmailNotVerified => ApiError::new(
            Code::EmailNotVerified,
            "Confirm your email address before applying.",
        ),
        Reason::EligibilityExpired => ApiError::new(
            Code::EligibilityExpired,
            "Your eligibility for this classification has expired.",
        ),
        Reason::EligibilityRequired | Reason::InternalOnlyOtherDepartment => ApiError::new(
            Code::EligibilityRequired,
            "This posting requires list eligibility for its classification.",
        ),
    }
}

fn submit_draft(
    conn: &mut DbConnection,
    user: &AuthUser,
    id: ApplicationId,
    now: DateTime<Utc>,
) -> Result<Application, ApiError> {
    let (mut application, posting, access) = readable(conn, user, id)?;
    if access != Access::Owner {
        return Err(not_found());
    }
    if application.status != ApplicationStatus::Draft {
        return Err(ApiError::new(
            Code::ApplicationNotDraft,
            "This application was submitted already.",
        ));
    }
    let result = outcome(&consider(conn, user, &posting, now)?);
    let status = match result {
        Outcome::Refused(reason) => return Err(refused(reason)),
        accepted => accepted.status().unwrap_or(ApplicationStatus::Received),
    };
    refuse_second(conn, user, application.posting_id)?;
    let files = attached_files(conn, user, &application, &posting)?;
    let frozen = freeze(conn, user, &application)?;
    application.summary = Some(summary(conn, user, &posting, &frozen, id, now)?);
    application.status = status;
    application.submitted_at = Some(now);
    application.updated_at = now;
    application.version += 1;
    let submission = Submission {
        application: &application,
        frozen: &frozen,
    };
    if !applications::submit(conn, submission, application.version - 1).map_err(already_applied)? {
        return Err(ApiError::PreconditionFailed);
    }
    applications::files::insert(conn, id, &files)?;
    let reason = match result {
        Outcome::NotConsidered(r) => Some(ReasonCode::Consideration(r)),
        _ => None,
    };
    let mv = Move {
        to: status,
        stage: None,
        reason,
        note: None,
        actor_id: Some(user.id()),
        notify: true,
        submitted: true,
    };
    log(conn, &application, &posting, mv, now)?;
    Ok(application)
}

fn already_applied(error: merit_persistence::RepoError) -> ApiError {
    match error {
        merit_persistence::RepoError::Conflict { constraint }
            if constraint == "applications_one_submitted_key" =>
        {
            ApiError::new(Code::AlreadyApplied, "You already applied to this posting.")
        }
        other => other.into(),
    }
}

fn attached_files(
    conn: &mut DbConnection,
    user: &AuthUser,
    application: &Application,
    posting: &Posting,
) -> Result<Vec<FrozenFile>, ApiError> {
    let mut stored = Vec::new();
    for document in applications::attachments(conn, application.id)? {
        if let Some(d) = documents::find(conn, user.id(), document)? {
            stored.push(d);
        }
    }
    let kinds: Vec<_> = stored.iter().map(|d| d.kind).collect();
    let missing = missing_documents(&posting.required_documents, &kinds);
    if !missing.is_empty() {
        return Err(ApiError::new(
            Code::DocumentsMissing,
            format!(
                "This posting requires documents of these kinds, which the application lacks: {}.",
                missing.join(", ")
            ),
        ));
    }
    Ok(stored.iter().map(FrozenFile::of).collect())
}

fn freeze(
    conn: &mut DbConnection,
    user: &AuthUser,
    application: &Application,
) -> Result<Frozen, ApiError> {
    let profile = profiles::find(conn, user.id())?
        .map(|s| s.profile)
        .unwrap_or_default();
    let template = match application.template_id {
        Some(t) => templates::find(conn, user.id(), t)?.map(|t| (t.name, t.content)),
        None => None,
    };
    Ok(Frozen { profile, template })
}

fn summary(
    conn: &mut DbConnection,
    user: &AuthUser,
    posting: &Posting,
    frozen: &Frozen,
    id: ApplicationId,
    now: DateTime<Utc>,
) -> Result<Summary, ApiError> {
    let account = accounts::find(conn, user.id())?.ok_or_else(not_found)?;
    let eligibilities: Vec<_> = exams::eligibilities_of(conn, user.id())?
        .into_iter()
        .filter(|e| e.classification == posting.classification.as_str())
        .collect();
    let best = best_active(&eligibilities, now, |e| (e.score, e.expires_at));
    let terms = PostingTerms {
        county: posting.county.clone(),
        department: posting.department.clone(),
        tenure: posting.tenure,
        time_base: posting.time_base,
        shift: posting.shift,
    };
    let (band, score) = (
        best.map(|e| i32::from(e.rank_band)),
        best.map(|e| i32::from(e.score)),
    );
    let sort_key = format!(
        "{:03}{:03}{:020}{id}",
        band.unwrap_or(999),
        999 - score.unwrap_or(0),
        now.timestamp_micros().max(0)
    );
    Ok(Summary {
        first_name: account.first_name.to_string(),
        last_name: account.last_name.to_string(),
        email: account.email.as_ref().map(ToString::to_string),
        phone: frozen.profile.phone.as_ref().map(|p| p.as_str().to_owned()),
        conditions_fit: frozen.profile.conditions.fits(&terms),
        rank_band: band,
        score,
        sort_key,
    })
}
