//! Working time and the calendar of days off (calendar.md).
//!
//! `working_time` is pure and property-tested. Calendars are data: national days off (seeded
//! for 2024–2026 from the official announcements, each row with its source), days off and
//! schedules of single agencies, all cached in memory and rebuilt when they change.

pub mod cache;
pub mod model;
pub mod routes;
pub mod store;
pub mod working_time;
