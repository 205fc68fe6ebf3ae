//! `Idempotency-Key` (api.md): a retried write with the same key and the same body gets the
//! first response again; the same key with another body is a 422. Keys belong to the caller.
//! The check and the write of the first response happen inside the request's own transaction,
//! so a response is remembered only if its change was committed.

use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};
use diesel::prelude::*;
use sha2::{Digest, Sha256};

use crate::clock;
use crate::db::DbConnection;
use crate::db::schema::idempotency_keys;
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

/// The first response to this key, if there was one: (status, JSON body).
pub fn replay(
    conn: &mut DbConnection,
    caller_id: &str,
    idempotency: &Idempotency,
) -> Result<Option<(u16, String)>, ApiError> {
    let stored: Option<(String, i32, String)> = idempotency_keys::table
        .find((caller_id, &idempotency.key))
        .select((idempotency_keys::request_hash, idempotency_keys::status, idempotency_keys::response))
        .first(conn)
        .optional()?;
    match stored {
        Some((hash, _, _)) if hash != idempotency.request_hash => Err(ApiError::invalid_field(
            HEADER,
            Text::fixed(
                "Khóa này đã được dùng cho một yêu cầu khác; hãy dùng khóa mới cho yêu cầu mới",
                "this key was used with a different request; use a new key for a new request",
            ),
        )),
        Some((_, status, body)) => Ok(Some((u16::try_from(status).unwrap_or(200), body))),
        None => Ok(None),
    }
}

pub fn remember(
    conn: &mut DbConnection,
    caller_id: &str,
    idempotency: &Idempotency,
    status: u16,
    body: &str,
) -> QueryResult<()> {
    diesel::insert_into(idempotency_keys::table)
        .values((
            idempotency_keys::caller_id.eq(caller_id),
            idempotency_keys::key.eq(&idempotency.key),
            idempotency_keys::request_hash.eq(&idempotency.request_hash),
            idempotency_keys::status.eq(i32::from(status)),
            idempotency_keys::response.eq(body),
            idempotency_keys::created_at.eq(clock::to_db(clock::now())),
        ))
        .execute(conn)
        .map(|_| ())
}
