use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Nullable};

use super::lifecycle::Status;
use super::row::DossierRow;
use crate::db::filters::{narrow, newest_first};
use crate::db::schema::{agencies, dossier_hops, dossiers, outbox_events};
use crate::db::{AsyncPgConnection, DbConnection};

/// The row as written: with its last report event stamped.
fn stamped(row: &DossierRow) -> DossierRow {
    DossierRow { last_event_at: Some(row.last_event()), ..row.clone() }
}

#[tracing::instrument(level = "debug", skip_all, fields(dossier_id = ?row.id))]
pub fn insert(conn: &mut DbConnection, row: &DossierRow) -> QueryResult<()> {
    diesel::insert_into(dossiers::table).values(&stamped(row)).execute(conn).map(|_| ())
}

#[tracing::instrument(level = "debug", skip(conn))]
pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Option<DossierRow>> {
    dossiers::table.find(id).select(DossierRow::as_select()).first(conn).optional()
}

/// The dossier with its agency (whose path decides who sees it): one round trip.
#[diesel::dsl::auto_type(no_type_alias)]
fn with_agency<'a>(id: &'a str) -> _ {
    dossiers::table.inner_join(agencies::table).filter(dossiers::id.eq(id))
}

/// The dossier and its agency's path.
#[tracing::instrument(level = "debug", skip(conn))]
pub fn find_with_agency_path(conn: &mut DbConnection, id: &str) -> QueryResult<Option<(DossierRow, String)>> {
    with_agency(id).select((DossierRow::as_select(), agencies::path)).first(conn).optional()
}

/// [`find_with_agency_path`] on PostgreSQL's async path (`db::Db::read`).
#[tracing::instrument(level = "debug", skip(conn))]
pub async fn find_with_agency_path_async(
    conn: &mut AsyncPgConnection,
    id: &str,
) -> QueryResult<Option<(DossierRow, String)>> {
    let query = with_agency(id).select((DossierRow::as_select(), agencies::path));
    diesel_async::RunQueryDsl::first(query, conn).await.optional()
}

#[tracing::instrument(level = "debug", skip_all)]
pub fn find_by_code(conn: &mut DbConnection, code: &str) -> QueryResult<Option<DossierRow>> {
    dossiers::table.filter(dossiers::code.eq(code)).select(DossierRow::as_select()).first(conn).optional()
}

#[tracing::instrument(level = "debug", skip(conn))]
pub fn find_by_external_ref(
    conn: &mut DbConnection,
    agency_id: &str,
    external_ref: &str,
) -> QueryResult<Option<String>> {
    dossiers::table
        .filter(dossiers::agency_id.eq(agency_id))
        .filter(dossiers::external_ref.eq(external_ref))
        .select(dossiers::id)
        .first(conn)
        .optional()
}

/// Write every column of the row back (a forgotten column in a hand-written list once lost the
/// reception digitization snapshot), if nobody changed the dossier since `expected_version`. False
/// when somebody did: the caller answers 409 rather than overwrite their change. The portal's
/// acknowledgement is such a change although it keeps the version (it moves the report's count
/// of synced dossiers, which the caller's counters would otherwise get wrong): its column, which
/// the write carries unchanged from the read, must still be as read.
#[tracing::instrument(level = "debug", skip_all, fields(dossier_id = ?row.id, expected_version = expected_version))]
pub fn update(conn: &mut DbConnection, row: &DossierRow, expected_version: i64) -> QueryResult<bool> {
    use diesel::sql_types::{BigInt, Bool};
    // Never a version (they start at 1): what "not synced" compares as.
    const NONE: i64 = -1;
    let synced_as_read = diesel::dsl::sql::<Bool>(&format!("COALESCE(portal_synced_version, {NONE}) = "))
        .bind::<BigInt, _>(row.portal_synced_version.unwrap_or(NONE));
    let updated = diesel::update(
        dossiers::table.find(&row.id).filter(dossiers::version.eq(expected_version)).filter(synced_as_read),
    )
    .set(&stamped(row))
    .execute(conn)?;
    Ok(updated == 1)
}

/// Hold the dossier's row to the end of the transaction, before reading it: a write that
/// queues behind another then reads its result instead of losing the version race (409). On
/// PostgreSQL an update that changes nothing takes the row lock; on SQLite the write
/// transaction already holds the database.
pub fn hold(conn: &mut DbConnection, id: &str) -> QueryResult<()> {
    diesel::update(dossiers::table.find(id))
        .set(dossiers::version.eq(dossiers::version))
        .execute(conn)
        .map(|_| ())
}

/// The outbox event types written for a dossier, in order (for tests and the feed).
pub fn event_types_of(conn: &mut DbConnection, dossier_id: &str) -> QueryResult<Vec<String>> {
    outbox_events::table
        .filter(outbox_events::aggregate_id.eq(dossier_id))
        .order(outbox_events::id.asc())
        .select(outbox_events::event_type)
        .load(conn)
}

#[derive(Default, Clone)]
pub struct ListFilter {
    /// Citizens: only their own.
    pub owner_id: Option<String>,
    pub status: Option<&'static str>,
    pub agency_id: Option<String>,
    pub procedure_id: Option<String>,
    pub channel: Option<&'static str>,
    pub accepted_from: Option<NaiveDateTime>,
    pub accepted_to: Option<NaiveDateTime>,
    /// Some(now): open and due before now; for `overdue=false`, the opposite.
    pub overdue: Option<(bool, NaiveDateTime)>,
    pub due_before: Option<NaiveDateTime>,
    pub assignee_id: Option<String>,
    pub code: Option<String>,
    pub name_words: Vec<String>,
}

const OPEN: [&str; 4] = Status::OPEN_TEXT;

/// Which dossiers of a scope a list query reads (`list`'s module doc says why three).
#[derive(Debug)]
pub enum Reach<'a> {
    /// Every agency's (a system administrator), or a citizen's own (`owner_id`).
    All,
    /// Those received by one of these agencies.
    Received(&'a [String]),
    /// Those received by one of these agencies or sent on to one of them.
    ReceivedOrSentTo(&'a [String]),
    /// Those sent on to this agency by another one.
    SentFrom(&'a str),
}

/// The query of a list page for `$backend`: the same query on the blocking path ([`list`]) and on
/// PostgreSQL's async one ([`list_async`]); a boxed query is typed by its backend.
macro_rules! list_query {
    ($backend:ty, $filter:expr, $reach:expr, $after:expr, $limit:expr) => {{
        type Predicate = Box<dyn BoxableExpression<dossiers::table, $backend, SqlType = Nullable<Bool>>>;
        // The dossier was sent on to this agency: its id between spaces in `chain_agencies`.
        let sent_to =
            |agency_id: &str| -> Predicate { Box::new(dossiers::chain_agencies.like(format!("% {agency_id} %"))) };
        let filter: &ListFilter = $filter;
        let mut query = dossiers::table.select(DossierRow::as_select()).into_boxed::<$backend>();
        match $reach {
            Reach::All => {}
            // A scope of one agency (a commune's officer) as an equality, which the planner walks
            // in order on (agency_id, submitted_at, id); as `= ANY` it sorts the agency's whole
            // history.
            Reach::Received([one]) => query = query.filter(dossiers::agency_id.eq(one.clone())),
            Reach::Received(many) => query = query.filter(dossiers::agency_id.eq_any(many.to_vec())),
            // Tested on the row in the walk of dossiers_submitted_idx; the LIKEs run only for the
            // rows of other agencies, and on a null for those never sent on.
            Reach::ReceivedOrSentTo(many) => {
                let received: Predicate = Box::new(dossiers::agency_id.eq_any(many.to_vec()).nullable());
                query = query.filter(
                    many.iter().map(|id| sent_to(id)).fold(received, |any, one| Box::new(any.or(one))),
                );
            }
            // Through the hops' index on to_agency_id: the agency's own incoming, not every row.
            Reach::SentFrom(agency) => {
                let incoming = dossier_hops::table
                    .filter(dossier_hops::to_agency_id.eq(agency.to_owned()))
                    .select(dossier_hops::dossier_id);
                query = query
                    .filter(dossiers::id.eq_any(incoming))
                    .filter(dossiers::agency_id.ne(agency.to_owned()));
            }
        }
        narrow!(query;
            dossiers::owner_id => eq(filter.owner_id.clone()),
            dossiers::status => eq(filter.status),
            dossiers::agency_id => eq(filter.agency_id.clone()),
            dossiers::procedure_id => eq(filter.procedure_id.clone()),
            dossiers::channel => eq(filter.channel),
            dossiers::accepted_at => ge(filter.accepted_from),
            dossiers::accepted_at => lt(filter.accepted_to),
            dossiers::due_at => lt(filter.due_before),
            dossiers::assignee_id => eq(filter.assignee_id.clone()),
            dossiers::code => eq(filter.code.clone()),
        );
        match filter.overdue {
            Some((true, now)) => {
                query = query.filter(dossiers::status.eq_any(OPEN)).filter(dossiers::due_at.lt(now))
            }
            Some((false, now)) => {
                query = query.filter(
                    dossiers::status.ne_all(OPEN).or(dossiers::due_at.is_null()).or(dossiers::due_at.ge(now)),
                )
            }
            None => {}
        }
        for word in &filter.name_words {
            query = query.filter(dossiers::applicant_name_folded.like(format!("%{word}%")));
        }
        newest_first!(query, dossiers::submitted_at, dossiers::id, $after, $limit)
    }};
}

/// Dossiers newest first by (submitted_at, id), after the cursor's position.
#[tracing::instrument(level = "debug", skip_all)]
pub fn list(
    conn: &mut DbConnection,
    filter: &ListFilter,
    reach: Reach,
    after: Option<(NaiveDateTime, String)>,
    limit: i64,
) -> QueryResult<Vec<DossierRow>> {
    list_query!(<DbConnection as diesel::Connection>::Backend, filter, reach, after, limit).load(conn)
}

/// [`list`] on PostgreSQL's async path (`db::Db::read`).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn list_async(
    conn: &mut AsyncPgConnection,
    filter: &ListFilter,
    reach: Reach<'_>,
    after: Option<(NaiveDateTime, String)>,
    limit: i64,
) -> QueryResult<Vec<DossierRow>> {
    diesel_async::RunQueryDsl::load(list_query!(diesel::pg::Pg, filter, reach, after, limit), conn).await
}

/// One hop of a dossier's chain (liên thông) as stored.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = dossier_hops)]
pub struct HopRow {
    pub dossier_id: String,
    pub seq: i64,
    pub from_agency_id: String,
    pub to_agency_id: String,
    pub sent_at: NaiveDateTime,
    pub sent_by: String,
    pub note: Option<String>,
    pub returned_at: Option<NaiveDateTime>,
}

/// The dossier's hops, in order.
pub fn hops(conn: &mut DbConnection, dossier_id: &str) -> QueryResult<Vec<HopRow>> {
    dossier_hops::table
        .filter(dossier_hops::dossier_id.eq(dossier_id))
        .order(dossier_hops::seq.asc())
        .select(HopRow::as_select())
        .load(conn)
}

/// The agencies a dossier was transferred to, as (id, path): who else sees it.
#[diesel::dsl::auto_type(no_type_alias)]
fn hop_agencies<'a>(dossier_id: &'a str) -> _ {
    dossier_hops::table
        .inner_join(agencies::table.on(agencies::id.eq(dossier_hops::to_agency_id)))
        .filter(dossier_hops::dossier_id.eq(dossier_id))
        .select((agencies::id, agencies::path))
}

/// The (id, path) of each agency the dossier went to.
pub fn hop_agency_paths(conn: &mut DbConnection, dossier_id: &str) -> QueryResult<Vec<(String, String)>> {
    hop_agencies(dossier_id).load(conn)
}

/// [`hop_agency_paths`] on PostgreSQL's async path.
pub async fn hop_agency_paths_async(
    conn: &mut AsyncPgConnection,
    dossier_id: &str,
) -> QueryResult<Vec<(String, String)>> {
    diesel_async::RunQueryDsl::load(hop_agencies(dossier_id), conn).await
}

/// Add the next hop of the chain, and its agency to the dossier's `chain_agencies` (what the
/// plain list tests, `list`).
pub fn insert_hop(conn: &mut DbConnection, hop: &HopRow) -> QueryResult<()> {
    diesel::insert_into(dossier_hops::table).values(hop).execute(conn)?;
    let agencies: Vec<String> = hops(conn, &hop.dossier_id)?.into_iter().map(|h| h.to_agency_id).collect();
    diesel::update(dossiers::table.find(&hop.dossier_id))
        .set(dossiers::chain_agencies.eq(format!(" {} ", agencies.join(" "))))
        .execute(conn)
        .map(|_| ())
}

/// The result came back to the desk at `at`: every hop still out is closed.
pub fn close_hops(conn: &mut DbConnection, dossier_id: &str, at: NaiveDateTime) -> QueryResult<()> {
    diesel::update(
        dossier_hops::table
            .filter(dossier_hops::dossier_id.eq(dossier_id))
            .filter(dossier_hops::returned_at.is_null()),
    )
    .set(dossier_hops::returned_at.eq(at))
    .execute(conn)
    .map(|_| ())
}

/// Open dossiers of the given agencies, for the worklists: at most `limit`, due first.
#[tracing::instrument(level = "debug", skip_all)]
pub fn open_dossiers(
    conn: &mut DbConnection,
    agency_ids: Option<&[String]>,
    status: &[&str],
    limit: i64,
    held: bool,
) -> QueryResult<Vec<DossierRow>> {
    let mut query = dossiers::table
        .select(DossierRow::as_select())
        .filter(dossiers::status.eq_any(status.to_vec()))
        .into_boxed();
    match (agency_ids, held) {
        (Some(ids), true) => query = query.filter(dossiers::holder_agency_id.eq_any(ids.to_vec())),
        (None, true) => query = query.filter(dossiers::holder_agency_id.is_not_null()),
        (Some(ids), false) => query = query.filter(dossiers::agency_id.eq_any(ids.to_vec())),
        (None, false) => {}
    }
    query.order((dossiers::due_at.asc(), dossiers::submitted_at.asc())).limit(limit).load(conn)
}
