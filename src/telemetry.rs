//! Logging through `tracing`: RUST_LOG filters, MOTCUA_LOG_FORMAT picks text or JSON.
//!
//! One line per request at INFO, with the status; a client error (4xx) adds the message the
//! client read to the request's span, and a server error is logged at ERROR with its cause chain. tracing-actix-web's
//! own error event (WARN with a debug dump of every 4xx) is turned off in Cargo.toml.

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::writer::MakeWriterExt;

use crate::settings::LogFormat;

/// Install the global subscriber. Logs go to stderr so that `motcua openapi > file` stays clean.
pub fn init(format: LogFormat) {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,actix_server=warn"));
    let writer = std::io::stderr.with_max_level(tracing::Level::TRACE);
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(writer);
    // `try_init`: tests call this once per process at most, but never fail over a second call.
    let _ = match format {
        LogFormat::Json => builder.json().flatten_event(true).with_current_span(false).try_init(),
        LogFormat::Text => builder.with_ansi(std::io::stderr().is_terminal()).try_init(),
    };
}

/// The root span of every request. Like tracing-actix-web's default, but without the query
/// string (`?q=` may carry an applicant's name), without the user agent, and with the client's
/// address as `http::client` resolves it (not a spoofable `X-Forwarded-For`).
pub struct RequestSpan;

impl tracing_actix_web::RootSpanBuilder for RequestSpan {
    fn on_request_start(request: &actix_web::dev::ServiceRequest) -> tracing::Span {
        use actix_web::HttpMessage;
        let route = request.match_pattern().unwrap_or_else(|| "UNMATCHED".to_owned());
        let request_id = request.extensions().get::<tracing_actix_web::RequestId>().map(|id| id.to_string());
        tracing::info_span!(
            "HTTP request",
            http.method = %request.method(),
            http.route = %route,
            http.path = %request.path(),
            http.client_ip = ?crate::http::client::of(request.request()),
            request_id = request_id.as_deref().unwrap_or(""),
            http.status_code = tracing::field::Empty,
            otel.status_code = tracing::field::Empty,
            exception.message = tracing::field::Empty,
            exception.details = tracing::field::Empty,
        )
    }

    fn on_request_end<B: actix_web::body::MessageBody>(
        span: tracing::Span,
        outcome: &Result<actix_web::dev::ServiceResponse<B>, actix_web::Error>,
    ) {
        let (status, error) = match outcome {
            Ok(response) => (response.status().as_u16(), response.response().error()),
            Err(error) => (error.as_response_error().status_code().as_u16(), Some(error)),
        };
        // What tracing-actix-web's default records, but the debug dump (`exception.details`)
        // only for server errors. The message is quoted and escaped: it may echo what the
        // client sent.
        span.record("http.status_code", status);
        span.record("otel.status_code", if status < 500 { "OK" } else { "ERROR" });
        if let Some(error) = error {
            span.record("exception.message", tracing::field::debug(error.to_string()));
            if status >= 500 {
                span.record("exception.details", tracing::field::debug(error));
            }
        }
        span.in_scope(|| match error {
            // `ApiError` logged its cause chain at ERROR when it made the response (and a 503 at
            // WARN); any other server error is logged here.
            Some(error) if status >= 500 && error.as_error::<crate::error::ApiError>().is_none() => {
                tracing::error!(status, error = ?error, "request failed")
            }
            // A client's mistake is the service working as it should: the request's one line,
            // at INFO, with the message the client read (`exception.message`).
            _ => tracing::info!(status, "request finished"),
        });
    }
}
