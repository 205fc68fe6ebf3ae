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

#[cfg(test)]
mod tests {
    use super::*;

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
