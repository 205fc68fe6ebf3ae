use std::collections::HashSet;

use diesel::prelude::*;

use super::model::{ProcedureQuery, ProcedureRow};
use super::search;
use crate::db::DbConnection;
use crate::db::schema::{procedure_terms, procedures};

fn write_terms(conn: &mut DbConnection, row: &ProcedureRow) -> QueryResult<()> {
    diesel::delete(procedure_terms::table.filter(procedure_terms::procedure_id.eq(&row.id))).execute(conn)?;
    for term in search::terms(&format!("{} {} {}", row.name, row.field, row.code)) {
        diesel::insert_into(procedure_terms::table)
            .values((procedure_terms::term.eq(term), procedure_terms::procedure_id.eq(&row.id)))
            .execute(conn)?;
    }
    Ok(())
}

pub fn insert(conn: &mut DbConnection, row: &ProcedureRow) -> QueryResult<()> {
    diesel::insert_into(procedures::table).values(row).execute(conn)?;
    write_terms(conn, row)
}

#[tracing::instrument(level = "debug", skip_all, fields(procedure_id = ?row.id))]
pub fn update(conn: &mut DbConnection, row: &ProcedureRow) -> QueryResult<()> {
    diesel::update(procedures::table.find(&row.id))
        .set((
            procedures::name.eq(&row.name),
            procedures::field.eq(&row.field),
            procedures::field_folded.eq(&row.field_folded),
            procedures::level.eq(&row.level),
            procedures::online_service.eq(&row.online_service),
            procedures::processing_value.eq(row.processing_value),
            procedures::processing_unit.eq(&row.processing_unit),
            procedures::fee.eq(row.fee),
            procedures::components.eq(&row.components),
            procedures::decision_number.eq(&row.decision_number),
            procedures::signed_on.eq(row.signed_on),
            procedures::posted_on.eq(row.posted_on),
            procedures::active.eq(row.active),
            procedures::requires_approval.eq(row.requires_approval),
            procedures::national_code.eq(&row.national_code),
            procedures::field_code.eq(&row.field_code),
            procedures::updated_at.eq(row.updated_at),
        ))
        .execute(conn)?;
    write_terms(conn, row)
}

#[tracing::instrument(level = "debug", skip_all, fields(procedure_id = ?id))]
pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Option<ProcedureRow>> {
    procedures::table.find(id).select(ProcedureRow::as_select()).first(conn).optional()
}

/// Every active procedure, by code.
pub fn all_active(conn: &mut DbConnection) -> QueryResult<Vec<ProcedureRow>> {
    procedures::table
        .filter(procedures::active.eq(true))
        .order(procedures::code)
        .select(ProcedureRow::as_select())
        .load(conn)
}

#[tracing::instrument(level = "debug", skip_all, fields(code = ?code))]
pub fn find_by_code(conn: &mut DbConnection, code: &str) -> QueryResult<Option<ProcedureRow>> {
    procedures::table
        .filter(procedures::code.eq(code))
        .select(ProcedureRow::as_select())
        .first(conn)
        .optional()
}

/// Ids of the procedures that have, for every query word, a term it prefixes. Each word is one
/// index range scan (`LIKE 'word%'`); words hold only [a-z0-9.], so no wildcard needs escaping.
pub fn search_ids(conn: &mut DbConnection, words: &[String]) -> QueryResult<Vec<String>> {
    let mut matching: Option<HashSet<String>> = None;
    for word in words {
        let ids: HashSet<String> = procedure_terms::table
            .filter(procedure_terms::term.like(format!("{word}%")))
            .select(procedure_terms::procedure_id)
            .distinct()
            .load::<String>(conn)?
            .into_iter()
            .collect();
        let narrowed = match matching {
            Some(previous) => previous.intersection(&ids).cloned().collect(),
            None => ids,
        };
        if narrowed.is_empty() {
            return Ok(Vec::new());
        }
        matching = Some(narrowed);
    }
    Ok(matching.map(|ids| ids.into_iter().collect()).unwrap_or_default())
}

#[derive(Default)]
pub struct ListFilter {
    /// From a search: only these ids.
    pub ids: Option<Vec<String>>,
    pub field_folded: Option<String>,
    pub level: Option<&'static str>,
    pub online_service: Option<&'static str>,
    pub agency_id: Option<String>,
    pub include_inactive: bool,
}

/// The procedures a list query asks for (its search words, filters and whether inactive ones
/// count), ordered by code after `after`: the staff list and the public one alike.
pub fn query(
    conn: &mut DbConnection,
    query: &ProcedureQuery,
    after: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<ProcedureRow>> {
    let words = query.q.as_deref().map(search::query_words).unwrap_or_default();
    let ids = if words.is_empty() { None } else { Some(search_ids(conn, &words)?) };
    let filter = ListFilter {
        ids,
        field_folded: query.field.as_deref().map(|f| search::fold(f.trim())),
        level: query.level.map(|l| l.as_str()),
        online_service: query.online_service.map(|o| o.as_str()),
        agency_id: query.agency_id.clone(),
        include_inactive: query.include_inactive.unwrap_or(false),
    };
    list(conn, &filter, after, limit)
}

/// Procedures ordered by code, after the cursor's code.
#[tracing::instrument(level = "debug", skip_all)]
pub fn list(
    conn: &mut DbConnection,
    filter: &ListFilter,
    after_code: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<ProcedureRow>> {
    let mut query = procedures::table.select(ProcedureRow::as_select()).into_boxed();
    if let Some(ids) = &filter.ids {
        query = query.filter(procedures::id.eq_any(ids.clone()));
    }
    if let Some(field) = &filter.field_folded {
        query = query.filter(procedures::field_folded.eq(field.clone()));
    }
    if let Some(level) = filter.level {
        query = query.filter(procedures::level.eq(level));
    }
    if let Some(online) = filter.online_service {
        query = query.filter(procedures::online_service.eq(online));
    }
    if let Some(agency) = &filter.agency_id {
        query = query.filter(procedures::agency_id.eq(agency.clone()));
    }
    if !filter.include_inactive {
        query = query.filter(procedures::active.eq(true));
    }
    if let Some(code) = after_code {
        query = query.filter(procedures::code.gt(code.to_owned()));
    }
    query.order(procedures::code.asc()).limit(limit).load(conn)
}
