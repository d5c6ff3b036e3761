//! What every handler can reach: the database, the clock and the settings.

use std::sync::Arc;

use prometheus::Registry;

use crate::{clock::Clock, db::Db, settings::Settings};

/// Shared, cheaply cloned application state (`web::Data<AppState>`).
#[derive(Clone, Debug)]
pub struct AppState {
    /// The database.
    pub db: Db,
    /// The clock; handlers read `now` once and pass it down.
    pub clock: Arc<dyn Clock>,
    /// The settings Merit started with.
    pub settings: Arc<Settings>,
    /// The metrics registry served at `/metrics`.
    pub metrics: Registry,
}
