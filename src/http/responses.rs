//! Reusable error responses for the OpenAPI document: every operation lists the problems it can
//! answer with, by reference to these. Each is in Vietnamese, or in English when
//! `Accept-Language` prefers it, and says which in `Content-Language`.
#![allow(dead_code)] // The newtypes exist for their derived OpenAPI description only.

use utoipa::ToResponse;

use crate::error::Problem;

/// The request is malformed: unparseable JSON or a bad query parameter.
/// In the request's language (see `Accept-Language`).
#[derive(ToResponse)]
#[response(
    content_type = "application/problem+json",
    headers(("Content-Language" = String, description = "`vi` by default; `en` when `Accept-Language` prefers English"))
)]
pub struct BadRequest(Problem);

/// No access token, or one that is malformed, forged or expired.
/// In the request's language (see `Accept-Language`).
#[derive(ToResponse)]
#[response(
    content_type = "application/problem+json",
    headers(("Content-Language" = String, description = "`vi` by default; `en` when `Accept-Language` prefers English"))
)]
pub struct Unauthorized(Problem);

/// The caller's role may not do this.
/// In the request's language (see `Accept-Language`).
#[derive(ToResponse)]
#[response(
    content_type = "application/problem+json",
    headers(("Content-Language" = String, description = "`vi` by default; `en` when `Accept-Language` prefers English"))
)]
pub struct Forbidden(Problem);

/// No such resource, or it is outside the caller's scope.
/// In the request's language (see `Accept-Language`).
#[derive(ToResponse)]
#[response(
    content_type = "application/problem+json",
    headers(("Content-Language" = String, description = "`vi` by default; `en` when `Accept-Language` prefers English"))
)]
pub struct NotFound(Problem);

/// A uniqueness or state rule forbids it.
/// In the request's language (see `Accept-Language`).
#[derive(ToResponse)]
#[response(
    content_type = "application/problem+json",
    headers(("Content-Language" = String, description = "`vi` by default; `en` when `Accept-Language` prefers English"))
)]
pub struct Conflict(Problem);

/// `If-Match` names an older version of the resource.
/// In the request's language (see `Accept-Language`).
#[derive(ToResponse)]
#[response(
    content_type = "application/problem+json",
    headers(("Content-Language" = String, description = "`vi` by default; `en` when `Accept-Language` prefers English"))
)]
pub struct PreconditionFailed(Problem);

/// The body is not JSON.
/// In the request's language (see `Accept-Language`).
#[derive(ToResponse)]
#[response(
    content_type = "application/problem+json",
    headers(("Content-Language" = String, description = "`vi` by default; `en` when `Accept-Language` prefers English"))
)]
pub struct UnsupportedMediaType(Problem);

/// Well-formed, but some fields are invalid; `errors` names each.
/// In the request's language (see `Accept-Language`).
#[derive(ToResponse)]
#[response(
    content_type = "application/problem+json",
    headers(("Content-Language" = String, description = "`vi` by default; `en` when `Accept-Language` prefers English"))
)]
pub struct Unprocessable(Problem);

/// Too many attempts; see `Retry-After`.
/// In the request's language (see `Accept-Language`).
#[derive(ToResponse)]
#[response(
    content_type = "application/problem+json",
    headers(("Content-Language" = String, description = "`vi` by default; `en` when `Accept-Language` prefers English"))
)]
pub struct TooManyRequests(Problem);
