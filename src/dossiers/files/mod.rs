//! A dossier's files: the scans of its components and its result papers, kept in the object
//! store (`crate::file_store`) and named by `dossier_files` rows.
//!
//! - pure: `content` (what a file is, from its bytes; what it may be called), `rules` (when a
//!   file may be added or removed, and the digitization it gives), `link` (signed links);
//! - `store`: the rows; `service`: the use cases, each one transaction; `upload`: reading a
//!   multipart body into the store; `routes`: HTTP; `views`: what the API shows.
//!
//! No orphans and no lost files: an object is complete before its row commits, and deleted only
//! after its row is gone. A killed upload or a failed delete leaves at most an object that no
//! row names; [`sweep`] removes those once they are older than any upload could take.

pub mod content;
pub mod link;
pub mod routes;
pub mod rules;
pub mod service;
pub mod store;
pub mod upload;
pub mod views;

use std::time::Duration;

use chrono::Utc;

use crate::db::Db;
use crate::error::ApiError;
use crate::file_store::FileStore;
use link::LinkKeys;

/// The files' state the handlers share.
pub struct Files {
    pub store: FileStore,
    /// Largest file accepted, in bytes (`MOTCUA_FILES_MAX_BYTES`).
    pub max_bytes: u64,
    pub links: LinkKeys,
}

/// An object this old without a row is an interrupted upload or a failed delete: no upload of
/// the largest allowed file takes this long.
pub const SWEEP_AFTER: Duration = Duration::from_secs(3600);

/// Remove the objects under `dossiers/` that are older than `after` and that no row names, and
/// what interrupted uploads left. Returns how many were removed.
pub async fn sweep(db: &Db, store: &FileStore, after: Duration) -> Result<usize, ApiError> {
    let before = Utc::now() - chrono::Duration::from_std(after).map_err(anyhow::Error::from)?;
    let candidates = store
        .older_than("dossiers", before)
        .await
        .map_err(|e| ApiError::Internal(anyhow::Error::from(e).context("cannot list the file store")))?;
    let keys = candidates.clone();
    let named = db.run(move |conn| Ok(store::referenced(conn, &keys)?)).await?;
    let mut removed = 0;
    for key in candidates.iter().filter(|key| !named.contains(*key)) {
        // Read again just before deleting: a row committed since the listing keeps its object.
        let still_orphan = {
            let key = key.clone();
            db.run(move |conn| Ok(store::referenced(conn, &[key])?.is_empty())).await?
        };
        if still_orphan {
            upload::forget(store, key).await;
            removed += 1;
        }
    }
    let staged = store.sweep_staged("dossiers", before).await.map_err(|e| {
        ApiError::Internal(anyhow::Error::from(e).context("cannot sweep interrupted uploads"))
    })?;
    if removed + staged > 0 {
        tracing::info!(removed, staged, "swept objects that no file names and interrupted uploads");
    }
    Ok(removed + staged)
}
