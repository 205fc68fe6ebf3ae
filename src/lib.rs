//! motcua: the back end of a Vietnamese one-stop public-service desk (một cửa).
//!
//! Four layers; a module imports only from its own layer or those below it:
//!
//! - **Foundation**: `error`, `i18n`, `labels`, `clock`, `contact`, `delivery`, `enums`, `vietnamese`, `text`, `db`,
//!   `file_store` (where the dossiers' files live), `http`, `auth` (the caller every handler
//!   extracts, tokens and sign-in), `audit` (the trail of security events and of access to
//!   personal data, which sign-in and the slices write), `telemetry`, `settings`.
//! - **Shared records**: `records`, what several slices write inside their own transactions: the
//!   outbox of events, the history of every step, the report counters' write side.
//! - **Slices**, one domain each: `agencies`, `calendar`, `catalogue`, `users`, `citizens`,
//!   `notifications`,
//!   `service_accounts`, `dossiers`, `surveys`, `feedback`, `reports`, `integration`, `meta`,
//!   `ops`. A slice holds `routes` (HTTP in and out), `model` (request, response and row types),
//!   `service` (the use cases, where there is more to do than one query), `store` (diesel
//!   queries), and pure logic beside them.
//! - **The app**: `routes` (every route, in one place), `startup`, `api_doc`, `main`, and the data
//!   makers `demo` and `generate`.

pub mod agencies;
pub mod api_doc;
pub mod audit;
pub mod auth;
pub mod calendar;
pub mod catalogue;
pub mod citizens;
pub mod clock;
pub mod contact;
pub mod db;
pub mod delivery;
pub mod demo;
pub mod dossiers;
pub mod enums;
pub mod error;
pub mod feedback;
pub mod file_store;
pub mod forms;
pub mod generate;
pub mod http;
pub mod i18n;
pub mod integration;
pub mod labels;
pub mod meta;
pub mod notifications;
pub mod ops;
pub mod records;
pub mod reports;
pub mod routes;
pub mod service_accounts;
pub mod settings;
pub mod startup;
pub mod surveys;
pub mod telemetry;
pub mod text;
pub mod users;
pub mod vietnamese;
