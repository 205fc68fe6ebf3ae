//! What the API shows of a dossier's files, and the upload form as the contract describes it.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::rules::FileKind;
use super::store::FileRow;

#[derive(Debug, Serialize, ToSchema)]
pub struct DossierFile {
    pub id: String,
    pub kind: FileKind,
    /// For a component's scan: the component's index in the dossier, from 0.
    pub component: Option<i64>,
    /// The name it was uploaded under, without any directory.
    #[schema(example = "Tờ khai đăng ký khai sinh.pdf")]
    pub file_name: String,
    /// The type its bytes show (not the type the uploader declared).
    #[schema(example = "application/pdf")]
    pub content_type: String,
    /// Bytes.
    pub size: i64,
    /// SHA-256 of the bytes, hex; also the download's ETag.
    pub sha256: String,
    pub uploaded_at: DateTime<Utc>,
    /// The user or service account that uploaded it.
    pub uploaded_by: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DossierFiles {
    /// In the order they were added.
    pub items: Vec<DossierFile>,
}

/// A signed link that opens one file without the bearer token, until it expires.
#[derive(Debug, Serialize, ToSchema)]
pub struct FileLink {
    /// Relative to the API's origin.
    #[schema(example = "/api/v1/file-links/eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9…")]
    pub url: String,
    pub expires_at: DateTime<Utc>,
}

/// The upload, as `multipart/form-data`.
#[derive(Debug, ToSchema)]
#[allow(dead_code)] // Describes the form for the contract; the route reads the parts as a stream.
pub struct FileUpload {
    /// The file itself: PDF, JPEG, PNG, TIFF, DOCX, XLSX, ODT or (signed) XML, decided by its
    /// content; at most `MOTCUA_FILES_MAX_BYTES` (20 MB by default).
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
    pub kind: FileKind,
    /// For `kind=component`: the component's index in the dossier, from 0.
    #[schema(example = 0, minimum = 0)]
    pub component: Option<i64>,
}

impl From<FileRow> for DossierFile {
    fn from(row: FileRow) -> Self {
        DossierFile {
            // The table's check ties the kind to whether a component is named.
            kind: if row.component.is_some() { FileKind::Component } else { FileKind::Result },
            id: row.id,
            component: row.component,
            file_name: row.file_name,
            content_type: row.content_type,
            size: row.size,
            sha256: row.sha256,
            uploaded_at: row.uploaded_at.and_utc(),
            uploaded_by: row.uploaded_by,
        }
    }
}
