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
    time::Duration,
};

use merit_persistence::{postings, reference};
use tokio::sync::Mutex;

pub use facets::{FacetCount, Facets};
pub use index::{Index, PostingCard};
pub use query::{Found, Hit, Query, SortKey};

use crate::{db::Db, error::ApiError};

/// The search index and its position in the change log.
#[derive(Debug, Default)]
pub struct SearchService {
    index: RwLock<Index>,
    /// The last change applied; `None` until the first full load. Also serialises refreshes.
    applied: Mutex<Option<i64>>,
    /// Whether the first full load is done (read without waiting for a refresh in progress).
    loaded: AtomicBool,
}

impl SearchService {
    /// An empty service; call [`SearchService::refresh`] before searching.
    pub fn new() -> Self {
        SearchService::default()
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
        if self.loaded.load(Ordering::Acquire) {
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
                let (open, names, last) = db
                    .read(|c| {
                        let last = postings::last_change(c)?;
                        Ok((postings::all_open(c)?, reference::names(c)?, last))
                    })
                    .await?;
                let mut fresh = Index::default();
                for posting in &open {
                    fresh.upsert(posting, &names);
                }
                *self
                    .index
                    .write()
                    .unwrap_or_else(std::sync::PoisonError::into_inner) = fresh;
                *applied = Some(last);
                self.loaded.store(true, Ordering::Release);
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
        Ok(())
    }

    /// Refreshes every `interval`, forever (other instances' changes arrive this way).
    pub async fn follow(self: Arc<Self>, db: Db, interval: Duration) {
        loop {
            tokio::time::sleep(interval).await;
            if let Err(error) = self.refresh(&db).await {
                tracing::warn!(error = %error, "search index refresh failed");
            }
        }
    }
}
