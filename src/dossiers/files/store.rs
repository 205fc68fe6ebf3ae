//! The `dossier_files` rows: which objects are a dossier's files.

use std::collections::HashSet;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::dossier_files;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = dossier_files)]
pub struct FileRow {
    pub id: String,
    pub dossier_id: String,
    pub kind: String,
    pub component: Option<i64>,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub object_key: String,
    pub uploaded_at: NaiveDateTime,
    pub uploaded_by: String,
}

pub fn insert(conn: &mut DbConnection, row: &FileRow) -> QueryResult<()> {
    diesel::insert_into(dossier_files::table).values(row).execute(conn).map(|_| ())
}

pub fn find(conn: &mut DbConnection, dossier_id: &str, file_id: &str) -> QueryResult<Option<FileRow>> {
    dossier_files::table
        .filter(dossier_files::dossier_id.eq(dossier_id).and(dossier_files::id.eq(file_id)))
        .select(FileRow::as_select())
        .first(conn)
        .optional()
}

/// The file of the dossier with these bytes, if it has one.
pub fn find_by_content(
    conn: &mut DbConnection,
    dossier_id: &str,
    sha256: &str,
) -> QueryResult<Option<FileRow>> {
    dossier_files::table
        .filter(dossier_files::dossier_id.eq(dossier_id).and(dossier_files::sha256.eq(sha256)))
        .select(FileRow::as_select())
        .first(conn)
        .optional()
}

/// The dossier's files in the order they were added.
pub fn list(conn: &mut DbConnection, dossier_id: &str) -> QueryResult<Vec<FileRow>> {
    dossier_files::table
        .filter(dossier_files::dossier_id.eq(dossier_id))
        .order((dossier_files::uploaded_at.asc(), dossier_files::id.asc()))
        .select(FileRow::as_select())
        .load(conn)
}

pub fn delete(conn: &mut DbConnection, file_id: &str) -> QueryResult<()> {
    diesel::delete(dossier_files::table.find(file_id)).execute(conn).map(|_| ())
}

/// Whether the dossier still has a file for component `index`.
pub fn component_has_file(conn: &mut DbConnection, dossier_id: &str, index: i64) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        dossier_files::table
            .filter(dossier_files::dossier_id.eq(dossier_id).and(dossier_files::component.eq(index))),
    ))
    .get_result(conn)
}

/// The names of each of the dossier's `components` files, in the components' order.
pub fn names_by_component(
    conn: &mut DbConnection,
    dossier_id: &str,
    components: usize,
) -> QueryResult<Vec<Vec<String>>> {
    let mut names = vec![Vec::new(); components];
    for file in list(conn, dossier_id)? {
        if let Some(slot) =
            file.component.and_then(|i| usize::try_from(i).ok()).and_then(|i| names.get_mut(i))
        {
            slot.push(file.file_name);
        }
    }
    Ok(names)
}

/// Which of these object keys a row names.
pub fn referenced(conn: &mut DbConnection, keys: &[String]) -> QueryResult<HashSet<String>> {
    let mut found = HashSet::new();
    // Bounded batches: SQLite limits the number of bound parameters.
    for batch in keys.chunks(500) {
        found.extend(
            dossier_files::table
                .filter(dossier_files::object_key.eq_any(batch))
                .select(dossier_files::object_key)
                .load::<String>(conn)?,
        );
    }
    Ok(found)
}
