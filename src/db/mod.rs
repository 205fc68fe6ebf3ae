//! The database layer: one connection type over SQLite and PostgreSQL.
//!
//! The backend is chosen from the URL scheme by our own r2d2 manager rather than by the
//! `MultiConnection` derive's `establish`, which tries PostgreSQL then SQLite and swallows the
//! error (a mistyped PostgreSQL URL would silently create a SQLite file). Backend-specific SQL
//! lives only in this module, behind a `match` on [`DbConnection`].

pub mod schema;

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::prelude::*;
use diesel::r2d2::{self, ManageConnection, Pool, PooledConnection};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::error::ApiError;

pub const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
pub const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// A connection to either backend. Queries written against `schema.rs` with portable types run
/// on both.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Postgres(PgConnection),
    Sqlite(SqliteConnection),
}

/// Which database a URL points at. Parsed once, at start-up.
#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    /// `postgres://…` or `postgresql://…`, passed to libpq as is.
    Postgres(String),
    /// `sqlite://PATH` (relative) or `sqlite:///ABSOLUTE/PATH`.
    Sqlite(PathBuf),
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DatabaseUrlError {
    #[error("unsupported database URL scheme {0:?}: use sqlite://PATH or postgres://USER@HOST/DB")]
    UnknownScheme(String),
    #[error("the database URL has no scheme: use sqlite://PATH or postgres://USER@HOST/DB")]
    NoScheme,
    #[error(
        "sqlite://{0} is not supported: every pooled connection would get its own empty database; give a file path"
    )]
    InMemory(String),
    #[error("sqlite:// needs a file path, e.g. sqlite://motcua.db")]
    EmptyPath,
}

impl FromStr for DatabaseUrl {
    type Err = DatabaseUrlError;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        let (scheme, rest) = raw.split_once("://").ok_or(DatabaseUrlError::NoScheme)?;
        match scheme.to_ascii_lowercase().as_str() {
            "postgres" | "postgresql" => Ok(Self::Postgres(raw.to_owned())),
            "sqlite" => {
                if rest.is_empty() {
                    return Err(DatabaseUrlError::EmptyPath);
                }
                if rest == ":memory:" || rest.starts_with("file::memory:") {
                    return Err(DatabaseUrlError::InMemory(rest.to_owned()));
                }
                Ok(Self::Sqlite(PathBuf::from(rest)))
            }
            other => Err(DatabaseUrlError::UnknownScheme(other.to_owned())),
        }
    }
}

/// Printable without the password: start-up logs name the database, never its credentials.
impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Sqlite(path) => write!(f, "sqlite://{}", path.display()),
            Self::Postgres(raw) => match url::Url::parse(raw) {
                Ok(mut url) => {
                    if url.password().is_some() {
                        let _ = url.set_password(Some("***"));
                    }
                    url.set_query(None);
                    write!(f, "{url}")
                }
                Err(_) => f.write_str("postgres://(unparseable)"),
            },
        }
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl DatabaseUrl {
    pub fn backend_name(&self) -> &'static str {
        match self {
            Self::Postgres(_) => "postgres",
            Self::Sqlite(_) => "sqlite",
        }
    }
}

/// How long a new connection may take before we give up (seconds). Without it libpq waits for
/// the OS TCP timeout and r2d2 for 30 s when the server is down.
const CONNECT_TIMEOUT_SECS: u64 = 3;
/// How long an SQLite writer waits for the lock before failing with "database is locked".
const SQLITE_BUSY_TIMEOUT_MS: u64 = 5_000;

/// The r2d2 manager: opens a connection of the backend the URL names and keeps its real error.
#[derive(Debug, Clone)]
pub struct ConnectionManager {
    url: DatabaseUrl,
}

impl ConnectionManager {
    pub fn new(url: DatabaseUrl) -> Self {
        Self { url }
    }
}

fn with_connect_timeout(raw: &str) -> String {
    if raw.contains("connect_timeout=") {
        return raw.to_owned();
    }
    let sep = if raw.contains('?') { '&' } else { '?' };
    format!("{raw}{sep}connect_timeout={CONNECT_TIMEOUT_SECS}")
}

impl ManageConnection for ConnectionManager {
    type Connection = DbConnection;
    type Error = ConnectionError;

    fn connect(&self) -> Result<DbConnection, ConnectionError> {
        match &self.url {
            DatabaseUrl::Postgres(raw) => {
                PgConnection::establish(&with_connect_timeout(raw)).map(DbConnection::Postgres)
            }
            DatabaseUrl::Sqlite(path) => {
                let path = path.to_str().ok_or_else(|| {
                    ConnectionError::InvalidConnectionUrl("the SQLite path is not UTF-8".into())
                })?;
                let mut conn = SqliteConnection::establish(path)?;
                // WAL lets readers run beside the one writer; NORMAL sync is crash-safe in WAL
                // mode (a killed process loses nothing committed).
                conn.batch_execute(&format!(
                    "PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS};
                     PRAGMA journal_mode = WAL;
                     PRAGMA synchronous = NORMAL;
                     PRAGMA foreign_keys = ON;"
                ))
                .map_err(ConnectionError::CouldntSetupConfiguration)?;
                Ok(DbConnection::Sqlite(conn))
            }
        }
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), ConnectionError> {
        ping(conn).map_err(ConnectionError::CouldntSetupConfiguration)
    }

    fn has_broken(&self, _conn: &mut DbConnection) -> bool {
        // Checked on checkout by `is_valid` instead: a broken connection is replaced then.
        false
    }
}

/// A cheap round trip to the database.
pub fn ping(conn: &mut DbConnection) -> QueryResult<()> {
    diesel::sql_query("SELECT 1").execute(conn).map(|_| ())
}

pub type DbPool = Pool<ConnectionManager>;
pub type PooledConn = PooledConnection<ConnectionManager>;

/// Pool settings; the defaults suit one 2-core machine.
#[derive(Debug, Clone)]
pub struct PoolOptions {
    pub max_size: u32,
    /// How long a request waits for a free connection before it answers 503.
    pub acquire_timeout: Duration,
}

impl Default for PoolOptions {
    fn default() -> Self {
        Self { max_size: 10, acquire_timeout: Duration::from_secs(5) }
    }
}

/// r2d2 reports connection failures through this handler; route them to tracing (the error
/// text of libpq names host and database, never the password).
#[derive(Debug)]
struct LogPoolErrors;

impl r2d2::HandleError<ConnectionError> for LogPoolErrors {
    fn handle_error(&self, error: ConnectionError) {
        tracing::warn!(%error, "database connection failed");
    }
}

/// Build the pool. Fails (with the backend's own message) when the database cannot be reached
/// within the acquire timeout.
pub fn build_pool(url: &DatabaseUrl, options: &PoolOptions) -> Result<DbPool, anyhow::Error> {
    let manager = ConnectionManager::new(url.clone());
    // Fail fast with the real reason, rather than r2d2's generic time-out.
    let first = manager.connect().map_err(|e| anyhow::anyhow!("cannot connect to {url}: {e}"))?;
    let pool = Pool::builder()
        .max_size(options.max_size)
        .min_idle(Some(1))
        .connection_timeout(options.acquire_timeout)
        .error_handler(Box::new(LogPoolErrors))
        .build_unchecked(manager);
    drop(first);
    Ok(pool)
}

/// Run the pending migrations of the connection's backend.
pub fn run_migrations(conn: &mut DbConnection) -> Result<(), anyhow::Error> {
    let applied = match conn {
        DbConnection::Postgres(c) => c.run_pending_migrations(POSTGRES_MIGRATIONS),
        DbConnection::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS),
    }
    .map_err(|e| anyhow::anyhow!("migration failed: {e}"))?;
    for version in applied {
        tracing::info!(%version, "applied migration");
    }
    Ok(())
}

#[derive(diesel::QueryableByName)]
struct SequenceValue {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    last: i64,
}

/// The next number of a daily sequence of dossier codes (per code prefix), atomically: an upsert that increments, so
/// concurrent intakes get distinct numbers (the row lock serializes them on PostgreSQL; SQLite
/// has one writer). Backend-specific only for the placeholder syntax.
pub fn next_sequence(conn: &mut DbConnection, prefix: &str, day: &str) -> QueryResult<i64> {
    use diesel::sql_types::Text;
    const UPSERT: &str = "INSERT INTO dossier_sequences (prefix, day, last) VALUES ({a}, {d}, 1) \
        ON CONFLICT (prefix, day) DO UPDATE SET last = dossier_sequences.last + 1 RETURNING last";
    let value: SequenceValue = match conn {
        DbConnection::Postgres(c) => diesel::sql_query(UPSERT.replace("{a}", "$1").replace("{d}", "$2"))
            .bind::<Text, _>(prefix)
            .bind::<Text, _>(day)
            .get_result(c)?,
        DbConnection::Sqlite(c) => diesel::sql_query(UPSERT.replace("{a}", "?").replace("{d}", "?"))
            .bind::<Text, _>(prefix)
            .bind::<Text, _>(day)
            .get_result(c)?,
    };
    Ok(value.last)
}

/// A statement written with `{1}`, `{2}`, `{3}` for its parameters, in a backend's syntax.
fn placeholders(template: &str, marks: [&str; 3]) -> String {
    template.replace("{1}", marks[0]).replace("{2}", marks[1]).replace("{3}", marks[2])
}

/// The report counters' columns, in the order of `records::counters::contribution::Counts::as_array`.
pub const REPORT_COUNT_COLUMNS: [&str; 19] = [
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
];

/// Add `values` to one row of the report counters, creating it if needed: an upsert that adds, so
/// that concurrent writes on PostgreSQL add up instead of colliding. Backend-specific only for
/// the placeholder syntax.
pub fn add_report_counts(
    conn: &mut DbConnection,
    grain: &str,
    agency_id: &str,
    bucket: chrono::NaiveDate,
    procedure_id: &str,
    responsible: &str,
    values: &[i64; 19],
) -> QueryResult<()> {
    use diesel::sql_types::{BigInt, Date, Text};
    let columns = REPORT_COUNT_COLUMNS.join(", ");
    let updates: Vec<String> =
        REPORT_COUNT_COLUMNS.iter().map(|c| format!("{c} = report_counts.{c} + excluded.{c}")).collect();
    let statement = |mark: &dyn Fn(usize) -> String| {
        let marks: Vec<String> = (1..=24).map(mark).collect();
        format!(
            "INSERT INTO report_counts (grain, agency_id, bucket, procedure_id, responsible, {columns}) VALUES ({}) \
             ON CONFLICT (grain, agency_id, bucket, procedure_id, responsible) DO UPDATE SET {}",
            marks.join(", "),
            updates.join(", ")
        )
    };
    macro_rules! run {
        ($c:expr, $sql:expr) => {{
            let mut query = diesel::sql_query($sql)
                .into_boxed()
                .bind::<Text, _>(grain)
                .bind::<Text, _>(agency_id)
                .bind::<Date, _>(bucket)
                .bind::<Text, _>(procedure_id)
                .bind::<Text, _>(responsible);
            for value in values {
                query = query.bind::<BigInt, _>(*value);
            }
            query.execute($c)
        }};
    }
    match conn {
        DbConnection::Postgres(c) => run!(c, statement(&|i| format!("${i}"))),
        DbConnection::Sqlite(c) => run!(c, statement(&|_| "?".to_owned())),
    }
    .map(|_| ())
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
    match conn {
        DbConnection::Postgres(c) => diesel::sql_query(placeholders(UPSERT, ["$1", "$2", "$3"]))
            .bind::<Text, _>(agency_id)
            .bind::<Text, _>(week)
            .bind::<Timestamp, _>(at)
            .execute(c),
        DbConnection::Sqlite(c) => diesel::sql_query(placeholders(UPSERT, ["?", "?", "?"]))
            .bind::<Text, _>(agency_id)
            .bind::<Text, _>(week)
            .bind::<Timestamp, _>(at)
            .execute(c),
    }
    .map(|_| ())
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
    match conn {
        DbConnection::Postgres(c) => diesel::sql_query(placeholders(UPSERT, ["$1", "$2", "$3"]))
            .bind::<Text, _>(agency_id)
            .bind::<BigInt, _>(working_days)
            .bind::<Timestamp, _>(at)
            .execute(c),
        DbConnection::Sqlite(c) => diesel::sql_query(placeholders(UPSERT, ["?", "?", "?"]))
            .bind::<Text, _>(agency_id)
            .bind::<BigInt, _>(working_days)
            .bind::<Timestamp, _>(at)
            .execute(c),
    }
    .map(|_| ())
}

#[derive(diesel::QueryableByName)]
struct Horizon {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    xmin: i64,
}

/// On PostgreSQL, the id of the oldest transaction still running (or of the next one, when none
/// is): every transaction with a smaller id has ended, so the outbox events they wrote are final
/// (see `integration::events`). `None` on SQLite, whose single writer commits ids in order.
pub fn running_transactions_horizon(conn: &mut DbConnection) -> QueryResult<Option<i64>> {
    match conn {
        DbConnection::Postgres(c) => {
            let horizon: Horizon =
                diesel::sql_query("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS xmin")
                    .get_result(c)?;
            Ok(Some(horizon.xmin))
        }
        DbConnection::Sqlite(_) => Ok(None),
    }
}

/// The outbox events after the feed position `(tx, id)`, written so that each database reads a
/// range of the `(tx, id)` index from there: the plain `tx > a OR (tx = a AND id > b)` makes both
/// scan the index from its start, so every page would cost the whole feed before it. PostgreSQL
/// seeks on a row comparison; SQLite seeks on the first column only, but there every event has
/// `tx` 0 (see [`running_transactions_horizon`]), so the feed is one run ordered by id.
pub fn outbox_after(
    conn: &DbConnection,
    tx: i64,
    id: i64,
) -> Box<dyn BoxableExpression<schema::outbox_events::table, MultiBackend, SqlType = diesel::sql_types::Bool>>
{
    use diesel::sql_types::{BigInt, Bool};
    use schema::outbox_events;
    match conn {
        DbConnection::Postgres(_) => Box::new(
            diesel::dsl::sql::<Bool>("(tx, id) > (")
                .bind::<BigInt, _>(tx)
                .sql(", ")
                .bind::<BigInt, _>(id)
                .sql(")"),
        ),
        DbConnection::Sqlite(_) => Box::new(outbox_events::tx.eq(tx).and(outbox_events::id.gt(id))),
    }
}

/// A transaction that writes. On SQLite it starts with `BEGIN IMMEDIATE`, taking the write lock
/// up front: a deferred transaction that reads and then writes fails with "database is locked"
/// when another writer got in between, without waiting for the busy timeout.
pub fn write_transaction<T, E, F>(conn: &mut DbConnection, f: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    let DbConnection::Sqlite(inner) = conn else {
        return conn.transaction(f);
    };
    AnsiTransactionManager::begin_transaction_sql(inner, "BEGIN IMMEDIATE")?;
    type Manager = <DbConnection as Connection>::TransactionManager;
    match f(conn) {
        Ok(value) => match Manager::commit_transaction(conn) {
            Ok(()) => Ok(value),
            Err(commit_error) => {
                let _ = Manager::rollback_transaction(conn);
                Err(commit_error.into())
            }
        },
        Err(error) => {
            Manager::rollback_transaction(conn)?;
            Err(error)
        }
    }
}

/// The pool as handlers use it: every query runs on the blocking thread pool, never on the
/// event loop, and a pool that cannot hand out a connection answers 503.
#[derive(Clone)]
pub struct Db {
    pool: DbPool,
}

impl Db {
    pub fn new(pool: DbPool) -> Self {
        Self { pool }
    }

    pub fn pool(&self) -> &DbPool {
        &self.pool
    }

    pub async fn run<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        let pool = self.pool.clone();
        actix_web::web::block(move || {
            let mut conn = pool.get().map_err(|e| ApiError::Unavailable(e.into()))?;
            f(&mut conn)
        })
        .await
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("blocking task failed: {e}")))?
    }

    /// Like [`Db::run`], inside one write transaction.
    pub async fn write<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        self.run(move |conn| write_transaction(conn, f)).await
    }
}

/// Insert many rows in one statement: diesel's multi-backend connection cannot express a batch
/// insert, so the statement is built for the backend at hand (the same code for both).
macro_rules! insert_batch {
    ($conn:expr, $table:expr, $rows:expr) => {
        match $conn {
            $crate::db::DbConnection::Postgres(c) => diesel::insert_into($table).values($rows).execute(c),
            $crate::db::DbConnection::Sqlite(c) => diesel::insert_into($table).values($rows).execute(c),
        }
    };
}
pub(crate) use insert_batch;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes_pick_the_backend() {
        assert_eq!("sqlite://motcua.db".parse::<DatabaseUrl>(), Ok(DatabaseUrl::Sqlite("motcua.db".into())));
        assert_eq!(
            "sqlite:///var/lib/motcua.db".parse::<DatabaseUrl>(),
            Ok(DatabaseUrl::Sqlite("/var/lib/motcua.db".into()))
        );
        assert!(matches!("postgresql://u@h/db".parse::<DatabaseUrl>(), Ok(DatabaseUrl::Postgres(_))));
        assert_eq!(
            "mysql://u@h/db".parse::<DatabaseUrl>(),
            Err(DatabaseUrlError::UnknownScheme("mysql".into()))
        );
        assert_eq!("motcua.db".parse::<DatabaseUrl>(), Err(DatabaseUrlError::NoScheme));
        assert!(matches!("sqlite://:memory:".parse::<DatabaseUrl>(), Err(DatabaseUrlError::InMemory(_))));
    }

    #[test]
    fn display_hides_the_password() {
        let url: DatabaseUrl = "postgres://app:s3cret@db.local:5432/motcua?sslmode=require".parse().unwrap();
        let shown = url.to_string();
        assert!(!shown.contains("s3cret"), "{shown}");
        assert!(shown.contains("db.local"), "{shown}");
    }

    #[test]
    fn connect_timeout_is_added_once() {
        assert_eq!(with_connect_timeout("postgres://h/db"), "postgres://h/db?connect_timeout=3");
        assert_eq!(
            with_connect_timeout("postgres://h/db?sslmode=disable"),
            "postgres://h/db?sslmode=disable&connect_timeout=3"
        );
        assert_eq!(
            with_connect_timeout("postgres://h/db?connect_timeout=9"),
            "postgres://h/db?connect_timeout=9"
        );
    }

    /// Both folders must hold the same migration versions, or one backend silently lacks a table.
    #[test]
    fn both_backends_have_the_same_migrations() {
        let versions = |dir: &str| {
            let mut names: Vec<String> = std::fs::read_dir(dir)
                .unwrap()
                .map(|e| e.unwrap().file_name().into_string().unwrap())
                .filter(|n| !n.starts_with('.'))
                .collect();
            names.sort();
            names
        };
        let root = env!("CARGO_MANIFEST_DIR");
        let sqlite = versions(&format!("{root}/migrations/sqlite"));
        let postgres = versions(&format!("{root}/migrations/postgres"));
        assert!(!sqlite.is_empty());
        assert_eq!(sqlite, postgres, "migrations/sqlite and migrations/postgres differ");
    }
}
