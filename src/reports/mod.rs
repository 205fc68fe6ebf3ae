//! The periodic report (docs/report.md): figures for an agency and everything below it over a
//! period, the targets they are judged against, and the report document itself.
//!
//! The files, from the pure core outwards:
//! - `figures/`: the arithmetic, pure: the period, the judgement of one dossier against it and
//!   the additive tally (`mod.rs`), then one file per family of figures (reception, resolution,
//!   online service and payment, digitization, satisfaction, feedback, catalogue, the series by
//!   bucket and by officer) and `summary`, which puts the dossier families together.
//! - `rollup`: the counters' read side, pure: how a period is tiled into their buckets, and the
//!   figures from the counters plus the dossiers they cannot judge. What a dossier contributes
//!   and the writing of the counters live below the slices, in `crate::records::counters`, so
//!   that the dossier and survey slices call down into them, never up into the report.
//! - `counters`: reads the counters for a period, and rebuilds them for a database from before
//!   them.
//! - `store`: loads the facts of a period, the names of those who answer for them, the targets.
//! - `targets`: the indicators, which way each must go and the seed's defaults; `percent` the
//!   hundredths the figures are written in; `model` the shapes of the API.
//! - `judged`: the summary's dossier and survey figures by either method, plain or counted.
//! - `service`: puts them together under the caller's scope; `routes` the HTTP handlers.
//! - `drilldown/`: the dossiers behind a figure of the summary, a page at a time or as a file.
//! - `document/`: writes the report in Vietnamese, one section at a time (`words` holds the
//!   sentences that stand alone); `export` lays it out as CSV, XLSX, HTML and DOCX.
//! - `register`: the desk's register of dossiers for a period (form 06), laid out by `crate::forms`.

pub mod counters;
pub mod document;
pub mod drilldown;
pub mod export;
pub mod figures;
mod judged;
pub mod model;
pub mod percent;
pub mod register;
pub mod rollup;
pub mod routes;
pub mod service;
pub mod store;
pub mod targets;
