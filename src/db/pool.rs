//! The connection pool: our own r2d2 manager, which opens the backend the URL names.

use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::r2d2::{self, ManageConnection, Pool, PooledConnection};

use super::{DatabaseUrl, DbConnection};

/// How long a new connection may take before we give up (seconds). Without it libpq waits for
/// the OS TCP timeout and r2d2 for 30 s when the server is down.
const CONNECT_TIMEOUT_SECS: u64 = 3;
/// How long an SQLite writer waits for the lock before failing with "database is locked".
const SQLITE_BUSY_TIMEOUT_MS: u64 = 5_000;

/// When SQLite makes a commit durable (`PRAGMA synchronous`, in WAL mode). PostgreSQL has its own
/// setting on the server (`synchronous_commit`, on by default) and ignores this one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum SqliteSynchronous {
    /// The write-ahead log is synced to disk at every commit: a write the service acknowledged
    /// survives a power cut or an OS crash.
    #[default]
    Full,
    /// The log is synced only at checkpoints: faster commits, and a killed process still loses
    /// nothing, but a power cut or an OS crash can undo the last acknowledged commits.
    Normal,
}

impl SqliteSynchronous {
    /// The PRAGMA's value, as SQLite reports it back (`PRAGMA synchronous` answers 2 or 1).
    pub fn level(self) -> i32 {
        match self {
            Self::Full => 2,
            Self::Normal => 1,
        }
    }
}

/// The r2d2 manager: opens a connection of the backend the URL names and keeps its real error.
#[derive(Debug, Clone)]
pub struct ConnectionManager {
    url: DatabaseUrl,
    sqlite_synchronous: SqliteSynchronous,
}

impl ConnectionManager {
    pub fn new(url: DatabaseUrl, sqlite_synchronous: SqliteSynchronous) -> Self {
        Self { url, sqlite_synchronous }
    }
}

pub(super) fn with_connect_timeout(raw: &str) -> String {
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
                // WAL lets readers run beside the one writer. Set on every connection: SQLite
                // keeps `synchronous` per connection, not in the file.
                conn.batch_execute(&format!(
                    "PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS};
                     PRAGMA journal_mode = WAL;
                     PRAGMA synchronous = {};
                     PRAGMA foreign_keys = ON;",
                    self.sqlite_synchronous.level()
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
    pub sqlite_synchronous: SqliteSynchronous,
}

impl Default for PoolOptions {
    fn default() -> Self {
        Self {
            max_size: 10,
            acquire_timeout: Duration::from_secs(5),
            sqlite_synchronous: SqliteSynchronous::default(),
        }
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
    let manager = ConnectionManager::new(url.clone(), options.sqlite_synchronous);
    if matches!(url, DatabaseUrl::Sqlite(_)) && options.sqlite_synchronous == SqliteSynchronous::Normal {
        tracing::info!("SQLite synchronous = NORMAL: a power cut may undo the last acknowledged commits");
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(QueryableByName)]
    struct Synchronous {
        #[diesel(sql_type = diesel::sql_types::Integer)]
        synchronous: i32,
    }

    /// `PRAGMA synchronous` of `count` connections held at once from a pool on a new SQLite file.
    fn synchronous_levels(options: PoolOptions, count: usize) -> Vec<i32> {
        let dir = tempfile::tempdir().unwrap();
        let url: DatabaseUrl = format!("sqlite://{}", dir.path().join("sync.db").display()).parse().unwrap();
        let pool = build_pool(&url, &options).unwrap();
        let mut held: Vec<PooledConn> = (0..count).map(|_| pool.get().unwrap()).collect();
        held.iter_mut()
            .map(|conn| {
                let row: Synchronous =
                    diesel::sql_query("PRAGMA synchronous").get_result(&mut **conn).unwrap();
                row.synchronous
            })
            .collect()
    }

    /// Issue 21, item 7: an acknowledged write must survive a power cut on the default settings.
    #[test]
    fn sqlite_syncs_every_commit_unless_told_otherwise() {
        assert_eq!(synchronous_levels(PoolOptions::default(), 3), [2, 2, 2], "FULL on every connection");
        let normal = PoolOptions { sqlite_synchronous: SqliteSynchronous::Normal, ..Default::default() };
        assert_eq!(synchronous_levels(normal, 3), [1, 1, 1], "NORMAL only when asked for");
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
}
