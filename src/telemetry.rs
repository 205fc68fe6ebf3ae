//! Logging through `tracing`: RUST_LOG filters, MOTCUA_LOG_FORMAT picks text or JSON.

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
