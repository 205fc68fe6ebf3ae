//! The upserts: statements that insert or update one row atomically, so that concurrent writers
//! never collide. Backend-specific only for the placeholder syntax.

use diesel::prelude::*;

use super::DbConnection;

/// The next number of a daily sequence of dossier codes (per code prefix), atomically: an upsert that increments, so
/// concurrent intakes get distinct numbers (the row lock serializes them on PostgreSQL; SQLite
/// has one writer). Built with diesel's own `ON CONFLICT`, so that its SQL is fixed and each
/// connection prepares it once: intake holds its commune's hot row from this statement to the
/// commit, and a statement parsed and planned anew each time was part of that window.
pub fn next_sequence(conn: &mut DbConnection, prefix: &str, day: &str) -> QueryResult<i64> {
    use super::schema::dossier_sequences as s;
    macro_rules! upsert {
        ($c:expr) => {
            diesel::insert_into(s::table)
                .values((s::prefix.eq(prefix), s::day.eq(day), s::last.eq(1_i64)))
                .on_conflict((s::prefix, s::day))
                .do_update()
                .set(s::last.eq(s::last + 1_i64))
                .returning(s::last)
                .get_result($c)
        };
    }
    match conn {
        DbConnection::Postgres(c) => upsert!(c),
        DbConnection::Sqlite(c) => upsert!(c),
    }
}

/// A statement written with `{1}`, `{2}`, `{3}` for its parameters, in a backend's syntax.
fn placeholders(template: &str, marks: [&str; 3]) -> String {
    template.replace("{1}", marks[0]).replace("{2}", marks[1]).replace("{3}", marks[2])
}

/// The report counters' columns, in the order of `records::counters::contribution::Counts::as_array`.
pub const REPORT_COUNT_COLUMNS: [&str; 24] = [
    "new_online",
    "new_direct",
    "new_postal",
    "reception_digitized",
    "payable",
    "paid_online",
    "resolved",
    "early",
    "on_time",
    "late_apologized",
    "result_digitized",
    "withdrawn",
    "online_submitted",
    "answered_in_time",
    "very_satisfied",
    "satisfied",
    "unsatisfied",
    "reception_missing",
    "result_missing",
    "backlog",
    "backlog_overdue",
    "backlog_apologized",
    "submitted",
    "portal_synced",
];

/// One row of the report counters to add to: its key (grain, bucket, procedure, responsible; the
/// agency is the statement's) and the values in [`REPORT_COUNT_COLUMNS`]' order.
pub struct CountsDelta<'a> {
    pub grain: &'static str,
    pub bucket: chrono::NaiveDate,
    pub procedure_id: &'a str,
    pub responsible: &'a str,
    pub values: [i64; 24],
}

/// Rows per statement: with [`ROW_PARAMETERS`] bound parameters a row, under SQLite's 32,766.
const COUNTS_PER_STATEMENT: usize = 1_000;

/// A row's bound parameters: the agency, its key (grain, bucket, procedure, responsible), the values.
const ROW_PARAMETERS: usize = 5 + REPORT_COUNT_COLUMNS.len();

/// Add `rows` to the agency's report counters, creating the rows that are missing: an upsert that
/// adds, so that concurrent writes on PostgreSQL add up instead of colliding. One statement for
/// them all (a write's day, month and year rows, its officer's and clocks' lines): a round trip
/// each would hold the agency's hot rows that much longer (bench/README.md, intake). PostgreSQL
/// locks the rows in the statement's order, which the caller keeps global, so that two writes
/// never wait for each other in a cycle. Backend-specific only for the placeholder syntax.
pub fn add_report_counts(
    conn: &mut DbConnection,
    agency_id: &str,
    rows: &[CountsDelta<'_>],
) -> QueryResult<()> {
    use diesel::sql_types::{BigInt, Date, Text};
    let columns = REPORT_COUNT_COLUMNS.join(", ");
    let updates: Vec<String> =
        REPORT_COUNT_COLUMNS.iter().map(|c| format!("{c} = report_counts.{c} + excluded.{c}")).collect();
    let statement = |rows: usize, mark: &dyn Fn(usize) -> String| {
        let tuples: Vec<String> = (0..rows)
            .map(|r| {
                format!(
                    "({})",
                    (1..=ROW_PARAMETERS).map(|i| mark(r * ROW_PARAMETERS + i)).collect::<Vec<_>>().join(", ")
                )
            })
            .collect();
        format!(
            "INSERT INTO report_counts (agency_id, grain, bucket, procedure_id, responsible, {columns}) VALUES {} \
             ON CONFLICT (grain, agency_id, bucket, procedure_id, responsible) DO UPDATE SET {}",
            tuples.join(", "),
            updates.join(", ")
        )
    };
    macro_rules! run {
        ($c:expr, $mark:expr) => {{
            for rows in rows.chunks(COUNTS_PER_STATEMENT) {
                let mut query = diesel::sql_query(statement(rows.len(), $mark)).into_boxed();
                for row in rows {
                    query = query
                        .bind::<Text, _>(agency_id)
                        .bind::<Text, _>(row.grain)
                        .bind::<Date, _>(row.bucket)
                        .bind::<Text, _>(row.procedure_id)
                        .bind::<Text, _>(row.responsible);
                    for value in row.values {
                        query = query.bind::<BigInt, _>(value);
                    }
                }
                query.execute($c)?;
            }
            Ok(())
        }};
    }
    match conn {
        DbConnection::Postgres(c) => run!(c, &|i| format!("${i}")),
        DbConnection::Sqlite(c) => run!(c, &|_| "?".to_owned()),
    }
}

/// Run a statement written with `{1}`, `{2}`, `{3}` for its parameters on either backend, with
/// the same three binds.
macro_rules! execute_with_three {
    ($conn:expr, $template:expr, $(($sql_type:ty, $value:expr)),+ $(,)?) => {
        match $conn {
            DbConnection::Postgres(c) => diesel::sql_query(placeholders($template, ["$1", "$2", "$3"]))
                $(.bind::<$sql_type, _>($value))+
                .execute(c),
            DbConnection::Sqlite(c) => diesel::sql_query(placeholders($template, ["?", "?", "?"]))
                $(.bind::<$sql_type, _>($value))+
                .execute(c),
        }
        .map(|_| ())
    };
}

/// Set an agency's schedule, replacing any: an upsert, so concurrent writes never collide on
/// the primary key.
pub fn upsert_schedule(
    conn: &mut DbConnection,
    agency_id: &str,
    week: &str,
    at: chrono::NaiveDateTime,
) -> QueryResult<()> {
    use diesel::sql_types::{Text, Timestamp};
    const UPSERT: &str = "INSERT INTO agency_schedules (agency_id, week, updated_at) VALUES ({1}, {2}, {3}) \
        ON CONFLICT (agency_id) DO UPDATE SET week = excluded.week, updated_at = excluded.updated_at";
    execute_with_three!(conn, UPSERT, (Text, agency_id), (Text, week), (Timestamp, at))
}

/// Set an agency's feedback time limit (working days), replacing any; an upsert like
/// [`upsert_schedule`].
pub fn upsert_feedback_limit(
    conn: &mut DbConnection,
    agency_id: &str,
    working_days: i64,
    at: chrono::NaiveDateTime,
) -> QueryResult<()> {
    use diesel::sql_types::{BigInt, Text, Timestamp};
    const UPSERT: &str = "INSERT INTO feedback_limits (agency_id, working_days, updated_at) VALUES ({1}, {2}, {3}) \
        ON CONFLICT (agency_id) DO UPDATE SET working_days = excluded.working_days, updated_at = excluded.updated_at";
    execute_with_three!(conn, UPSERT, (Text, agency_id), (BigInt, working_days), (Timestamp, at))
}
