//! Job alerts: criteria watched for new postings, the queue of postings to match, the matches
//! (one per alert and posting, never twice) and the digests (one per person, frequency and
//! period).
//!
//! Queue rows are claimed inside the worker's write transaction: on PostgreSQL with
//! `FOR UPDATE SKIP LOCKED`, so several Merit instances never take the same posting, and on
//! SQLite inside the writer lock. The unique keys on matches and digests make a repeat a no-op
//! whatever happens.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::{
    prelude::*,
    sql_types::{BigInt, Text, Timestamp},
};
use merit_domain::{
    alert::{AlertChannel, AlertFrequency},
    ids::{AccountId, JobAlertId, MessageId, PostingId, SavedSearchId},
    posting::SearchCriteria,
};

use crate::{
    DbConnection,
    error::{RepoError, RepoResult, parse_id},
    paging::{Page, PageRequest},
    saved_searches::criteria,
    schema::{job_alert_changes, job_alert_digests, job_alert_hits, job_alerts},
    time::{naive, utc},
};

/// A stored job alert.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobAlert {
    /// Opaque id.
    pub id: JobAlertId,
    /// Its owner.
    pub account_id: AccountId,
    /// The saved search its criteria were copied from, if any.
    pub saved_search_id: Option<SavedSearchId>,
    /// What it watches for.
    pub criteria: SearchCriteria,
    /// Inbox only, or inbox and email.
    pub channel: AlertChannel,
    /// At once, or a daily or weekly digest.
    pub frequency: AlertFrequency,
    /// Whether it is on.
    pub active: bool,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = job_alerts)]
struct AlertRow {
    id: String,
    account_id: String,
    saved_search_id: Option<String>,
    criteria: String,
    criteria_version: i64,
    channel: String,
    frequency: String,
    active: bool,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

fn invalid(reason: impl Into<String>) -> RepoError {
    RepoError::InvalidRow {
        table: "job_alerts",
        reason: reason.into(),
    }
}

impl TryFrom<AlertRow> for JobAlert {
    type Error = RepoError;
    fn try_from(r: AlertRow) -> RepoResult<Self> {
        Ok(JobAlert {
            criteria: criteria::decode(r.criteria_version, &r.criteria)?,
            id: JobAlertId::parse(&r.id).map_err(|e| invalid(e.to_string()))?,
            saved_search_id: r
                .saved_search_id
                .map(|s| SavedSearchId::parse(&s).map_err(|e| invalid(e.to_string())))
                .transpose()?,
            account_id: AccountId::parse(&r.account_id).map_err(|e| invalid(e.to_string()))?,
            channel: AlertChannel::parse(&r.channel).ok_or_else(|| invalid("a channel"))?,
            frequency: AlertFrequency::parse(&r.frequency).ok_or_else(|| invalid("a frequency"))?,
            active: r.active,
            created_at: utc(r.created_at),
            updated_at: utc(r.updated_at),
        })
    }
}

fn alerts(rows: Vec<AlertRow>) -> RepoResult<Vec<JobAlert>> {
    rows.into_iter().map(JobAlert::try_from).collect()
}

/// Serialises writers of the change log until they commit (PostgreSQL; SQLite's write
/// transactions are serial already), so change numbers commit in order and a reader that moved
/// its mark past one never misses an earlier one (as `postings::record_change`).
pub(crate) fn record_change(conn: &mut DbConnection, id: JobAlertId) -> RepoResult<()> {
    if let DbConnection::Postgresql(c) = conn {
        diesel::sql_query("LOCK TABLE job_alert_changes IN EXCLUSIVE MODE").execute(c)?;
    }
    diesel::insert_into(job_alert_changes::table)
        .values(job_alert_changes::alert_id.eq(id.to_string()))
        .execute(conn)?;
    Ok(())
}

/// Stores a new alert.
pub fn insert(conn: &mut DbConnection, alert: &JobAlert) -> RepoResult<()> {
    let row = AlertRow {
        id: alert.id.to_string(),
        account_id: alert.account_id.to_string(),
        saved_search_id: alert.saved_search_id.map(|s| s.to_string()),
        criteria: criteria::encode(&alert.criteria)?,
        criteria_version: criteria::CURRENT,
        channel: alert.channel.as_str().to_owned(),
        frequency: alert.frequency.as_str().to_owned(),
        active: alert.active,
        created_at: naive(alert.created_at),
        updated_at: naive(alert.updated_at),
    };
    diesel::insert_into(job_alerts::table)
        .values(&row)
        .execute(conn)?;
    record_change(conn, alert.id)
}

/// Stores many alerts (benchmarks and demo data), with one change-log row each.
pub fn insert_many(conn: &mut DbConnection, all: &[JobAlert]) -> RepoResult<()> {
    for alert in all {
        insert(conn, alert)?;
    }
    Ok(())
}

/// How many alerts an account has.
pub fn count_for(conn: &mut DbConnection, account_id: AccountId) -> RepoResult<i64> {
    Ok(job_alerts::table
        .filter(job_alerts::account_id.eq(account_id.to_string()))
        .count()
        .get_result(conn)?)
}

/// One of the owner's alerts (another person's id is not found).
pub fn find_own(
    conn: &mut DbConnection,
    account_id: AccountId,
    id: JobAlertId,
) -> RepoResult<Option<JobAlert>> {
    job_alerts::table
        .find(id.to_string())
        .filter(job_alerts::account_id.eq(account_id.to_string()))
        .select(AlertRow::as_select())
        .first(conn)
        .optional()?
        .map(JobAlert::try_from)
        .transpose()
}

/// An alert, whoever owns it.
pub fn find(conn: &mut DbConnection, id: JobAlertId) -> RepoResult<Option<JobAlert>> {
    job_alerts::table
        .find(id.to_string())
        .select(AlertRow::as_select())
        .first(conn)
        .optional()?
        .map(JobAlert::try_from)
        .transpose()
}

/// The alerts with these ids that exist.
pub fn find_many(conn: &mut DbConnection, ids: &[JobAlertId]) -> RepoResult<Vec<JobAlert>> {
    let mut found = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        let rows: Vec<AlertRow> = job_alerts::table
            .filter(job_alerts::id.eq_any(chunk.iter().map(ToString::to_string)))
            .select(AlertRow::as_select())
            .load(conn)?;
        found.extend(alerts(rows)?);
    }
    Ok(found)
}

/// Active alerts, in id order, a batch after `after` at a time (to load the matching index).
pub fn active_batch(
    conn: &mut DbConnection,
    after: Option<&str>,
    limit: i64,
) -> RepoResult<Vec<JobAlert>> {
    let mut query = job_alerts::table
        .filter(job_alerts::active.eq(true))
        .select(AlertRow::as_select())
        .into_boxed();
    if let Some(after) = after {
        query = query.filter(job_alerts::id.gt(after.to_owned()));
    }
    alerts(query.order(job_alerts::id.asc()).limit(limit).load(conn)?)
}

/// The owner's alerts, oldest first.
pub fn list_own(
    conn: &mut DbConnection,
    account_id: AccountId,
    page: PageRequest<'_>,
) -> RepoResult<Page<JobAlert>> {
    let mut query = job_alerts::table
        .filter(job_alerts::account_id.eq(account_id.to_string()))
        .select(AlertRow::as_select())
        .into_boxed();
    if let Some(after) = page.after {
        query = query.filter(job_alerts::id.gt(after.to_owned()));
    }
    let rows: Vec<AlertRow> = query
        .order(job_alerts::id.asc())
        .limit(page.fetch())
        .load(conn)?;
    Ok(Page::from_overfetch(alerts(rows)?, page.limit))
}

/// What an owner may change of an alert.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertChange<'a> {
    /// The criteria.
    pub criteria: &'a SearchCriteria,
    /// The channel.
    pub channel: AlertChannel,
    /// The frequency.
    pub frequency: AlertFrequency,
    /// On or off.
    pub active: bool,
}

/// Replaces the owner's alert; false when it is not theirs.
pub fn update_own(
    conn: &mut DbConnection,
    account_id: AccountId,
    id: JobAlertId,
    change: &AlertChange<'_>,
    now: DateTime<Utc>,
) -> RepoResult<bool> {
    let encoded = criteria::encode(change.criteria)?;
    let changed = diesel::update(
        job_alerts::table
            .find(id.to_string())
            .filter(job_alerts::account_id.eq(account_id.to_string())),
    )
    .set((
        job_alerts::criteria.eq(encoded),
        job_alerts::criteria_version.eq(criteria::CURRENT),
        job_alerts::channel.eq(change.channel.as_str()),
        job_alerts::frequency.eq(change.frequency.as_str()),
        job_alerts::active.eq(change.active),
        job_alerts::updated_at.eq(naive(now)),
    ))
    .execute(conn)?;
    if changed == 1 {
        record_change(conn, id)?;
    }
    Ok(changed == 1)
}

/// Turns an alert off; false when it was off already (or is gone).
pub fn turn_off(conn: &mut DbConnection, id: JobAlertId, now: DateTime<Utc>) -> RepoResult<bool> {
    let changed = diesel::update(
        job_alerts::table
            .find(id.to_string())
            .filter(job_alerts::active.eq(true)),
    )
    .set((
        job_alerts::active.eq(false),
        job_alerts::updated_at.eq(naive(now)),
    ))
    .execute(conn)?;
    if changed == 1 {
        record_change(conn, id)?;
    }
    Ok(changed == 1)
}

/// Deletes the owner's alert; false when it is not theirs.
pub fn delete_own(
    conn: &mut DbConnection,
    account_id: AccountId,
    id: JobAlertId,
) -> RepoResult<bool> {
    let deleted = diesel::delete(
        job_alerts::table
            .find(id.to_string())
            .filter(job_alerts::account_id.eq(account_id.to_string())),
    )
    .execute(conn)?;
    if deleted == 1 {
        record_change(conn, id)?;
    }
    Ok(deleted == 1)
}

/// The newest change number (0 when nothing changed yet).
pub fn last_change(conn: &mut DbConnection) -> RepoResult<i64> {
    use diesel::dsl::max;
    Ok(job_alert_changes::table
        .select(max(job_alert_changes::seq))
        .first::<Option<i64>>(conn)?
        .unwrap_or(0))
}

/// The ids of alerts changed after change number `after`, and the newest number seen.
pub fn changed_since(conn: &mut DbConnection, after: i64) -> RepoResult<(Vec<JobAlertId>, i64)> {
    let rows: Vec<(i64, String)> = job_alert_changes::table
        .filter(job_alert_changes::seq.gt(after))
        .order(job_alert_changes::seq.asc())
        .limit(10_000)
        .select((job_alert_changes::seq, job_alert_changes::alert_id))
        .load(conn)?;
    let newest = rows.last().map_or(after, |(seq, _)| *seq);
    let mut ids: Vec<JobAlertId> = rows
        .iter()
        .map(|(_, id)| parse_id("job_alert_changes", id))
        .collect::<RepoResult<_>>()?;
    ids.sort();
    ids.dedup();
    Ok((ids, newest))
}

/// Queues a posting that just opened for matching, in the publishing transaction. A posting is
/// queued once ever: opening it again queues nothing.
pub fn enqueue_posting(
    conn: &mut DbConnection,
    posting_id: PostingId,
    now: DateTime<Utc>,
) -> RepoResult<()> {
    diesel::sql_query(
        "INSERT INTO job_alert_queue (posting_id, queued_at) VALUES ($1, $2) \
         ON CONFLICT (posting_id) DO NOTHING",
    )
    .bind::<Text, _>(posting_id.to_string())
    .bind::<Timestamp, _>(naive(now))
    .execute(conn)?;
    Ok(())
}

#[derive(QueryableByName)]
struct QueuedRow {
    #[diesel(sql_type = Text)]
    posting_id: String,
}

const CLAIM_POSTGRES: &str = "SELECT posting_id FROM job_alert_queue WHERE matched_at IS NULL \
    ORDER BY queued_at LIMIT $1 FOR UPDATE SKIP LOCKED";
const CLAIM_SQLITE: &str = "SELECT posting_id FROM job_alert_queue WHERE matched_at IS NULL \
    ORDER BY queued_at LIMIT $1";

/// Claims up to `limit` queued postings until the caller's write transaction ends: another
/// instance skips them (PostgreSQL) or waits for the writer lock (SQLite).
pub fn claim_queued(conn: &mut DbConnection, limit: i64) -> RepoResult<Vec<PostingId>> {
    let sql = match conn {
        DbConnection::Postgresql(_) => CLAIM_POSTGRES,
        DbConnection::Sqlite(_) => CLAIM_SQLITE,
    };
    let rows: Vec<QueuedRow> = diesel::sql_query(sql).bind::<BigInt, _>(limit).load(conn)?;
    rows.iter()
        .map(|r| parse_id("job_alert_queue", &r.posting_id))
        .collect()
}

/// Marks a queued posting matched.
pub fn mark_matched(
    conn: &mut DbConnection,
    posting_id: PostingId,
    now: DateTime<Utc>,
) -> RepoResult<()> {
    diesel::sql_query(
        "UPDATE job_alert_queue SET matched_at = $1 WHERE posting_id = $2 AND matched_at IS NULL",
    )
    .bind::<Timestamp, _>(naive(now))
    .bind::<Text, _>(posting_id.to_string())
    .execute(conn)?;
    Ok(())
}

/// How many queued postings wait to be matched.
pub fn queued_count(conn: &mut DbConnection) -> RepoResult<i64> {
    use crate::schema::job_alert_queue;
    Ok(job_alert_queue::table
        .filter(job_alert_queue::matched_at.is_null())
        .count()
        .get_result(conn)?)
}

/// A match of one alert and one posting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// The alert.
    pub alert_id: JobAlertId,
    /// The posting.
    pub posting_id: PostingId,
    /// The alert's owner.
    pub account_id: AccountId,
    /// The alert's frequency when it matched (why it matched is written at delivery, from the
    /// alert's criteria and the posting).
    pub frequency: String,
    /// Its delivery period's start.
    pub period_start: NaiveDateTime,
    /// When it is due (the period's end; at once for instant alerts).
    pub due_at: NaiveDateTime,
    /// When it was found.
    pub created_at: NaiveDateTime,
    /// When it was delivered.
    pub delivered_at: Option<NaiveDateTime>,
    /// The message that delivered it.
    pub message_id: Option<MessageId>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = job_alert_hits)]
struct HitRow {
    alert_id: String,
    posting_id: String,
    account_id: String,
    frequency: String,
    period_start: NaiveDateTime,
    due_at: NaiveDateTime,
    created_at: NaiveDateTime,
    delivered_at: Option<NaiveDateTime>,
    message_id: Option<String>,
}

impl TryFrom<HitRow> for Hit {
    type Error = RepoError;

    fn try_from(row: HitRow) -> RepoResult<Hit> {
        const TABLE: &str = "job_alert_hits";
        Ok(Hit {
            alert_id: parse_id(TABLE, &row.alert_id)?,
            posting_id: parse_id(TABLE, &row.posting_id)?,
            account_id: parse_id(TABLE, &row.account_id)?,
            frequency: row.frequency,
            period_start: row.period_start,
            due_at: row.due_at,
            created_at: row.created_at,
            delivered_at: row.delivered_at,
            message_id: row.message_id.map(|m| parse_id(TABLE, &m)).transpose()?,
        })
    }
}

/// Records a match; false when this alert already matched this posting (nothing changes).
pub fn insert_hit(conn: &mut DbConnection, hit: &Hit) -> RepoResult<bool> {
    let inserted = diesel::sql_query(
        "INSERT INTO job_alert_hits (alert_id, posting_id, account_id, frequency, \
         period_start, due_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (alert_id, posting_id) DO NOTHING",
    )
    .bind::<Text, _>(hit.alert_id.to_string())
    .bind::<Text, _>(hit.posting_id.to_string())
    .bind::<Text, _>(hit.account_id.to_string())
    .bind::<Text, _>(&hit.frequency)
    .bind::<Timestamp, _>(hit.period_start)
    .bind::<Timestamp, _>(hit.due_at)
    .bind::<Timestamp, _>(hit.created_at)
    .execute(conn)?;
    Ok(inserted == 1)
}

/// Marks one match delivered by `message_id`.
pub fn mark_hit_delivered(
    conn: &mut DbConnection,
    alert_id: JobAlertId,
    posting_id: PostingId,
    message_id: MessageId,
    now: DateTime<Utc>,
) -> RepoResult<()> {
    diesel::update(job_alert_hits::table.find((alert_id.to_string(), posting_id.to_string())))
        .set((
            job_alert_hits::delivered_at.eq(naive(now)),
            job_alert_hits::message_id.eq(message_id.to_string()),
        ))
        .execute(conn)?;
    Ok(())
}

/// A person's digest of one frequency and period.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DigestKey {
    /// The person.
    pub account_id: AccountId,
    /// `daily` or `weekly`.
    pub frequency: String,
    /// The period's start.
    pub period_start: NaiveDateTime,
}

#[derive(QueryableByName)]
struct DigestKeyRow {
    #[diesel(sql_type = Text)]
    account_id: String,
    #[diesel(sql_type = Text)]
    frequency: String,
    #[diesel(sql_type = Timestamp)]
    period_start: NaiveDateTime,
}

const DUE_FIRST: &str = "SELECT DISTINCT account_id, frequency, period_start FROM job_alert_hits \
    WHERE delivered_at IS NULL AND due_at <= $1 AND frequency <> 'instant' \
    ORDER BY account_id, frequency, period_start LIMIT $2";
const DUE_AFTER: &str = "SELECT DISTINCT account_id, frequency, period_start FROM job_alert_hits \
    WHERE delivered_at IS NULL AND due_at <= $1 AND frequency <> 'instant' \
    AND (account_id, frequency, period_start) > ($2, $3, $4) \
    ORDER BY account_id, frequency, period_start LIMIT $5";

/// Digests due at `now` with undelivered matches, at most `limit`, in key order after `after`
/// (a keyset walk: each batch starts where the last ended, along
/// `job_alert_hits_pending_idx`, instead of re-reading the whole backlog).
pub fn due_digests(
    conn: &mut DbConnection,
    now: DateTime<Utc>,
    after: Option<&DigestKey>,
    limit: i64,
) -> RepoResult<Vec<DigestKey>> {
    let rows: Vec<DigestKeyRow> = match after {
        None => diesel::sql_query(DUE_FIRST)
            .bind::<Timestamp, _>(naive(now))
            .bind::<BigInt, _>(limit)
            .load(conn)?,
        // SQLite numbers `$n` parameters in order of appearance: they appear in order here.
        Some(key) => diesel::sql_query(DUE_AFTER)
            .bind::<Timestamp, _>(naive(now))
            .bind::<Text, _>(key.account_id.to_string())
            .bind::<Text, _>(&key.frequency)
            .bind::<Timestamp, _>(key.period_start)
            .bind::<BigInt, _>(limit)
            .load(conn)?,
    };
    rows.into_iter()
        .map(|r| {
            Ok(DigestKey {
                account_id: parse_id("job_alert_hits", &r.account_id)?,
                frequency: r.frequency,
                period_start: r.period_start,
            })
        })
        .collect()
}

/// Claims a digest: true for the one transaction that writes its row first; any other (another
/// instance, a later pass) gets false (on PostgreSQL it waits for the first to commit).
pub fn claim_digest(
    conn: &mut DbConnection,
    key: &DigestKey,
    now: DateTime<Utc>,
) -> RepoResult<bool> {
    let inserted = diesel::sql_query(
        "INSERT INTO job_alert_digests (account_id, frequency, period_start, created_at) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (account_id, frequency, period_start) DO NOTHING",
    )
    .bind::<Text, _>(key.account_id.to_string())
    .bind::<Text, _>(&key.frequency)
    .bind::<Timestamp, _>(key.period_start)
    .bind::<Timestamp, _>(naive(now))
    .execute(conn)?;
    Ok(inserted == 1)
}

/// The undelivered matches of a digest, oldest first.
pub fn digest_hits(conn: &mut DbConnection, key: &DigestKey) -> RepoResult<Vec<Hit>> {
    let rows: Vec<HitRow> = job_alert_hits::table
        .filter(job_alert_hits::account_id.eq(key.account_id.to_string()))
        .filter(job_alert_hits::frequency.eq(&key.frequency))
        .filter(job_alert_hits::period_start.eq(key.period_start))
        .filter(job_alert_hits::delivered_at.is_null())
        .select(HitRow::as_select())
        .order((job_alert_hits::created_at, job_alert_hits::posting_id))
        .load(conn)?;
    rows.into_iter().map(Hit::try_from).collect()
}

/// Marks a digest's undelivered matches delivered by `message_id` (none when nothing was left
/// to send), and stores the message with the digest.
pub fn finish_digest(
    conn: &mut DbConnection,
    key: &DigestKey,
    message_id: Option<MessageId>,
    now: DateTime<Utc>,
) -> RepoResult<()> {
    diesel::update(
        job_alert_hits::table
            .filter(job_alert_hits::account_id.eq(key.account_id.to_string()))
            .filter(job_alert_hits::frequency.eq(&key.frequency))
            .filter(job_alert_hits::period_start.eq(key.period_start))
            .filter(job_alert_hits::delivered_at.is_null()),
    )
    .set((
        job_alert_hits::delivered_at.eq(naive(now)),
        job_alert_hits::message_id.eq(message_id.map(|m| m.to_string())),
    ))
    .execute(conn)?;
    diesel::update(job_alert_digests::table.find((
        key.account_id.to_string(),
        &key.frequency,
        key.period_start,
    )))
    .set(job_alert_digests::message_id.eq(message_id.map(|m| m.to_string())))
    .execute(conn)?;
    Ok(())
}

/// Moves a digest's undelivered matches to a later period (they were found after that period's
/// digest went out).
pub fn postpone(
    conn: &mut DbConnection,
    key: &DigestKey,
    period_start: DateTime<Utc>,
    due_at: DateTime<Utc>,
) -> RepoResult<()> {
    diesel::update(
        job_alert_hits::table
            .filter(job_alert_hits::account_id.eq(key.account_id.to_string()))
            .filter(job_alert_hits::frequency.eq(&key.frequency))
            .filter(job_alert_hits::period_start.eq(key.period_start))
            .filter(job_alert_hits::delivered_at.is_null()),
    )
    .set((
        job_alert_hits::period_start.eq(naive(period_start)),
        job_alert_hits::due_at.eq(naive(due_at)),
    ))
    .execute(conn)?;
    Ok(())
}
