//! Posting search: an in-memory index of open postings, kept in step with the database.
//!
//! Every write to a posting appends to the `posting_changes` log in its transaction. The index
//! is loaded from the database at start, then [`SearchService::refresh`] applies the log: the
//! instance that made a change refreshes before answering, so its own client sees the change at
//! once, and every instance also refreshes on a timer, so the others follow within a second or
//! two. Search then costs no database round trip: keywords, filters, the visibility rule, the
//! total and all facets are computed in memory (see `docs/ARCHITECTURE.md` for why).

mod facets;
mod index;
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

use merit_persistence::{postings, reference};
use prometheus::{Gauge, IntGauge, Registry};
use tokio::sync::Mutex;

pub use facets::{FacetCount, Facets};
pub use index::{Index, PostingCard};
pub use query::{Found, Hit, Query, SortKey};

use crate::{db::Db, error::ApiError};

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
    gauges: Gauges,
}

/// The index's figures in `/metrics`.
#[derive(Debug, Clone)]
struct Gauges {
    lag: Gauge,
    postings: IntGauge,
    loaded: IntGauge,
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
        let loaded = IntGauge::new(
            "merit_search_index_loaded",
            "1 once the search index's first load is done, else 0.",
        );
        match (lag, postings, loaded) {
            (Ok(lag), Ok(postings), Ok(loaded)) => Gauges {
                lag,
                postings,
                loaded,
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
            gauges: Gauges::new(),
        }
    }

    /// Adds the index's gauges to `registry` (served at `/metrics`).
    pub fn register_metrics(&self, registry: &Registry) -> prometheus::Result<()> {
        registry.register(Box::new(self.gauges.lag.clone()))?;
        registry.register(Box::new(self.gauges.postings.clone()))?;
        registry.register(Box::new(self.gauges.loaded.clone()))
    }

    /// Sets the gauges to the index's current figures (called before `/metrics` is rendered).
    pub fn observe_metrics(&self) {
        self.gauges.lag.set(self.lag().as_secs_f64());
        self.gauges
            .postings
            .set(i64::try_from(self.len()).unwrap_or(i64::MAX));
        self.gauges.loaded.set(i64::from(self.is_loaded()));
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

    /// Brings the index up to date with the database: a full load the first time, then the
    /// changes logged since.
    pub async fn refresh(&self, db: &Db) -> Result<(), ApiError> {
        let mut applied = self.applied.lock().await;
        match *applied {
            None => {
                let _pending = self.first_load.read().await;
                // The whole load, index building included, runs on the blocking pool.
                let (fresh, last) = db
                    .read(|c| {
                        let last = postings::last_change(c)?;
                        let names = reference::names(c)?;
                        let mut fresh = Index::default();
                        for posting in &postings::all_open(c)? {
                            fresh.upsert(posting, &names);
                        }
                        Ok((fresh, last))
                    })
                    .await?;
                *self
                    .index
                    .write()
                    .unwrap_or_else(std::sync::PoisonError::into_inner) = fresh;
                *applied = Some(last);
                self.loaded.store(true, Ordering::Release);
                tracing::info!(postings = self.len(), "search index loaded");
            }
            Some(last) => {
                let (changed, names, newest) = db
                    .read(move |conn| {
                        let (ids, newest) = postings::changed_since(conn, last)?;
                        if ids.is_empty() {
                            return Ok((Vec::new(), Default::default(), newest));
                        }
                        Ok((
                            postings::find_many(conn, &ids)?,
                            reference::names(conn)?,
                            newest,
                        ))
                    })
                    .await?;
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
        *self
            .caught_up
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Instant::now();
        Ok(())
    }

    /// Loads the index at once, then refreshes every `interval`, forever (other instances'
    /// changes arrive this way). Runs as a background task from start-up, so no request waits
    /// for the first load and readiness is 503 until it is done.
    pub async fn follow(self: Arc<Self>, db: Db, interval: Duration) {
        loop {
            if !db.is_migrated() {
                // Start-up is still reaching the database (see `warmup`).
            } else if let Err(error) = self.refresh(&db).await {
                tracing::warn!(error = %error, loaded = self.is_loaded(), "search index refresh failed");
            }
            tokio::time::sleep(interval).await;
        }
    }
}
