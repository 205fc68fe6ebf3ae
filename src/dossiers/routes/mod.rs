//! Dossiers over HTTP, one file per group of use cases: `write` (receive, update), `steps` (the
//! twelve lifecycle steps), `read` (one dossier, the list, the worklists, the history) and `slips`
//! (the receipt and the public lookup), `forms` (the printable forms 01–05). Handlers parse, call one use case and answer: the rules
//! are in the slice's pure modules, the SQL in its store.

pub mod forms;
pub mod read;
pub mod slips;
pub mod steps;
pub mod write;

use actix_web::http::{StatusCode, header};

use super::row::DossierRow;
use super::views;
use crate::auth::caller::Caller;
use crate::error::ApiError;
use crate::http::idempotency::Saved;

/// A written dossier as its response is kept for `Idempotency-Key` repeats: the caller's view,
/// its ETag and, when it was just created, its Location.
fn saved(row: DossierRow, caller: &Caller, status: StatusCode) -> Result<Saved, ApiError> {
    let mut headers = vec![(header::ETAG.to_string(), views::etag(&row))];
    if status == StatusCode::CREATED {
        headers.push((header::LOCATION.to_string(), format!("/api/v1/dossiers/{}", row.id)));
    }
    Saved::json(status, &views::dossier(row, caller)?, headers)
}
