//! The periodic report (report.md): figures for an agency and everything below it over a
//! period, the targets they are judged against, and the report document itself.
//!
//! `figures` is the arithmetic, pure; `rollup` the counters' arithmetic, also pure; `store` loads
//! the facts and `counters` keeps and reads the counters; `service` puts them
//! together under the caller's scope; `document` writes the report in Vietnamese and `export`
//! lays it out as CSV, XLSX, HTML and DOCX.

pub mod counters;
pub mod document;
pub mod export;
pub mod figures;
pub mod model;
pub mod percent;
pub mod rollup;
pub mod routes;
pub mod service;
pub mod store;
pub mod targets;
