//! An upload on its way in: written to a temporary file as it arrives, hashed and counted, and
//! refused as soon as it passes the size limit. The file is removed when dropped.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use tempfile::TempPath;
use tokio::io::AsyncWriteExt;

use crate::error::ApiError;

/// A file being received.
#[derive(Debug)]
pub struct IncomingFile {
    path: TempPath,
    file: tokio::fs::File,
    hasher: Sha256,
    size: u64,
    limit: u64,
}

/// A file received whole: where it waits, how big it is and its SHA-256.
#[derive(Debug)]
pub struct ReceivedFile {
    path: TempPath,
    /// Its size in bytes.
    pub size: u64,
    /// SHA-256 of its bytes, lower-case hex.
    pub sha256: String,
}

impl ReceivedFile {
    /// Where the file waits (removed when this is dropped).
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl IncomingFile {
    /// Starts a file in `dir` that may grow to `limit` bytes.
    pub async fn create(dir: &Path, limit: u64) -> Result<IncomingFile, ApiError> {
        let dir: PathBuf = dir.to_owned();
        let (file, path) = tokio::task::spawn_blocking(move || {
            tempfile::Builder::new()
                .prefix("upload-")
                .tempfile_in(dir)
                .map(tempfile::NamedTempFile::into_parts)
        })
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::internal)?;
        Ok(IncomingFile {
            path,
            file: tokio::fs::File::from_std(file),
            hasher: Sha256::new(),
            size: 0,
            limit,
        })
    }

    /// Appends the next chunk; 413 as soon as the file would pass the limit.
    pub async fn write(&mut self, chunk: &[u8]) -> Result<(), ApiError> {
        self.size += chunk.len() as u64;
        if self.size > self.limit {
            return Err(ApiError::PayloadTooLarge {
                limit: usize::try_from(self.limit).unwrap_or(usize::MAX),
            });
        }
        self.hasher.update(chunk);
        self.file.write_all(chunk).await.map_err(ApiError::internal)
    }

    /// Finishes the file: everything is on disk and its hash known.
    pub async fn finish(mut self) -> Result<ReceivedFile, ApiError> {
        self.file.flush().await.map_err(ApiError::internal)?;
        Ok(ReceivedFile {
            path: self.path,
            size: self.size,
            sha256: hex::encode(self.hasher.finalize()),
        })
    }
}
