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

/// One secondary index as the database itself describes it: its name and the statement that
/// creates it (PostgreSQL's `pg_get_indexdef`, SQLite's `sqlite_master.sql`).
#[derive(diesel::QueryableByName, Debug, Clone, PartialEq, Eq)]
pub struct IndexDefinition {
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub name: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub definition: String,
}

/// The indexes of `tables` that a bulk load may drop and create again: every one that no
/// constraint owns or uses (not a primary key, a `UNIQUE` constraint or the target of a foreign
/// key), in name order. The definitions are read from the catalogue, so that what is created again
/// is exactly what the migrations made.
pub fn secondary_indexes(conn: &mut DbConnection, tables: &[&str]) -> QueryResult<Vec<IndexDefinition>> {
    use diesel::sql_types::{Array, Text};
    let tables: Vec<String> = tables.iter().map(|t| (*t).to_owned()).collect();
    match conn {
        DbConnection::Postgres(c) => diesel::sql_query(
            "SELECT quote_ident(c.relname) AS name, pg_get_indexdef(c.oid) AS definition
             FROM pg_index i
             JOIN pg_class c ON c.oid = i.indexrelid
             JOIN pg_class t ON t.oid = i.indrelid
             WHERE t.relnamespace = current_schema()::regnamespace AND t.relname = ANY($1)
               AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
             ORDER BY c.relname",
        )
        .bind::<Array<Text>, _>(tables)
        .load(c),
        // Indexes made by a PRIMARY KEY or UNIQUE constraint have no `sql`.
        DbConnection::Sqlite(c) => diesel::sql_query(
            "SELECT '\"' || replace(name, '\"', '\"\"') || '\"' AS name, sql AS definition
             FROM sqlite_master
             WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (SELECT value FROM json_each(?))
             ORDER BY name",
        )
        .bind::<Text, _>(serde_json::to_string(&tables).unwrap_or_default())
        .load(c),
    }
}

/// For a bulk load inside a transaction: drop the secondary indexes of `tables`
/// ([`secondary_indexes`]) and answer them, for [`create_indexes`] to build again once the rows
/// are in. One sorted build per index costs a fraction of keeping it up to date row by row
/// (random places in a dozen B-trees). Both databases roll the DDL back with the transaction.
/// On PostgreSQL this locks the tables against every reader until the commit.
pub fn drop_secondary_indexes(conn: &mut DbConnection, tables: &[&str]) -> QueryResult<Vec<IndexDefinition>> {
    let indexes = secondary_indexes(conn, tables)?;
    for index in &indexes {
        diesel::sql_query(format!("DROP INDEX {}", index.name)).execute(conn)?;
    }
    Ok(indexes)
}

/// Create the indexes [`drop_secondary_indexes`] dropped, from their own definitions; on
/// PostgreSQL with 512 MB to sort in (for this transaction only).
pub fn create_indexes(conn: &mut DbConnection, indexes: &[IndexDefinition]) -> QueryResult<()> {
    if let DbConnection::Postgres(c) = conn {
        diesel::sql_query("SET LOCAL maintenance_work_mem = '512MB'").execute(c)?;
    }
    for index in indexes {
        diesel::sql_query(&index.definition).execute(conn)?;
    }
    Ok(())
}

/// A constraint of a table, as PostgreSQL describes it (`pg_get_constraintdef`).
#[derive(diesel::QueryableByName, Debug, Clone, PartialEq, Eq)]
pub struct Constraint {
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub relation: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub name: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub definition: String,
}

/// For a bulk load inside a transaction, on PostgreSQL: drop the keys of `tables` — primary,
/// unique and foreign, and the foreign keys of other tables that point at them — and answer them
/// in the order [`add_constraints`] adds them back. A foreign key otherwise costs a look-up query
/// per row (a trigger), and a key on random values (ids, dossier codes) an insert at a random
/// place of its B-tree; added back, each key is one sorted build or one join that checks every row.
/// The CHECK and NOT NULL constraints stay (they cost nothing). Locks the tables and those whose
/// keys it drops against every reader until the commit.
///
/// SQLite checks a foreign key with a look-up in the parent's B-tree and cannot drop a
/// constraint: nothing there.
pub fn drop_constraints(conn: &mut DbConnection, tables: &[&str]) -> QueryResult<Vec<Constraint>> {
    use diesel::sql_types::{Array, Text};
    let DbConnection::Postgres(c) = conn else { return Ok(Vec::new()) };
    let tables: Vec<String> = tables.iter().map(|t| (*t).to_owned()).collect();
    // Added back in this order: the unique keys first, then the foreign keys that need them.
    let constraints: Vec<Constraint> = diesel::sql_query(
        "SELECT quote_ident(t.relname) AS relation, quote_ident(k.conname) AS name,
                pg_get_constraintdef(k.oid) AS definition
         FROM pg_constraint k JOIN pg_class t ON t.oid = k.conrelid
         WHERE t.relnamespace = current_schema()::regnamespace
           AND ((k.contype IN ('p', 'u', 'f') AND t.relname = ANY($1))
                OR (k.contype = 'f' AND k.confrelid IN
                    (SELECT oid FROM pg_class WHERE relnamespace = current_schema()::regnamespace
                     AND relname = ANY($1))))
         ORDER BY k.contype = 'f', t.relname, k.conname",
    )
    .bind::<Array<Text>, _>(tables)
    .load(c)?;
    for constraint in constraints.iter().rev() {
        diesel::sql_query(format!("ALTER TABLE {} DROP CONSTRAINT {}", constraint.relation, constraint.name))
            .execute(c)?;
    }
    Ok(constraints)
}

/// Add back the constraints [`drop_constraints`] dropped, in its order.
pub fn add_constraints(conn: &mut DbConnection, constraints: &[Constraint]) -> QueryResult<()> {
    for constraint in constraints {
        let Constraint { relation, name, definition } = constraint;
        diesel::sql_query(format!("ALTER TABLE {relation} ADD CONSTRAINT {name} {definition}"))
            .execute(conn)?;
    }
    Ok(())
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
/// multi-row INSERTs), multi-row INSERTs of `$per_statement` rows (a constant) on SQLite, which has
/// no COPY and binds at most 32,766 parameters a statement. Every full statement is the same
/// prepared one (diesel caches an insert of an array, not of a slice), so its SQL is parsed once.
/// For bulk writers (`generate`, counter rebuilds), not for the service's own writes.
macro_rules! bulk_insert {
    ($conn:expr, $table:expr, $rows:expr, $per_statement:expr) => {
        match $conn {
            $crate::db::DbConnection::Postgres(c) => {
                use diesel::ExecuteCopyFromDsl;
                diesel::copy_from($table).from_insertable($rows).execute(c)
            }
            $crate::db::DbConnection::Sqlite(c) => {
                let mut chunks = $rows.chunks_exact($per_statement);
                chunks
                    .by_ref()
                    .try_fold(0, |n, chunk| {
                        let chunk: &[_; $per_statement] =
                            chunk.try_into().expect("chunks_exact gives full chunks");
                        diesel::insert_into($table).values(chunk).execute(c).map(|m| n + m)
                    })
                    .and_then(|n| match chunks.remainder() {
                        [] => Ok(n),
                        rest => diesel::insert_into($table).values(rest).execute(c).map(|m| n + m),
                    })
            }
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
