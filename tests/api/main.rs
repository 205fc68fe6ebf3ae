//! One integration-test binary: real HTTP against the real app, on SQLite or PostgreSQL.

mod cli;
mod helpers;
mod http_errors;
mod openapi;
mod ops;
