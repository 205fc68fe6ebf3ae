//! Reusable error responses for the OpenAPI document: every operation lists the problems it can
//! answer with, by reference to these.
#![allow(dead_code)] // The newtypes exist for their derived OpenAPI description only.

use utoipa::ToResponse;

use crate::error::Problem;

/// The request is malformed: unparseable JSON or a bad query parameter.
#[derive(ToResponse)]
#[response(content_type = "application/problem+json", example = json!({
    "type": "urn:motcua:problem:bad-request", "title": "Bad Request", "status": 400,
    "detail": "the body is not valid JSON: EOF while parsing an object",
    "errors": [{"field": "body", "message": "EOF while parsing an object"}]
}))]
pub struct BadRequest(Problem);

/// No access token, or one that is malformed, forged or expired.
#[derive(ToResponse)]
#[response(content_type = "application/problem+json", example = json!({
    "type": "urn:motcua:problem:unauthorized", "title": "Unauthorized", "status": 401,
    "detail": "send an access token as Authorization: Bearer …"
}))]
pub struct Unauthorized(Problem);

/// The caller's role may not do this.
#[derive(ToResponse)]
#[response(content_type = "application/problem+json", example = json!({
    "type": "urn:motcua:problem:forbidden", "title": "Forbidden", "status": 403,
    "detail": "this needs one of the roles admin, leader, officer"
}))]
pub struct Forbidden(Problem);

/// No such resource, or it is outside the caller's scope.
#[derive(ToResponse)]
#[response(content_type = "application/problem+json", example = json!({
    "type": "urn:motcua:problem:not-found", "title": "Not Found", "status": 404, "detail": "dossier not found"
}))]
pub struct NotFound(Problem);

/// A uniqueness or state rule forbids it.
#[derive(ToResponse)]
#[response(content_type = "application/problem+json", example = json!({
    "type": "urn:motcua:problem:illegal-transition", "title": "Conflict", "status": 409,
    "detail": "a dossier is returned for supplement at most once: the slip must list everything missing in one go",
    "rule": "supplement_once"
}))]
pub struct Conflict(Problem);

/// `If-Match` names an older version of the resource.
#[derive(ToResponse)]
#[response(content_type = "application/problem+json", example = json!({
    "type": "urn:motcua:problem:precondition-failed", "title": "Precondition Failed", "status": 412,
    "detail": "the resource changed since you read it (If-Match does not match its ETag); read it again"
}))]
pub struct PreconditionFailed(Problem);

/// The body is not JSON.
#[derive(ToResponse)]
#[response(content_type = "application/problem+json", example = json!({
    "type": "urn:motcua:problem:unsupported-media-type", "title": "Unsupported Media Type", "status": 415,
    "detail": "send the body as JSON with Content-Type: application/json"
}))]
pub struct UnsupportedMediaType(Problem);

/// Well-formed, but some fields are invalid; `errors` names each.
#[derive(ToResponse)]
#[response(content_type = "application/problem+json", example = json!({
    "type": "urn:motcua:problem:validation", "title": "Unprocessable Content", "status": 422,
    "detail": "The request is well-formed but some fields are invalid.",
    "errors": [{"field": "applicant.phone", "message": "a Vietnamese phone number, e.g. 0912345678"}]
}))]
pub struct Unprocessable(Problem);

/// Too many attempts; see `Retry-After`.
#[derive(ToResponse)]
#[response(content_type = "application/problem+json", example = json!({
    "type": "urn:motcua:problem:too-many-requests", "title": "Too Many Requests", "status": 429,
    "detail": "too many attempts; retry after 60 s"
}))]
pub struct TooManyRequests(Problem);

/// A file sent or received as the body itself, byte for byte: a spreadsheet, a document or an
/// uploaded CSV.
#[derive(utoipa::ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct FileBytes(Vec<u8>);
