//! Reusable error responses for the OpenAPI document: every operation lists the problems it can
//! answer with, by reference to these.
#![allow(dead_code)] // The newtypes exist for their derived OpenAPI description only.

use utoipa::ToResponse;

use crate::error::Problem;

/// The request is malformed: unparseable JSON or a bad query parameter.
#[derive(ToResponse)]
#[response(content_type = "application/problem+json")]
pub struct BadRequest(Problem);

/// No access token, or one that is malformed, forged or expired.
#[derive(ToResponse)]
#[response(content_type = "application/problem+json")]
pub struct Unauthorized(Problem);

/// The caller's role may not do this.
#[derive(ToResponse)]
#[response(content_type = "application/problem+json")]
pub struct Forbidden(Problem);

/// No such resource, or it is outside the caller's scope.
#[derive(ToResponse)]
#[response(content_type = "application/problem+json")]
pub struct NotFound(Problem);

/// A uniqueness or state rule forbids it.
#[derive(ToResponse)]
#[response(content_type = "application/problem+json")]
pub struct Conflict(Problem);

/// `If-Match` names an older version of the resource.
#[derive(ToResponse)]
#[response(content_type = "application/problem+json")]
pub struct PreconditionFailed(Problem);

/// The body is not JSON.
#[derive(ToResponse)]
#[response(content_type = "application/problem+json")]
pub struct UnsupportedMediaType(Problem);

/// Well-formed, but some fields are invalid; `errors` names each.
#[derive(ToResponse)]
#[response(content_type = "application/problem+json")]
pub struct Unprocessable(Problem);

/// Too many attempts; see `Retry-After`.
#[derive(ToResponse)]
#[response(content_type = "application/problem+json")]
pub struct TooManyRequests(Problem);

/// A file sent or received as the body itself, byte for byte: a spreadsheet, a document or an
/// uploaded CSV.
#[derive(utoipa::ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct FileBytes(Vec<u8>);
