use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::model::SurveyRow;
use crate::db::DbConnection;
use crate::db::filters::{narrow, newest_first};
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
    narrow!(query;
        surveys::agency_id => eq_any(filter.agency_ids.clone()),
        surveys::agency_id => eq(filter.agency_id.clone()),
        surveys::level => eq(filter.level),
        surveys::submitted_at => ge(filter.from),
        surveys::submitted_at => lt(filter.to),
    );
    newest_first!(query, surveys::submitted_at, surveys::id, after, limit).load(conn)
}
