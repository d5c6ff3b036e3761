//! `merit demo`: realistic demo data that frontend teams start from. Loading it twice changes
//! nothing the second time.

mod cases;
mod exams;
mod postings;
mod profiles;
pub mod reference;
mod staff;
mod workspace;

pub use postings::generate as generate_postings;
pub use profiles::DEMO_PASSWORD;

/// Who the demo's postings and exams are created by: the nil id, which no account has (the demo
/// loader is not a person), so loading twice adds nothing.
pub fn author() -> merit_domain::ids::AccountId {
    use merit_domain::ids::{EntityId, Uuid};
    merit_domain::ids::AccountId::from_uuid(Uuid::nil())
}

use crate::{
    clock::{Clock, SystemClock},
    db::Db,
    storage::DocumentStore,
};

/// How many postings the demo data holds by default.
pub const DEMO_POSTINGS: usize = 3_000;

/// Loads the reference data only (departments, classifications, offices).
pub async fn load_reference(db: &Db) -> anyhow::Result<usize> {
    db.write(reference::load)
        .await
        .map_err(|e| anyhow::anyhow!("demo reference data: {e}"))
}

/// Loads every demo data set, with `posting_count` postings.
pub async fn load_with(db: &Db, posting_count: usize) -> anyhow::Result<()> {
    let added = load_reference(db).await?;
    tracing::info!(added, "demo reference data loaded");
    let now = crate::clock::Clock::now(&crate::clock::SystemClock);
    let added = db
        .write(move |conn| postings::load(conn, posting_count, now))
        .await
        .map_err(|e| anyhow::anyhow!("demo postings: {e}"))?;
    tracing::info!(added, "demo postings loaded");
    let added = db
        .write(move |conn| exams::load(conn, now))
        .await
        .map_err(|e| anyhow::anyhow!("demo exams: {e}"))?;
    tracing::info!(added, "demo exams loaded");
    Ok(())
}

/// Loads every demo data set.
pub async fn load(db: &Db) -> anyhow::Result<()> {
    load_with(db, DEMO_POSTINGS).await
}

/// Loads the demo people (after [`load`]: they name demo departments and offices): applicants
/// with their profiles, templates, documents and exam results, and an employer, a staff member
/// (with a case load) and an employee.
pub async fn load_applicants(db: &Db, store: &DocumentStore) -> anyhow::Result<()> {
    let added = profiles::load(db, store, SystemClock.now())
        .await
        .map_err(|e| anyhow::anyhow!("demo applicants: {e}"))?;
    tracing::info!(added, "demo applicants loaded");
    let added = staff::load(db, SystemClock.now())
        .await
        .map_err(|e| anyhow::anyhow!("demo accounts: {e}"))?;
    tracing::info!(added, "demo employer, staff and employee accounts loaded");
    let now = SystemClock.now();
    let added = db
        .write(move |conn| cases::load(conn, now))
        .await
        .map_err(|e| anyhow::anyhow!("demo case load: {e}"))?;
    tracing::info!(added, "demo case load of LAOMCHEN loaded");
    let now = SystemClock.now();
    let added = db
        .write(move |conn| workspace::load(conn, now))
        .await
        .map_err(|e| anyhow::anyhow!("demo calendar, announcements and letters: {e}"))?;
    tracing::info!(
        added,
        "demo calendar, announcements and letters of LAOMCHEN loaded"
    );
    let now = SystemClock.now();
    let added = db
        .write(move |conn| exams::load_results(conn, now))
        .await
        .map_err(|e| anyhow::anyhow!("demo exam results: {e}"))?;
    tracing::info!(added, "demo exam results loaded");
    Ok(())
}
