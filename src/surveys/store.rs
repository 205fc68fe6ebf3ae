use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::model::SurveyRow;
use crate::db::DbConnection;
use crate::db::schema::surveys;

pub fn insert(conn: &mut DbConnection, row: &SurveyRow) -> QueryResult<()> {
    diesel::insert_into(surveys::table).values(row).execute(conn).map(|_| ())
}

pub fn for_dossier(conn: &mut DbConnection, dossier_id: &str) -> QueryResult<Option<SurveyRow>> {
    surveys::table
        .filter(surveys::dossier_id.eq(dossier_id))
        .select(SurveyRow::as_select())
        .first(conn)
        .optional()
}

#[derive(Default)]
pub struct ListFilter {
    pub agency_ids: Option<Vec<String>>,
    pub agency_id: Option<String>,
    pub level: Option<&'static str>,
    pub from: Option<NaiveDateTime>,
    pub to: Option<NaiveDateTime>,
}

/// Newest first by (submitted_at, id), after the cursor's position.
pub fn list(
    conn: &mut DbConnection,
    filter: &ListFilter,
    after: Option<(NaiveDateTime, String)>,
    limit: i64,
) -> QueryResult<Vec<SurveyRow>> {
    let mut query = surveys::table.select(SurveyRow::as_select()).into_boxed();
    if let Some(ids) = &filter.agency_ids {
        query = query.filter(surveys::agency_id.eq_any(ids.clone()));
    }
    if let Some(agency) = &filter.agency_id {
        query = query.filter(surveys::agency_id.eq(agency.clone()));
    }
    if let Some(level) = filter.level {
        query = query.filter(surveys::level.eq(level));
    }
    if let Some(from) = filter.from {
        query = query.filter(surveys::submitted_at.ge(from));
    }
    if let Some(to) = filter.to {
        query = query.filter(surveys::submitted_at.lt(to));
    }
    if let Some((at, id)) = after {
        query = query
            .filter(surveys::submitted_at.lt(at).or(surveys::submitted_at.eq(at).and(surveys::id.lt(id))));
    }
    query.order((surveys::submitted_at.desc(), surveys::id.desc())).limit(limit).load(conn)
}
