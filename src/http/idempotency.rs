//! `Idempotency-Key` (api.md): a retried write with the same key and the same body gets the
//! first response again; the same key with another body is a 422. Keys belong to the caller.
//! The check and the write of the first response happen inside the request's own transaction,
//! so a response is remembered only if its change was committed.

use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::{FromRequest, HttpRequest, HttpResponse};
use diesel::prelude::*;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::clock;
use crate::db::schema::idempotency_keys;
use crate::db::{Db, DbConnection};
use crate::error::ApiError;
use crate::i18n::Text;

pub const HEADER: &str = "Idempotency-Key";

/// The key and a fingerprint of the request it was sent with.
#[derive(Debug, Clone)]
pub struct Idempotency {
    pub key: String,
    pub request_hash: String,
}

/// The request's `Idempotency-Key`, if it sent one. The fingerprint is completed by
/// [`IdempotencyKey::with_body`] once the body is read.
#[derive(Debug, Clone, Default)]
pub struct IdempotencyKey {
    key: Option<String>,
    target: String,
}

impl utoipa::IntoParams for IdempotencyKey {
    fn into_params(
        _: impl Fn() -> Option<utoipa::openapi::path::ParameterIn>,
    ) -> Vec<utoipa::openapi::path::Parameter> {
        vec![super::optional_header(
            HEADER,
            "Any 1 to 200 visible ASCII characters. A repeat with the same key and body gets the first answer \
             again and changes nothing; the same key with another body answers 422.",
        )]
    }
}

impl IdempotencyKey {
    pub fn with_body(&self, body: &[u8]) -> Option<Idempotency> {
        let key = self.key.clone()?;
        let mut hasher = Sha256::new();
        hasher.update(self.target.as_bytes());
        hasher.update([0]);
        hasher.update(body);
        Some(Idempotency { key, request_hash: hex::encode(hasher.finalize()) })
    }
}

impl FromRequest for IdempotencyKey {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let target = format!("{} {}", req.method(), req.path());
        let result = match req.headers().get(HEADER) {
            None => Ok(Self { key: None, target }),
            Some(value) => match value.to_str() {
                Ok(key) if (1..=200).contains(&key.len()) && key.chars().all(|c| c.is_ascii_graphic()) => {
                    Ok(Self { key: Some(key.to_owned()), target })
                }
                _ => Err(ApiError::bad_parameter(
                    HEADER,
                    Text::fixed(
                        "Idempotency-Key phải gồm 1 đến 200 ký tự ASCII hiển thị được",
                        "Idempotency-Key must be 1 to 200 visible ASCII characters",
                    ),
                    Text::fixed(
                        "Từ 1 đến 200 ký tự ASCII hiển thị được",
                        "1 to 200 visible ASCII characters",
                    ),
                )),
            },
        };
        ready(result)
    }
}

/// A response as the layer keeps it: status, the headers a client relies on (`ETag`,
/// `Location`, ...) and the JSON body. What a write returns to [`write`].
#[derive(Debug, Clone)]
pub struct Saved {
    pub status: StatusCode,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Saved {
    /// A JSON response with these headers.
    pub fn json(
        status: StatusCode,
        body: &impl Serialize,
        headers: Vec<(String, String)>,
    ) -> Result<Self, ApiError> {
        let body = serde_json::to_string(body).map_err(anyhow::Error::from)?;
        Ok(Self { status, headers, body })
    }

    fn into_response(self) -> HttpResponse {
        let mut builder = HttpResponse::build(self.status);
        builder.content_type("application/json");
        for (name, value) in self.headers {
            builder.insert_header((name, value));
        }
        builder.body(self.body)
    }
}

/// Run a write in one transaction. With a key, a repeat gets the first response again, and the
/// first response is remembered in the write's own transaction, so it is kept exactly when the
/// change is committed. Any handler may use it: nothing here knows what was written.
pub async fn write<F>(
    db: &Db,
    caller_id: &str,
    idempotency: Option<Idempotency>,
    write: F,
) -> Result<HttpResponse, ApiError>
where
    F: FnOnce(&mut DbConnection) -> Result<Saved, ApiError> + Send + 'static,
{
    let (caller, key) = (caller_id.to_owned(), idempotency.clone());
    let owner = caller.clone();
    let result = db
        .write(move |conn| {
            if let Some(idempotency) = &idempotency
                && let Some(saved) = replay(conn, &owner, idempotency)?
            {
                return Ok(saved);
            }
            let saved = write(conn)?;
            if let Some(idempotency) = &idempotency {
                remember(conn, &owner, idempotency, &saved)?;
            }
            Ok(saved)
        })
        .await;
    let saved = match (result, key) {
        (Ok(saved), _) => saved,
        // This attempt failed and was rolled back whole. If a request with the same key committed
        // meanwhile, the two raced: this one may have collided with it (a 409 on the key or the
        // row's version) or already seen its change (a step refused because it was taken). A
        // retry gets the first answer, whatever it raced with; otherwise this attempt's error.
        (Err(error), Some(key)) => match db.run(move |conn| replay(conn, &caller, &key)).await {
            Ok(Some(saved)) => saved,
            _ => return Err(error),
        },
        (Err(error), None) => return Err(error),
    };
    Ok(saved.into_response())
}

/// The first response to this key, if there was one.
fn replay(
    conn: &mut DbConnection,
    caller_id: &str,
    idempotency: &Idempotency,
) -> Result<Option<Saved>, ApiError> {
    let stored: Option<(String, i32, String, Option<String>)> = idempotency_keys::table
        .find((caller_id, &idempotency.key))
        .select((
            idempotency_keys::request_hash,
            idempotency_keys::status,
            idempotency_keys::response,
            idempotency_keys::headers,
        ))
        .first(conn)
        .optional()?;
    match stored {
        Some((hash, _, _, _)) if hash != idempotency.request_hash => Err(ApiError::invalid_field(
            HEADER,
            Text::fixed(
                "Khóa này đã được dùng cho một yêu cầu khác; hãy dùng khóa mới cho yêu cầu mới",
                "this key was used with a different request; use a new key for a new request",
            ),
        )),
        Some((_, status, body, headers)) => {
            let status = u16::try_from(status)
                .ok()
                .and_then(|s| StatusCode::from_u16(s).ok())
                .unwrap_or(StatusCode::OK);
            let headers = match headers {
                Some(text) => serde_json::from_str(&text).map_err(anyhow::Error::from)?,
                None => Vec::new(),
            };
            Ok(Some(Saved { status, headers, body }))
        }
        None => Ok(None),
    }
}

fn remember(
    conn: &mut DbConnection,
    caller_id: &str,
    idempotency: &Idempotency,
    saved: &Saved,
) -> Result<(), ApiError> {
    let headers = serde_json::to_string(&saved.headers).map_err(anyhow::Error::from)?;
    diesel::insert_into(idempotency_keys::table)
        .values((
            idempotency_keys::caller_id.eq(caller_id),
            idempotency_keys::key.eq(&idempotency.key),
            idempotency_keys::request_hash.eq(&idempotency.request_hash),
            idempotency_keys::status.eq(i32::from(saved.status.as_u16())),
            idempotency_keys::response.eq(&saved.body),
            idempotency_keys::headers.eq(Some(headers)),
            idempotency_keys::created_at.eq(clock::to_db(clock::now())),
        ))
        .execute(conn)?;
    Ok(())
}
