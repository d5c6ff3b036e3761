//! Staff correspondence: an office's letter templates and the letters made from them.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use merit_domain::ids::{AccountId, CaseId, CorrespondenceId, LetterTemplateId, MessageId};

use crate::{
    DbConnection,
    error::{RepoError, RepoResult},
    paging::{Page, PageRequest},
    schema::{correspondence as c, letter_templates as t},
    time::{naive, utc},
};

fn parse_id<T: std::str::FromStr>(table: &'static str, text: &str) -> RepoResult<T> {
    text.parse().map_err(|_| RepoError::InvalidRow {
        table,
        reason: "an id".to_owned(),
    })
}

/// A letter template of an office.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LetterTemplate {
    /// Its id.
    pub id: LetterTemplateId,
    /// The office it belongs to.
    pub office_code: String,
    /// Its name, unique in the office (ignoring case).
    pub name: String,
    /// The subject line, with merge fields.
    pub subject: String,
    /// The body, with merge fields.
    pub body: String,
    /// Who created it.
    pub created_by: AccountId,
    /// When.
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = t)]
struct TemplateRow {
    id: String,
    office_code: String,
    name: String,
    subject: String,
    body: String,
    created_by: String,
    created_at: NaiveDateTime,
}

impl TemplateRow {
    fn into_domain(self) -> RepoResult<LetterTemplate> {
        Ok(LetterTemplate {
            id: parse_id("letter_templates", &self.id)?,
            office_code: self.office_code,
            name: self.name,
            subject: self.subject,
            body: self.body,
            created_by: parse_id("letter_templates", &self.created_by)?,
            created_at: utc(self.created_at),
        })
    }
}

/// Writes a template; a name taken in the office is `Conflict` on `letter_templates_name_key`.
pub fn insert_template(conn: &mut DbConnection, template: &LetterTemplate) -> RepoResult<()> {
    diesel::insert_into(t::table)
        .values((
            t::id.eq(template.id.to_string()),
            t::office_code.eq(&template.office_code),
            t::name.eq(&template.name),
            t::name_key.eq(template.name.to_lowercase()),
            t::subject.eq(&template.subject),
            t::body.eq(&template.body),
            t::created_by.eq(template.created_by.to_string()),
            t::created_at.eq(naive(template.created_at)),
        ))
        .execute(conn)?;
    Ok(())
}

/// One template by id.
pub fn find_template(
    conn: &mut DbConnection,
    id: LetterTemplateId,
) -> RepoResult<Option<LetterTemplate>> {
    t::table
        .find(id.to_string())
        .select(TemplateRow::as_select())
        .first(conn)
        .optional()?
        .map(TemplateRow::into_domain)
        .transpose()
}

/// A page of templates (of one office, or of all), newest first; the key is the id.
pub fn templates(
    conn: &mut DbConnection,
    office: Option<&str>,
    page: PageRequest<'_>,
) -> RepoResult<Page<LetterTemplate>> {
    let mut query = t::table.select(TemplateRow::as_select()).into_boxed();
    if let Some(office) = office {
        query = query.filter(t::office_code.eq(office.to_owned()));
    }
    if let Some(after) = page.after {
        query = query.filter(t::id.lt(after.to_owned()));
    }
    let rows = query.order(t::id.desc()).limit(page.fetch()).load(conn)?;
    let items = rows
        .into_iter()
        .map(TemplateRow::into_domain)
        .collect::<RepoResult<Vec<_>>>()?;
    Ok(Page::from_overfetch(items, page.limit))
}

/// A letter staff sent a case's person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Letter {
    /// Its id.
    pub id: CorrespondenceId,
    /// The case.
    pub case_id: CaseId,
    /// The template it was made from.
    pub template_id: LetterTemplateId,
    /// The case's office.
    pub office_code: String,
    /// The person it went to.
    pub account_id: AccountId,
    /// The staff member who sent it.
    pub staff_id: AccountId,
    /// The merged subject.
    pub subject: String,
    /// The merged body.
    pub body: String,
    /// The inbox message that carried it.
    pub message_id: MessageId,
    /// When.
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = c)]
struct LetterRow {
    id: String,
    case_id: String,
    template_id: String,
    office_code: String,
    account_id: String,
    staff_id: String,
    subject: String,
    body: String,
    message_id: String,
    created_at: NaiveDateTime,
}

impl LetterRow {
    fn into_domain(self) -> RepoResult<Letter> {
        const T: &str = "correspondence";
        Ok(Letter {
            id: parse_id(T, &self.id)?,
            case_id: parse_id(T, &self.case_id)?,
            template_id: parse_id(T, &self.template_id)?,
            office_code: self.office_code,
            account_id: parse_id(T, &self.account_id)?,
            staff_id: parse_id(T, &self.staff_id)?,
            subject: self.subject,
            body: self.body,
            message_id: parse_id(T, &self.message_id)?,
            created_at: utc(self.created_at),
        })
    }
}

/// Writes a letter.
pub fn insert(conn: &mut DbConnection, letter: &Letter) -> RepoResult<()> {
    diesel::insert_into(c::table)
        .values((
            c::id.eq(letter.id.to_string()),
            c::case_id.eq(letter.case_id.to_string()),
            c::template_id.eq(letter.template_id.to_string()),
            c::office_code.eq(&letter.office_code),
            c::account_id.eq(letter.account_id.to_string()),
            c::staff_id.eq(letter.staff_id.to_string()),
            c::subject.eq(&letter.subject),
            c::body.eq(&letter.body),
            c::message_id.eq(letter.message_id.to_string()),
            c::created_at.eq(naive(letter.created_at)),
        ))
        .execute(conn)?;
    Ok(())
}

/// Which letters a list shows.
#[derive(Debug, Clone, Default)]
pub struct LetterFilter {
    /// Only this office's.
    pub office: Option<String>,
    /// Only this staff member's.
    pub staff: Option<AccountId>,
    /// Only those created at or after this instant.
    pub from: Option<DateTime<Utc>>,
    /// Only those created before this instant.
    pub to: Option<DateTime<Utc>>,
}

/// A page of letters, newest first; the key is the id.
pub fn list(
    conn: &mut DbConnection,
    filter: &LetterFilter,
    page: PageRequest<'_>,
) -> RepoResult<Page<Letter>> {
    let mut query = c::table.select(LetterRow::as_select()).into_boxed();
    if let Some(office) = &filter.office {
        query = query.filter(c::office_code.eq(office.clone()));
    }
    if let Some(staff) = filter.staff {
        query = query.filter(c::staff_id.eq(staff.to_string()));
    }
    if let Some(from) = filter.from {
        query = query.filter(c::created_at.ge(naive(from)));
    }
    if let Some(to) = filter.to {
        query = query.filter(c::created_at.lt(naive(to)));
    }
    if let Some(after) = page.after {
        query = query.filter(c::id.lt(after.to_owned()));
    }
    let rows = query.order(c::id.desc()).limit(page.fetch()).load(conn)?;
    let items = rows
        .into_iter()
        .map(LetterRow::into_domain)
        .collect::<RepoResult<Vec<_>>>()?;
    Ok(Page::from_overfetch(items, page.limit))
}

/// How many letters match `filter` (paging aside).
pub fn count(conn: &mut DbConnection, filter: &LetterFilter) -> RepoResult<i64> {
    let mut query = c::table.into_boxed();
    if let Some(office) = &filter.office {
        query = query.filter(c::office_code.eq(office.clone()));
    }
    if let Some(staff) = filter.staff {
        query = query.filter(c::staff_id.eq(staff.to_string()));
    }
    if let Some(from) = filter.from {
        query = query.filter(c::created_at.ge(naive(from)));
    }
    if let Some(to) = filter.to {
        query = query.filter(c::created_at.lt(naive(to)));
    }
    Ok(query.count().get_result(conn)?)
}
