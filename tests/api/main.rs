//! One integration-test binary: real HTTP against the real app, on SQLite or PostgreSQL.

mod agencies;
mod audit;
mod auth;
mod authorization;
mod calendar;
mod catalogue;
mod citizens;
mod cli;
mod contract;
mod dossiers;
mod dvcqg;
mod feedback;
mod files;
mod helpers;
mod http_errors;
mod integration;
mod language;
mod openapi;
mod ops;
mod public;
mod reliability;
mod reports;
mod sessions;
mod surveys;
mod text;
mod users;
