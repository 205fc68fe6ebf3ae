//! Where the dossiers' files live: a local directory by default, any S3-compatible store in
//! production (so that several app servers share the files), behind the `object_store` crate's
//! one interface. The database keeps the rows that name the objects; this module only moves
//! bytes.
//!
//! - `file:///var/lib/motcua/files` (or a bare path): a directory, created if missing.
//! - `s3://bucket/prefix`: the bucket, with the usual `AWS_ACCESS_KEY_ID`,
//!   `AWS_SECRET_ACCESS_KEY`, `AWS_REGION` and, for a store other than Amazon's,
//!   `AWS_ENDPOINT` (and `AWS_ALLOW_HTTP=true` for a plain-HTTP endpoint).
//!
//! Uploads are streamed in parts (never held whole in memory) and become visible only when
//! complete: an interrupted upload leaves nothing, or at worst an unreferenced object that
//! [`FileStore::sweep`] removes once it is old enough that no upload can still be writing it.

use std::ops::Range;
use std::sync::Arc;

use anyhow::Context;
use bytes::Bytes;
use chrono::{DateTime, Utc};
use futures_util::stream::{BoxStream, StreamExt, TryStreamExt};
use object_store::aws::AmazonS3Builder;
use object_store::local::LocalFileSystem;
use object_store::path::Path;
use object_store::{GetOptions, GetRange, GetResultPayload, ObjectStore, WriteMultipart};
use tokio::io::{AsyncReadExt, AsyncSeekExt};

/// A local file is read in pieces of this size: `object_store` reads 8 KB at a time, each on
/// the blocking pool, which held downloads to a third of a plain copy's rate (bench/files.sh).
const READ_BYTES: usize = 256 * 1024;

/// Parts of this size are sent to the store as the upload streams in: S3's minimum part, and
/// what an upload holds in memory at most (twice, with one part in flight).
const PART_BYTES: usize = 5 * 1024 * 1024;

#[derive(Clone)]
pub struct FileStore {
    store: Arc<dyn ObjectStore>,
    prefix: Path,
    /// The URL without credentials, for logs.
    shown: String,
    /// A local store's directory: its interrupted uploads are files of its own (see
    /// [`FileStore::sweep_staged`]).
    local_root: Option<std::path::PathBuf>,
}

impl std::fmt::Debug for FileStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.shown)
    }
}

impl FileStore {
    /// Open the store a `MOTCUA_FILES_URL` names.
    pub fn open(url: &str) -> anyhow::Result<Self> {
        let url = url.trim();
        if let Some(rest) = url.strip_prefix("s3://") {
            let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
            anyhow::ensure!(!bucket.is_empty(), "MOTCUA_FILES_URL: s3://BUCKET[/PREFIX] names no bucket");
            let store = AmazonS3Builder::from_env()
                .with_bucket_name(bucket)
                .build()
                .context("MOTCUA_FILES_URL: cannot set up the S3 store")?;
            return Ok(Self {
                store: Arc::new(store),
                prefix: Path::from(prefix),
                shown: url.to_owned(),
                local_root: None,
            });
        }
        let dir = url.strip_prefix("file://").unwrap_or(url);
        anyhow::ensure!(!dir.is_empty(), "MOTCUA_FILES_URL names no directory");
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create the files directory {dir}"))?;
        let store = LocalFileSystem::new_with_prefix(dir)
            .with_context(|| format!("cannot open the files directory {dir}"))?;
        Ok(Self {
            store: Arc::new(store),
            prefix: Path::default(),
            shown: format!("file://{dir}"),
            local_root: Some(dir.into()),
        })
    }

    /// The key of an object under this store's prefix, from path segments.
    pub fn key<'a>(&self, segments: impl IntoIterator<Item = &'a str>) -> String {
        segments.into_iter().fold(self.prefix.clone(), |path, segment| path.child(segment)).to_string()
    }

    /// Start writing an object, part by part.
    pub async fn writer(&self, key: &str) -> object_store::Result<Writer> {
        let upload = self.store.put_multipart(&Path::from(key)).await?;
        // `object_store` writes a local file without flushing it to the disk.
        let local = self.local_root.as_ref().map(|root| root.join(key));
        Ok(Writer { upload: WriteMultipart::new_with_chunk_size(upload, PART_BYTES), local })
    }

    /// The object's bytes, or those of `range`, as they arrive from the store.
    pub async fn read(
        &self,
        key: &str,
        range: Option<Range<u64>>,
    ) -> object_store::Result<BoxStream<'static, object_store::Result<Bytes>>> {
        let options = GetOptions { range: range.map(GetRange::Bounded), ..GetOptions::default() };
        let result = self.store.get_opts(&Path::from(key), options).await?;
        let wanted = result.range.clone();
        match result.payload {
            GetResultPayload::File(file, _) => {
                let local = |source: std::io::Error| object_store::Error::Generic {
                    store: "LocalFileSystem",
                    source: Box::new(source),
                };
                let mut file = tokio::fs::File::from_std(file);
                file.seek(std::io::SeekFrom::Start(wanted.start)).await.map_err(local)?;
                let piece = file.take(wanted.end - wanted.start);
                Ok(tokio_util::io::ReaderStream::with_capacity(piece, READ_BYTES).map_err(local).boxed())
            }
            GetResultPayload::Stream(stream) => Ok(stream),
        }
    }

    /// Whether the object exists.
    pub async fn exists(&self, key: &str) -> object_store::Result<bool> {
        match self.store.head(&Path::from(key)).await {
            Ok(_) => Ok(true),
            Err(object_store::Error::NotFound { .. }) => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// Remove an object; one already gone is not an error.
    pub async fn delete(&self, key: &str) -> object_store::Result<()> {
        match self.store.delete(&Path::from(key)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// The objects under `segment` of the prefix last written before `before`: candidates for
    /// the sweeper, which removes those no row names.
    pub async fn older_than(
        &self,
        segment: &str,
        before: DateTime<Utc>,
    ) -> object_store::Result<Vec<String>> {
        let under = self.prefix.child(segment);
        self.store
            .list(Some(&under))
            .try_filter(|meta| std::future::ready(meta.last_modified < before))
            .map_ok(|meta| meta.location.to_string())
            .try_collect()
            .await
    }
}

impl FileStore {
    /// Remove the partial files of uploads interrupted before `before` under `segment`. A local
    /// store stages an upload as `KEY#N` beside its key and renames it when complete, so a
    /// killed process leaves the staged file, which listings do not show. (An S3 store keeps
    /// an interrupted multipart upload out of sight; the bucket's lifecycle rule
    /// `AbortIncompleteMultipartUpload` frees it.)
    pub async fn sweep_staged(&self, segment: &str, before: DateTime<Utc>) -> std::io::Result<usize> {
        let Some(root) = self.local_root.clone() else { return Ok(0) };
        let dir = root.join(segment);
        tokio::task::spawn_blocking(move || remove_staged(&dir, before.into()))
            .await
            .map_err(std::io::Error::other)?
    }
}

/// Staged uploads (`NAME#DIGITS`) last modified before `before`, removed; returns how many.
fn remove_staged(dir: &std::path::Path, before: std::time::SystemTime) -> std::io::Result<usize> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(e),
    };
    let mut removed = 0;
    for entry in entries {
        let entry = entry?;
        let meta = entry.metadata()?;
        if meta.is_dir() {
            removed += remove_staged(&entry.path(), before)?;
            continue;
        }
        let name = entry.file_name();
        let staged = name
            .to_str()
            .and_then(|n| n.rsplit_once('#'))
            .is_some_and(|(_, n)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
        if staged && meta.modified()? < before {
            std::fs::remove_file(entry.path())?;
            removed += 1;
        }
    }
    Ok(removed)
}

/// An object being written. Dropped without [`Writer::finish`], nothing becomes visible; call
/// [`Writer::abort`] to also free the parts already sent.
pub struct Writer {
    upload: WriteMultipart,
    /// A local store's file for the object, flushed to the disk when complete.
    local: Option<std::path::PathBuf>,
}

impl Writer {
    /// Queue bytes; waits while too many parts are in flight, so memory stays bounded.
    pub async fn write(&mut self, bytes: &[u8]) -> object_store::Result<()> {
        self.upload.wait_for_capacity(2).await?;
        self.upload.write(bytes);
        Ok(())
    }

    /// Complete the object. On a local store the file and its directory entry are on the disk
    /// when this returns, so that the row written next never outlives its object in a power
    /// cut (an S3 store acknowledges only what it has stored).
    pub async fn finish(self) -> object_store::Result<()> {
        self.upload.finish().await?;
        let Some(path) = self.local else { return Ok(()) };
        tokio::task::spawn_blocking(move || {
            std::fs::File::open(&path)?.sync_all()?;
            match path.parent() {
                Some(dir) => std::fs::File::open(dir)?.sync_all(),
                None => Ok(()),
            }
        })
        .await
        .map_err(std::io::Error::other)
        .and_then(|synced| synced)
        .map_err(|source| object_store::Error::Generic { store: "LocalFileSystem", source: Box::new(source) })
    }

    pub async fn abort(self) {
        if let Err(e) = self.upload.abort().await {
            tracing::warn!(error = %e, "an interrupted upload's parts could not be freed; the store's own expiry will");
        }
    }
}
