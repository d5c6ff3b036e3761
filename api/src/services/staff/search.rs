//! Quick search over individuals and employers, within the caller's scope.

use merit_domain::ids::AccountId;
use merit_persistence::{
    DbConnection, Page, PageRequest,
    cases::{self, Case, PersonHit, SearchText},
};

use super::{CaseView, office_filter, scope, views};
use crate::{auth::AuthUser, error::ApiError};

/// A job seeker found, with their cases in the caller's scope.
#[derive(Debug, Clone)]
pub struct IndividualHit {
    /// Who.
    pub person: PersonHit,
    /// Their cases the caller may see, newest first.
    pub cases: Vec<Case>,
}

/// Job seekers matching `text`: those with a case in the caller's scope whose name, email,
/// username or phone contains it, and anyone whose email or username is exactly `text`.
pub fn search_individuals(
    conn: &mut DbConnection,
    user: &AuthUser,
    text: &str,
    page: PageRequest<'_>,
) -> Result<Page<IndividualHit>, ApiError> {
    let scope = scope(user)?;
    let office = office_filter(&scope);
    let found = cases::search_individuals(conn, office.as_deref(), &SearchText::new(text), page)?;
    let ids: Vec<AccountId> = found.items.iter().map(|p| p.id).collect();
    let known = cases::cases_of_people(conn, office.as_deref(), &ids)?;
    Ok(found.map(|person| IndividualHit {
        cases: known
            .iter()
            .filter(|c| {
                matches!(&c.subject, cases::Subject::Individual { person_id } if *person_id == person.id)
            })
            .cloned()
            .collect(),
        person,
    }))
}

/// Employers' cases in the caller's scope whose name, contact name, email or phone contains
/// `text`.
pub fn search_employers(
    conn: &mut DbConnection,
    user: &AuthUser,
    text: &str,
    page: PageRequest<'_>,
) -> Result<Page<CaseView>, ApiError> {
    let scope = scope(user)?;
    let office = office_filter(&scope);
    let found = cases::search_employers(conn, office.as_deref(), &SearchText::new(text), page)?;
    let has_more = found.has_more;
    Ok(Page {
        items: views(conn, found.items)?,
        has_more,
    })
}
