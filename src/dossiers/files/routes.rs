//! A dossier's files over HTTP: upload (streamed), list, download (ranges, conditional), a
//! short-lived signed link, and removal before acceptance.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, delete, get, post, web};
use futures_util::TryStreamExt;

use super::Files;
use super::link::LINK_TTL_SECS;
use super::service::{self, Attached};
use super::store::FileRow;
use super::upload;
use super::views::{DossierFile, DossierFiles, FileLink, FileUpload};
use crate::audit::Witness;
use crate::auth::caller::{AnyRole, Authorized};
use crate::clock;
use crate::db::Db;
use crate::error::ApiError;
use crate::http::download;
use crate::http::responses as r;

/// Add a file to a dossier: a component's scan (`kind=component`, `component` = its index) or a
/// result paper (`kind=result`).
///
/// Whoever sees the dossier (404 otherwise) except leaders (403). A citizen adds component files to
/// their own dossier before acceptance or when a supplement is asked for (409
/// `component_files_before_acceptance`), never result papers (403); the desk adds component files
/// while the dossier is open (409 `component_files_while_open`) and result files once it is
/// resolved, until the result is returned (409 `result_files_between_resolution_and_return`). The
/// type is decided by the content (PDF, JPEG, PNG, TIFF, DOCX, XLSX, ODT or XML; 415 otherwise),
/// the size limited (413). The same bytes twice on one dossier answer 200 with the file already
/// there, so a retried upload never makes a copy.
#[utoipa::path(
    operation_id = "dossiers_upload_file",
    tag = "dossiers",
    params(("id" = String, Path, description = "Dossier id")),
    request_body(content = FileUpload, content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "The file, stored; `Location` is its URL, `ETag` its SHA-256", body = DossierFile, headers(("Location" = String), ("ETag" = String))),
        (status = 200, description = "The dossier already had these bytes: that file", body = DossierFile),
        r::UploadProblems,
    ),
    security(("bearer" = []))
)]
#[post("/dossiers/{id}/files")]
pub async fn upload_file(
    auth: Authorized<AnyRole>,
    req: HttpRequest,
    id: web::Path<String>,
    payload: web::Payload,
    db: web::Data<Db>,
    files: web::Data<Files>,
) -> Result<HttpResponse, ApiError> {
    let dossier_id = id.into_inner();
    let (caller, checked_id) = (auth.caller.clone(), dossier_id.clone());
    db.run(move |conn| service::check_may_upload(conn, &caller, &checked_id)).await?;
    let stored = upload::receive(req.headers(), payload, &files.store, &dossier_id, files.max_bytes).await?;
    let key = stored.object_key.clone();
    let caller = auth.caller.clone();
    let attached = db.write(move |conn| service::attach(conn, &caller, &dossier_id, stored)).await;
    match attached {
        Ok(Attached::New(file)) => {
            tracing::info!(by = %auth.id, file_id = %file.id, size = file.size, "file added");
            let location = format!("/api/v1/dossiers/{}/files/{}", file.dossier_id, file.id);
            Ok(HttpResponse::Created()
                .insert_header((header::LOCATION, location))
                .insert_header((header::ETAG, etag(&file)))
                .json(DossierFile::from(file)))
        }
        Ok(Attached::Existing(file)) => {
            upload::forget(&files.store, &key).await;
            Ok(HttpResponse::Ok().insert_header((header::ETAG, etag(&file))).json(DossierFile::from(file)))
        }
        Err(e) => {
            upload::forget(&files.store, &key).await;
            Err(e)
        }
    }
}

/// The dossier's files, in the order they were added.
///
/// Whoever may read the dossier (404 otherwise).
#[utoipa::path(
    operation_id = "dossiers_list_files",
    tag = "dossiers",
    params(("id" = String, Path, description = "Dossier id")),
    responses((status = 200, description = "The dossier's files", body = DossierFiles), r::ReadProblems),
    security(("bearer" = []))
)]
#[get("/dossiers/{id}/files")]
pub async fn list_files(
    auth: Authorized<AnyRole>,
    id: web::Path<String>,
    db: web::Data<Db>,
) -> Result<web::Json<DossierFiles>, ApiError> {
    let rows = db.run(move |conn| service::list(conn, &auth.caller, &id)).await?;
    Ok(web::Json(DossierFiles { items: rows.into_iter().map(DossierFile::from).collect() }))
}

/// Download a file, under its original name.
///
/// Whoever may read the dossier (404 otherwise). `Range` (one range) and `If-None-Match` are
/// honoured; the download is recorded in the dossier's history and the audit trail.
#[utoipa::path(
    operation_id = "dossiers_download_file",
    tag = "dossiers",
    params(
        ("id" = String, Path, description = "Dossier id"),
        ("file_id" = String, Path, description = "File id"),
        ("Range" = Option<String>, Header, description = "One byte range, e.g. `bytes=0-1023`"),
        ("If-None-Match" = Option<String>, Header, description = "The ETag held: 304 if unchanged"),
    ),
    responses(
        (status = 200, description = "The file, in the type its bytes were recognised as at upload", content(
            (r::FileBytes = "application/pdf"),
            (r::FileBytes = "image/jpeg"),
            (r::FileBytes = "image/png"),
            (r::FileBytes = "image/tiff"),
            (r::FileBytes = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            (r::FileBytes = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            (r::FileBytes = "application/vnd.oasis.opendocument.text"),
            (r::FileBytes = "text/xml"),
        ),
            headers(("ETag" = String, description = "The SHA-256 of the bytes"), ("Content-Disposition" = String))),
        (status = 206, description = "The range asked for", content(
            (r::FileBytes = "application/pdf"),
            (r::FileBytes = "image/jpeg"),
            (r::FileBytes = "image/png"),
            (r::FileBytes = "image/tiff"),
            (r::FileBytes = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            (r::FileBytes = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            (r::FileBytes = "application/vnd.oasis.opendocument.text"),
            (r::FileBytes = "text/xml"),
        ),
            headers(("Content-Range" = String))),
        (status = 304, description = "Unchanged since the ETag held"),
        r::DownloadProblems,
    ),
    security(("bearer" = []))
)]
#[get("/dossiers/{id}/files/{file_id}")]
pub async fn download_file(
    auth: Authorized<AnyRole>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    db: web::Data<Db>,
    files: web::Data<Files>,
    witness: Witness,
) -> Result<HttpResponse, ApiError> {
    let (dossier_id, file_id) = path.into_inner();
    let recorded = (download::from_the_start(req.headers()), witness.address);
    let file =
        db.write(move |conn| service::open(conn, &auth.caller, (&dossier_id, &file_id), recorded)).await?;
    send(&req, file, &files).await
}

/// A signed link to a file, valid for five minutes, that opens it without the bearer token.
///
/// Whoever may read the dossier (404 otherwise); for a browser tab or a mobile app's viewer.
/// Issuing it is recorded in the dossier's history.
#[utoipa::path(
    operation_id = "dossiers_create_file_link",
    tag = "dossiers",
    params(("id" = String, Path, description = "Dossier id"), ("file_id" = String, Path, description = "File id")),
    responses((status = 201, description = "The link and when it expires", body = FileLink), r::ReadProblems),
    security(("bearer" = []))
)]
#[post("/dossiers/{id}/files/{file_id}/link")]
pub async fn file_link(
    auth: Authorized<AnyRole>,
    path: web::Path<(String, String)>,
    db: web::Data<Db>,
    files: web::Data<Files>,
) -> Result<HttpResponse, ApiError> {
    let (dossier_id, file_id) = path.into_inner();
    let now = clock::now();
    let expires = now + chrono::Duration::seconds(LINK_TTL_SECS);
    let caller = auth.caller.clone();
    let file =
        db.write(move |conn| service::issue_link(conn, &caller, (&dossier_id, &file_id), expires)).await?;
    let (token, expires_at) =
        files.links.sign(&file.id, &file.dossier_id, (&auth.caller.id, auth.caller.kind_label()), now)?;
    Ok(HttpResponse::Created().json(FileLink { url: format!("/api/v1/file-links/{token}"), expires_at }))
}

/// Open a file by a signed link (no bearer token).
///
/// The link is its own credential: an expired, altered or unknown link answers 404, as does a file
/// removed since, whoever sends it.
#[utoipa::path(
    operation_id = "dossiers_download_by_link",
    tag = "dossiers",
    params(
        ("token" = String, Path, description = "The signed token of a link from `POST /dossiers/{id}/files/{file_id}/link`"),
        ("Range" = Option<String>, Header, description = "One byte range, e.g. `bytes=0-1023`"),
    ),
    responses(
        (status = 200, description = "The file, in the type its bytes were recognised as at upload", content(
            (r::FileBytes = "application/pdf"),
            (r::FileBytes = "image/jpeg"),
            (r::FileBytes = "image/png"),
            (r::FileBytes = "image/tiff"),
            (r::FileBytes = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            (r::FileBytes = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            (r::FileBytes = "application/vnd.oasis.opendocument.text"),
            (r::FileBytes = "text/xml"),
        ),
            headers(("ETag" = String), ("Content-Disposition" = String))),
        (status = 206, description = "The range asked for", content(
            (r::FileBytes = "application/pdf"),
            (r::FileBytes = "image/jpeg"),
            (r::FileBytes = "image/png"),
            (r::FileBytes = "image/tiff"),
            (r::FileBytes = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            (r::FileBytes = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            (r::FileBytes = "application/vnd.oasis.opendocument.text"),
            (r::FileBytes = "text/xml"),
        )),
        (status = 304, description = "Unchanged since the ETag held"),
        r::LinkProblems,
    ),
    security()
)]
#[get("/file-links/{token}")]
pub async fn download_by_link(
    req: HttpRequest,
    token: web::Path<String>,
    db: web::Data<Db>,
    files: web::Data<Files>,
    witness: Witness,
) -> Result<HttpResponse, ApiError> {
    let claims = files.links.verify(&token).ok_or_else(|| {
        ApiError::not_found(crate::i18n::Text::fixed(
            "liên kết (đã hết hạn hoặc không đúng)",
            "link (expired or not genuine)",
        ))
    })?;
    let recorded = (download::from_the_start(req.headers()), witness.address);
    let file = db.write(move |conn| service::open_by_link(conn, &claims, recorded)).await?;
    send(&req, file, &files).await
}

/// Remove a file from a dossier that has not been accepted yet.
///
/// Whoever sees the dossier (404 otherwise) except leaders (403). Once the dossier was accepted or
/// closed, its files are evidence and stay (409 `files_kept_after_acceptance`).
#[utoipa::path(
    operation_id = "dossiers_delete_file",
    tag = "dossiers",
    params(("id" = String, Path, description = "Dossier id"), ("file_id" = String, Path, description = "File id")),
    responses((status = 204, description = "Removed"), r::RemoveProblems),
    security(("bearer" = []))
)]
#[delete("/dossiers/{id}/files/{file_id}")]
pub async fn delete_file(
    auth: Authorized<AnyRole>,
    path: web::Path<(String, String)>,
    db: web::Data<Db>,
    files: web::Data<Files>,
) -> Result<HttpResponse, ApiError> {
    let (dossier_id, file_id) = path.into_inner();
    let caller = auth.caller.clone();
    let file = db.write(move |conn| service::remove(conn, &caller, (&dossier_id, &file_id))).await?;
    // After the commit: a failure here leaves an object no row names, for the sweeper.
    upload::forget(&files.store, &file.object_key).await;
    tracing::info!(by = %auth.id, file_id = %file.id, "file removed");
    Ok(HttpResponse::NoContent().finish())
}

fn etag(file: &FileRow) -> String {
    format!("\"{}\"", file.sha256)
}

/// The file's bytes (or the range asked for) as the store streams them.
async fn send(req: &HttpRequest, file: FileRow, files: &Files) -> Result<HttpResponse, ApiError> {
    let etag = etag(&file);
    if download::not_modified(req.headers(), &etag) {
        return Ok(HttpResponse::NotModified().insert_header((header::ETAG, etag)).finish());
    }
    let size = u64::try_from(file.size).map_err(anyhow::Error::from)?;
    let range = download::range(req.headers(), &etag, size)?;
    let stream =
        files.store.read(&file.object_key, range.clone()).await.map_err(|e| {
            ApiError::Internal(anyhow::Error::from(e).context("a file's object cannot be read"))
        })?;
    let (status, length) = match &range {
        Some(r) => (StatusCode::PARTIAL_CONTENT, r.end - r.start),
        None => (StatusCode::OK, size),
    };
    let mut response = HttpResponse::build(status);
    if let Some(r) = &range {
        response.insert_header((header::CONTENT_RANGE, format!("bytes {}-{}/{size}", r.start, r.end - 1)));
    }
    Ok(response
        .insert_header((header::ETAG, etag))
        .insert_header((header::ACCEPT_RANGES, "bytes"))
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .insert_header(download::disposition(&file.file_name))
        .content_type(file.content_type)
        .no_chunking(length)
        .streaming(stream.map_err(|e| {
            tracing::error!(error = %e, "a file's object failed mid-download");
            actix_web::error::ErrorInternalServerError("the file store failed")
        })))
}
