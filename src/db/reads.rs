//! The hot reads on PostgreSQL, async: GET a dossier by id and the caller's account state run on
//! the event loop through `diesel-async` (tokio-postgres underneath, statements prepared once per
//! connection), with no hop to the blocking pool.
//!
//! Why: a read of one row by key is a few hundred microseconds of work in PostgreSQL, and the
//! hand-offs to and from the blocking pool cost as much again on two cores (issue 20: diesel on
//! `web::block` reached about 24 % of pgbench's select by key, tokio-postgres through a pool
//! about 50 %). SQLite keeps the blocking path: its connection is a library call, not a socket.
//!
//! [`Db::read`] is the one place that decides which path runs: a reader hands it the async
//! version (PostgreSQL) and the blocking one (SQLite), both built from the same diesel query
//! (`diesel_async::RunQueryDsl` runs what `diesel::RunQueryDsl` runs). Writes keep
//! [`Db::run`] / [`Db::write`] on both backends.
//!
//! Each HTTP worker has an async pool of its own beside the shared r2d2 pool ([`Db::for_worker`]),
//! of r2d2's size and opened lazily: it holds only the connections its worker's hot reads have
//! needed at once, each driven by that worker's event loop. A connection is recycled without a ping
//! (`RecyclingMethod::Fast`): one that the server closed is found closed and replaced. It opens
//! without TLS, as the blocking pool does unless the URL asks for it (`sslmode=require` is not
//! supported on this path).

use std::time::Duration;

use diesel_async::AsyncPgConnection;
use diesel_async::pooled_connection::deadpool::Pool;
use diesel_async::pooled_connection::{AsyncDieselConnectionManager, ManagerConfig, RecyclingMethod};

use super::{Db, DbConnection};
use crate::error::ApiError;

/// The async PostgreSQL pool of the hot reads.
#[derive(Clone)]
pub(super) struct AsyncPool {
    pool: Pool<AsyncPgConnection>,
    url: String,
    acquire_timeout: Duration,
}

impl AsyncPool {
    /// A pool of at most `max_size` connections to `url`; none is opened until a read needs it.
    pub(super) fn new(url: String, max_size: usize, acquire_timeout: Duration) -> anyhow::Result<Self> {
        let mut config = ManagerConfig::default();
        config.recycling_method = RecyclingMethod::Fast;
        let manager = AsyncDieselConnectionManager::new_with_config(url.clone(), config);
        let pool = Pool::builder(manager).max_size(max_size).build()?;
        Ok(Self { pool, url, acquire_timeout })
    }

    /// A new, empty pool with the same settings.
    fn fresh(&self) -> Self {
        Self::new(self.url.clone(), self.pool.status().max_size, self.acquire_timeout)
            .expect("the settings built a pool once")
    }
}

impl Db {
    /// The handle one HTTP worker serves with: the same blocking pool, and an async pool of its
    /// own, made on the worker's thread. An async connection is driven by a task on the event
    /// loop that opened it; shared between workers, a read on one worker's loop through a
    /// connection of another's woke that other thread twice a query (bench/README.md, session
    /// 14). Each worker's pool has the configured size and opens connections only as its own
    /// reads need them.
    pub fn for_worker(&self) -> Db {
        Db { pool: self.pool.clone(), postgres: self.postgres.as_ref().map(AsyncPool::fresh) }
    }

    /// A read: on PostgreSQL, `on_postgres` on an async connection (on the event loop); on
    /// SQLite, `blocking` on the blocking pool, as [`Db::run`]. Both say the same query. A pool
    /// that cannot hand out a connection within the acquire timeout answers 503, on both.
    pub async fn read<T, P, B>(&self, on_postgres: P, blocking: B) -> Result<T, ApiError>
    where
        P: AsyncFnOnce(&mut AsyncPgConnection) -> Result<T, ApiError>,
        B: FnOnce(&mut DbConnection) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        let Some(postgres) = &self.postgres else {
            return self.run(blocking).await;
        };
        let mut conn = match tokio::time::timeout(postgres.acquire_timeout, postgres.pool.get()).await {
            Ok(Ok(conn)) => conn,
            Ok(Err(error)) => {
                return Err(ApiError::Unavailable(anyhow::anyhow!("no database connection: {error}")));
            }
            Err(_) => {
                return Err(ApiError::Unavailable(anyhow::anyhow!(
                    "no database connection within {:?}",
                    postgres.acquire_timeout
                )));
            }
        };
        on_postgres(&mut conn).await
    }
}
