//! The document store: the bytes of uploaded documents, in an object store (`object_store`):
//! a folder under the data dir by default, an S3-compatible bucket when configured.
//!
//! Keys are generated (random UUIDs), never made from anything a client sent. Uploads arrive
//! in a temporary file first ([`upload`]), are inspected there ([`inspect`]), and are then
//! copied to the store in parts, so no upload is ever held in memory whole.

pub mod inspect;
pub mod upload;

use std::{
    path::{Path, PathBuf},
    sync::Arc,
};

use anyhow::Context;
use bytes::Bytes;
use chrono::{DateTime, Utc};
use futures_util::{Stream, StreamExt, stream::BoxStream};
use object_store::{
    ObjectStore, ObjectStoreExt, WriteMultipart, aws::AmazonS3Builder, local::LocalFileSystem,
    path::Path as ObjectPath,
};
use secrecy::ExposeSecret;
use tokio::io::AsyncReadExt;

use crate::{
    error::{ApiError, Code},
    settings::Settings,
};

/// How much of a file is read from disk at a time.
const READ_BUFFER: usize = 64 * 1024;
/// Parts in flight per upload to the store (besides the one being filled).
const PARTS_IN_FLIGHT: usize = 1;

/// Where documents' bytes are kept.
#[derive(Debug, Clone)]
pub struct DocumentStore {
    store: Arc<dyn ObjectStore>,
    part_size: usize,
    uploads_dir: PathBuf,
    /// The folder of a local store (`None` for S3).
    local_root: Option<PathBuf>,
    kind: &'static str,
}

impl DocumentStore {
    /// The store the settings name: S3 when a bucket is set, else `documents/` under the data
    /// dir. Incoming uploads wait in `uploads/` under the data dir in both cases.
    pub fn from_settings(settings: &Settings) -> anyhow::Result<DocumentStore> {
        let uploads_dir = settings.data_dir.join("uploads");
        std::fs::create_dir_all(&uploads_dir)
            .with_context(|| format!("cannot create {}", uploads_dir.display()))?;
        if let Some(bucket) = &settings.documents_s3_bucket {
            let mut builder = AmazonS3Builder::from_env().with_bucket_name(bucket);
            if let Some(endpoint) = &settings.documents_s3_endpoint {
                builder = builder
                    .with_allow_http(endpoint.starts_with("http://"))
                    .with_endpoint(endpoint);
            }
            if let Some(region) = &settings.documents_s3_region {
                builder = builder.with_region(region);
            }
            if let Some(key) = &settings.documents_s3_access_key_id {
                builder = builder.with_access_key_id(key.expose_secret());
            }
            if let Some(secret) = &settings.documents_s3_secret_access_key {
                builder = builder.with_secret_access_key(secret.expose_secret());
            }
            let store = builder
                .build()
                .with_context(|| format!("cannot use the S3 bucket {bucket}"))?;
            // S3 refuses multipart parts under 5 MiB (except the last).
            return Ok(DocumentStore {
                store: Arc::new(store),
                part_size: 5 * 1024 * 1024,
                uploads_dir,
                local_root: None,
                kind: "s3",
            });
        }
        let root = settings.documents_dir();
        std::fs::create_dir_all(&root)
            .with_context(|| format!("cannot create {}", root.display()))?;
        let store = LocalFileSystem::new_with_prefix(&root)
            .with_context(|| format!("cannot use {} for documents", root.display()))?
            .with_fsync(true)
            .with_automatic_cleanup(true);
        Ok(DocumentStore {
            store: Arc::new(store),
            part_size: 256 * 1024,
            uploads_dir,
            local_root: Some(root),
            kind: "local",
        })
    }

    /// Where incoming uploads are written before they are inspected.
    pub fn uploads_dir(&self) -> &Path {
        &self.uploads_dir
    }

    /// A new, random key: two characters of fan-out, then a UUID.
    pub fn new_key() -> String {
        let id = uuid::Uuid::new_v4().simple().to_string();
        format!("{}/{id}", &id[..2])
    }

    /// Whether `key` has the shape of [`DocumentStore::new_key`]'s keys: other objects in a
    /// bucket shared with something else are never Merit's to touch.
    pub fn is_document_key(key: &str) -> bool {
        key.split_once('/').is_some_and(|(fan_out, id)| {
            id.len() == 32
                && id
                    .bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
                && id.starts_with(fan_out)
                && fan_out.len() == 2
        })
    }

    /// Copies a file into the store under `key`, a part at a time; on failure nothing is left
    /// under the key.
    pub async fn put_file(&self, key: &str, file: &Path) -> Result<(), ApiError> {
        let location = ObjectPath::from(key);
        let mut source = tokio::fs::File::open(file)
            .await
            .map_err(ApiError::internal)?;
        let upload = self
            .store
            .put_multipart(&location)
            .await
            .map_err(|e| self.unavailable(e))?;
        let mut writer = WriteMultipart::new_with_chunk_size(upload, self.part_size);
        let mut buffer = vec![0; READ_BUFFER];
        loop {
            let read = match source.read(&mut buffer).await {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) => {
                    let _ = writer.abort().await;
                    return Err(ApiError::internal(e));
                }
            };
            if let Err(e) = writer.wait_for_capacity(PARTS_IN_FLIGHT).await {
                let _ = writer.abort().await;
                return Err(self.unavailable(e));
            }
            writer.write(&buffer[..read]);
        }
        writer.finish().await.map_err(|e| self.unavailable(e))?;
        Ok(())
    }

    /// Stores a small payload held in memory (demo data) under `key`.
    pub async fn put_bytes(&self, key: &str, bytes: Vec<u8>) -> Result<(), ApiError> {
        self.store
            .put(&ObjectPath::from(key), bytes.into())
            .await
            .map_err(|e| self.unavailable(e))?;
        Ok(())
    }

    /// The bytes under `key`, as a stream.
    pub async fn open(
        &self,
        key: &str,
    ) -> Result<impl Stream<Item = Result<Bytes, object_store::Error>> + use<>, ApiError> {
        let found = self
            .store
            .get(&ObjectPath::from(key))
            .await
            .map_err(|e| match e {
                object_store::Error::NotFound { .. } => ApiError::internal(anyhow::anyhow!(
                    "document object {key} is missing from the {} store",
                    self.kind
                )),
                other => self.unavailable(other),
            })?;
        let stream: BoxStream<'static, _> = found.into_stream();
        Ok(stream.fuse())
    }

    /// Deletes the bytes under `key` (nothing happens when there are none).
    pub async fn delete(&self, key: &str) -> Result<(), ApiError> {
        match self.store.delete(&ObjectPath::from(key)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(self.unavailable(e)),
        }
    }

    /// Whether there are bytes under `key`.
    pub async fn exists(&self, key: &str) -> Result<bool, ApiError> {
        match self.store.head(&ObjectPath::from(key)).await {
            Ok(_) => Ok(true),
            Err(object_store::Error::NotFound { .. }) => Ok(false),
            Err(e) => Err(self.unavailable(e)),
        }
    }

    /// The keys of every document object (see [`DocumentStore::is_document_key`]) last written
    /// before `cutoff`.
    pub async fn keys_written_before(
        &self,
        cutoff: DateTime<Utc>,
    ) -> Result<Vec<String>, ApiError> {
        let mut listing = self.store.list(None);
        let mut keys = Vec::new();
        while let Some(object) = listing.next().await {
            let object = object.map_err(|e| self.unavailable(e))?;
            let key = object.location.to_string();
            if object.last_modified < cutoff && Self::is_document_key(&key) {
                keys.push(key);
            }
        }
        Ok(keys)
    }

    /// The folder of a local store, where a copy cut short by a crash leaves its staging file
    /// (`<key>#<n>`, which the store neither lists nor deletes); `None` for S3, whose
    /// unfinished multipart uploads the bucket's lifecycle rule aborts.
    pub fn local_root(&self) -> Option<&Path> {
        self.local_root.as_deref()
    }

    fn unavailable(&self, error: object_store::Error) -> ApiError {
        tracing::warn!(store = self.kind, error = %error, "document store failed");
        ApiError::Unavailable {
            code: Code::StorageUnavailable,
            detail: "The document store is unavailable. Try again in a few seconds.".into(),
            retry_after: 5,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_keys_are_document_keys_and_other_names_are_not() {
        assert!(DocumentStore::is_document_key(&DocumentStore::new_key()));
        for other in [
            "backups/not-merit.tar",
            "ab/abcdef",
            "zz/zz000000000000000000000000000000",
            "ab/cd000000000000000000000000000000",
            "ab/AB000000000000000000000000000000",
            "ab000000000000000000000000000000",
        ] {
            assert!(!DocumentStore::is_document_key(other), "{other}");
        }
    }
}
