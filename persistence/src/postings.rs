//! Postings: rows, the visibility filter every query uses, and the change log.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::{dsl::max, prelude::*, sql_types::Bool};
use merit_domain::{
    ids::{AccountId, PostingId},
    posting::{
        Duties, Posting, PostingStatus, PostingTitle, SalaryRange, SearchCriteria, Viewer,
        Visibility,
    },
    reference::{ClassificationCode, CountyCode, DepartmentCode},
    terms::{Shift, Tenure, TimeBase},
};

use crate::{
    DbConnection, change_log,
    db::MultiBackend,
    error::{RepoError, RepoResult},
    paging::{Page, PageRequest},
    saved_searches::criteria::codes,
    schema::{posting_changes, postings},
    time::{naive, utc},
};

#[derive(Debug, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = postings)]
struct PostingRow {
    id: String,
    department_code: String,
    classification_code: String,
    title: String,
    duties: String,
    county_code: String,
    tenure: String,
    time_base: String,
    shift: String,
    salary_min_cents: i64,
    salary_max_cents: i64,
    final_filing_date: NaiveDate,
    required_documents: String,
    eligibility_required: bool,
    visibility: String,
    status: String,
    published_at: Option<NaiveDateTime>,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    version: i64,
}

fn bad(reason: impl ToString) -> RepoError {
    RepoError::InvalidRow {
        table: "postings",
        reason: reason.to_string(),
    }
}

fn named<T>(value: Option<T>, text: &str) -> RepoResult<T> {
    value.ok_or_else(|| bad(format!("unknown value {text:?}")))
}

impl TryFrom<PostingRow> for Posting {
    type Error = RepoError;
    fn try_from(row: PostingRow) -> RepoResult<Self> {
        Ok(Posting {
            department: DepartmentCode::parse(&row.department_code).map_err(bad)?,
            classification: ClassificationCode::parse(&row.classification_code).map_err(bad)?,
            title: PostingTitle::parse(&row.title).map_err(bad)?,
            duties: Duties::parse(&row.duties).map_err(bad)?,
            county: CountyCode::parse(&row.county_code).map_err(bad)?,
            tenure: named(Tenure::parse(&row.tenure), &row.tenure)?,
            time_base: named(TimeBase::parse(&row.time_base), &row.time_base)?,
            shift: named(Shift::parse(&row.shift), &row.shift)?,
            salary: SalaryRange::new(row.salary_min_cents, row.salary_max_cents).map_err(bad)?,
            final_filing_date: row.final_filing_date,
            required_documents: serde_json::from_str(&row.required_documents).map_err(bad)?,
            eligibility_required: row.eligibility_required,
            visibility: named(Visibility::parse(&row.visibility), &row.visibility)?,
            status: named(PostingStatus::parse(&row.status), &row.status)?,
            published_at: row.published_at.map(utc),
            created_at: utc(row.created_at),
            updated_at: utc(row.updated_at),
            version: row.version,
            id: PostingId::parse(&row.id).map_err(bad)?,
        })
    }
}

impl From<&Posting> for PostingRow {
    fn from(p: &Posting) -> Self {
        PostingRow {
            id: p.id.to_string(),
            department_code: p.department.to_string(),
            classification_code: p.classification.to_string(),
            title: p.title.as_str().to_owned(),
            duties: p.duties.as_str().to_owned(),
            county_code: p.county.to_string(),
            tenure: p.tenure.as_str().to_owned(),
            time_base: p.time_base.as_str().to_owned(),
            shift: p.shift.as_str().to_owned(),
            salary_min_cents: p.salary.min_cents(),
            salary_max_cents: p.salary.max_cents(),
            final_filing_date: p.final_filing_date,
            required_documents: serde_json::to_string(&p.required_documents)
                .unwrap_or_else(|_| "[]".into()),
            eligibility_required: p.eligibility_required,
            visibility: p.visibility.as_str().to_owned(),
            status: p.status.as_str().to_owned(),
            published_at: p.published_at.map(naive),
            created_at: naive(p.created_at),
            updated_at: naive(p.updated_at),
            version: p.version,
        }
    }
}

/// The visibility rule of `merit_domain::posting::can_see` as SQL: every query that shows
/// postings to a viewer goes through this one filter.
pub fn visible_to(
    viewer: &Viewer,
) -> Box<dyn BoxableExpression<postings::table, MultiBackend, SqlType = Bool>> {
    let not_draft = postings::status.ne(PostingStatus::Draft.as_str());
    let audience: Box<dyn BoxableExpression<postings::table, MultiBackend, SqlType = Bool>> =
        if viewer.sees_internal() {
            Box::new(not_draft)
        } else {
            Box::new(not_draft.and(postings::visibility.eq(Visibility::Public.as_str())))
        };
    match &viewer.employer_of {
        Some(department) => Box::new(
            postings::department_code
                .eq(department.as_str().to_owned())
                .or(audience),
        ),
        None => audience,
    }
}

/// Serialises writers of the change log until they commit (PostgreSQL; SQLite's write
/// transactions are serial already). Sequence numbers are handed out at insert, not at commit:
/// without the lock, change 6 could commit before change 5, a reader would move its mark past 6,
/// and change 5 would never reach the search index. Readers are not blocked.
fn lock_change_log(conn: &mut DbConnection) -> RepoResult<()> {
    if let DbConnection::Postgresql(c) = conn {
        diesel::sql_query("LOCK TABLE posting_changes IN EXCLUSIVE MODE").execute(c)?;
    }
    Ok(())
}

/// Appends a change to the log and notifies the other instances (delivered on commit).
fn record_change(conn: &mut DbConnection, id: PostingId) -> RepoResult<()> {
    lock_change_log(conn)?;
    diesel::insert_into(posting_changes::table)
        .values(posting_changes::posting_id.eq(id.to_string()))
        .execute(conn)?;
    change_log::notify(conn)
}

/// Inserts a posting (and logs the change).
pub fn insert(conn: &mut DbConnection, posting: &Posting, created_by: AccountId) -> RepoResult<()> {
    diesel::insert_into(postings::table)
        .values((
            PostingRow::from(posting),
            postings::created_by.eq(created_by.to_string()),
        ))
        .execute(conn)?;
    record_change(conn, posting.id)
}

/// Inserts many postings at once (demo data, benchmarks), in batches, logging each change.
pub fn insert_many(
    conn: &mut DbConnection,
    all: &[Posting],
    created_by: AccountId,
) -> RepoResult<()> {
    let created_by = created_by.to_string();
    lock_change_log(conn)?;
    for chunk in all.chunks(500) {
        let rows: Vec<_> = chunk
            .iter()
            .map(|p| (PostingRow::from(p), postings::created_by.eq(&created_by)))
            .collect();
        let changes: Vec<_> = chunk
            .iter()
            .map(|p| posting_changes::posting_id.eq(p.id.to_string()))
            .collect();
        // Multi-row inserts do not compile on the MultiBackend; each backend takes its own.
        match conn {
            DbConnection::Postgresql(c) => {
                diesel::insert_into(postings::table)
                    .values(&rows)
                    .execute(c)?;
                diesel::insert_into(posting_changes::table)
                    .values(&changes)
                    .execute(c)?;
            }
            DbConnection::Sqlite(c) => {
                diesel::insert_into(postings::table)
                    .values(&rows)
                    .execute(c)?;
                diesel::insert_into(posting_changes::table)
                    .values(&changes)
                    .execute(c)?;
            }
        }
    }
    change_log::notify(conn)
}

/// Whether any posting was created by `created_by`.
pub fn any_created_by(conn: &mut DbConnection, created_by: AccountId) -> RepoResult<bool> {
    Ok(diesel::select(diesel::dsl::exists(
        postings::table.filter(postings::created_by.eq(created_by.to_string())),
    ))
    .get_result(conn)?)
}

/// Replaces a posting's fields if its stored version is `expected_version`; the new version is
/// `posting.version`. False when another writer changed it first.
pub fn update(
    conn: &mut DbConnection,
    posting: &Posting,
    expected_version: i64,
) -> RepoResult<bool> {
    let changed = diesel::update(
        postings::table
            .find(posting.id.to_string())
            .filter(postings::version.eq(expected_version)),
    )
    .set(PostingRow::from(posting))
    .execute(conn)?;
    if changed == 1 {
        record_change(conn, posting.id)?;
    }
    Ok(changed == 1)
}

/// A posting by id, whoever may see it.
pub fn find(conn: &mut DbConnection, id: PostingId) -> RepoResult<Option<Posting>> {
    postings::table
        .find(id.to_string())
        .select(PostingRow::as_select())
        .first(conn)
        .optional()?
        .map(Posting::try_from)
        .transpose()
}

/// A posting by id, if `viewer` may see it.
pub fn find_visible(
    conn: &mut DbConnection,
    id: PostingId,
    viewer: &Viewer,
) -> RepoResult<Option<Posting>> {
    postings::table
        .find(id.to_string())
        .filter(visible_to(viewer))
        .select(PostingRow::as_select())
        .first(conn)
        .optional()?
        .map(Posting::try_from)
        .transpose()
}

/// A department's postings of every status, newest first, as `viewer` may see them.
pub fn list_for_department(
    conn: &mut DbConnection,
    department: &DepartmentCode,
    viewer: &Viewer,
    page: PageRequest<'_>,
) -> RepoResult<Page<Posting>> {
    let mut query = postings::table
        .filter(postings::department_code.eq(department.as_str().to_owned()))
        .filter(visible_to(viewer))
        .select(PostingRow::as_select())
        .into_boxed();
    if let Some(after) = page.after {
        query = query.filter(postings::id.lt(after.to_owned()));
    }
    let rows: Vec<PostingRow> = query
        .order(postings::id.desc())
        .limit(page.fetch())
        .load(conn)?;
    let items = rows
        .into_iter()
        .map(Posting::try_from)
        .collect::<RepoResult<Vec<_>>>()?;
    Ok(Page::from_overfetch(items, page.limit))
}

/// Every open posting, for building a search index.
pub fn all_open(conn: &mut DbConnection) -> RepoResult<Vec<Posting>> {
    let rows: Vec<PostingRow> = postings::table
        .filter(postings::status.eq(PostingStatus::Open.as_str()))
        .select(PostingRow::as_select())
        .load(conn)?;
    rows.into_iter().map(Posting::try_from).collect()
}

/// Open postings in id order, at most `limit` of them, those after id `after` (from the first
/// when `None`): a search index loads page by page, so the rows of one page at a time are in
/// memory beside it, not all of them.
pub fn open_batch(
    conn: &mut DbConnection,
    after: Option<&str>,
    limit: i64,
) -> RepoResult<Vec<Posting>> {
    let mut query = postings::table
        .filter(postings::status.eq(PostingStatus::Open.as_str()))
        .into_boxed();
    if let Some(after) = after {
        query = query.filter(postings::id.gt(after.to_owned()));
    }
    let rows: Vec<PostingRow> = query
        .order(postings::id.asc())
        .limit(limit)
        .select(PostingRow::as_select())
        .load(conn)?;
    rows.into_iter().map(Posting::try_from).collect()
}

/// The postings with these ids (any status).
pub fn find_many(conn: &mut DbConnection, ids: &[PostingId]) -> RepoResult<Vec<Posting>> {
    let rows: Vec<PostingRow> = postings::table
        .filter(postings::id.eq_any(ids.iter().map(ToString::to_string)))
        .select(PostingRow::as_select())
        .load(conn)?;
    rows.into_iter().map(Posting::try_from).collect()
}

/// The newest change number (0 when nothing changed yet), also when pruning deleted every row.
pub fn last_change(conn: &mut DbConnection) -> RepoResult<i64> {
    let newest = posting_changes::table
        .select(max(posting_changes::seq))
        .first::<Option<i64>>(conn)?
        .unwrap_or(0);
    Ok(newest.max(change_log::pruned_through(conn)?))
}

/// The ids of postings changed after change number `after`, and the newest number seen.
pub fn changed_since(conn: &mut DbConnection, after: i64) -> RepoResult<(Vec<PostingId>, i64)> {
    let rows: Vec<(i64, String)> = posting_changes::table
        .filter(posting_changes::seq.gt(after))
        .order(posting_changes::seq.asc())
        .limit(10_000)
        .select((posting_changes::seq, posting_changes::posting_id))
        .load(conn)?;
    let newest = rows.last().map_or(after, |(seq, _)| *seq);
    let mut ids: Vec<PostingId> = rows
        .iter()
        .map(|(_, id)| crate::error::parse_id("posting_changes", id))
        .collect::<RepoResult<_>>()?;
    ids.sort();
    ids.dedup();
    Ok((ids, newest))
}

/// Stamps `updated_at` on a posting as the change time (used by status changes).
pub fn touch(posting: &mut Posting, now: DateTime<Utc>) {
    posting.updated_at = now;
    posting.version += 1;
}

/// The sync key of a posting: its last change, then its id.
pub fn change_key(posting: &Posting) -> String {
    format!("{}_{}", posting.updated_at.timestamp_micros(), posting.id)
}

fn parse_change_key(key: &str) -> Option<(NaiveDateTime, String)> {
    let (micros, id) = key.split_once('_')?;
    let at = DateTime::from_timestamp_micros(micros.parse().ok()?)?;
    id.parse::<PostingId>().ok()?;
    Some((naive(at), id.to_owned()))
}

/// Whether `key` is a key [`change_key`] could have made.
pub fn is_change_key(key: &str) -> bool {
    parse_change_key(key).is_some()
}

/// A page of the postings `viewer` may see (any status but what [`visible_to`] hides) changed
/// at or after `since` and at or before `settled`, ordered by (last change, id); the key is
/// [`change_key`]. The criteria's filters apply as search applies them, except keywords and
/// the order, which the caller refuses (`criteria.keywords` is ignored here).
pub fn changed_since_instant(
    conn: &mut DbConnection,
    viewer: &Viewer,
    criteria: &SearchCriteria,
    since: DateTime<Utc>,
    settled: DateTime<Utc>,
    page: PageRequest<'_>,
) -> RepoResult<Page<Posting>> {
    let mut query = postings::table
        .filter(visible_to(viewer))
        .filter(postings::updated_at.ge(naive(since)))
        .filter(postings::updated_at.le(naive(settled)))
        .select(PostingRow::as_select())
        .into_boxed();
    if !criteria.departments.is_empty() {
        query = query.filter(postings::department_code.eq_any(codes(&criteria.departments)));
    }
    if !criteria.classifications.is_empty() {
        query =
            query.filter(postings::classification_code.eq_any(codes(&criteria.classifications)));
    }
    if !criteria.counties.is_empty() {
        query = query.filter(postings::county_code.eq_any(codes(&criteria.counties)));
    }
    if !criteria.tenures.is_empty() {
        let names: Vec<&str> = criteria.tenures.iter().map(|t| t.as_str()).collect();
        query = query.filter(postings::tenure.eq_any(names));
    }
    if !criteria.time_bases.is_empty() {
        let names: Vec<&str> = criteria.time_bases.iter().map(|t| t.as_str()).collect();
        query = query.filter(postings::time_base.eq_any(names));
    }
    if !criteria.shifts.is_empty() {
        let names: Vec<&str> = criteria.shifts.iter().map(|s| s.as_str()).collect();
        query = query.filter(postings::shift.eq_any(names));
    }
    if criteria.internal_only {
        query = query.filter(postings::visibility.eq(Visibility::InternalOnly.as_str()));
    }
    if let Some(min) = criteria.salary_min {
        query = query.filter(postings::salary_max_cents.ge(min));
    }
    if let Some(max) = criteria.salary_max {
        query = query.filter(postings::salary_min_cents.le(max));
    }
    if let Some(day) = criteria.posted_since {
        query = query.filter(postings::published_at.ge(day.and_time(chrono::NaiveTime::MIN)));
    }
    if let Some(day) = criteria.closing_before {
        query = query.filter(postings::final_filing_date.le(day));
    }
    if let Some(after) = page.after {
        let (at, id) = parse_change_key(after).ok_or_else(|| bad(format!("cursor: {after}")))?;
        query = query.filter(
            postings::updated_at
                .gt(at)
                .or(postings::updated_at.eq(at).and(postings::id.gt(id))),
        );
    }
    let rows: Vec<PostingRow> = query
        .order((postings::updated_at.asc(), postings::id.asc()))
        .limit(page.fetch())
        .load(conn)?;
    let items = rows
        .into_iter()
        .map(Posting::try_from)
        .collect::<RepoResult<Vec<_>>>()?;
    Ok(Page::from_overfetch(items, page.limit))
}
