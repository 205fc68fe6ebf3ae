//! The history of a dossier or a piece of feedback: one row per step, numbered from 1, with who
//! did it, when it happened and when it was recorded (they differ for imported history). Both
//! trails have the same columns in their own tables; this module is the one place that writes
//! and reads them, so a slice records a step in one call inside its own transaction.

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use crate::auth::caller::Caller;
use crate::clock;
use crate::db::DbConnection;
use crate::db::schema::{dossier_history, feedback_history};
use crate::error::ApiError;
use crate::i18n::{Text, common};

/// Whose history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trail {
    Dossier,
    Feedback,
}

/// One step as recorded.
#[derive(Debug, Clone, Queryable)]
pub struct Entry {
    pub seq: i64,
    pub action: String,
    pub from_status: Option<String>,
    pub to_status: String,
    pub actor_id: Option<String>,
    pub actor_kind: String,
    pub at: NaiveDateTime,
    pub note: Option<String>,
    pub recorded_at: NaiveDateTime,
}

/// A step to record: what was done, from and to which status (as stored), when, and a note.
pub struct NewStep<'a> {
    pub action: &'a str,
    pub from_status: Option<&'a str>,
    pub to_status: &'a str,
    pub at: DateTime<Utc>,
    pub note: Option<String>,
}

/// Clock skew tolerated on imported instants ("never in the future").
pub const FUTURE_SKEW: Duration = Duration::seconds(60);

/// The instant of a step: now (never before the previous step); an import (`may_import`) may
/// name an earlier one, never before the previous step (`too_early` says so) nor in the future.
pub fn instant(
    given: Option<DateTime<Utc>>,
    previous: DateTime<Utc>,
    now: DateTime<Utc>,
    may_import: bool,
    too_early: Text,
) -> Result<DateTime<Utc>, ApiError> {
    let Some(at) = given else { return Ok(now.max(previous)) };
    if !may_import {
        return Err(ApiError::invalid_field("at", common::IMPORT_ONLY));
    }
    if at > now + FUTURE_SKEW {
        return Err(ApiError::invalid_field("at", common::MUST_NOT_BE_FUTURE));
    }
    if at < previous {
        return Err(ApiError::invalid_field("at", too_early));
    }
    Ok(clock::to_db(at).and_utc())
}

/// The same statements for either table: only the table and its subject column differ.
macro_rules! on_trail {
    ($trail:expr, |$table:ident, $subject:ident| $body:expr) => {
        match $trail {
            Trail::Dossier => {
                use dossier_history as $table;
                use dossier_history::dossier_id as $subject;
                $body
            }
            Trail::Feedback => {
                use feedback_history as $table;
                use feedback_history::feedback_id as $subject;
                $body
            }
        }
    };
}

/// Append a step to the subject's history, numbered after the last one. Call inside the write's
/// transaction (the number is read and written there).
#[tracing::instrument(level = "debug", skip(conn, step, by), fields(action = step.action, by = ?by.id))]
pub fn append(
    conn: &mut DbConnection,
    trail: Trail,
    subject_id: &str,
    step: NewStep<'_>,
    by: &Caller,
) -> QueryResult<()> {
    let last: Option<i64> = on_trail!(trail, |table, subject| {
        table::table.filter(subject.eq(subject_id)).select(diesel::dsl::max(table::seq)).first(conn)?
    });
    append_numbered(conn, trail, subject_id, last.unwrap_or(0) + 1, step, by)
}

/// Append a step under a number the caller knows: 1 for a subject created in this transaction
/// (intake holds its agency's hot rows while it writes, so the read of the last number is saved).
#[tracing::instrument(level = "debug", skip(conn, step, by), fields(action = step.action, by = ?by.id))]
pub fn append_numbered(
    conn: &mut DbConnection,
    trail: Trail,
    subject_id: &str,
    seq: i64,
    step: NewStep<'_>,
    by: &Caller,
) -> QueryResult<()> {
    on_trail!(trail, |table, subject| {
        diesel::insert_into(table::table)
            .values((
                table::id.eq(Uuid::new_v4().to_string()),
                subject.eq(subject_id),
                table::seq.eq(seq),
                table::action.eq(step.action),
                table::from_status.eq(step.from_status),
                table::to_status.eq(step.to_status),
                table::actor_id.eq(Some(&by.id)),
                table::actor_kind.eq(by.kind_label()),
                table::at.eq(clock::to_db(step.at)),
                table::note.eq(&step.note),
                table::recorded_at.eq(clock::to_db(clock::now())),
            ))
            .execute(conn)
            .map(|_| ())
    })
}

/// The subject's history, in order.
#[tracing::instrument(level = "debug", skip(conn))]
pub fn read(conn: &mut DbConnection, trail: Trail, subject_id: &str) -> QueryResult<Vec<Entry>> {
    on_trail!(trail, |table, subject| {
        table::table
            .filter(subject.eq(subject_id))
            .order(table::seq.asc())
            .select((
                table::seq,
                table::action,
                table::from_status,
                table::to_status,
                table::actor_id,
                table::actor_kind,
                table::at,
                table::note,
                table::recorded_at,
            ))
            .load(conn)
    })
}
