//! motcua: the back end of a Vietnamese one-stop public-service desk (một cửa).

pub mod api_doc;
pub mod db;
pub mod error;
pub mod http;
pub mod ops;
pub mod settings;
pub mod startup;
pub mod telemetry;
