//! What a step on a record (a dossier's or a feedback's lifecycle step) takes besides its body:
//! the caller, the record's id from the path, the `Idempotency-Key`, the database and the
//! calendars that count its working time. One extractor, so that each step's handler says only
//! which body it reads and which step that body becomes.

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};
use futures_util::future::LocalBoxFuture;

use super::idempotency::IdempotencyKey;
use crate::auth::caller::{AnyRole, Authorized};
use crate::calendar::cache::CalendarCache;
use crate::db::Db;

pub struct StepCall {
    pub auth: Authorized<AnyRole>,
    /// The record's id, the path's `{id}`.
    pub id: String,
    pub key: IdempotencyKey,
    pub db: web::Data<Db>,
    pub calendars: web::Data<CalendarCache>,
}

type Parts =
    (Authorized<AnyRole>, web::Path<String>, IdempotencyKey, web::Data<Db>, web::Data<CalendarCache>);

impl FromRequest for StepCall {
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    /// The parts in the order a handler listed them before: the caller is checked first, so an
    /// unauthenticated request is answered 401 whatever else is wrong with it.
    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let parts = Parts::from_request(req, payload);
        Box::pin(async move {
            let (auth, id, key, db, calendars) = parts.await?;
            Ok(StepCall { auth, id: id.into_inner(), key, db, calendars })
        })
    }
}
