//! The posting change log's upkeep when several instances share one database: each instance's
//! position in the log (with a heartbeat), the pruning of rows every live instance has applied,
//! and the mark below which rows may be gone.
//!
//! Invariant: every change numbered above `posting_changes_pruned.pruned_through` is still in
//! `posting_changes`. The mark and the deletion change in one transaction, so a reader that sees
//! its position at or above the mark in a snapshot also sees every change after its position.

use chrono::{DateTime, Utc};
use diesel::{PgConnection, dsl::min, prelude::*};

use crate::{
    DbConnection,
    error::{RepoError, RepoResult},
    schema::{posting_changes, posting_changes_pruned, search_instances},
    time::naive,
};

/// The PostgreSQL channel a posting write notifies (on commit) and every instance listens on.
pub const POSTING_CHANGES_CHANNEL: &str = "merit_posting_changes";

/// What one pruning did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pruned {
    /// The mark after pruning: changes numbered up to it may be gone.
    pub through: i64,
    /// Change rows deleted.
    pub changes: usize,
    /// Instances forgotten because they were silent past the grace period.
    pub instances: usize,
}

/// The number up to which changes may have been deleted (0 when none ever were).
pub fn pruned_through(conn: &mut DbConnection) -> RepoResult<i64> {
    Ok(posting_changes_pruned::table
        .select(posting_changes_pruned::pruned_through)
        .first::<i64>(conn)
        .optional()?
        .unwrap_or(0))
}

/// Records that instance `instance` has applied the log up to `applied`, as of `now`.
pub fn heartbeat(
    conn: &mut DbConnection,
    instance: &str,
    applied: i64,
    now: DateTime<Utc>,
) -> RepoResult<()> {
    let updated = diesel::update(search_instances::table.find(instance))
        .set((
            search_instances::applied_seq.eq(applied),
            search_instances::heartbeat_at.eq(naive(now)),
        ))
        .execute(conn)?;
    if updated == 0 {
        // Upserts do not compile on the MultiBackend; an instance id is this process's own, so
        // no other writer inserts it at the same time.
        diesel::insert_into(search_instances::table)
            .values((
                search_instances::instance_id.eq(instance),
                search_instances::applied_seq.eq(applied),
                search_instances::heartbeat_at.eq(naive(now)),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Removes an instance's position (it stops).
pub fn forget(conn: &mut DbConnection, instance: &str) -> RepoResult<()> {
    diesel::delete(search_instances::table.find(instance)).execute(conn)?;
    Ok(())
}

/// Forgets the instances not heard from since `live_since`, then deletes the changes every
/// remaining instance has applied and raises the mark to match. Safe to run on several
/// instances at once: the mark never goes down and a deletion of rows already gone is a no-op.
pub fn prune(conn: &mut DbConnection, live_since: DateTime<Utc>) -> RepoResult<Pruned> {
    let instances = diesel::delete(
        search_instances::table.filter(search_instances::heartbeat_at.lt(naive(live_since))),
    )
    .execute(conn)?;
    let floor: Option<i64> = search_instances::table
        .select(min(search_instances::applied_seq))
        .first(conn)?;
    let Some(floor) = floor else {
        return Ok(Pruned {
            through: pruned_through(conn)?,
            changes: 0,
            instances,
        });
    };
    diesel::update(
        posting_changes_pruned::table.filter(posting_changes_pruned::pruned_through.lt(floor)),
    )
    .set(posting_changes_pruned::pruned_through.eq(floor))
    .execute(conn)?;
    let through = pruned_through(conn)?;
    let changes = diesel::delete(posting_changes::table.filter(posting_changes::seq.le(through)))
        .execute(conn)?;
    Ok(Pruned {
        through,
        changes,
        instances,
    })
}

/// How many change rows the log holds (for tests and the scale-out benchmark).
pub fn len(conn: &mut DbConnection) -> RepoResult<i64> {
    Ok(posting_changes::table.count().get_result(conn)?)
}

/// Sends the posting-change notification, delivered when the transaction commits (PostgreSQL;
/// on SQLite instances learn of changes by polling only).
pub fn notify(conn: &mut DbConnection) -> RepoResult<()> {
    if let DbConnection::Postgresql(c) = conn {
        diesel::sql_query(format!("NOTIFY {POSTING_CHANGES_CHANNEL}")).execute(c)?;
    }
    Ok(())
}

/// A PostgreSQL connection of its own that listens on [`POSTING_CHANGES_CHANNEL`]. It never
/// blocks: [`ChangeListener::received`] reads what the server has sent so far.
pub struct ChangeListener {
    conn: PgConnection,
}

impl std::fmt::Debug for ChangeListener {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChangeListener").finish_non_exhaustive()
    }
}

impl ChangeListener {
    /// Connects to the PostgreSQL database at `url` and starts listening.
    pub fn connect(url: &str) -> RepoResult<ChangeListener> {
        let mut conn =
            PgConnection::establish(url).map_err(|e| RepoError::Unavailable(e.to_string()))?;
        diesel::sql_query(format!("LISTEN {POSTING_CHANGES_CHANNEL}")).execute(&mut conn)?;
        Ok(ChangeListener { conn })
    }

    /// How many notifications arrived since the last call (0 when none); an error when the
    /// connection was lost.
    pub fn received(&mut self) -> RepoResult<usize> {
        let mut count = 0;
        for notification in self.conn.notifications_iter() {
            notification?;
            count += 1;
        }
        Ok(count)
    }

    /// Checks that the server still answers (a connection dropped without a word shows up only
    /// when something is sent).
    pub fn ping(&mut self) -> RepoResult<()> {
        diesel::sql_query("SELECT 1").execute(&mut self.conn)?;
        Ok(())
    }
}
