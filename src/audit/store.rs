//! The audit trail's queries: append rows, and read them back newest first. There is no update
//! or delete here, and the table's triggers refuse them from anywhere else.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::event::{ActorKind, Event};
use crate::clock;
use crate::db::DbConnection;
use crate::db::filters::{narrow, newest_first};
use crate::db::schema::{agencies, audit_events, service_accounts, users};

#[derive(Insertable)]
#[diesel(table_name = audit_events)]
struct NewRow<'a> {
    occurred_at: NaiveDateTime,
    action: &'static str,
    actor_kind: &'static str,
    actor_id: Option<&'a str>,
    actor_name: Option<&'a str>,
    actor_role: Option<&'static str>,
    client_address: Option<String>,
    subject_type: Option<&'static str>,
    subject_id: Option<&'a str>,
    agency_id: Option<&'a str>,
    details: String,
}

/// One row as stored.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = audit_events)]
pub struct Row {
    pub id: i64,
    pub occurred_at: NaiveDateTime,
    pub action: String,
    pub actor_kind: String,
    pub actor_id: Option<String>,
    pub actor_name: Option<String>,
    pub actor_role: Option<String>,
    pub client_address: Option<String>,
    pub subject_type: Option<String>,
    pub subject_id: Option<String>,
    pub agency_id: Option<String>,
    pub details: String,
}

/// Rows per statement: 11 parameters a row stays well under SQLite's 32,766.
const CHUNK: usize = 500;

/// Append events, in the caller's transaction when there is one. Actors named by id only get
/// their username (a person) or client id (a service account) looked up here, once per batch.
#[tracing::instrument(level = "debug", skip_all, fields(count = events.len()))]
pub fn append(conn: &mut DbConnection, events: &[Event]) -> QueryResult<()> {
    let names = actor_names(conn, events)?;
    let rows: Vec<NewRow<'_>> = events
        .iter()
        .map(|e| {
            let id = e.actor.id.as_deref();
            NewRow {
                occurred_at: clock::to_db(e.occurred_at),
                action: e.action.as_str(),
                actor_kind: e.actor.kind.as_str(),
                actor_id: id,
                actor_name: e
                    .actor
                    .name
                    .as_deref()
                    .or_else(|| id.and_then(|id| names.get(id)).map(String::as_str)),
                actor_role: e.actor.role.map(|r| r.as_str()),
                client_address: e.client_address.map(|a| a.to_string()),
                subject_type: e.subject.as_ref().map(|(kind, _)| kind.as_str()),
                subject_id: e.subject.as_ref().map(|(_, id)| id.as_str()),
                agency_id: e.agency_id.as_deref(),
                details: e.details.to_string(),
            }
        })
        .collect();
    for chunk in rows.chunks(CHUNK) {
        crate::db::insert_batch!(conn, audit_events::table, chunk)?;
    }
    Ok(())
}

/// The names of the actors the events name by id only.
fn actor_names(conn: &mut DbConnection, events: &[Event]) -> QueryResult<HashMap<String, String>> {
    let unnamed = |kind: ActorKind| -> Vec<&str> {
        let mut ids: Vec<&str> = events
            .iter()
            .filter(|e| e.actor.kind == kind && e.actor.name.is_none())
            .filter_map(|e| e.actor.id.as_deref())
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    };
    let (people, services) = (unnamed(ActorKind::User), unnamed(ActorKind::Service));
    let mut names = HashMap::new();
    if !people.is_empty() {
        names.extend(
            users::table.filter(users::id.eq_any(people)).select((users::id, users::username)).load::<(
                String,
                String,
            )>(
                conn
            )?,
        );
    }
    if !services.is_empty() {
        names.extend(
            service_accounts::table
                .filter(service_accounts::id.eq_any(services))
                .select((service_accounts::id, service_accounts::client_id))
                .load::<(String, String)>(conn)?,
        );
    }
    Ok(names)
}

/// What a list is narrowed to; `agencies: None` is every event (a system administrator's view).
#[derive(Debug, Default)]
pub struct Filter {
    pub agencies: Option<Vec<String>>,
    pub actor_id: Option<String>,
    pub subject_type: Option<&'static str>,
    pub subject_id: Option<String>,
    pub action: Option<&'static str>,
    /// From this instant (inclusive) to that one (exclusive).
    pub from: Option<NaiveDateTime>,
    pub to: Option<NaiveDateTime>,
}

/// A page of events, newest first, after the position `(occurred_at, id)` of the last one read.
#[tracing::instrument(level = "debug", skip_all)]
pub fn list(
    conn: &mut DbConnection,
    filter: &Filter,
    after: Option<(NaiveDateTime, i64)>,
    limit: i64,
) -> QueryResult<Vec<Row>> {
    let mut query = audit_events::table.select(Row::as_select()).into_boxed();
    if let Some(ids) = &filter.agencies {
        query = query.filter(audit_events::agency_id.eq_any(ids.clone()));
    }
    narrow!(query;
        audit_events::actor_id => eq(filter.actor_id.clone()),
        audit_events::subject_type => eq(filter.subject_type),
        audit_events::subject_id => eq(filter.subject_id.clone()),
        audit_events::action => eq(filter.action),
        audit_events::occurred_at => ge(filter.from),
        audit_events::occurred_at => lt(filter.to),
    );
    newest_first!(query, audit_events::occurred_at, audit_events::id, after, limit).load(conn)
}

/// An agency's id and path, if it exists.
pub fn agency(conn: &mut DbConnection, id: &str) -> QueryResult<Option<(String, String)>> {
    agencies::table.find(id).select((agencies::id, agencies::path)).first(conn).optional()
}
