//! The sweeper: removes what a crash leaves behind, every hour on every instance.
//!
//! - Temporary uploads (`upload-*` in the uploads folder) untouched for an hour: a request
//!   removes its own file when it ends, so an old one belongs to a process that died.
//! - Staging files of a copy into a local store cut short (`<key>#<n>`), after an hour too.
//! - Stored bytes that no document's row names, once written more than a day ago. An upload
//!   writes its bytes and then its row within one request (seconds), and a delete removes the
//!   row and then the bytes, so bytes without a row that old are the leftovers of a crash or of
//!   a store that failed between the two steps. Each is checked against the database again just
//!   before it is deleted, so bytes a row names are never deleted.
//!
//! Several instances may sweep at once: each deletion tolerates its object or file being gone
//! already. Times are the wall clock's, since they are compared with the files' and objects'
//! modification times.

use std::{
    collections::HashSet,
    path::{Path, PathBuf},
    time::Duration,
};

use actix_web::web;
use chrono::{DateTime, TimeDelta, Utc};
use merit_persistence::documents;

use crate::{error::ApiError, state::AppState};

/// How old a temporary upload or a staging file must be to be removed.
pub const LEFTOVER_AGE: TimeDelta = TimeDelta::hours(1);

/// How old bytes no row names must be to be removed.
pub const ORPHAN_GRACE: TimeDelta = TimeDelta::days(1);

/// How many keys one database query checks.
const KEYS_PER_QUERY: usize = 500;

/// How long after start the first sweep runs.
const FIRST_SWEEP_AFTER: Duration = Duration::from_secs(60);

/// What one sweep removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Swept {
    /// Temporary uploads.
    pub uploads: usize,
    /// Staging files of a local store.
    pub staged: usize,
    /// Stored objects no row names.
    pub orphans: usize,
}

/// Sweeps once, as if it were `now`.
pub async fn sweep(state: &AppState, now: DateTime<Utc>) -> Result<Swept, ApiError> {
    let cutoff = now - LEFTOVER_AGE;
    let uploads_dir = state.documents.uploads_dir().to_owned();
    let uploads = web::block(move || remove_old_files(&uploads_dir, cutoff, is_temporary_upload))
        .await
        .map_err(ApiError::internal)?;
    let staged = match state.documents.local_root().map(Path::to_owned) {
        Some(root) => web::block(move || remove_old_files(&root, cutoff, is_staging_file))
            .await
            .map_err(ApiError::internal)?,
        None => 0,
    };
    let orphans = remove_orphans(state, now - ORPHAN_GRACE).await?;
    Ok(Swept {
        uploads,
        staged,
        orphans,
    })
}

/// Sweeps every `interval` (the first time a minute after start), once the database is
/// migrated; logs what it removed and any failure.
pub async fn run(state: AppState, interval: Duration) {
    let mut wait = FIRST_SWEEP_AFTER;
    loop {
        tokio::time::sleep(wait).await;
        wait = interval;
        if !state.db.is_migrated() {
            continue;
        }
        match sweep(&state, Utc::now()).await {
            Ok(swept) if swept != Swept::default() => tracing::info!(
                uploads = swept.uploads,
                staged = swept.staged,
                orphans = swept.orphans,
                "swept crash leftovers"
            ),
            Ok(_) => {}
            Err(error) => tracing::warn!(error = %error, "sweep failed"),
        }
    }
}

/// Deletes the stored objects written before `cutoff` that no row names, checking each again
/// just before deleting it; returns how many it deleted.
async fn remove_orphans(state: &AppState, cutoff: DateTime<Utc>) -> Result<usize, ApiError> {
    let candidates = state.documents.keys_written_before(cutoff).await?;
    let mut removed = 0;
    for chunk in candidates.chunks(KEYS_PER_QUERY) {
        let keys = chunk.to_vec();
        let named: HashSet<String> = state
            .db
            .read(move |conn| Ok(documents::named_object_keys(conn, &keys)?))
            .await?
            .into_iter()
            .collect();
        for key in chunk.iter().filter(|key| !named.contains(*key)) {
            let again = vec![key.clone()];
            let still_unnamed = state
                .db
                .read(move |conn| Ok(documents::named_object_keys(conn, &again)?.is_empty()))
                .await?;
            if still_unnamed {
                state.documents.delete(key).await?;
                tracing::info!(object.key = %key, "removed document bytes that no row names");
                removed += 1;
            }
        }
    }
    Ok(removed)
}

/// A temporary upload's name (`storage::upload` makes them).
fn is_temporary_upload(name: &str) -> bool {
    name.starts_with("upload-")
}

/// A local store's staging file: `<key>#<digits>` (`object_store`'s `LocalFileSystem`).
fn is_staging_file(name: &str) -> bool {
    name.split_once('#').is_some_and(|(key, suffix)| {
        !key.is_empty() && !suffix.is_empty() && suffix.bytes().all(|b| b.is_ascii_digit())
    })
}

/// Removes the files under `root` (and its folders) whose names `wanted` and that were last
/// modified before `cutoff`; returns how many it removed. Files gone meanwhile are skipped.
fn remove_old_files(root: &Path, cutoff: DateTime<Utc>, wanted: fn(&str) -> bool) -> usize {
    let mut removed = 0;
    let mut folders: Vec<PathBuf> = vec![root.to_owned()];
    while let Some(folder) = folders.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                folders.push(entry.path());
                continue;
            }
            let name = entry.file_name();
            if !kind.is_file() || !name.to_str().is_some_and(wanted) {
                continue;
            }
            let modified = entry.metadata().and_then(|m| m.modified());
            if modified.is_ok_and(|at| DateTime::<Utc>::from(at) < cutoff) {
                match std::fs::remove_file(entry.path()) {
                    Ok(()) => {
                        tracing::info!(file.path = %entry.path().display(), "removed a crash leftover");
                        removed += 1;
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                    Err(e) => {
                        tracing::warn!(file.path = %entry.path().display(), error = %e, "cannot remove a crash leftover");
                    }
                }
            }
        }
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_staging_files_and_temporary_uploads_are_recognised() {
        assert!(is_staging_file("0123abcd#1"));
        assert!(is_staging_file("0123abcd#12"));
        assert!(!is_staging_file("0123abcd"));
        assert!(!is_staging_file("0123abcd#"));
        assert!(!is_staging_file("0123abcd#1a"));
        assert!(!is_staging_file("#1"));
        assert!(is_temporary_upload("upload-Xy12ab"));
        assert!(!is_temporary_upload("notes.txt"));
    }

    #[test]
    fn old_files_are_removed_recent_and_unrelated_ones_stay() {
        let dir = tempfile::tempdir().unwrap();
        let nested = dir.path().join("ab");
        std::fs::create_dir(&nested).unwrap();
        for name in ["upload-old", "keep.txt"] {
            std::fs::write(dir.path().join(name), b"x").unwrap();
        }
        std::fs::write(nested.join("upload-nested"), b"x").unwrap();
        let now = Utc::now();
        assert_eq!(
            remove_old_files(dir.path(), now - LEFTOVER_AGE, is_temporary_upload),
            0,
            "nothing is an hour old yet"
        );
        assert_eq!(
            remove_old_files(dir.path(), now + LEFTOVER_AGE, is_temporary_upload),
            2
        );
        assert!(dir.path().join("keep.txt").exists());
        assert!(!dir.path().join("upload-old").exists());
        assert!(!nested.join("upload-nested").exists());
        assert_eq!(
            remove_old_files(dir.path(), now + LEFTOVER_AGE, is_temporary_upload),
            0,
            "gone already is fine"
        );
    }
}
