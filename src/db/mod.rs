//! The database layer: one connection type over SQLite and PostgreSQL.
//!
//! The backend is chosen from the URL scheme by our own r2d2 manager rather than by the
//! `MultiConnection` derive's `establish`, which tries PostgreSQL then SQLite and swallows the
//! error (a mistyped PostgreSQL URL would silently create a SQLite file). Backend-specific SQL
//! lives only in this module, behind a `match` on [`DbConnection`].

mod feed;
pub mod filters;
mod pool;
mod reads;
pub mod schema;
mod upsert;
mod url;

use diesel::connection::{AnsiTransactionManager, TransactionManager};
use diesel::prelude::*;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

pub use self::feed::{outbox_after, running_transactions_horizon};
pub use self::pool::{
    ConnectionManager, DbPool, PoolOptions, PooledConn, SqliteSynchronous, build_pool, ping,
};
pub use self::upsert::{
    CountsDelta, REPORT_COUNT_COLUMNS, add_report_counts, next_sequence, upsert_feedback_limit,
    upsert_schedule,
};
pub use self::url::{DatabaseUrl, DatabaseUrlError};
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

/// SQLite's page cache for a connection that fills large tables ([`bulk_cache`]): 1 GiB, in KiB.
const SQLITE_BULK_CACHE_KIB: i64 = 1 << 20;
/// SQLite's default page cache (2 MiB), in KiB.
const SQLITE_DEFAULT_CACHE_KIB: i64 = 2_000;

/// Give a connection that is about to write millions of rows in one transaction (`generate`) a
/// page cache of 1 GiB on SQLite, or back the default 2 MiB (`large = false`). With the default,
/// the pages of a dozen indexes being filled at random places leave the cache and are read and
/// written again and again once the tables outgrow it. PostgreSQL's cache is the server's: nothing
/// to do there.
pub fn bulk_cache(conn: &mut DbConnection, large: bool) -> QueryResult<()> {
    let DbConnection::Sqlite(c) = conn else { return Ok(()) };
    let kib = if large { SQLITE_BULK_CACHE_KIB } else { SQLITE_DEFAULT_CACHE_KIB };
    diesel::connection::SimpleConnection::batch_execute(c, &format!("PRAGMA cache_size = -{kib}"))
}

pub use diesel_async::AsyncPgConnection;

/// The pool as handlers use it: every query runs on the blocking thread pool, never on the
/// event loop, except the hot reads on PostgreSQL ([`Db::read`], async); a pool that cannot hand
/// out a connection answers 503.
#[derive(Clone)]
pub struct Db {
    pool: DbPool,
    /// PostgreSQL only: the async pool of [`Db::read`].
    postgres: Option<reads::AsyncPool>,
}

impl Db {
    /// The handle over `pool`, with the async pool of the hot reads beside it on PostgreSQL (of
    /// the same size and acquire timeout; opened lazily).
    pub fn new(pool: DbPool, url: &DatabaseUrl) -> Self {
        let postgres = match url {
            DatabaseUrl::Postgres(raw) => Some(
                reads::AsyncPool::new(
                    pool::with_connect_timeout(raw),
                    pool.max_size() as usize,
                    pool.connection_timeout(),
                )
                .expect("a pool without a runtime-bound timeout builds"),
            ),
            DatabaseUrl::Sqlite(_) => None,
        };
        Self { pool, postgres }
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

/// Insert a large slice of rows as fast as the backend takes them: one binary `COPY ... FROM
/// STDIN` on PostgreSQL (no SQL to parse, no parameters to bind, several times the rate of
/// multi-row INSERTs), multi-row INSERTs of `$per_statement` rows on SQLite, which has no COPY and
/// binds at most 32,766 parameters a statement. For bulk writers (`generate`, counter rebuilds),
/// not for the service's own writes.
macro_rules! bulk_insert {
    ($conn:expr, $table:expr, $rows:expr, $per_statement:expr) => {
        match $conn {
            $crate::db::DbConnection::Postgres(c) => {
                use diesel::ExecuteCopyFromDsl;
                diesel::copy_from($table).from_insertable($rows).execute(c)
            }
            $crate::db::DbConnection::Sqlite(c) => $rows
                .chunks($per_statement)
                .try_fold(0, |n, chunk| diesel::insert_into($table).values(chunk).execute(c).map(|m| n + m)),
        }
    };
}
pub(crate) use bulk_insert;

#[cfg(test)]
mod tests {
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
