//! Profile merge: what a person's account holds, itemised, and moving it all to another
//! account in the caller's transaction. The use case (`services::merges`) decides what moves;
//! these functions only read and re-own rows.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use merit_domain::ids::AccountId;

use crate::{
    DbConnection,
    alerts::record_change,
    error::RepoResult,
    schema::{
        accounts, application_templates, applications, appointment_waivers, contact_letters,
        correspondence, documents, eligibilities, exam_attempts, job_alert_digests, job_alert_hits,
        job_alerts, merge_codes, messages, one_time_tokens, saved_searches, staff_cases,
    },
    templates::name_key,
    time::{naive, utc},
};

/// A template, as a merge lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateItem {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Whether it is the owner's default.
    pub is_default: bool,
}

/// An exam attempt, as a merge lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttemptItem {
    /// Its id.
    pub id: String,
    /// The exam.
    pub exam_id: String,
    /// The exam's classification.
    pub classification_code: String,
    /// The score.
    pub score: i32,
}

/// An eligibility, as a merge lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EligibilityItem {
    /// The attempt that granted it (its id).
    pub attempt_id: String,
    /// The classification it makes the person eligible for.
    pub classification_code: String,
    /// The score.
    pub score: i32,
    /// When it expires.
    pub expires_at: DateTime<Utc>,
}

/// An application, as a merge lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplicationItem {
    /// Its id.
    pub id: String,
    /// The posting.
    pub posting_id: String,
    /// Its status (`draft`, `received`, ...).
    pub status: String,
}

/// An item tied to a posting (a contact letter, a waiver of appointment).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostingItem {
    /// Its id.
    pub id: String,
    /// The posting.
    pub posting_id: String,
}

/// A staff case about the person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseItem {
    /// Its id.
    pub id: String,
    /// The office.
    pub office_code: String,
    /// Whether it is open (active or inactive).
    pub open: bool,
}

/// A named item (a document's title, a saved search's name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedItem {
    /// Its id.
    pub id: String,
    /// Its name or title.
    pub name: String,
}

/// Everything a person's account holds that a merge moves, each list ordered by id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Holdings {
    /// Application templates.
    pub templates: Vec<TemplateItem>,
    /// Documents (their titles).
    pub documents: Vec<NamedItem>,
    /// Exam attempts.
    pub exam_attempts: Vec<AttemptItem>,
    /// Eligibilities.
    pub eligibilities: Vec<EligibilityItem>,
    /// Applications.
    pub applications: Vec<ApplicationItem>,
    /// Saved searches (their names).
    pub saved_searches: Vec<NamedItem>,
    /// Job alerts (ids).
    pub job_alerts: Vec<String>,
    /// Inbox messages (ids).
    pub messages: Vec<String>,
    /// Contact letters.
    pub contact_letters: Vec<PostingItem>,
    /// Waivers of appointment.
    pub waivers: Vec<PostingItem>,
    /// Staff cases about the person.
    pub cases: Vec<CaseItem>,
    /// Letters from staff (ids).
    pub correspondence: Vec<String>,
}

/// What `account_id` holds.
pub fn holdings(conn: &mut DbConnection, account_id: AccountId) -> RepoResult<Holdings> {
    let templates = application_templates::table
        .filter(application_templates::account_id.eq(account_id.to_string()))
        .order(application_templates::id.asc())
        .select((
            application_templates::id,
            application_templates::name,
            application_templates::is_default,
        ))
        .load::<(String, String, bool)>(conn)?
        .into_iter()
        .map(|(id, name, is_default)| TemplateItem {
            id,
            name,
            is_default,
        })
        .collect();
    let documents = documents::table
        .filter(documents::account_id.eq(account_id.to_string()))
        .order(documents::id.asc())
        .select((documents::id, documents::title))
        .load::<(String, String)>(conn)?
        .into_iter()
        .map(|(id, name)| NamedItem { id, name })
        .collect();
    let exam_attempts = exam_attempts::table
        .filter(exam_attempts::account_id.eq(account_id.to_string()))
        .order(exam_attempts::id.asc())
        .select((
            exam_attempts::id,
            exam_attempts::exam_id,
            exam_attempts::classification_code,
            exam_attempts::score,
        ))
        .load::<(String, String, String, i32)>(conn)?
        .into_iter()
        .map(|(id, exam_id, classification_code, score)| AttemptItem {
            id,
            exam_id,
            classification_code,
            score,
        })
        .collect();
    let eligibilities = eligibilities::table
        .filter(eligibilities::account_id.eq(account_id.to_string()))
        .order(eligibilities::attempt_id.asc())
        .select((
            eligibilities::attempt_id,
            eligibilities::classification_code,
            eligibilities::score,
            eligibilities::expires_at,
        ))
        .load::<(String, String, i32, NaiveDateTime)>(conn)?
        .into_iter()
        .map(
            |(attempt_id, classification_code, score, expires_at)| EligibilityItem {
                attempt_id,
                classification_code,
                score,
                expires_at: utc(expires_at),
            },
        )
        .collect();
    let applications = applications::table
        .filter(applications::account_id.eq(account_id.to_string()))
        .order(applications::id.asc())
        .select((
            applications::id,
            applications::posting_id,
            applications::status,
        ))
        .load::<(String, String, String)>(conn)?
        .into_iter()
        .map(|(id, posting_id, status)| ApplicationItem {
            id,
            posting_id,
            status,
        })
        .collect();
    let saved_searches = saved_searches::table
        .filter(saved_searches::account_id.eq(account_id.to_string()))
        .order(saved_searches::id.asc())
        .select((saved_searches::id, saved_searches::name))
        .load::<(String, String)>(conn)?
        .into_iter()
        .map(|(id, name)| NamedItem { id, name })
        .collect();
    let job_alerts = job_alerts::table
        .filter(job_alerts::account_id.eq(account_id.to_string()))
        .order(job_alerts::id.asc())
        .select(job_alerts::id)
        .load(conn)?;
    let messages = messages::table
        .filter(messages::account_id.eq(account_id.to_string()))
        .order(messages::id.asc())
        .select(messages::id)
        .load(conn)?;
    let posting_items = |rows: Vec<(String, String)>| {
        rows.into_iter()
            .map(|(id, posting_id)| PostingItem { id, posting_id })
            .collect()
    };
    let contact_letters = posting_items(
        contact_letters::table
            .filter(contact_letters::account_id.eq(account_id.to_string()))
            .order(contact_letters::id.asc())
            .select((contact_letters::id, contact_letters::posting_id))
            .load(conn)?,
    );
    let waivers = posting_items(
        appointment_waivers::table
            .filter(appointment_waivers::account_id.eq(account_id.to_string()))
            .order(appointment_waivers::id.asc())
            .select((appointment_waivers::id, appointment_waivers::posting_id))
            .load(conn)?,
    );
    let cases = staff_cases::table
        .filter(staff_cases::person_account_id.eq(account_id.to_string()))
        .order(staff_cases::id.asc())
        .select((
            staff_cases::id,
            staff_cases::office_code,
            staff_cases::status,
        ))
        .load::<(String, String, String)>(conn)?
        .into_iter()
        .map(|(id, office_code, status)| CaseItem {
            id,
            office_code,
            open: status != "closed",
        })
        .collect();
    let correspondence = correspondence::table
        .filter(correspondence::account_id.eq(account_id.to_string()))
        .order(correspondence::id.asc())
        .select(correspondence::id)
        .load(conn)?;
    Ok(Holdings {
        templates,
        documents,
        exam_attempts,
        eligibilities,
        applications,
        saved_searches,
        job_alerts,
        messages,
        contact_letters,
        waivers,
        cases,
        correspondence,
    })
}

/// How the rows move: what is renamed on the way and what stays with the closed account.
#[derive(Debug, Clone, Default)]
pub struct Moves {
    /// Templates renamed because the target uses their name: (id, new name).
    pub template_renames: Vec<(String, String)>,
    /// Whether the source's default template stops being a default (the target has one).
    pub clear_source_default: bool,
    /// Saved searches renamed because the target uses their name: (id, new name).
    pub saved_search_renames: Vec<(String, String)>,
    /// Applications that stay with the closed account (ids).
    pub applications_staying: Vec<String>,
    /// The target's applications that go to the closed account (ids): the source's
    /// application to the same posting is the one kept.
    pub applications_leaving: Vec<String>,
    /// Contact letters that stay (the target had a letter about the same posting).
    pub letters_staying: Vec<String>,
    /// Waivers that stay (the target has one for the same posting).
    pub waivers_staying: Vec<String>,
    /// Open cases that stay (the target has an open case in the same office).
    pub cases_staying: Vec<String>,
}

/// Moves everything `source` holds to `target`, except what `moves` keeps back, in the
/// caller's transaction. Every moved job alert is appended to the alerts' change log, so the
/// matching index learns its new owner.
pub fn move_all(
    conn: &mut DbConnection,
    source: AccountId,
    target: AccountId,
    moves: &Moves,
    now: DateTime<Utc>,
) -> RepoResult<()> {
    use application_templates as t;
    if moves.clear_source_default {
        diesel::update(t::table.filter(t::account_id.eq(source.to_string())))
            .set(t::is_default.eq(false))
            .execute(conn)?;
    }
    for (id, name) in &moves.template_renames {
        diesel::update(t::table.find(id))
            .set((
                t::name.eq(name),
                t::name_key.eq(name_key(name)),
                t::updated_at.eq(naive(now)),
            ))
            .execute(conn)?;
    }
    diesel::update(t::table.filter(t::account_id.eq(source.to_string())))
        .set(t::account_id.eq(target.to_string()))
        .execute(conn)?;
    diesel::update(documents::table.filter(documents::account_id.eq(source.to_string())))
        .set(documents::account_id.eq(target.to_string()))
        .execute(conn)?;
    diesel::update(exam_attempts::table.filter(exam_attempts::account_id.eq(source.to_string())))
        .set(exam_attempts::account_id.eq(target.to_string()))
        .execute(conn)?;
    diesel::update(eligibilities::table.filter(eligibilities::account_id.eq(source.to_string())))
        .set(eligibilities::account_id.eq(target.to_string()))
        .execute(conn)?;
    // One non-draft application per person and posting is a unique index that is checked
    // row by row, so a swap of owners goes through `draft` (which the index leaves out; a draft
    // has no `submitted_at`): the leaving application is parked as a draft of the source, the
    // source's move, and the parked one gets its status and submission instant back. All in
    // the caller's transaction.
    let mut parked = Vec::new();
    for id in &moves.applications_leaving {
        let (status, submitted_at): (String, Option<NaiveDateTime>) = applications::table
            .find(id)
            .select((applications::status, applications::submitted_at))
            .first(conn)?;
        diesel::update(applications::table.find(id))
            .set((
                applications::status.eq("draft"),
                applications::submitted_at.eq(None::<NaiveDateTime>),
                applications::account_id.eq(source.to_string()),
            ))
            .execute(conn)?;
        parked.push((id, status, submitted_at));
    }
    diesel::update(
        applications::table
            .filter(applications::account_id.eq(source.to_string()))
            .filter(applications::id.ne_all(&moves.applications_staying))
            .filter(applications::id.ne_all(&moves.applications_leaving)),
    )
    .set(applications::account_id.eq(target.to_string()))
    .execute(conn)?;
    for (id, status, submitted_at) in parked {
        diesel::update(applications::table.find(id))
            .set((
                applications::status.eq(status),
                applications::submitted_at.eq(submitted_at),
            ))
            .execute(conn)?;
    }
    for (id, name) in &moves.saved_search_renames {
        diesel::update(saved_searches::table.find(id))
            .set((
                saved_searches::name.eq(name),
                saved_searches::updated_at.eq(naive(now)),
            ))
            .execute(conn)?;
    }
    diesel::update(saved_searches::table.filter(saved_searches::account_id.eq(source.to_string())))
        .set(saved_searches::account_id.eq(target.to_string()))
        .execute(conn)?;
    move_alerts(conn, source, target)?;
    diesel::update(messages::table.filter(messages::account_id.eq(source.to_string())))
        .set(messages::account_id.eq(target.to_string()))
        .execute(conn)?;
    diesel::update(
        contact_letters::table
            .filter(contact_letters::account_id.eq(source.to_string()))
            .filter(contact_letters::id.ne_all(&moves.letters_staying)),
    )
    .set(contact_letters::account_id.eq(target.to_string()))
    .execute(conn)?;
    diesel::update(
        appointment_waivers::table
            .filter(appointment_waivers::account_id.eq(source.to_string()))
            .filter(appointment_waivers::id.ne_all(&moves.waivers_staying)),
    )
    .set(appointment_waivers::account_id.eq(target.to_string()))
    .execute(conn)?;
    diesel::update(
        staff_cases::table
            .filter(staff_cases::person_account_id.eq(source.to_string()))
            .filter(staff_cases::id.ne_all(&moves.cases_staying)),
    )
    .set(staff_cases::person_account_id.eq(target.to_string()))
    .execute(conn)?;
    diesel::update(correspondence::table.filter(correspondence::account_id.eq(source.to_string())))
        .set(correspondence::account_id.eq(target.to_string()))
        .execute(conn)?;
    Ok(())
}

/// Moves alerts, their hits and the digests that do not clash with one of the target's
/// (same frequency and period: that digest went out already, as the target's).
fn move_alerts(conn: &mut DbConnection, source: AccountId, target: AccountId) -> RepoResult<()> {
    let moved: Vec<String> = job_alerts::table
        .filter(job_alerts::account_id.eq(source.to_string()))
        .order(job_alerts::id.asc())
        .select(job_alerts::id)
        .load(conn)?;
    diesel::update(job_alerts::table.filter(job_alerts::account_id.eq(source.to_string())))
        .set(job_alerts::account_id.eq(target.to_string()))
        .execute(conn)?;
    for id in &moved {
        record_change(conn, crate::error::parse_id("job_alerts", id)?)?;
    }
    diesel::update(job_alert_hits::table.filter(job_alert_hits::account_id.eq(source.to_string())))
        .set(job_alert_hits::account_id.eq(target.to_string()))
        .execute(conn)?;
    let digests = |conn: &mut DbConnection, account: AccountId| {
        job_alert_digests::table
            .filter(job_alert_digests::account_id.eq(account.to_string()))
            .select((
                job_alert_digests::frequency,
                job_alert_digests::period_start,
            ))
            .load::<(String, NaiveDateTime)>(conn)
    };
    let taken = digests(conn, target)?;
    for (frequency, period_start) in digests(conn, source)? {
        if taken.contains(&(frequency.clone(), period_start)) {
            continue;
        }
        diesel::update(job_alert_digests::table.find((
            source.to_string(),
            &frequency,
            period_start,
        )))
        .set(job_alert_digests::account_id.eq(target.to_string()))
        .execute(conn)?;
    }
    Ok(())
}

/// Closes a merged account: disabled, and marked merged into `target` (once: answers `false`
/// when it was merged already). Its unused emailed links stop working.
pub fn close_as_merged(
    conn: &mut DbConnection,
    source: AccountId,
    target: AccountId,
    now: DateTime<Utc>,
) -> RepoResult<bool> {
    let closed = diesel::update(
        accounts::table
            .find(source.to_string())
            .filter(accounts::merged_into.is_null()),
    )
    .set((
        accounts::disabled_at.eq(naive(now)),
        accounts::merged_into.eq(target.to_string()),
        accounts::merged_at.eq(naive(now)),
        accounts::updated_at.eq(naive(now)),
    ))
    .execute(conn)?;
    diesel::update(
        one_time_tokens::table
            .filter(one_time_tokens::account_id.eq(source.to_string()))
            .filter(one_time_tokens::used_at.is_null()),
    )
    .set(one_time_tokens::used_at.eq(naive(now)))
    .execute(conn)?;
    diesel::update(
        merge_codes::table
            .filter(merge_codes::account_id.eq(source.to_string()))
            .filter(merge_codes::used_at.is_null()),
    )
    .set(merge_codes::used_at.eq(naive(now)))
    .execute(conn)?;
    Ok(closed == 1)
}
