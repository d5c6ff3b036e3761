//! `merit demo`: realistic demo data that frontend teams start from. Loading it twice changes
//! nothing the second time.

mod reference;

use crate::db::Db;

/// Loads every demo data set into the database.
pub async fn load(db: &Db) -> anyhow::Result<()> {
    let added = db
        .write(reference::load)
        .await
        .map_err(|e| anyhow::anyhow!("demo reference data: {e}"))?;
    tracing::info!(added, "demo reference data loaded");
    Ok(())
}
