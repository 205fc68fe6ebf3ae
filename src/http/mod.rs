//! HTTP plumbing shared by every slice: strict extractors whose failures are problem documents,
//! the 404/405 fallback, the language of problem documents, the request id, and the caching of
//! public answers.

pub mod cache;
pub mod client;
pub mod csv;
pub mod download;
pub mod etag;
pub mod extract;
pub mod fallback;
pub mod form;
pub mod guard;
pub mod idempotency;
pub mod language;
pub mod pagination;
pub mod request_id;
pub mod responses;
pub mod step;

/// An optional request header as the OpenAPI document describes it, for the extractors of the
/// headers that many operations take (`If-Match`, `Idempotency-Key`): each describes itself once,
/// and an operation lists the extractor's type in its `params`.
fn optional_header(name: &str, description: &str) -> utoipa::openapi::path::Parameter {
    use utoipa::openapi::path::{ParameterBuilder, ParameterIn};
    use utoipa::openapi::{Required, schema};
    ParameterBuilder::new()
        .name(name)
        .parameter_in(ParameterIn::Header)
        .description(Some(description))
        .required(Required::False)
        .schema(Some(
            schema::ObjectBuilder::new()
                .schema_type(schema::SchemaType::from_iter([schema::Type::String, schema::Type::Null])),
        ))
        .build()
}
