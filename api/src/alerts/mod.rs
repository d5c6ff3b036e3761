//! Job alerts: the in-memory matching index ([`index`]), kept in step with the database, and
//! the background worker that matches opened postings and sends digests ([`worker`]).
//!
//! Every write to an alert appends its id to `job_alert_changes` in its transaction. Before
//! each matching pass, the worker applies the changes since the last one it applied (the first
//! pass loads every active alert), so a posting is always matched against the alerts as
//! committed, on every instance.

pub mod index;
pub mod worker;

use std::sync::{Mutex, PoisonError, RwLock, RwLockReadGuard};

use merit_persistence::{DbConnection, RepoResult, alerts};

pub use index::{AlertEntry, AlertIndex, Matched, PostingFacts};

/// How many alerts one load query reads.
const LOAD_BATCH: i64 = 5_000;

/// The alert index and its position in the change log.
#[derive(Debug, Default)]
pub struct AlertService {
    index: RwLock<AlertIndex>,
    /// The last change applied; `None` until the first full load. Also serialises refreshes.
    applied: Mutex<Option<i64>>,
}

/// The index entry of a stored alert.
pub fn entry(alert: alerts::JobAlert) -> AlertEntry {
    AlertEntry::new(
        alert.id,
        alert.account_id,
        alert.criteria,
        alert.channel,
        alert.frequency,
    )
}

impl AlertService {
    /// An empty service; the first [`AlertService::refresh`] loads it.
    pub fn new() -> Self {
        AlertService::default()
    }

    /// Brings the index up to date with the database (a full load the first time).
    pub fn refresh(&self, conn: &mut DbConnection) -> RepoResult<()> {
        let mut applied = self.applied.lock().unwrap_or_else(PoisonError::into_inner);
        match *applied {
            None => {
                let mark = alerts::last_change(conn)?;
                let mut fresh = AlertIndex::default();
                let mut after: Option<String> = None;
                loop {
                    let batch = alerts::active_batch(conn, after.as_deref(), LOAD_BATCH)?;
                    let Some(last) = batch.last() else { break };
                    after = Some(last.id.to_string());
                    for alert in batch {
                        fresh.upsert(entry(alert));
                    }
                }
                *self.index.write().unwrap_or_else(PoisonError::into_inner) = fresh;
                *applied = Some(mark);
            }
            Some(mut after) => loop {
                let (ids, newest) = alerts::changed_since(conn, after)?;
                if ids.is_empty() {
                    break;
                }
                let found = alerts::find_many(conn, &ids)?;
                let mut index = self.index.write().unwrap_or_else(PoisonError::into_inner);
                for &id in &ids {
                    index.remove(id);
                }
                for alert in found.into_iter().filter(|a| a.active) {
                    index.upsert(entry(alert));
                }
                after = newest;
                *applied = Some(newest);
            },
        }
        Ok(())
    }

    /// The index, for matching.
    pub fn read(&self) -> RwLockReadGuard<'_, AlertIndex> {
        self.index.read().unwrap_or_else(PoisonError::into_inner)
    }
}
