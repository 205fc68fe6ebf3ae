//! Reading an upload: the `multipart/form-data` body is streamed, the file part straight into
//! the object store in parts, hashed on the way; it is never held whole in memory. Its type is
//! decided by its first bytes before anything is written, and the size limit is enforced as the
//! bytes arrive. Whatever goes wrong after the object was started, the object is abandoned or
//! deleted before the error answers.

use actix_multipart::{Field, Multipart, MultipartError};
use actix_web::http::header::{self, HeaderMap};
use actix_web::web;
use futures_util::StreamExt;
use sha2::{Digest, Sha256};

use super::content::{self, SNIFF_BYTES};
use super::rules::FileKind;
use super::service::Stored;
use crate::error::ApiError;
use crate::file_store::FileStore;
use crate::http::form;
use crate::i18n::Text;

/// Room for the form's other parts and boundaries on top of the file's own limit.
const FORM_OVERHEAD: u64 = 64 * 1024;

/// Read the form of an upload to dossier `dossier_id`, writing its file to `store`.
pub async fn receive(
    headers: &HeaderMap,
    payload: web::Payload,
    store: &FileStore,
    dossier_id: &str,
    max_bytes: u64,
) -> Result<Stored, ApiError> {
    let declared = headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|length| length > max_bytes + FORM_OVERHEAD) {
        return Err(too_large(max_bytes));
    }
    let mut form = Multipart::new(headers, payload);
    let (mut kind, mut component, mut file) = (None, None, None);
    let result = async {
        while let Some(field) = form.next().await {
            let mut field = field.map_err(malformed)?;
            match field.name().unwrap_or_default() {
                "file" if file.is_none() => {
                    file = Some(write(&mut field, store, dossier_id, max_bytes).await?)
                }
                "kind" => kind = Some(text(&mut field, "kind").await?),
                "component" => component = Some(text(&mut field, "component").await?),
                other => {
                    return Err(ApiError::invalid_field(
                        other.to_owned(),
                        Text::fixed(
                            "Biểu mẫu chỉ có các phần file (một lần), kind và component",
                            "the form has the parts file (once), kind and component only",
                        ),
                    ));
                }
            }
        }
        Ok(())
    }
    .await;
    let checked = result.and_then(|()| {
        let kind = match kind.as_deref().map(str::trim) {
            Some(value) => FileKind::parse(value).ok_or_else(|| {
                ApiError::invalid_field(
                    "kind",
                    Text::new(
                        format!("một trong: {}", FileKind::CHOICES),
                        format!("one of: {}", FileKind::CHOICES),
                    ),
                )
            })?,
            None => {
                return Err(ApiError::invalid_field(
                    "kind",
                    Text::fixed("Thiếu loại tệp (component hoặc result)", "missing: component or result"),
                ));
            }
        };
        let component = match component.as_deref().map(str::trim) {
            Some(value) => Some(value.parse::<i64>().map_err(|_| {
                ApiError::invalid_field(
                    "component",
                    Text::fixed("Phải là một số nguyên", "must be an integer"),
                )
            })?),
            None => None,
        };
        Ok((kind, component))
    });
    match (checked, file) {
        (Ok((kind, component)), Some(file)) => Ok(Stored { kind, component, ..file }),
        (Ok(_), None) => Err(ApiError::invalid_field(
            "file",
            Text::fixed("Thiếu phần file của biểu mẫu", "the form has no file part"),
        )),
        (Err(e), written) => {
            if let Some(written) = written {
                forget(store, &written.object_key).await;
            }
            Err(e)
        }
    }
}

/// Delete an object no row will name; if that fails too, the sweeper will.
pub async fn forget(store: &FileStore, key: &str) {
    if let Err(e) = store.delete(key).await {
        tracing::warn!(error = %e, key, "an unneeded object was left for the sweeper");
    }
}

/// A short text part.
async fn text(field: &mut Field, name: &str) -> Result<String, ApiError> {
    let too_long = || ApiError::invalid_field(name.to_owned(), Text::fixed("Quá dài", "too long"));
    let bytes = form::read_part(field, 64, PARTS, too_long).await?;
    String::from_utf8(bytes).map_err(|_| {
        ApiError::invalid_field(name.to_owned(), Text::fixed("Không phải văn bản UTF-8", "not UTF-8 text"))
    })
}

/// Stream the file part into a new object; the kind and component are the form's other parts.
async fn write(
    field: &mut Field,
    store: &FileStore,
    dossier_id: &str,
    max_bytes: u64,
) -> Result<Stored, ApiError> {
    let declared_name = field
        .content_disposition()
        .and_then(|d| {
            d.get_filename_ext()
                .map(|ext| String::from_utf8_lossy(&ext.value).into_owned())
                .or_else(|| d.get_filename().map(str::to_owned))
        })
        .unwrap_or_default();
    // The first bytes decide the type before anything is stored.
    let (mut head, mut ended) = (Vec::with_capacity(SNIFF_BYTES), false);
    while head.len() < SNIFF_BYTES && !ended {
        match field.next().await {
            Some(chunk) => head.extend_from_slice(&chunk.map_err(malformed)?),
            // A field must not be polled again once it has ended.
            None => ended = true,
        }
    }
    if head.is_empty() {
        return Err(ApiError::invalid_field("file", Text::fixed("Tệp rỗng", "the file is empty")));
    }
    let content_type = content::detect(&head).map_err(|found| {
        ApiError::UnsupportedMediaType(Text::new(
            format!("Nội dung tệp là {found}; chỉ nhận PDF, JPEG, PNG, TIFF, DOCX, XLSX, ODT hoặc XML"),
            format!("the file's content is {found}; accepted: PDF, JPEG, PNG, TIFF, DOCX, XLSX, ODT or XML"),
        ))
    })?;
    let id = uuid::Uuid::now_v7().to_string();
    let object_key = store.key(["dossiers", dossier_id, id.as_str()]);
    let mut writer = store.writer(&object_key).await.map_err(stored)?;
    let (mut size, mut digest) = (0u64, Sha256::new());
    let mut next = Some(Ok(web::Bytes::from(head)));
    while let Some(chunk) = next {
        let chunk = match chunk {
            Ok(chunk) => chunk,
            Err(e) => {
                writer.abort().await;
                return Err(malformed(e));
            }
        };
        size += chunk.len() as u64;
        if size > max_bytes {
            writer.abort().await;
            return Err(too_large(max_bytes));
        }
        digest.update(&chunk);
        if let Err(e) = writer.write(&chunk).await {
            writer.abort().await;
            return Err(stored(e));
        }
        next = if ended { None } else { field.next().await };
    }
    writer.finish().await.map_err(stored)?;
    Ok(Stored {
        id,
        kind: FileKind::Component,
        component: None,
        file_name: content::clean_name(&declared_name, "tep"),
        content_type,
        size: size as i64,
        sha256: hex::encode(digest.finalize()),
        object_key,
    })
}

fn too_large(max_bytes: u64) -> ApiError {
    let mb = max_bytes as f64 / (1024.0 * 1024.0);
    ApiError::PayloadTooLarge(Text::new(
        format!("Tệp lớn hơn giới hạn {mb:.1} MB ({max_bytes} byte)"),
        format!("the file exceeds the limit of {mb:.1} MB ({max_bytes} bytes)"),
    ))
}

/// The parts of an upload's form, for the problem a malformed one answers with.
const PARTS: &str = "file, kind, component";

fn malformed(e: MultipartError) -> ApiError {
    form::malformed(e, PARTS)
}

fn stored(e: object_store::Error) -> ApiError {
    ApiError::Internal(anyhow::Error::from(e).context("the file store refused the upload"))
}
