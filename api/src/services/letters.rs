//! Contact letters: a department (an employer of the posting's department, or an admin) sends
//! an employment inquiry about an open posting to each person on the classification's eligible
//! list who accepts contact letters, whose conditions of employment fit the posting and the
//! department's filter, and who is still certifiable for the class; once per person and
//! posting. Each letter is an inbox message (and an email, unless the person turned that off),
//! written in the same transaction. The person answers `interested` or `not_interested`;
//! silence counts as not interested only from `respond_by` on (2 CCR §258, computed by
//! `merit_domain::calendar`), and never when the person applied to the posting.
//!
//! Waivers of appointment (§260.1) are recorded by the department explicitly
//! ([`record_waiver`]): a `not_interested` answer or no reply is never one (§261.1 lets an
//! open-list eligible decline any number of inquiries). The third waiver in a class ends the
//! person's certification for it (§262): they get no more letters for that class and the
//! eligible list shows them as not certifiable.

use std::collections::HashSet;

use chrono::{DateTime, TimeDelta, Utc};
use merit_domain::{
    account::Role,
    calendar::{self, ContactMethod},
    ids::{AccountId, ContactLetterId, EntityId, PostingId, WaiverId},
    letter::{self, Answer, LetterFacts, LetterState, WaiverReason},
    message::MessageKind,
    posting::Posting,
    profile::{ConditionsOfEmployment, TermsFilter},
    terms::PostingTerms,
};
use merit_persistence::{
    DbConnection, Page, PageRequest, RepoError, accounts, applications,
    exams::{self, ListKey},
    letters::{self, LetterRow, NewLetter, Waiver},
    postings, profiles,
};
use serde_json::json;

use crate::{
    auth::AuthUser,
    error::{ApiError, Code},
    services::{
        applications::works_for,
        audit::{self, AuditKind},
        messages::{self, EmailTo, Notice},
    },
};

/// Who may receive the letters of one sending, beyond "on the list, accepts contact, fits".
#[derive(Debug, Clone, Default)]
pub struct Recipients {
    /// Conditions of employment the department narrows by (county, tenure, time base).
    pub filter: TermsFilter,
    /// Only people in this rank band or a better one (1 is best); `None`: every band.
    pub lowest_rank_band: Option<u8>,
}

/// What one sending did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sending {
    /// Letters sent now.
    pub sent: u32,
    /// People who fit but already had a letter about this posting.
    pub already_sent: u32,
    /// People who fit but are no longer certifiable for the class (three waivers).
    pub not_certifiable: u32,
    /// When the letters sent now are due.
    pub respond_by: DateTime<Utc>,
}

/// A letter and its state at the time of reading.
#[derive(Debug, Clone)]
pub struct LetterView {
    /// The letter.
    pub row: LetterRow,
    /// The person's answer.
    pub answer: Option<Answer>,
    /// Its state.
    pub state: LetterState,
}

fn require_department_role(user: &AuthUser) -> Result<(), ApiError> {
    if user.has(Role::Employer) || user.has(Role::Admin) {
        Ok(())
    } else {
        Err(ApiError::new(
            Code::Forbidden,
            "This needs the employer or admin role.",
        ))
    }
}

/// The posting, when the caller works for its department (admins work for all); 404 otherwise.
fn worked_posting(
    conn: &mut DbConnection,
    user: &AuthUser,
    id: PostingId,
) -> Result<Posting, ApiError> {
    require_department_role(user)?;
    postings::find(conn, id)?
        .filter(|p| works_for(user, p))
        .ok_or_else(|| ApiError::not_found("posting"))
}

fn terms_of(posting: &Posting) -> PostingTerms {
    PostingTerms {
        county: posting.county.clone(),
        department: posting.department.clone(),
        tenure: posting.tenure,
        time_base: posting.time_base,
        shift: posting.shift,
    }
}

fn view(row: LetterRow, now: DateTime<Utc>) -> Result<LetterView, ApiError> {
    let answer = row.answer()?;
    let state = letter::letter_state(
        LetterFacts {
            answer,
            respond_by: row.respond_by(),
            applied: row.applied,
            waived: row.waived,
        },
        now,
    );
    Ok(LetterView { row, answer, state })
}

/// The last day of the window as people read it: the Pacific date just before `respond_by`.
fn due_day(respond_by: DateTime<Utc>) -> String {
    calendar::pacific_time(respond_by - TimeDelta::microseconds(1))
        .date()
        .format("%A, %B %-d, %Y")
        .to_string()
}

fn letter_notice(posting: &Posting, id: ContactLetterId, respond_by: DateTime<Utc>) -> Notice {
    let title = posting.title.as_str();
    let department = posting.department.as_str();
    Notice {
        kind: MessageKind::ContactLetter,
        template: "contact_letter",
        subject: format!("Are you interested in {title} ({department})?"),
        paragraphs: vec![
            format!(
                "You are on the eligible list for class {}, and the {department} department is \
                 filling a position: {title} ({}).",
                posting.classification.as_str(),
                terms_of(posting),
            ),
            format!(
                "If you are interested, please answer by the end of {} (Pacific time). You do not \
                 need to answer if you are not interested: no answer by then counts as not \
                 interested, unless you apply to this posting by its final filing date ({}).",
                due_day(respond_by),
                posting.final_filing_date.format("%B %-d, %Y"),
            ),
            format!(
                "Answer in your Merit account: contact letter {id} (POST \
                 /api/v1/me/contact-letters/{id}/response with `interested` or \
                 `not_interested`)."
            ),
        ],
        application_id: None,
        posting_id: Some(posting.id),
    }
}

/// How many list rows one read takes while sending.
const CHUNK: i64 = 500;

/// Sends a letter about an open posting to every person on its classification's list who
/// accepts contact, fits the posting and `recipients`, is certifiable for the class and has no
/// letter about it yet; counts those skipped. Audited as one `contact_letters_sent` event.
pub fn send(
    conn: &mut DbConnection,
    user: &AuthUser,
    id: PostingId,
    recipients: &Recipients,
    now: DateTime<Utc>,
) -> Result<Sending, ApiError> {
    let posting = worked_posting(conn, user, id)?;
    if !posting.accepting_applications(now) {
        return Err(ApiError::new(
            Code::FilingClosed,
            "Contact letters go out only for an open posting still accepting applications.",
        ));
    }
    let class = posting.classification.as_str().to_owned();
    let terms = terms_of(&posting);
    let already: HashSet<AccountId> = letters::recipients(conn, posting.id)?;
    let waivers = letters::waiver_counts(conn, &class, None)?;
    let method = ContactMethod::Electronic;
    let respond_by = calendar::respond_by(now, method);
    let mut sending = Sending {
        sent: 0,
        already_sent: 0,
        not_certifiable: 0,
        respond_by,
    };
    let mut cursor: Option<ListKey> = None;
    loop {
        let rows = exams::eligible_list(conn, &class, now, cursor.as_ref(), CHUNK)?;
        let exhausted = i64::try_from(rows.len()).unwrap_or(0) < CHUNK;
        for row in rows {
            cursor = Some(ListKey {
                band: row.rank_band,
                score: row.score,
                account_id: row.account_id.clone(),
            });
            if recipients
                .lowest_rank_band
                .is_some_and(|lowest| row.rank_band > i32::from(lowest))
            {
                continue;
            }
            let conditions = match &row.conditions {
                Some(json) => {
                    profiles::conditions_from_json(json, row.accepts_contact.unwrap_or(false))?
                }
                None => ConditionsOfEmployment::default(),
            };
            if !conditions.welcomes_letter_about(&terms) || !conditions.matches(&recipients.filter)
            {
                continue;
            }
            if !letter::certifiable(waivers.get(&row.account_id).copied().unwrap_or(0)) {
                sending.not_certifiable += 1;
                continue;
            }
            let Ok(person) = AccountId::parse(&row.account_id) else {
                continue;
            };
            if already.contains(&person) {
                sending.already_sent += 1;
                continue;
            }
            let Some(account) = accounts::find(conn, person)? else {
                continue;
            };
            let letter_id = ContactLetterId::from_uuid(uuid::Uuid::now_v7());
            let notice = letter_notice(&posting, letter_id, respond_by);
            let message = messages::send_notice(conn, &account, notice, EmailTo::OnFile, now)?;
            letters::insert(
                conn,
                &NewLetter {
                    id: letter_id,
                    posting_id: posting.id,
                    account_id: message.account_id,
                    classification: class.clone(),
                    rank_band: row.rank_band,
                    message_id: message.id,
                    method: "electronic",
                    sent_by: user.id(),
                    sent_at: now,
                    respond_by,
                },
            )
            .map_err(|e| match e {
                RepoError::Conflict { .. } => ApiError::new(
                    Code::Conflict,
                    "Another sending for this posting ran at the same time; try again.",
                ),
                other => other.into(),
            })?;
            sending.sent += 1;
        }
        if exhausted {
            break;
        }
    }
    audit::record(
        conn,
        AuditKind::ContactLettersSent,
        Some(user.id()),
        None,
        json!({
            "posting_id": posting.id.to_string(),
            "sent": sending.sent,
            "already_sent": sending.already_sent,
            "not_certifiable": sending.not_certifiable,
        }),
        now,
    )?;
    Ok(sending)
}

/// A page of a posting's letters, in the order they were sent, each with its state at `now`.
pub fn list_for_posting(
    conn: &mut DbConnection,
    user: &AuthUser,
    id: PostingId,
    page: PageRequest<'_>,
    now: DateTime<Utc>,
) -> Result<Page<LetterView>, ApiError> {
    let posting = worked_posting(conn, user, id)?;
    let found = letters::for_posting(conn, posting.id, page)?;
    let has_more = found.has_more;
    let items = found
        .items
        .into_iter()
        .map(|row| view(row, now))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Page { items, has_more })
}

/// A page of the caller's letters, newest first.
pub fn mine(
    conn: &mut DbConnection,
    user: &AuthUser,
    page: PageRequest<'_>,
    now: DateTime<Utc>,
) -> Result<Page<LetterView>, ApiError> {
    let found = letters::for_account(conn, user.id(), page)?;
    let has_more = found.has_more;
    let items = found
        .items
        .into_iter()
        .map(|row| view(row, now))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Page { items, has_more })
}

/// The caller's answer to one of their letters: any answer until `respond_by` (the latest
/// counts), then only `not_interested` (409 `response_closed` otherwise). Another person's
/// letter is 404. Audited as `contact_letter_answered`.
pub fn answer(
    conn: &mut DbConnection,
    user: &AuthUser,
    id: ContactLetterId,
    answer: Answer,
    now: DateTime<Utc>,
) -> Result<LetterView, ApiError> {
    let not_found = || ApiError::not_found("contact letter");
    let row = letters::find(conn, id)?.ok_or_else(not_found)?;
    if row.account_id != user.id() {
        return Err(not_found());
    }
    letter::may_answer(answer, row.respond_by(), now)
        .map_err(|e| ApiError::new(Code::ResponseClosed, format!("This letter's {e}.")))?;
    letters::answer(conn, id, answer, now)?;
    audit::record(
        conn,
        AuditKind::ContactLetterAnswered,
        Some(user.id()),
        Some(user.id()),
        json!({"contact_letter_id": id.to_string(), "answer": answer.as_str()}),
        now,
    )?;
    let row = letters::find(conn, id)?.ok_or_else(not_found)?;
    view(row, now)
}

/// A recorded waiver with the person's count in the class.
#[derive(Debug, Clone)]
pub struct RecordedWaiver {
    /// The waiver.
    pub waiver: Waiver,
    /// The person's waivers of appointment in the class, this one included.
    pub waivers_in_class: u32,
    /// Whether the person may still be certified for the class.
    pub certifiable: bool,
}

/// Records a waiver of appointment for a person on a posting the caller works: the person must
/// have had a letter about it or applied to it (422 `not_a_candidate` at `account_id`
/// otherwise); one per person and posting (409 `already_exists`). Audited as
/// `appointment_waiver_recorded`.
pub fn record_waiver(
    conn: &mut DbConnection,
    user: &AuthUser,
    id: PostingId,
    person: AccountId,
    reason: WaiverReason,
    now: DateTime<Utc>,
) -> Result<RecordedWaiver, ApiError> {
    let posting = worked_posting(conn, user, id)?;
    let person_text = person.to_string();
    let candidate = letters::find_for(conn, posting.id, person)?.is_some()
        || applications::submitted_to(conn, person, posting.id)?;
    if !candidate {
        return Err(ApiError::invalid(
            "account_id",
            "not_a_candidate",
            "This person had no contact letter about this posting and did not apply to it.",
        ));
    }
    let already = || {
        ApiError::new(
            Code::AlreadyExists,
            "A waiver is already recorded for this person on this posting.",
        )
    };
    if letters::waived(conn, posting.id, person)? {
        return Err(already());
    }
    let waiver = Waiver {
        id: WaiverId::from_uuid(uuid::Uuid::now_v7()),
        account_id: person,
        classification: posting.classification.as_str().to_owned(),
        posting_id: posting.id,
        reason,
        recorded_by: user.id(),
        recorded_at: now,
    };
    letters::insert_waiver(conn, &waiver).map_err(|e| match e {
        RepoError::Conflict { .. } => already(),
        other => other.into(),
    })?;
    let waivers_in_class = letters::waiver_counts(
        conn,
        &waiver.classification,
        Some(std::slice::from_ref(&person_text)),
    )?
    .get(&person_text)
    .copied()
    .unwrap_or(0);
    audit::record(
        conn,
        AuditKind::AppointmentWaiverRecorded,
        Some(user.id()),
        Some(person),
        json!({
            "waiver_id": waiver.id.to_string(),
            "posting_id": posting.id.to_string(),
            "classification": waiver.classification,
            "reason": reason.as_str(),
            "waivers_in_class": waivers_in_class,
        }),
        now,
    )?;
    Ok(RecordedWaiver {
        waiver,
        waivers_in_class,
        certifiable: letter::certifiable(waivers_in_class),
    })
}
