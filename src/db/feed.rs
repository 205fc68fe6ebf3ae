//! Reading the outbox as a feed: where it is final, and where a page starts.

use diesel::prelude::*;

use super::{DbConnection, MultiBackend, schema};

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
