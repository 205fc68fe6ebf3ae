//! motcua: the back end of a Vietnamese one-stop public-service desk (một cửa).
//!
//! Each domain is a module (a vertical slice): `routes` (HTTP in and out), `model` (request and
//! response types), `store` (diesel queries), and pure logic beside them.

pub mod agencies;
pub mod api_doc;
pub mod auth;
pub mod calendar;
pub mod catalogue;
pub mod clock;
pub mod db;
pub mod demo;
pub mod dossiers;
pub mod enums;
pub mod error;
pub mod feedback;
pub mod generate;
pub mod http;
pub mod i18n;
pub mod integration;
pub mod labels;
pub mod meta;
pub mod ops;
pub mod records;
pub mod reports;
pub mod routes;
pub mod service_accounts;
pub mod settings;
pub mod startup;
pub mod surveys;
pub mod telemetry;
pub mod users;
pub mod vietnamese;
