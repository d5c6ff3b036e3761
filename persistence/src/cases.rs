//! Staff cases, the services recorded on them and job placements, and the queries the report
//! indicators are computed from.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::{
    dsl::count_star,
    prelude::*,
    sql_types::{Nullable, Text},
};
use merit_domain::{
    case::{ActivityCode, CaseKind, CaseStatus, CloseReason},
    ids::{AccountId, ActivityId, CaseId, PlacementId, PostingId},
};

use crate::{
    DbConnection,
    error::{RepoError, RepoResult, parse_id},
    paging::{Page, PageRequest},
    reference::lower,
    schema::{account_roles, accounts, case_activities, case_placements, profiles, staff_cases},
    time::{naive, utc},
};

diesel::define_sql_function! {
    /// SQL `replace()` (both backends).
    fn replace(x: Nullable<Text>, from: Text, to: Text) -> Nullable<Text>;
}

fn corrupt(what: &str, value: &str) -> RepoError {
    RepoError::InvalidRow {
        table: "staff_cases",
        reason: format!("{what}: {value}"),
    }
}

/// Whom an individual's or an employer's case is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    /// A job seeker's account.
    Individual {
        /// The account id.
        person_id: AccountId,
    },
    /// An employer organisation named on the case.
    Employer {
        /// The organisation's name.
        name: String,
        /// Whom to speak to there.
        contact_name: Option<String>,
        /// Their email address.
        contact_email: Option<String>,
        /// Their phone number as written.
        contact_phone: Option<String>,
    },
}

impl Subject {
    /// The kind of case.
    pub fn kind(&self) -> CaseKind {
        match self {
            Subject::Individual { .. } => CaseKind::Individual,
            Subject::Employer { .. } => CaseKind::Employer,
        }
    }
}

/// A case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    /// Its id.
    pub id: CaseId,
    /// The office it belongs to.
    pub office_code: String,
    /// Whom it is about.
    pub subject: Subject,
    /// The staff member working it.
    pub assigned_staff_id: AccountId,
    /// Where it stands.
    pub status: CaseStatus,
    /// When it was opened.
    pub opened_at: DateTime<Utc>,
    /// Who opened it.
    pub opened_by: AccountId,
    /// When it was closed.
    pub closed_at: Option<DateTime<Utc>>,
    /// Who closed it.
    pub closed_by: Option<AccountId>,
    /// Why it was closed.
    pub close_reason: Option<CloseReason>,
    /// The last change.
    pub updated_at: DateTime<Utc>,
    /// Bumped by every change (the ETag).
    pub version: i64,
}

#[derive(Debug, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = staff_cases)]
#[diesel(treat_none_as_null = true)]
struct CaseRow {
    id: String,
    office_code: String,
    kind: String,
    person_account_id: Option<String>,
    employer_name: Option<String>,
    employer_name_key: Option<String>,
    contact_name: Option<String>,
    contact_email: Option<String>,
    contact_phone: Option<String>,
    contact_phone_digits: Option<String>,
    assigned_staff_id: String,
    status: String,
    opened_at: NaiveDateTime,
    opened_by: String,
    closed_at: Option<NaiveDateTime>,
    closed_by: Option<String>,
    close_reason: Option<String>,
    updated_at: NaiveDateTime,
    version: i64,
}

/// The digits of a phone number, for searching.
pub fn digits(text: &str) -> String {
    text.chars().filter(char::is_ascii_digit).collect()
}

impl From<&Case> for CaseRow {
    fn from(case: &Case) -> Self {
        let (person, name, contact_name, email, phone) = match &case.subject {
            Subject::Individual { person_id } => {
                (Some(person_id.to_string()), None, None, None, None)
            }
            Subject::Employer {
                name,
                contact_name,
                contact_email,
                contact_phone,
            } => (
                None,
                Some(name.clone()),
                contact_name.clone(),
                contact_email.clone(),
                contact_phone.clone(),
            ),
        };
        let contact_email = email;
        CaseRow {
            id: case.id.to_string(),
            office_code: case.office_code.clone(),
            kind: case.subject.kind().as_str().to_owned(),
            person_account_id: person,
            employer_name_key: name.as_deref().map(str::to_lowercase),
            employer_name: name,
            contact_name,
            contact_email,
            contact_phone_digits: phone.as_deref().map(digits),
            contact_phone: phone,
            assigned_staff_id: case.assigned_staff_id.to_string(),
            status: case.status.as_str().to_owned(),
            opened_at: naive(case.opened_at),
            opened_by: case.opened_by.to_string(),
            closed_at: case.closed_at.map(naive),
            closed_by: case.closed_by.map(|c| c.to_string()),
            close_reason: case.close_reason.map(|r| r.as_str().to_owned()),
            updated_at: naive(case.updated_at),
            version: case.version,
        }
    }
}

impl TryFrom<CaseRow> for Case {
    type Error = RepoError;

    fn try_from(row: CaseRow) -> RepoResult<Case> {
        let subject = match (
            CaseKind::parse(&row.kind),
            row.person_account_id,
            row.employer_name,
        ) {
            (Some(CaseKind::Individual), Some(person_id), _) => Subject::Individual {
                person_id: parse_id("staff_cases", &person_id)?,
            },
            (Some(CaseKind::Employer), _, Some(name)) => Subject::Employer {
                name,
                contact_name: row.contact_name,
                contact_email: row.contact_email,
                contact_phone: row.contact_phone,
            },
            _ => return Err(corrupt("case kind", &row.kind)),
        };
        Ok(Case {
            id: row.id.parse().map_err(|_| corrupt("case id", &row.id))?,
            office_code: row.office_code,
            subject,
            assigned_staff_id: parse_id("staff_cases", &row.assigned_staff_id)?,
            status: CaseStatus::parse(&row.status)
                .ok_or_else(|| corrupt("case status", &row.status))?,
            opened_at: utc(row.opened_at),
            opened_by: parse_id("staff_cases", &row.opened_by)?,
            closed_at: row.closed_at.map(utc),
            closed_by: row
                .closed_by
                .map(|c| parse_id("staff_cases", &c))
                .transpose()?,
            close_reason: row
                .close_reason
                .map(|r| CloseReason::parse(&r).ok_or_else(|| corrupt("close reason", &r)))
                .transpose()?,
            updated_at: utc(row.updated_at),
            version: row.version,
        })
    }
}

fn load(rows: Vec<CaseRow>) -> RepoResult<Vec<Case>> {
    rows.into_iter().map(Case::try_from).collect()
}

/// Stores a new case.
pub fn insert(conn: &mut DbConnection, case: &Case) -> RepoResult<()> {
    diesel::insert_into(staff_cases::table)
        .values(CaseRow::from(case))
        .execute(conn)?;
    Ok(())
}

/// Saves a case's assignment, status, closing and version if it is still at `read_version`;
/// `false` when it changed in between.
pub fn update(conn: &mut DbConnection, case: &Case, read_version: i64) -> RepoResult<bool> {
    let row = CaseRow::from(case);
    let changed = diesel::update(
        staff_cases::table
            .find(&row.id)
            .filter(staff_cases::version.eq(read_version)),
    )
    .set((
        staff_cases::version.eq(row.version),
        staff_cases::assigned_staff_id.eq(&row.assigned_staff_id),
        staff_cases::status.eq(&row.status),
        staff_cases::closed_at.eq(row.closed_at),
        staff_cases::closed_by.eq(&row.closed_by),
        staff_cases::close_reason.eq(&row.close_reason),
        staff_cases::updated_at.eq(row.updated_at),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}

/// One case.
pub fn find(conn: &mut DbConnection, id: CaseId) -> RepoResult<Option<Case>> {
    staff_cases::table
        .find(id.to_string())
        .select(CaseRow::as_select())
        .first(conn)
        .optional()?
        .map(Case::try_from)
        .transpose()
}

/// The open (not closed) case of this subject in `office`, if any.
pub fn find_open(
    conn: &mut DbConnection,
    office: &str,
    subject: &Subject,
) -> RepoResult<Option<CaseId>> {
    let mut query = staff_cases::table
        .filter(staff_cases::office_code.eq(office))
        .filter(staff_cases::status.ne(CaseStatus::Closed.as_str()))
        .select(staff_cases::id)
        .into_boxed();
    query = match subject {
        Subject::Individual { person_id } => {
            query.filter(staff_cases::person_account_id.eq(person_id.to_string()))
        }
        Subject::Employer { name, .. } => {
            query.filter(staff_cases::employer_name_key.eq(name.to_lowercase()))
        }
    };
    let found: Option<String> = query.first(conn).optional()?;
    found
        .map(|id| id.parse().map_err(|_| corrupt("case id", &id)))
        .transpose()
}

/// Filters of a case list. `office: None` means every office.
#[derive(Debug, Clone, Default)]
pub struct CaseFilter {
    /// Only cases of this office.
    pub office: Option<String>,
    /// Only cases assigned to this staff member.
    pub assigned_staff_id: Option<AccountId>,
    /// Only cases with this status.
    pub status: Option<CaseStatus>,
    /// Only cases of this kind.
    pub kind: Option<CaseKind>,
}

/// A page of cases, newest first; the key is the id.
pub fn list(
    conn: &mut DbConnection,
    filter: &CaseFilter,
    page: PageRequest<'_>,
) -> RepoResult<Page<Case>> {
    let mut query = staff_cases::table.select(CaseRow::as_select()).into_boxed();
    if let Some(office) = &filter.office {
        query = query.filter(staff_cases::office_code.eq(office.clone()));
    }
    if let Some(staff) = &filter.assigned_staff_id {
        query = query.filter(staff_cases::assigned_staff_id.eq(staff.to_string()));
    }
    if let Some(status) = filter.status {
        query = query.filter(staff_cases::status.eq(status.as_str()));
    }
    if let Some(kind) = filter.kind {
        query = query.filter(staff_cases::kind.eq(kind.as_str()));
    }
    if let Some(after) = page.after {
        query = query.filter(staff_cases::id.lt(after.to_owned()));
    }
    let rows = query
        .order(staff_cases::id.desc())
        .limit(page.fetch())
        .load(conn)?;
    Ok(Page::from_overfetch(load(rows)?, page.limit))
}

/// A `LIKE` pattern matching values that contain `text` (lower-cased), with `%`, `_` and `\`
/// escaped.
pub fn like_contains(text: &str) -> String {
    let mut pattern = String::with_capacity(text.len() + 2);
    pattern.push('%');
    for c in text.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// What a quick search looks for: text in names and addresses, and digits in phone numbers.
#[derive(Debug, Clone)]
pub struct SearchText {
    /// The text as typed (trimmed).
    pub text: String,
    /// Its digits, when it has at least four (a phone number or part of one).
    pub digits: Option<String>,
}

impl SearchText {
    /// The search for `text`.
    pub fn new(text: &str) -> Self {
        let found = digits(text);
        SearchText {
            text: text.trim().to_owned(),
            digits: (found.len() >= 4).then_some(found),
        }
    }

    fn phone_pattern(&self) -> Option<String> {
        self.digits.as_ref().map(|d| format!("%{d}%"))
    }
}

/// An employer's cases matching `search` in `office` (every office when `None`), newest first.
pub fn search_employers(
    conn: &mut DbConnection,
    office: Option<&str>,
    search: &SearchText,
    page: PageRequest<'_>,
) -> RepoResult<Page<Case>> {
    let pattern = like_contains(&search.text);
    let mut query = staff_cases::table
        .filter(staff_cases::kind.eq(CaseKind::Employer.as_str()))
        .filter(
            staff_cases::employer_name_key
                .like(pattern.clone())
                .escape('\\')
                .or(lower(staff_cases::contact_name.assume_not_null())
                    .like(pattern.clone())
                    .escape('\\')
                    .and(staff_cases::contact_name.is_not_null()))
                .or(lower(staff_cases::contact_email.assume_not_null())
                    .like(pattern)
                    .escape('\\')
                    .and(staff_cases::contact_email.is_not_null()))
                .or(staff_cases::contact_phone_digits.like(search.phone_pattern())),
        )
        .select(CaseRow::as_select())
        .into_boxed();
    if let Some(office) = office {
        query = query.filter(staff_cases::office_code.eq(office.to_owned()));
    }
    if let Some(after) = page.after {
        query = query.filter(staff_cases::id.lt(after.to_owned()));
    }
    let rows = query
        .order(staff_cases::id.desc())
        .limit(page.fetch())
        .load(conn)?;
    Ok(Page::from_overfetch(load(rows)?, page.limit))
}

/// A quick-search hit as read: id, names, email, username, phone.
type PersonHitRow = (
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// A job seeker found by a quick search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonHit {
    /// The account id.
    pub id: AccountId,
    /// Given name.
    pub first_name: String,
    /// Family name.
    pub last_name: String,
    /// Email address.
    pub email: Option<String>,
    /// Username.
    pub username: Option<String>,
    /// Phone number from the profile.
    pub phone: Option<String>,
}

/// Job seekers (applicant accounts) matching a quick search, newest account first (the key is
/// the account id): those with a case in `office` (any office when `None`) whose name, email,
/// username or phone contains the text, and any job seeker whose email or username is exactly
/// the text (so a case can be opened for someone the office does not know yet).
pub fn search_individuals(
    conn: &mut DbConnection,
    office: Option<&str>,
    search: &SearchText,
    page: PageRequest<'_>,
) -> RepoResult<Page<PersonHit>> {
    let pattern = like_contains(&search.text);
    let exact = search.text.to_lowercase();
    // `office IS NULL OR office_code = office`, as one bound parameter on both backends.
    let office_param: Option<String> = office.map(str::to_owned);
    let known = staff_cases::table
        .filter(staff_cases::kind.eq(CaseKind::Individual.as_str()))
        .filter(
            staff_cases::office_code
                .nullable()
                .eq(office_param.clone())
                .or(office_param.clone().into_sql::<Nullable<Text>>().is_null()),
        )
        .select(staff_cases::person_account_id);
    let applicants = account_roles::table
        .filter(account_roles::role.eq("applicant"))
        .select(account_roles::account_id);
    let phone = replace(
        replace(
            replace(
                replace(replace(replace(profiles::phone, " ", ""), "-", ""), "(", ""),
                ")",
                "",
            ),
            ".",
            "",
        ),
        "+",
        "",
    );
    let full_name = lower(accounts::first_name.concat(" ").concat(accounts::last_name));
    let mut query = accounts::table
        .left_join(profiles::table)
        .filter(accounts::id.eq_any(applicants))
        .filter(
            accounts::id
                .nullable()
                .eq_any(known)
                .and(
                    full_name
                        .like(pattern.clone())
                        .escape('\\')
                        .or(accounts::email_key.like(pattern.clone()).escape('\\'))
                        .or(accounts::username_key.like(pattern).escape('\\'))
                        .or(phone.like(search.phone_pattern())),
                )
                .or(accounts::email_key.eq(exact.clone()))
                .or(accounts::username_key.eq(exact)),
        )
        .select((
            accounts::id,
            accounts::first_name,
            accounts::last_name,
            accounts::email,
            accounts::username,
            profiles::phone.nullable(),
        ))
        .into_boxed();
    if let Some(after) = page.after {
        query = query.filter(accounts::id.lt(after.to_owned()));
    }
    let rows: Vec<PersonHitRow> = query
        .order(accounts::id.desc())
        .limit(page.fetch())
        .load(conn)?;
    let hits = rows
        .into_iter()
        .map(|(id, first_name, last_name, email, username, phone)| {
            Ok(PersonHit {
                id: parse_id("accounts", &id)?,
                first_name,
                last_name,
                email,
                username,
                phone,
            })
        })
        .collect::<RepoResult<Vec<_>>>()?;
    Ok(Page::from_overfetch(hits, page.limit))
}

/// The cases of these people in `office` (every office when `None`), newest first.
pub fn cases_of_people(
    conn: &mut DbConnection,
    office: Option<&str>,
    people: &[AccountId],
) -> RepoResult<Vec<Case>> {
    let mut query = staff_cases::table
        .filter(staff_cases::person_account_id.eq_any(people.iter().map(ToString::to_string)))
        .select(CaseRow::as_select())
        .into_boxed();
    if let Some(office) = office {
        query = query.filter(staff_cases::office_code.eq(office.to_owned()));
    }
    load(query.order(staff_cases::id.desc()).load(conn)?)
}

/// Names and contact of accounts, for showing who a case is about and who works it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    /// The account id.
    pub id: AccountId,
    /// Given name.
    pub first_name: String,
    /// Family name.
    pub last_name: String,
    /// Email address.
    pub email: Option<String>,
    /// Username.
    pub username: Option<String>,
}

type NamedRow = (String, String, String, Option<String>, Option<String>);

const NAMED_COLUMNS: (
    accounts::id,
    accounts::first_name,
    accounts::last_name,
    accounts::email,
    accounts::username,
) = (
    accounts::id,
    accounts::first_name,
    accounts::last_name,
    accounts::email,
    accounts::username,
);

fn named(rows: Vec<NamedRow>) -> RepoResult<Vec<Named>> {
    rows.into_iter()
        .map(|(id, first_name, last_name, email, username)| {
            Ok(Named {
                id: parse_id("accounts", &id)?,
                first_name,
                last_name,
                email,
                username,
            })
        })
        .collect()
}

/// The names of these accounts (unknown ids are left out).
pub fn names(conn: &mut DbConnection, ids: &[AccountId]) -> RepoResult<Vec<Named>> {
    named(
        accounts::table
            .filter(accounts::id.eq_any(ids.iter().map(ToString::to_string)))
            .select(NAMED_COLUMNS)
            .load(conn)?,
    )
}

/// The staff of an office (accounts holding the staff role bound to it), by id.
pub fn staff_of_office(conn: &mut DbConnection, office: &str) -> RepoResult<Vec<Named>> {
    let staff = account_roles::table
        .filter(account_roles::role.eq("staff"))
        .select(account_roles::account_id);
    named(
        accounts::table
            .filter(accounts::office_code.eq(office))
            .filter(accounts::id.eq_any(staff))
            .order(accounts::id.asc())
            .select(NAMED_COLUMNS)
            .load(conn)?,
    )
}

/// A service recorded on a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Activity {
    /// Its id.
    pub id: ActivityId,
    /// The case.
    pub case_id: CaseId,
    /// Which service.
    pub code: ActivityCode,
    /// The day it was given.
    pub provided_on: NaiveDate,
    /// The staff member who gave it.
    pub staff_id: AccountId,
    /// A note.
    pub note: Option<String>,
    /// Who recorded it.
    pub recorded_by: AccountId,
    /// When.
    pub recorded_at: DateTime<Utc>,
    /// The case's office (a copy: a case never changes office), for counting an office's work.
    pub office_code: String,
}

#[derive(Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = case_activities)]
struct ActivityRow {
    id: String,
    case_id: String,
    code: String,
    provided_on: NaiveDate,
    staff_id: String,
    note: Option<String>,
    recorded_by: String,
    recorded_at: NaiveDateTime,
    office_code: String,
}

impl TryFrom<ActivityRow> for Activity {
    type Error = RepoError;

    fn try_from(row: ActivityRow) -> RepoResult<Activity> {
        Ok(Activity {
            id: row
                .id
                .parse()
                .map_err(|_| corrupt("activity id", &row.id))?,
            case_id: row
                .case_id
                .parse()
                .map_err(|_| corrupt("case id", &row.case_id))?,
            code: ActivityCode::parse(&row.code).ok_or_else(|| corrupt("activity", &row.code))?,
            provided_on: row.provided_on,
            staff_id: parse_id("case_activities", &row.staff_id)?,
            note: row.note,
            recorded_by: parse_id("case_activities", &row.recorded_by)?,
            recorded_at: utc(row.recorded_at),
            office_code: row.office_code,
        })
    }
}

/// Stores a recorded service.
pub fn insert_activity(conn: &mut DbConnection, activity: &Activity) -> RepoResult<()> {
    diesel::insert_into(case_activities::table)
        .values(ActivityRow {
            id: activity.id.to_string(),
            case_id: activity.case_id.to_string(),
            code: activity.code.as_str().to_owned(),
            provided_on: activity.provided_on,
            staff_id: activity.staff_id.to_string(),
            note: activity.note.clone(),
            recorded_by: activity.recorded_by.to_string(),
            recorded_at: naive(activity.recorded_at),
            office_code: activity.office_code.clone(),
        })
        .execute(conn)?;
    Ok(())
}

/// A page of a case's services, newest recorded first; the key is the id.
pub fn activities(
    conn: &mut DbConnection,
    case: CaseId,
    page: PageRequest<'_>,
) -> RepoResult<Page<Activity>> {
    let mut query = case_activities::table
        .filter(case_activities::case_id.eq(case.to_string()))
        .select(ActivityRow::as_select())
        .into_boxed();
    if let Some(after) = page.after {
        query = query.filter(case_activities::id.lt(after.to_owned()));
    }
    let rows = query
        .order(case_activities::id.desc())
        .limit(page.fetch())
        .load(conn)?;
    let items = rows
        .into_iter()
        .map(Activity::try_from)
        .collect::<RepoResult<Vec<_>>>()?;
    Ok(Page::from_overfetch(items, page.limit))
}

/// A job placement recorded on a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placement {
    /// Its id.
    pub id: PlacementId,
    /// The case.
    pub case_id: CaseId,
    /// The employer that hired.
    pub employer_name: String,
    /// The posting, when the job was posted on Merit.
    pub posting_id: Option<PostingId>,
    /// The job's title.
    pub job_title: String,
    /// The first day of work.
    pub start_date: NaiveDate,
    /// The hourly wage in cents.
    pub hourly_wage_cents: i64,
    /// The staff member credited with it.
    pub staff_id: AccountId,
    /// Who recorded it.
    pub recorded_by: AccountId,
    /// When.
    pub recorded_at: DateTime<Utc>,
    /// The case's office (a copy: a case never changes office), for counting an office's work.
    pub office_code: String,
}

#[derive(Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = case_placements)]
struct PlacementRow {
    id: String,
    case_id: String,
    employer_name: String,
    posting_id: Option<String>,
    job_title: String,
    start_date: NaiveDate,
    hourly_wage_cents: i64,
    staff_id: String,
    recorded_by: String,
    recorded_at: NaiveDateTime,
    office_code: String,
}

impl TryFrom<PlacementRow> for Placement {
    type Error = RepoError;

    fn try_from(row: PlacementRow) -> RepoResult<Placement> {
        Ok(Placement {
            id: row
                .id
                .parse()
                .map_err(|_| corrupt("placement id", &row.id))?,
            case_id: row
                .case_id
                .parse()
                .map_err(|_| corrupt("case id", &row.case_id))?,
            employer_name: row.employer_name,
            posting_id: row
                .posting_id
                .map(|p| parse_id("case_placements", &p))
                .transpose()?,
            job_title: row.job_title,
            start_date: row.start_date,
            hourly_wage_cents: row.hourly_wage_cents,
            staff_id: parse_id("case_placements", &row.staff_id)?,
            recorded_by: parse_id("case_placements", &row.recorded_by)?,
            recorded_at: utc(row.recorded_at),
            office_code: row.office_code,
        })
    }
}

/// Stores a placement.
pub fn insert_placement(conn: &mut DbConnection, placement: &Placement) -> RepoResult<()> {
    diesel::insert_into(case_placements::table)
        .values(PlacementRow {
            id: placement.id.to_string(),
            case_id: placement.case_id.to_string(),
            employer_name: placement.employer_name.clone(),
            posting_id: placement.posting_id.map(|p| p.to_string()),
            job_title: placement.job_title.clone(),
            start_date: placement.start_date,
            hourly_wage_cents: placement.hourly_wage_cents,
            staff_id: placement.staff_id.to_string(),
            recorded_by: placement.recorded_by.to_string(),
            recorded_at: naive(placement.recorded_at),
            office_code: placement.office_code.clone(),
        })
        .execute(conn)?;
    Ok(())
}

/// A page of a case's placements, newest recorded first; the key is the id.
pub fn placements(
    conn: &mut DbConnection,
    case: CaseId,
    page: PageRequest<'_>,
) -> RepoResult<Page<Placement>> {
    let mut query = case_placements::table
        .filter(case_placements::case_id.eq(case.to_string()))
        .select(PlacementRow::as_select())
        .into_boxed();
    if let Some(after) = page.after {
        query = query.filter(case_placements::id.lt(after.to_owned()));
    }
    let rows = query
        .order(case_placements::id.desc())
        .limit(page.fetch())
        .load(conn)?;
    let items = rows
        .into_iter()
        .map(Placement::try_from)
        .collect::<RepoResult<Vec<_>>>()?;
    Ok(Page::from_overfetch(items, page.limit))
}

/// The period and place of a report: the cases of one office, days `from` to `to` inclusive
/// (instants from `from`'s midnight UTC to the midnight after `to`), optionally one staff
/// member's work only.
#[derive(Debug, Clone)]
pub struct ReportScope {
    /// The office.
    pub office: String,
    /// The first day.
    pub from: NaiveDate,
    /// The last day.
    pub to: NaiveDate,
    /// Only this staff member's work.
    pub staff_id: Option<AccountId>,
}

impl ReportScope {
    /// The instant the first day starts: midnight, Pacific time (the state's offices' days).
    fn start(&self) -> NaiveDateTime {
        merit_domain::calendar::start_of_pacific_day(self.from).naive_utc()
    }

    /// The instant the last day ends: the next midnight, Pacific time.
    fn end(&self) -> NaiveDateTime {
        merit_domain::calendar::end_of_pacific_day(self.to).naive_utc()
    }
}

/// Counts read per staff member, with the ids parsed.
fn per_staff(table: &'static str, rows: Vec<(String, i64)>) -> RepoResult<Vec<(AccountId, i64)>> {
    rows.into_iter()
        .map(|(staff, n)| Ok((parse_id(table, &staff)?, n)))
        .collect()
}

/// Counts of the office's services given in the period: (staff member, code, count).
pub fn activity_counts(
    conn: &mut DbConnection,
    scope: &ReportScope,
) -> RepoResult<Vec<(AccountId, String, i64)>> {
    let mut query = case_activities::table
        .filter(case_activities::office_code.eq(scope.office.clone()))
        .filter(case_activities::provided_on.ge(scope.from))
        .filter(case_activities::provided_on.le(scope.to))
        .group_by((case_activities::staff_id, case_activities::code))
        .select((
            case_activities::staff_id,
            case_activities::code,
            count_star(),
        ))
        .into_boxed();
    if let Some(staff) = &scope.staff_id {
        query = query.filter(case_activities::staff_id.eq(staff.to_string()));
    }
    let rows: Vec<(String, String, i64)> = query.load(conn)?;
    rows.into_iter()
        .map(|(staff, code, n)| Ok((parse_id("case_activities", &staff)?, code, n)))
        .collect()
}

/// Counts of the office's placements starting in the period, per staff member.
pub fn placement_counts(
    conn: &mut DbConnection,
    scope: &ReportScope,
) -> RepoResult<Vec<(AccountId, i64)>> {
    let mut query = case_placements::table
        .filter(case_placements::office_code.eq(scope.office.clone()))
        .filter(case_placements::start_date.ge(scope.from))
        .filter(case_placements::start_date.le(scope.to))
        .group_by(case_placements::staff_id)
        .select((case_placements::staff_id, count_star()))
        .into_boxed();
    if let Some(staff) = &scope.staff_id {
        query = query.filter(case_placements::staff_id.eq(staff.to_string()));
    }
    per_staff("case_placements", query.load(conn)?)
}

/// Counts of the office's cases opened in the period, per staff member who opened them.
pub fn opened_counts(
    conn: &mut DbConnection,
    scope: &ReportScope,
) -> RepoResult<Vec<(AccountId, i64)>> {
    let mut query = staff_cases::table
        .filter(staff_cases::office_code.eq(scope.office.clone()))
        .filter(staff_cases::opened_at.ge(scope.start()))
        .filter(staff_cases::opened_at.lt(scope.end()))
        .group_by(staff_cases::opened_by)
        .select((staff_cases::opened_by, count_star()))
        .into_boxed();
    if let Some(staff) = &scope.staff_id {
        query = query.filter(staff_cases::opened_by.eq(staff.to_string()));
    }
    per_staff("staff_cases", query.load(conn)?)
}

/// Counts of the office's cases closed in the period, per staff member who closed them.
pub fn closed_counts(
    conn: &mut DbConnection,
    scope: &ReportScope,
) -> RepoResult<Vec<(AccountId, i64)>> {
    let mut query = staff_cases::table
        .filter(staff_cases::office_code.eq(scope.office.clone()))
        .filter(staff_cases::closed_at.ge(scope.start()))
        .filter(staff_cases::closed_at.lt(scope.end()))
        .filter(staff_cases::closed_by.is_not_null())
        .group_by(staff_cases::closed_by)
        .select((staff_cases::closed_by.assume_not_null(), count_star()))
        .into_boxed();
    if let Some(staff) = &scope.staff_id {
        query = query.filter(staff_cases::closed_by.eq(staff.to_string()));
    }
    per_staff("staff_cases", query.load(conn)?)
}
