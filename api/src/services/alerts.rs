//! Job alerts: a person's criteria watched for new postings (CRUD), matching an opened posting
//! against every alert, the daily and weekly digests, and the RFC 8058 one-click unsubscribe.
//!
//! A posting is queued for matching in its publishing transaction; the worker (see
//! `crate::alerts::worker`) claims it, finds the matching alerts in the in-memory index,
//! applies the visibility rule for each owner, and records one match per alert and posting
//! (a unique key: never twice). Instant alerts get their message in that same transaction;
//! daily and weekly ones wait for their period's digest, one per person, frequency and period.

use std::collections::{BTreeSet, HashMap, hash_map::Entry};

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use merit_domain::{
    account::{Account, Role, RosterStatus},
    alert::{AlertChannel, AlertFrequency},
    ids::{AccountId, EntityId, JobAlertId, PostingId, SavedSearchId},
    message::MessageKind,
    paging::PageLimit,
    posting::{Posting, PostingStatus, SearchCriteria, Viewer, can_see},
};
use merit_persistence::{
    DbConnection, Page, PageRequest, accounts,
    alerts::{self, AlertChange, DigestKey, Hit, JobAlert},
    postings, profiles, reference, roster, saved_searches,
    time::{naive, utc},
};
use serde_json::json;
use sha2::Sha256;

use crate::{
    alerts::{AlertIndex, PostingFacts, index::reasons},
    error::{ApiError, Code},
    services::{
        audit::{self, AuditKind},
        messages::{EmailTo, Notice, send_subscription_notice},
    },
};

/// The most alerts one person may keep.
pub const MAX_ALERTS_PER_PERSON: i64 = 25;

/// How many queued postings one matching transaction takes.
const MATCH_BATCH: i64 = 10;

fn not_found() -> ApiError {
    ApiError::not_found("alert")
}

// ---------------------------------------------------------------------------------------------
// One-click unsubscribe links (RFC 8058)
// ---------------------------------------------------------------------------------------------

type HmacSha256 = Hmac<Sha256>;

fn keyed(key: &[u8]) -> HmacSha256 {
    // HMAC takes a key of any length.
    <HmacSha256 as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable!())
}

/// Makes and checks the signed links that turn one alert off.
#[derive(Clone)]
pub struct UnsubscribeLinks {
    base_url: String,
    key: Vec<u8>,
}

impl std::fmt::Debug for UnsubscribeLinks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UnsubscribeLinks")
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

const TOKEN_CONTEXT: &[u8] = b"merit job alert unsubscribe v1:";
/// A token naming several alerts (a digest's) is signed under its own context.
const SET_CONTEXT: &[u8] = b"merit job alert set unsubscribe v1:";

/// The most alerts one token names (a person's alerts, see [`MAX_ALERTS_PER_PERSON`]).
const MOST_IN_A_TOKEN: usize = MAX_ALERTS_PER_PERSON as usize;

/// The longest token: [`MOST_IN_A_TOKEN`] ids of 16 bytes and a MAC of 32, base64url, and a
/// dot (the query parameter's `maxLength`).
pub const MAX_TOKEN_LEN: usize = (MOST_IN_A_TOKEN * 16 * 4).div_ceil(3) + 1 + 43;

impl UnsubscribeLinks {
    /// Links under `public_url`, signed with a key derived from the server's secret.
    pub fn new(public_url: &str, server_secret: &[u8]) -> Self {
        UnsubscribeLinks {
            base_url: format!(
                "{}/api/v1/alerts/unsubscribe",
                public_url.trim_end_matches('/')
            ),
            key: keyed(server_secret)
                .chain_update(b"merit job alert unsubscribe key")
                .finalize()
                .into_bytes()
                .to_vec(),
        }
    }

    fn mac(&self, alert_id: JobAlertId) -> HmacSha256 {
        keyed(&self.key)
            .chain_update(TOKEN_CONTEXT)
            .chain_update(alert_id.to_string().as_bytes())
    }

    fn set_mac(&self, ids: &[u8]) -> HmacSha256 {
        keyed(&self.key).chain_update(SET_CONTEXT).chain_update(ids)
    }

    /// The token for one alert: its id and a MAC of it (it names that alert and nothing else).
    pub fn token(&self, alert_id: JobAlertId) -> String {
        let mac = self.mac(alert_id).finalize().into_bytes();
        format!("{alert_id}.{}", URL_SAFE_NO_PAD.encode(mac))
    }

    /// The token for a set of alerts (a digest's): for one alert, [`UnsubscribeLinks::token`];
    /// for several, their ids (16 bytes each, in order, each once) and a MAC of them, both
    /// base64url. It names exactly those alerts. `None` for no alert or more than a person
    /// may keep.
    pub fn set_token(&self, alert_ids: &[JobAlertId]) -> Option<String> {
        let ids: BTreeSet<JobAlertId> = alert_ids.iter().copied().collect();
        match ids.len() {
            0 => None,
            1 => ids.first().map(|&id| self.token(id)),
            n if n > MOST_IN_A_TOKEN => None,
            _ => {
                let bytes: Vec<u8> = ids.iter().flat_map(|id| id.uuid().into_bytes()).collect();
                let mac = self.set_mac(&bytes).finalize().into_bytes();
                Some(format!(
                    "{}.{}",
                    URL_SAFE_NO_PAD.encode(&bytes),
                    URL_SAFE_NO_PAD.encode(mac)
                ))
            }
        }
    }

    /// The alerts a token names (one, or a digest's several, in id order), if its MAC is ours
    /// (checked in constant time).
    pub fn verify(&self, token: &str) -> Option<Vec<JobAlertId>> {
        let (head, mac) = token.split_once('.')?;
        let given = URL_SAFE_NO_PAD.decode(mac).ok()?;
        if let Ok(id) = JobAlertId::parse(head) {
            self.mac(id).verify_slice(&given).ok()?;
            return Some(vec![id]);
        }
        let bytes = URL_SAFE_NO_PAD.decode(head).ok()?;
        if bytes.len() < 32 || bytes.len() % 16 != 0 || bytes.len() > MOST_IN_A_TOKEN * 16 {
            return None;
        }
        self.set_mac(&bytes).verify_slice(&given).ok()?;
        bytes
            .chunks_exact(16)
            .map(|c| uuid::Uuid::from_slice(c).ok().map(JobAlertId::from_uuid))
            .collect()
    }

    /// The one-click unsubscribe address of an alert.
    pub fn url(&self, alert_id: JobAlertId) -> String {
        format!("{}?token={}", self.base_url, self.token(alert_id))
    }

    /// The one-click unsubscribe address of a set of alerts (see [`UnsubscribeLinks::set_token`]).
    pub fn set_url(&self, alert_ids: &[JobAlertId]) -> Option<String> {
        self.set_token(alert_ids)
            .map(|token| format!("{}?token={token}", self.base_url))
    }
}

// ---------------------------------------------------------------------------------------------
// The owner's alerts
// ---------------------------------------------------------------------------------------------

/// Where a new alert's criteria come from.
#[derive(Debug, Clone)]
pub enum CriteriaSource {
    /// These criteria.
    Criteria(SearchCriteria),
    /// A copy of one of the caller's saved searches.
    SavedSearch(SavedSearchId),
}

/// A new alert.
#[derive(Debug, Clone)]
pub struct NewAlert {
    /// Its criteria.
    pub source: CriteriaSource,
    /// Inbox only or inbox and email.
    pub channel: AlertChannel,
    /// When it is delivered.
    pub frequency: AlertFrequency,
}

/// Creates an alert for `owner` (at most [`MAX_ALERTS_PER_PERSON`]). Call in a write
/// transaction: the person is locked first, so two creations at once cannot both pass the count.
pub fn create(
    conn: &mut DbConnection,
    owner: AccountId,
    new: NewAlert,
    now: DateTime<Utc>,
) -> Result<JobAlert, ApiError> {
    profiles::lock_person(conn, owner)?;
    let (criteria, saved_search_id) = match new.source {
        CriteriaSource::Criteria(criteria) => (criteria, None),
        CriteriaSource::SavedSearch(id) => {
            let saved = saved_searches::find_own(conn, owner, id)?.ok_or_else(|| {
                ApiError::invalid(
                    "saved_search_id",
                    "not_found",
                    "You have no saved search with this id.",
                )
            })?;
            (saved.criteria, Some(id))
        }
    };
    if alerts::count_for(conn, owner)? >= MAX_ALERTS_PER_PERSON {
        return Err(ApiError::new(
            Code::AlertLimitReached,
            format!("You can keep at most {MAX_ALERTS_PER_PERSON} job alerts. Delete one first."),
        ));
    }
    let alert = JobAlert {
        id: JobAlertId::from_uuid(uuid::Uuid::now_v7()),
        account_id: owner,
        saved_search_id,
        criteria,
        channel: new.channel,
        frequency: new.frequency,
        active: true,
        created_at: now,
        updated_at: now,
    };
    alerts::insert(conn, &alert)?;
    Ok(alert)
}

/// A page of the owner's alerts, oldest first.
pub fn list(
    conn: &mut DbConnection,
    owner: AccountId,
    after: Option<&str>,
    limit: PageLimit,
) -> Result<Page<JobAlert>, ApiError> {
    Ok(alerts::list_own(conn, owner, PageRequest { after, limit })?)
}

/// One of the owner's alerts; another person's is 404.
pub fn get(
    conn: &mut DbConnection,
    owner: AccountId,
    id: JobAlertId,
) -> Result<JobAlert, ApiError> {
    alerts::find_own(conn, owner, id)?.ok_or_else(not_found)
}

/// Replaces the owner's alert. Postings that already matched it are not matched again.
pub fn update(
    conn: &mut DbConnection,
    owner: AccountId,
    id: JobAlertId,
    change: &AlertChange<'_>,
    now: DateTime<Utc>,
) -> Result<JobAlert, ApiError> {
    if !alerts::update_own(conn, owner, id, change, now)? {
        return Err(not_found());
    }
    get(conn, owner, id)
}

/// Deletes the owner's alert (and its undelivered matches).
pub fn delete(conn: &mut DbConnection, owner: AccountId, id: JobAlertId) -> Result<(), ApiError> {
    if alerts::delete_own(conn, owner, id)? {
        Ok(())
    } else {
        Err(not_found())
    }
}

/// What a one-click unsubscribe did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsubscribed {
    /// The alerts the link names that still exist, in id order.
    pub alert_ids: Vec<JobAlertId>,
    /// How many of them this request turned off (0: they were off already).
    pub changed: usize,
}

fn bad_token() -> ApiError {
    ApiError::new(
        Code::InvalidToken,
        "This unsubscribe link is not valid (or its alert was deleted).",
    )
}

/// The alerts an unsubscribe token names that still exist (at least one), in id order,
/// without changing anything (GET).
pub fn unsubscribe_target(
    conn: &mut DbConnection,
    links: &UnsubscribeLinks,
    token: &str,
) -> Result<Vec<JobAlert>, ApiError> {
    let ids = links.verify(token).ok_or_else(bad_token)?;
    let mut found = alerts::find_many(conn, &ids)?;
    if found.is_empty() {
        return Err(bad_token());
    }
    found.sort_by_key(|a| a.id);
    Ok(found)
}

/// Turns off the alerts a signed token names (one, or a digest's several; RFC 8058 one-click
/// POST), and no other. Repeating it answers the same and changes nothing; each alert turned
/// off is audited once.
pub fn unsubscribe(
    conn: &mut DbConnection,
    links: &UnsubscribeLinks,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Unsubscribed, ApiError> {
    let named = unsubscribe_target(conn, links, token)?;
    let mut changed = 0;
    for alert in &named {
        if alerts::turn_off(conn, alert.id, now)? {
            changed += 1;
            audit::record(
                conn,
                AuditKind::AlertUnsubscribed,
                None,
                Some(alert.account_id),
                json!({ "alert_id": alert.id.to_string() }),
                now,
            )?;
        }
    }
    Ok(Unsubscribed {
        alert_ids: named.into_iter().map(|a| a.id).collect(),
        changed,
    })
}

// ---------------------------------------------------------------------------------------------
// Matching and delivery (the worker's use cases)
// ---------------------------------------------------------------------------------------------

/// Queues a posting that just opened for matching (in the publishing transaction).
pub fn posting_opened(
    conn: &mut DbConnection,
    posting: PostingId,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    Ok(alerts::enqueue_posting(conn, posting, now)?)
}

/// An owner, as matching sees them: the account and who they are for the visibility rule.
struct Owner {
    account: Account,
    viewer: Viewer,
}

fn owner(conn: &mut DbConnection, account_id: AccountId) -> Result<Option<Owner>, ApiError> {
    let Some(account) = accounts::find(conn, account_id)? else {
        return Ok(None);
    };
    if account.disabled {
        return Ok(None);
    }
    let employee_of = match &account.employee_id {
        Some(id) if account.roles.has(Role::Employee) => roster::find(conn, id.as_str())?
            .filter(|e| e.status == RosterStatus::Active)
            .map(|e| e.department),
        _ => None,
    };
    let employer_of = if account.roles.has(Role::Employer) {
        account.department.clone()
    } else {
        None
    };
    Ok(Some(Owner {
        account,
        viewer: Viewer {
            employee_of,
            employer_of,
        },
    }))
}

fn describe(posting: &Posting) -> String {
    format!(
        "{} ({}, {} county), final filing date {}",
        posting.title.as_str(),
        posting.department.as_str(),
        posting.county.as_str(),
        posting.final_filing_date
    )
}

fn email_to(channel: AlertChannel) -> EmailTo {
    match channel {
        AlertChannel::Email => EmailTo::OnFile,
        AlertChannel::InApp => EmailTo::Nowhere,
    }
}

/// Matches one opened posting against every alert; returns how many matches were recorded.
/// Instant alerts get their message now.
pub fn match_posting(
    conn: &mut DbConnection,
    index: &AlertIndex,
    links: &UnsubscribeLinks,
    posting_id: PostingId,
    now: DateTime<Utc>,
) -> Result<usize, ApiError> {
    let Some(posting) = postings::find(conn, posting_id)? else {
        return Ok(0);
    };
    if posting.status != PostingStatus::Open {
        return Ok(0);
    }
    let title = reference::find_classification(conn, posting.classification.as_str())?
        .map(|c| c.title.as_str().to_owned())
        .unwrap_or_default();
    let facts = PostingFacts::of(&posting, &title);
    let mut owners: HashMap<AccountId, Option<Owner>> = HashMap::new();
    let mut recorded = 0;
    for matched in index.matching(&facts) {
        let alert = matched.alert;
        let who = match owners.entry(alert.account_id) {
            Entry::Occupied(known) => known.into_mut(),
            Entry::Vacant(slot) => slot.insert(owner(conn, alert.account_id)?),
        };
        let Some(who) = who else {
            continue;
        };
        if !can_see(
            posting.visibility,
            posting.status,
            &posting.department,
            &who.viewer,
        ) {
            continue;
        }
        let (period_start, due_at) = alert.frequency.period(now);
        let hit = Hit {
            alert_id: alert.id,
            posting_id,
            account_id: alert.account_id,
            frequency: alert.frequency.as_str().to_owned(),
            period_start: naive(period_start),
            due_at: naive(due_at),
            created_at: naive(now),
            delivered_at: None,
            message_id: None,
        };
        if !alerts::insert_hit(conn, &hit)? {
            continue;
        }
        recorded += 1;
        if alert.frequency == AlertFrequency::Instant {
            let notice = Notice {
                kind: MessageKind::JobAlert,
                template: "job_alert",
                subject: format!("New job: {}", posting.title.as_str()),
                paragraphs: vec![
                    format!(
                        "A posting that just opened matches your job alert: {}.",
                        describe(&posting)
                    ),
                    format!(
                        "Why it matched: {}.",
                        reasons(&alert.criteria, &facts).join("; ")
                    ),
                    format!("Posting id: {}.", posting.id),
                ],
                application_id: None,
                posting_id: Some(posting.id),
            };
            let unsubscribe = (alert.channel == AlertChannel::Email).then(|| links.url(alert.id));
            let message = send_subscription_notice(
                conn,
                &who.account,
                notice,
                email_to(alert.channel),
                unsubscribe,
                now,
            )?;
            alerts::mark_hit_delivered(conn, alert.id, posting_id, message.id, now)?;
        }
    }
    Ok(recorded)
}

/// Claims up to a batch of queued postings and matches each (call in a write transaction);
/// returns how many postings were matched.
pub fn match_queued(
    conn: &mut DbConnection,
    index: &AlertIndex,
    links: &UnsubscribeLinks,
    now: DateTime<Utc>,
) -> Result<usize, ApiError> {
    let claimed = alerts::claim_queued(conn, MATCH_BATCH)?;
    for &posting_id in &claimed {
        match_posting(conn, index, links, posting_id, now)?;
        alerts::mark_matched(conn, posting_id, now)?;
    }
    Ok(claimed.len())
}

/// Sends one digest, if this transaction is the first to claim it; whether one was sent.
pub fn deliver_digest(
    conn: &mut DbConnection,
    links: &UnsubscribeLinks,
    key: &DigestKey,
    now: DateTime<Utc>,
) -> Result<bool, ApiError> {
    let Some(frequency) = AlertFrequency::parse(&key.frequency) else {
        return Ok(false);
    };
    if !alerts::claim_digest(conn, key, now)? {
        // This period's digest went out already: later matches wait for the current period.
        let (start, end) = frequency.period(now);
        alerts::postpone(conn, key, start, end)?;
        return Ok(false);
    }
    let hits = alerts::digest_hits(conn, key)?;
    let alert_ids: Vec<JobAlertId> = hits
        .iter()
        .map(|h| h.alert_id)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let active: HashMap<JobAlertId, JobAlert> = alerts::find_many(conn, &alert_ids)?
        .into_iter()
        .filter(|a| a.active)
        .map(|a| (a.id, a))
        .collect();
    // Every listed posting in one query.
    let posting_ids: Vec<PostingId> = hits
        .iter()
        .filter(|h| active.contains_key(&h.alert_id))
        .map(|h| h.posting_id)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let open: HashMap<PostingId, Posting> = postings::find_many(conn, &posting_ids)?
        .into_iter()
        .filter(|p| p.status == PostingStatus::Open)
        .map(|p| (p.id, p))
        .collect();
    // A posting closed or cancelled since it matched is dropped; one matched by several alerts
    // is listed once, with every alert's reasons (written now, from the alert's criteria).
    let mut listed: Vec<(&Posting, PostingFacts, Vec<String>)> = Vec::new();
    let mut used: BTreeSet<JobAlertId> = BTreeSet::new();
    for hit in &hits {
        let (Some(alert), Some(posting)) = (active.get(&hit.alert_id), open.get(&hit.posting_id))
        else {
            continue;
        };
        if alert.channel == AlertChannel::Email {
            used.insert(alert.id);
        }
        let at = match listed.iter().position(|(p, _, _)| p.id == posting.id) {
            Some(at) => at,
            None => {
                listed.push((posting, PostingFacts::without_terms(posting), Vec::new()));
                listed.len() - 1
            }
        };
        let (_, facts, why) = &mut listed[at];
        why.push(reasons(&alert.criteria, facts).join("; "));
    }
    let who = match listed.is_empty() {
        true => None,
        false => owner(conn, key.account_id)?,
    };
    let Some(who) = who else {
        alerts::finish_digest(conn, key, None, now)?;
        return Ok(false);
    };
    let emailed: Vec<JobAlertId> = used.into_iter().collect();
    let period = match frequency {
        AlertFrequency::Weekly => "week",
        _ => "day",
    };
    let count = listed.len();
    let mut paragraphs = vec![format!(
        "{count} new {} matched your job alerts in the {period} from {} (UTC):",
        if count == 1 { "posting" } else { "postings" },
        utc(key.period_start).format("%Y-%m-%d"),
    )];
    for (posting, _, why) in &listed {
        paragraphs.push(format!(
            "{} Posting id: {}. Why it matched: {}.",
            describe(posting),
            posting.id,
            why.join("; ")
        ));
    }
    let notice = Notice {
        kind: MessageKind::JobAlert,
        template: "job_alert_digest",
        subject: format!(
            "Your {} job alert digest: {count} new {}",
            frequency.as_str(),
            if count == 1 { "posting" } else { "postings" }
        ),
        paragraphs,
        application_id: None,
        posting_id: listed.first().filter(|_| count == 1).map(|l| l.0.id),
    };
    // The one-click header names the email alerts that listed a posting here (one, or several:
    // a signed token naming exactly those), so it stops this mail and nothing else.
    let unsubscribe = links.set_url(&emailed);
    let to = if emailed.is_empty() {
        EmailTo::Nowhere
    } else {
        EmailTo::OnFile
    };
    let message = send_subscription_notice(conn, &who.account, notice, to, unsubscribe, now)?;
    alerts::finish_digest(conn, key, Some(message.id), now)?;
    Ok(true)
}

/// The digests due at `now`, at most `limit` of them, in key order after `after` (call
/// [`deliver_digest`] for each, one transaction each, then ask again after the last key).
pub fn due_digests(
    conn: &mut DbConnection,
    now: DateTime<Utc>,
    after: Option<&DigestKey>,
    limit: i64,
) -> Result<Vec<DigestKey>, ApiError> {
    Ok(alerts::due_digests(conn, now, after, limit)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(n: usize) -> Vec<JobAlertId> {
        (0..n)
            .map(|_| JobAlertId::from_uuid(uuid::Uuid::now_v7()))
            .collect()
    }

    #[test]
    fn a_set_token_names_exactly_its_alerts_and_is_signed() {
        let links = UnsubscribeLinks::new("https://careers.example.gov", b"secret");
        let other = UnsubscribeLinks::new("https://careers.example.gov", b"another secret");
        let three = ids(3);
        let token = links.set_token(&three).expect("a token");
        let mut sorted = three.clone();
        sorted.sort();
        assert_eq!(links.verify(&token), Some(sorted));
        assert_eq!(other.verify(&token), None, "another key's token is refused");
        // One alert: the one-alert token.
        let one = links.set_token(&three[..1]).expect("a token");
        assert_eq!(one, links.token(three[0]));
        assert_eq!(links.verify(&one), Some(vec![three[0]]));
        // Each of the token's characters matters.
        let (head, mac) = token.split_once('.').unwrap();
        let fewer = &head[..head.len() - 22];
        assert_eq!(links.verify(&format!("{fewer}.{mac}")), None);
        assert_eq!(links.set_token(&[]), None);
    }

    #[test]
    fn the_longest_token_fits_the_schema_and_a_longer_set_has_none() {
        let links = UnsubscribeLinks::new("https://careers.example.gov", b"secret");
        let most = ids(MOST_IN_A_TOKEN);
        let token = links.set_token(&most).expect("a token");
        assert_eq!(token.len(), MAX_TOKEN_LEN);
        assert_eq!(MAX_TOKEN_LEN, 578, "the query parameter's maxLength");
        assert_eq!(links.verify(&token).map(|v| v.len()), Some(MOST_IN_A_TOKEN));
        assert_eq!(links.set_token(&ids(MOST_IN_A_TOKEN + 1)), None);
    }
}
