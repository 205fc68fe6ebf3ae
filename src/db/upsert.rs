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
const _: () = assert!(COUNTS_PER_STATEMENT * ROW_PARAMETERS <= 32_766);

/// Add `rows` to the agency's report counters, creating the rows that are missing: an upsert that
/// adds, so that concurrent writes on PostgreSQL add up instead of colliding. One statement for
/// them all (a write's day, month and year rows, its officer's and clocks' lines): a round trip
/// each would hold the agency's hot rows that much longer (bench/README.md, intake). PostgreSQL
/// locks the rows in the statement's order, which the caller keeps global, so that two writes
/// never wait for each other in a cycle.
pub fn add_report_counts(
    conn: &mut DbConnection,
    agency_id: &str,
    rows: &[CountsDelta<'_>],
) -> QueryResult<()> {
    for rows in rows.chunks(COUNTS_PER_STATEMENT) {
        let statement = AddReportCounts { agency_id, rows };
        match conn {
            DbConnection::Postgres(c) => statement.execute(c)?,
            DbConnection::Sqlite(c) => statement.execute(c)?,
        };
    }
    Ok(())
}

/// The statement of [`add_report_counts`], written through diesel's query builder rather than as
/// `sql_query` text: its SQL depends only on the number of rows, so diesel keeps it prepared per
/// connection (one entry per row count an intake or a step has written), where `sql_query` is
/// parsed and planned by PostgreSQL on every call, inside the window that holds the commune's
/// hot rows (bench/README.md, session 14). Each backend writes its own placeholders.
struct AddReportCounts<'a> {
    agency_id: &'a str,
    rows: &'a [CountsDelta<'a>],
}

impl diesel::query_builder::QueryId for AddReportCounts<'_> {
    type QueryId = ();
    // Cached by its SQL text, which differs only with the number of rows.
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<DB> diesel::query_builder::QueryFragment<DB> for AddReportCounts<'_>
where
    DB: diesel::backend::Backend
        + diesel::sql_types::HasSqlType<diesel::sql_types::Text>
        + diesel::sql_types::HasSqlType<diesel::sql_types::Date>
        + diesel::sql_types::HasSqlType<diesel::sql_types::BigInt>,
    str: diesel::serialize::ToSql<diesel::sql_types::Text, DB>,
    chrono::NaiveDate: diesel::serialize::ToSql<diesel::sql_types::Date, DB>,
    i64: diesel::serialize::ToSql<diesel::sql_types::BigInt, DB>,
{
    fn walk_ast<'b>(&'b self, mut out: diesel::query_builder::AstPass<'_, 'b, DB>) -> QueryResult<()> {
        use diesel::sql_types::{BigInt, Date, Text};
        static COLUMNS: std::sync::LazyLock<String> =
            std::sync::LazyLock::new(|| REPORT_COUNT_COLUMNS.join(", "));
        static UPDATES: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
            let updates: Vec<String> = REPORT_COUNT_COLUMNS
                .iter()
                .map(|c| format!("{c} = report_counts.{c} + excluded.{c}"))
                .collect();
            updates.join(", ")
        });
        out.push_sql("INSERT INTO report_counts (agency_id, grain, bucket, procedure_id, responsible, ");
        out.push_sql(&COLUMNS);
        out.push_sql(") VALUES ");
        for (i, row) in self.rows.iter().enumerate() {
            out.push_sql(if i == 0 { "(" } else { ", (" });
            out.push_bind_param::<Text, str>(self.agency_id)?;
            out.push_sql(", ");
            out.push_bind_param::<Text, str>(row.grain)?;
            out.push_sql(", ");
            out.push_bind_param::<Date, _>(&row.bucket)?;
            out.push_sql(", ");
            out.push_bind_param::<Text, str>(row.procedure_id)?;
            out.push_sql(", ");
            out.push_bind_param::<Text, str>(row.responsible)?;
            for value in &row.values {
                out.push_sql(", ");
                out.push_bind_param::<BigInt, _>(value)?;
            }
            out.push_sql(")");
        }
        out.push_sql(" ON CONFLICT (grain, agency_id, bucket, procedure_id, responsible) DO UPDATE SET ");
        out.push_sql(&UPDATES);
        Ok(())
    }
}

impl<Conn> RunQueryDsl<Conn> for AddReportCounts<'_> {}

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
