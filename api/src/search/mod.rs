//! Posting search: an in-memory index of open postings, kept in step with the database.
//!
//! Every write to a posting appends to the `posting_changes` log in its transaction. The index
//! is loaded from the database at start, then [`SearchService::refresh`] applies the log: the
//! instance that made a change refreshes before answering, so its own client sees the change at
//! once. Other instances learn of it through PostgreSQL `LISTEN/NOTIFY` (see [`listen`]): the
//! write notifies on commit and every instance refreshes at once. Every instance also refreshes
//! on a timer (`MERIT_SEARCH_POLL_INTERVAL_MS`), the fallback when a notification is lost and
//! SQLite's only way. Search then costs no database round trip: keywords, filters, the
//! visibility rule, the total and all facets are computed in memory (see `docs/ARCHITECTURE.md`
//! for why).
//!
//! The log is pruned once every live instance has applied it: each instance records its
//! position with a heartbeat ([`SearchService::heartbeat`]); rows below the lowest position of
//! the instances heard from within the grace period are deleted. An instance whose position
//! falls below the pruned mark (it was silent past the grace) reloads its whole index.

mod facets;
mod index;
pub mod listen;
mod query;
#[cfg(test)]
mod tests;
pub mod text;

use std::{
    sync::{
        Arc, RwLock,
        atomic::{AtomicBool, Ordering},
    },
    time::{Duration, Instant},
};

use chrono::{DateTime, TimeDelta, Utc};
use merit_domain::ids::Uuid;
use merit_persistence::{change_log, postings, reference};
use prometheus::{Gauge, IntCounter, IntGauge, Registry};
use tokio::sync::{Mutex, Notify};

pub use change_log::Pruned;
pub use facets::{FacetCount, Facets};
pub use index::{Index, PostingCard};
pub use query::{Found, Hit, Query, SortKey};

use crate::{clock::Clock, db::Db, error::ApiError};

/// How many postings a full load reads at a time (their rows are in memory beside the index
/// only one batch at a time).
const LOAD_BATCH: i64 = 5_000;

/// How an instance keeps its index in step with the others (from the settings).
#[derive(Debug, Clone, Copy)]
pub struct FollowSettings {
    /// How often the index reads the change log when nothing wakes it (the fallback).
    pub poll_interval: Duration,
    /// How often the instance records its position and prunes the log.
    pub heartbeat_interval: Duration,
    /// How long an instance may stay silent before its position stops holding back pruning.
    pub grace: Duration,
}

/// The search index and its position in the change log.
#[derive(Debug)]
pub struct SearchService {
    index: RwLock<Index>,
    /// The last change applied; `None` until the first full load. Also serialises refreshes.
    applied: Mutex<Option<i64>>,
    /// Whether the first full load is done (read without waiting for a refresh in progress).
    loaded: AtomicBool,
    /// When the index last caught up with the database (until the first load: its creation).
    caught_up: std::sync::Mutex<Instant>,
    /// Read by the first load; a test holds it for writing to keep the load pending.
    first_load: Arc<tokio::sync::RwLock<()>>,
    /// This instance's name in `search_instances` (new at every start).
    instance: String,
    /// Wakes [`SearchService::follow`] for a refresh (a notification arrived).
    wake: Notify,
    gauges: Gauges,
}

/// The index's figures in `/metrics`.
#[derive(Debug, Clone)]
struct Gauges {
    lag: Gauge,
    postings: IntGauge,
    heap_bytes: IntGauge,
    loaded: IntGauge,
    full_loads: IntCounter,
    listening: IntGauge,
    pruned: IntCounter,
}

impl Gauges {
    fn new() -> Self {
        let lag = Gauge::new(
            "merit_search_index_lag_seconds",
            "Seconds since the search index last caught up with the database's change log.",
        );
        let postings = IntGauge::new(
            "merit_search_index_postings",
            "Open postings in the search index.",
        );
        let heap_bytes = IntGauge::new(
            "merit_search_index_heap_bytes",
            "Estimated heap bytes the search index holds (its allocations, not the allocator's overhead).",
        );
        let loaded = IntGauge::new(
            "merit_search_index_loaded",
            "1 once the search index's first load is done, else 0.",
        );
        let full_loads = IntCounter::new(
            "merit_search_index_full_loads_total",
            "Full loads of the search index: the first, and one each time this instance fell behind the pruned change log.",
        );
        let listening = IntGauge::new(
            "merit_search_listening",
            "1 while the instance listens for posting changes (PostgreSQL LISTEN/NOTIFY), else 0.",
        );
        let pruned = IntCounter::new(
            "merit_search_change_log_pruned_total",
            "Rows of the posting change log this instance deleted because every live instance had applied them.",
        );
        match (
            lag, postings, heap_bytes, loaded, full_loads, listening, pruned,
        ) {
            (
                Ok(lag),
                Ok(postings),
                Ok(heap_bytes),
                Ok(loaded),
                Ok(full_loads),
                Ok(listening),
                Ok(pruned),
            ) => Gauges {
                lag,
                postings,
                heap_bytes,
                loaded,
                full_loads,
                listening,
                pruned,
            },
            _ => unreachable!("the gauges' names and help are valid"),
        }
    }
}

impl Default for SearchService {
    fn default() -> Self {
        SearchService::new()
    }
}

impl SearchService {
    /// An empty service; call [`SearchService::refresh`] before searching.
    pub fn new() -> Self {
        SearchService {
            index: RwLock::default(),
            applied: Mutex::default(),
            loaded: AtomicBool::default(),
            caught_up: std::sync::Mutex::new(Instant::now()),
            first_load: Arc::default(),
            instance: Uuid::now_v7().to_string(),
            wake: Notify::new(),
            gauges: Gauges::new(),
        }
    }

    /// Adds the index's gauges to `registry` (served at `/metrics`).
    pub fn register_metrics(&self, registry: &Registry) -> prometheus::Result<()> {
        registry.register(Box::new(self.gauges.lag.clone()))?;
        registry.register(Box::new(self.gauges.postings.clone()))?;
        registry.register(Box::new(self.gauges.heap_bytes.clone()))?;
        registry.register(Box::new(self.gauges.loaded.clone()))?;
        registry.register(Box::new(self.gauges.full_loads.clone()))?;
        registry.register(Box::new(self.gauges.listening.clone()))?;
        registry.register(Box::new(self.gauges.pruned.clone()))
    }

    /// Sets the gauges to the index's current figures (called before `/metrics` is rendered).
    pub fn observe_metrics(&self) {
        self.gauges.lag.set(self.lag().as_secs_f64());
        let (postings, heap_bytes) = {
            let index = self
                .index
                .read()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            (index.len(), index.heap_bytes())
        };
        self.gauges
            .postings
            .set(i64::try_from(postings).unwrap_or(i64::MAX));
        self.gauges
            .heap_bytes
            .set(i64::try_from(heap_bytes).unwrap_or(i64::MAX));
        self.gauges.loaded.set(i64::from(self.is_loaded()));
    }

    /// This instance's id in the change log's list of positions.
    pub fn instance_id(&self) -> &str {
        &self.instance
    }

    /// How many full loads the index did (1 after start; more when it fell behind the pruned
    /// change log).
    pub fn full_loads(&self) -> u64 {
        self.gauges.full_loads.get()
    }

    /// The last change applied (`None` before the first load).
    pub async fn position(&self) -> Option<i64> {
        *self.applied.lock().await
    }

    /// Asks [`SearchService::follow`] to refresh now (another instance changed a posting).
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// Records whether the instance listens for notifications (`merit_search_listening`).
    pub fn set_listening(&self, listening: bool) {
        self.gauges.listening.set(i64::from(listening));
    }

    /// Whether the first full load is done: until then the instance is not ready.
    pub fn is_loaded(&self) -> bool {
        self.loaded.load(Ordering::Acquire)
    }

    /// How long since the index last caught up with the database's change log.
    pub fn lag(&self) -> Duration {
        self.caught_up
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .elapsed()
    }

    /// Keeps the first load pending until the guard is dropped (for tests of readiness);
    /// `None` when the load already started.
    pub fn hold_first_load(&self) -> Option<tokio::sync::OwnedRwLockWriteGuard<()>> {
        self.first_load.clone().try_write_owned().ok()
    }

    /// Runs a search.
    pub fn search(&self, query: &Query<'_>) -> Found {
        let index = self
            .index
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        index.search(query)
    }

    /// How many postings are indexed.
    pub fn len(&self) -> usize {
        self.index
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .len()
    }

    /// Whether nothing is indexed.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Loads the index if it never was (searches call this; later changes arrive through
    /// [`SearchService::refresh`]).
    pub async fn ready(&self, db: &Db) -> Result<(), ApiError> {
        if self.is_loaded() {
            return Ok(());
        }
        self.refresh(db).await
    }

    /// After a committed posting write: brings the index up to date so the writer's client
    /// sees its change at once. A failure is logged, not answered: the write stands, and the
    /// periodic refresh applies it within a second.
    pub async fn refresh_after_write(&self, db: &Db) {
        if let Err(error) = self.refresh(db).await {
            tracing::warn!(%error, "the search index will catch up with a posting change later");
        }
    }

    /// Brings the index up to date with the database: a full load the first time (and when the
    /// changes after its position were pruned), then the changes logged since.
    pub async fn refresh(&self, db: &Db) -> Result<(), ApiError> {
        let mut applied = self.applied.lock().await;
        match *applied {
            None => {
                let _pending = self.first_load.read().await;
                *applied = Some(self.load(db).await?);
                self.loaded.store(true, Ordering::Release);
                tracing::info!(postings = self.len(), "search index loaded");
            }
            Some(last) => {
                let (changed, names, newest, pruned) = db
                    .read(move |conn| {
                        let (ids, newest) = postings::changed_since(conn, last)?;
                        // Read in the same snapshot as the changes: a mark at or below `last`
                        // means every change after `last` is in that list.
                        let pruned = change_log::pruned_through(conn)?;
                        if ids.is_empty() || pruned > last {
                            return Ok((Vec::new(), Default::default(), newest, pruned));
                        }
                        Ok((
                            postings::find_many(conn, &ids)?,
                            reference::names(conn)?,
                            newest,
                            pruned,
                        ))
                    })
                    .await?;
                if pruned > last {
                    tracing::warn!(
                        position = last,
                        pruned_through = pruned,
                        "the change log was pruned past this instance's position (it was silent longer than the grace period); reloading the search index"
                    );
                    *applied = Some(self.load(db).await?);
                    tracing::info!(postings = self.len(), "search index reloaded");
                } else {
                    if !changed.is_empty() {
                        let mut index = self
                            .index
                            .write()
                            .unwrap_or_else(std::sync::PoisonError::into_inner);
                        for posting in &changed {
                            if posting.status == merit_domain::posting::PostingStatus::Open {
                                index.upsert(posting, &names);
                            } else {
                                index.remove(posting.id);
                            }
                        }
                    }
                    *applied = Some(newest);
                }
            }
        }
        *self
            .caught_up
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Instant::now();
        Ok(())
    }

    /// Builds the whole index from the database and swaps it in; returns the change number it
    /// is current with. The whole load, index building included, runs on the blocking pool.
    async fn load(&self, db: &Db) -> Result<i64, ApiError> {
        let (fresh, last) = db
            .read(|c| {
                let last = postings::last_change(c)?;
                let names = reference::names(c)?;
                let mut fresh = Index::default();
                let mut after: Option<String> = None;
                loop {
                    let batch = postings::open_batch(c, after.as_deref(), LOAD_BATCH)?;
                    for posting in &batch {
                        fresh.upsert(posting, &names);
                    }
                    match batch.last() {
                        Some(last) if batch.len() == LOAD_BATCH as usize => {
                            after = Some(last.id.to_string());
                        }
                        _ => break,
                    }
                }
                fresh.shrink();
                Ok((fresh, last))
            })
            .await?;
        *self
            .index
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = fresh;
        self.gauges.full_loads.inc();
        Ok(last)
    }

    /// Records this instance's position as of `now`, then prunes the change log of what every
    /// instance heard from within `grace` has applied. Nothing before the first load.
    pub async fn heartbeat(
        &self,
        db: &Db,
        now: DateTime<Utc>,
        grace: Duration,
    ) -> Result<Pruned, ApiError> {
        let Some(position) = self.position().await else {
            return Ok(Pruned::default());
        };
        let instance = self.instance.clone();
        let live_since = now - TimeDelta::from_std(grace).unwrap_or(TimeDelta::MAX);
        let pruned = db
            .write(move |conn| {
                change_log::heartbeat(conn, &instance, position, now)?;
                Ok(change_log::prune(conn, live_since)?)
            })
            .await?;
        self.gauges
            .pruned
            .inc_by(u64::try_from(pruned.changes).unwrap_or_default());
        if pruned.instances > 0 {
            tracing::info!(
                instances = pruned.instances,
                "forgot search index positions of instances silent past the grace period"
            );
        }
        Ok(pruned)
    }

    /// Removes this instance's position (it stops on purpose), so that pruning does not wait
    /// for it during the grace period. A failure is logged: the grace period then applies.
    pub async fn leave(&self, db: &Db) {
        if !db.is_migrated() {
            return;
        }
        let instance = self.instance.clone();
        if let Err(error) = db
            .write(move |conn| Ok(change_log::forget(conn, &instance)?))
            .await
        {
            tracing::warn!(%error, "could not remove this instance's position in the posting change log");
        }
    }

    /// Loads the index at once, then refreshes whenever woken (a notification from another
    /// instance) and at least every poll interval, forever; records its position and prunes the
    /// change log every heartbeat interval. Runs as a background task from start-up, so no
    /// request waits for the first load and readiness is 503 until it is done.
    pub async fn follow(self: Arc<Self>, db: Db, clock: Arc<dyn Clock>, settings: FollowSettings) {
        let mut last_heartbeat: Option<Instant> = None;
        loop {
            if !db.is_migrated() {
                // Start-up is still reaching the database (see `warmup`).
            } else if let Err(error) = self.refresh(&db).await {
                tracing::warn!(error = %error, loaded = self.is_loaded(), "search index refresh failed");
            } else if self.is_loaded()
                && last_heartbeat.is_none_or(|at| at.elapsed() >= settings.heartbeat_interval)
            {
                match self.heartbeat(&db, clock.now(), settings.grace).await {
                    Ok(pruned) => {
                        last_heartbeat = Some(Instant::now());
                        if pruned.changes > 0 {
                            tracing::debug!(
                                changes = pruned.changes,
                                through = pruned.through,
                                "pruned the posting change log"
                            );
                        }
                    }
                    Err(error) => {
                        tracing::warn!(error = %error, "recording the search index's position failed");
                    }
                }
            }
            tokio::select! {
                () = tokio::time::sleep(settings.poll_interval) => {}
                () = self.wake.notified() => {}
            }
        }
    }
}
