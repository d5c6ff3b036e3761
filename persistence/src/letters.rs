//! Contact letters (one per person and posting) and waivers of appointment (one per person and
//! posting, counted per person and classification).

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::{
    prelude::*,
    sql_types::{BigInt, Bool, Integer, Nullable, Text, Timestamp},
};
use merit_domain::{
    ids::{AccountId, ContactLetterId, MessageId, PostingId, WaiverId},
    letter::{Answer, WaiverReason},
};

use crate::{
    DbConnection,
    error::{RepoError, RepoResult, parse_id},
    paging::{Page, PageRequest},
    schema::{appointment_waivers as w, contact_letters as l},
    time::{naive, utc},
};

fn bad(table: &'static str, reason: &str) -> RepoError {
    RepoError::InvalidRow {
        table,
        reason: reason.to_owned(),
    }
}

/// A new contact letter.
#[derive(Debug, Clone)]
pub struct NewLetter {
    /// Its id.
    pub id: ContactLetterId,
    /// The posting it is about.
    pub posting_id: PostingId,
    /// To whom.
    pub account_id: AccountId,
    /// The posting's classification.
    pub classification: String,
    /// The person's rank band when it was sent.
    pub rank_band: i32,
    /// The inbox message that carried it.
    pub message_id: MessageId,
    /// `electronic`, `mail` or `telephone`.
    pub method: &'static str,
    /// Who sent it.
    pub sent_by: AccountId,
    /// When.
    pub sent_at: DateTime<Utc>,
    /// When the answer is due.
    pub respond_by: DateTime<Utc>,
}

/// Writes a letter.
pub fn insert(conn: &mut DbConnection, letter: &NewLetter) -> RepoResult<()> {
    diesel::insert_into(l::table)
        .values((
            l::id.eq(letter.id.to_string()),
            l::posting_id.eq(letter.posting_id.to_string()),
            l::account_id.eq(letter.account_id.to_string()),
            l::classification_code.eq(&letter.classification),
            l::rank_band.eq(letter.rank_band),
            l::message_id.eq(letter.message_id.to_string()),
            l::method.eq(letter.method),
            l::sent_by.eq(letter.sent_by.to_string()),
            l::sent_at.eq(naive(letter.sent_at)),
            l::respond_by.eq(naive(letter.respond_by)),
        ))
        .execute(conn)?;
    Ok(())
}

/// The people a posting's letters were sent to.
pub fn recipients(conn: &mut DbConnection, posting: PostingId) -> RepoResult<HashSet<AccountId>> {
    let ids: Vec<String> = l::table
        .filter(l::posting_id.eq(posting.to_string()))
        .select(l::account_id)
        .load(conn)?;
    ids.iter()
        .map(|id| parse_id("contact_letters", id))
        .collect()
}

/// A letter with what its state depends on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LetterRow {
    /// Its id.
    pub id: ContactLetterId,
    /// The posting.
    pub posting_id: PostingId,
    /// The posting's title.
    pub posting_title: String,
    /// The posting's department.
    pub department_code: String,
    /// The person.
    pub account_id: AccountId,
    /// Given name.
    pub first_name: String,
    /// Family name.
    pub last_name: String,
    /// The class.
    pub classification_code: String,
    /// Rank band when sent.
    pub rank_band: i32,
    /// The inbox message.
    pub message_id: MessageId,
    /// When sent.
    pub sent_at: NaiveDateTime,
    /// When due.
    pub respond_by: NaiveDateTime,
    /// The answer, if any.
    pub answer: Option<String>,
    /// When answered.
    pub answered_at: Option<NaiveDateTime>,
    /// Whether the person submitted an application to the posting.
    pub applied: bool,
    /// Whether a waiver of appointment was recorded for the person on the posting.
    pub waived: bool,
}

/// A letter as [`SELECT`] reads it, its ids still text.
#[derive(QueryableByName)]
struct RawLetter {
    #[diesel(sql_type = Text)]
    id: String,
    #[diesel(sql_type = Text)]
    posting_id: String,
    #[diesel(sql_type = Text)]
    posting_title: String,
    #[diesel(sql_type = Text)]
    department_code: String,
    #[diesel(sql_type = Text)]
    account_id: String,
    #[diesel(sql_type = Text)]
    first_name: String,
    #[diesel(sql_type = Text)]
    last_name: String,
    #[diesel(sql_type = Text)]
    classification_code: String,
    #[diesel(sql_type = Integer)]
    rank_band: i32,
    #[diesel(sql_type = Text)]
    message_id: String,
    #[diesel(sql_type = Timestamp)]
    sent_at: NaiveDateTime,
    #[diesel(sql_type = Timestamp)]
    respond_by: NaiveDateTime,
    #[diesel(sql_type = Nullable<Text>)]
    answer: Option<String>,
    #[diesel(sql_type = Nullable<Timestamp>)]
    answered_at: Option<NaiveDateTime>,
    #[diesel(sql_type = Bool)]
    applied: bool,
    #[diesel(sql_type = Bool)]
    waived: bool,
}

impl RawLetter {
    fn typed(self) -> RepoResult<LetterRow> {
        const TABLE: &str = "contact_letters";
        Ok(LetterRow {
            id: parse_id(TABLE, &self.id)?,
            posting_id: parse_id(TABLE, &self.posting_id)?,
            posting_title: self.posting_title,
            department_code: self.department_code,
            account_id: parse_id(TABLE, &self.account_id)?,
            first_name: self.first_name,
            last_name: self.last_name,
            classification_code: self.classification_code,
            rank_band: self.rank_band,
            message_id: parse_id(TABLE, &self.message_id)?,
            sent_at: self.sent_at,
            respond_by: self.respond_by,
            answer: self.answer,
            answered_at: self.answered_at,
            applied: self.applied,
            waived: self.waived,
        })
    }
}

fn typed(rows: Vec<RawLetter>) -> RepoResult<Vec<LetterRow>> {
    rows.into_iter().map(RawLetter::typed).collect()
}

impl LetterRow {
    /// The parsed answer.
    pub fn answer(&self) -> RepoResult<Option<Answer>> {
        self.answer
            .as_deref()
            .map(|a| Answer::parse(a).ok_or_else(|| bad("contact_letters", "an answer")))
            .transpose()
    }

    /// When sent, in UTC.
    pub fn sent_at(&self) -> DateTime<Utc> {
        utc(self.sent_at)
    }

    /// When due, in UTC.
    pub fn respond_by(&self) -> DateTime<Utc> {
        utc(self.respond_by)
    }
}

const SELECT: &str = "SELECT l.id, l.posting_id, p.title AS posting_title, p.department_code, l.account_id, \
    a.first_name, a.last_name, l.classification_code, l.rank_band, l.message_id, l.sent_at, l.respond_by, \
    l.answer, l.answered_at, \
    EXISTS (SELECT 1 FROM applications x WHERE x.account_id = l.account_id AND x.posting_id = l.posting_id \
        AND x.status <> 'draft') AS applied, \
    EXISTS (SELECT 1 FROM appointment_waivers v WHERE v.account_id = l.account_id \
        AND v.posting_id = l.posting_id) AS waived \
    FROM contact_letters l JOIN accounts a ON a.id = l.account_id JOIN postings p ON p.id = l.posting_id ";

/// A page of a posting's letters in the order they were sent; the key is the id.
pub fn for_posting(
    conn: &mut DbConnection,
    posting: PostingId,
    page: PageRequest<'_>,
) -> RepoResult<Page<LetterRow>> {
    let sql = format!("{SELECT} WHERE l.posting_id = $1 AND l.id > $2 ORDER BY l.id ASC LIMIT $3");
    let rows: Vec<RawLetter> = diesel::sql_query(sql)
        .bind::<Text, _>(posting.to_string())
        .bind::<Text, _>(page.after.unwrap_or(""))
        .bind::<BigInt, _>(page.fetch())
        .load(conn)?;
    Ok(Page::from_overfetch(typed(rows)?, page.limit))
}

/// A page of a person's letters, newest first; the key is the id.
pub fn for_account(
    conn: &mut DbConnection,
    account: AccountId,
    page: PageRequest<'_>,
) -> RepoResult<Page<LetterRow>> {
    let sql = format!(
        "{SELECT} WHERE l.account_id = $1 AND ($2 = '' OR l.id < $2) ORDER BY l.id DESC LIMIT $3"
    );
    let rows: Vec<RawLetter> = diesel::sql_query(sql)
        .bind::<Text, _>(account.to_string())
        .bind::<Text, _>(page.after.unwrap_or(""))
        .bind::<BigInt, _>(page.fetch())
        .load(conn)?;
    Ok(Page::from_overfetch(typed(rows)?, page.limit))
}

/// One letter by id.
pub fn find(conn: &mut DbConnection, id: ContactLetterId) -> RepoResult<Option<LetterRow>> {
    let sql = format!("{SELECT} WHERE l.id = $1");
    let rows: Vec<RawLetter> = diesel::sql_query(sql)
        .bind::<Text, _>(id.to_string())
        .load(conn)?;
    Ok(typed(rows)?.pop())
}

/// The letter to a person about a posting, if one was sent.
pub fn find_for(
    conn: &mut DbConnection,
    posting: PostingId,
    account: AccountId,
) -> RepoResult<Option<ContactLetterId>> {
    let id: Option<String> = l::table
        .filter(l::posting_id.eq(posting.to_string()))
        .filter(l::account_id.eq(account.to_string()))
        .select(l::id)
        .first(conn)
        .optional()?;
    id.map(|i| parse_id("contact_letters", &i)).transpose()
}

/// Records a person's answer.
pub fn answer(
    conn: &mut DbConnection,
    id: ContactLetterId,
    answer: Answer,
    now: DateTime<Utc>,
) -> RepoResult<()> {
    diesel::update(l::table.find(id.to_string()))
        .set((l::answer.eq(answer.as_str()), l::answered_at.eq(naive(now))))
        .execute(conn)?;
    Ok(())
}

/// A waiver of appointment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waiver {
    /// Its id.
    pub id: WaiverId,
    /// Whose.
    pub account_id: AccountId,
    /// In which class.
    pub classification: String,
    /// The posting whose offer it concerns.
    pub posting_id: PostingId,
    /// Why.
    pub reason: WaiverReason,
    /// Who recorded it.
    pub recorded_by: AccountId,
    /// When.
    pub recorded_at: DateTime<Utc>,
}

/// Writes a waiver.
pub fn insert_waiver(conn: &mut DbConnection, waiver: &Waiver) -> RepoResult<()> {
    diesel::insert_into(w::table)
        .values((
            w::id.eq(waiver.id.to_string()),
            w::account_id.eq(waiver.account_id.to_string()),
            w::classification_code.eq(&waiver.classification),
            w::posting_id.eq(waiver.posting_id.to_string()),
            w::reason.eq(waiver.reason.as_str()),
            w::recorded_by.eq(waiver.recorded_by.to_string()),
            w::recorded_at.eq(naive(waiver.recorded_at)),
        ))
        .execute(conn)?;
    Ok(())
}

/// Whether a waiver was recorded for a person on a posting.
pub fn waived(conn: &mut DbConnection, posting: PostingId, account: AccountId) -> RepoResult<bool> {
    let found: Option<String> = w::table
        .filter(w::posting_id.eq(posting.to_string()))
        .filter(w::account_id.eq(account.to_string()))
        .select(w::id)
        .first(conn)
        .optional()?;
    Ok(found.is_some())
}

/// The number of waivers of appointment in a class, per person (people with none left out);
/// `accounts`, when given, narrows it to those people.
pub fn waiver_counts(
    conn: &mut DbConnection,
    classification: &str,
    accounts: Option<&[String]>,
) -> RepoResult<HashMap<String, u32>> {
    let mut query = w::table
        .filter(w::classification_code.eq(classification))
        .select(w::account_id)
        .into_boxed();
    if let Some(accounts) = accounts {
        query = query.filter(w::account_id.eq_any(accounts.to_vec()));
    }
    let ids: Vec<String> = query.load(conn)?;
    let mut counts = HashMap::new();
    for id in ids {
        *counts.entry(id).or_insert(0) += 1;
    }
    Ok(counts)
}
