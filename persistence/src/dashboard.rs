//! Staff dashboards: the chosen widgets, and the counts widgets show that no other repository
//! answers.

use chrono::{DateTime, Utc};
use diesel::{
    dsl::{count, count_star},
    prelude::*,
};
use merit_domain::ids::AccountId;

use crate::{
    DbConnection,
    error::RepoResult,
    schema::{dashboard_widgets, messages, staff_cases},
    time::naive,
};

/// The widgets `account` chose, as stored (comma-separated kinds), if they ever chose.
pub fn widgets(conn: &mut DbConnection, account: AccountId) -> RepoResult<Option<String>> {
    Ok(dashboard_widgets::table
        .find(account.to_string())
        .select(dashboard_widgets::widgets)
        .first(conn)
        .optional()?)
}

/// Saves the widgets `account` chose.
pub fn set_widgets(
    conn: &mut DbConnection,
    account: AccountId,
    widgets: &str,
    now: DateTime<Utc>,
) -> RepoResult<()> {
    let updated = diesel::update(dashboard_widgets::table.find(account.to_string()))
        .set((
            dashboard_widgets::widgets.eq(widgets),
            dashboard_widgets::updated_at.eq(naive(now)),
        ))
        .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(dashboard_widgets::table)
            .values((
                dashboard_widgets::account_id.eq(account.to_string()),
                dashboard_widgets::widgets.eq(widgets),
                dashboard_widgets::updated_at.eq(naive(now)),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// How many cases assigned to `staff` are in each status: (status, count).
pub fn case_load(conn: &mut DbConnection, staff: AccountId) -> RepoResult<Vec<(String, i64)>> {
    Ok(staff_cases::table
        .filter(staff_cases::assigned_staff_id.eq(staff.to_string()))
        .group_by(staff_cases::status)
        .select((staff_cases::status, count_star()))
        .load(conn)?)
}

/// How many of `account`'s messages (not archived) are unread and read (one statement: all
/// of them, and those with a read time).
pub fn message_counts(conn: &mut DbConnection, account: AccountId) -> RepoResult<(i64, i64)> {
    let (all, read): (i64, i64) = messages::table
        .filter(messages::account_id.eq(account.to_string()))
        .filter(messages::archived_at.is_null())
        .select((count_star(), count(messages::read_at)))
        .first(conn)?;
    Ok((all - read, read))
}
