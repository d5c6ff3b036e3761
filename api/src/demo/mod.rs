//! `merit demo`: realistic demo data that frontend teams start from. Loading it twice changes
//! nothing the second time.

mod profiles;
mod reference;

pub use profiles::DEMO_PASSWORD;

use crate::{
    clock::{Clock, SystemClock},
    db::Db,
    storage::DocumentStore,
};

/// Loads every demo data set into the database.
pub async fn load(db: &Db) -> anyhow::Result<()> {
    let added = db
        .write(reference::load)
        .await
        .map_err(|e| anyhow::anyhow!("demo reference data: {e}"))?;
    tracing::info!(added, "demo reference data loaded");
    Ok(())
}

/// Loads the demo applicants, with their profiles, templates and documents (after [`load`]:
/// their conditions name demo departments).
pub async fn load_applicants(db: &Db, store: &DocumentStore) -> anyhow::Result<()> {
    let added = profiles::load(db, store, SystemClock.now())
        .await
        .map_err(|e| anyhow::anyhow!("demo applicants: {e}"))?;
    tracing::info!(added, "demo applicants loaded");
    Ok(())
}
