//! The schema as the database holds it, where no request shows it.

use crate::helpers::{catalogue_lines, spawn_app};

/// Every text column compares in byte order on both backends (PostgreSQL's collation "C",
/// SQLite's BINARY): lists ordered by text come out the same on either, and PostgreSQL compares
/// ids without strcoll. A migration that adds a text column without `COLLATE "C"` is named here.
#[tokio::test]
async fn every_text_column_compares_in_byte_order() {
    let app = spawn_app().await;
    let other = app
        .with_library_db(|db| {
            catalogue_lines(
                db,
                "SELECT c.relname || '.' || a.attname AS line FROM pg_class c
                   JOIN pg_attribute a ON a.attrelid = c.oid
                   LEFT JOIN pg_collation k ON k.oid = a.attcollation
                 WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p')
                   AND c.relname <> '__diesel_schema_migrations'
                   AND a.attnum > 0 AND NOT a.attisdropped
                   AND a.atttypid IN ('text'::regtype, 'varchar'::regtype)
                   AND k.collname IS DISTINCT FROM 'C'",
                // A collation other than BINARY is declared in the table's statement. Less the
                // search terms: lowercase ASCII, where NOCASE orders as BINARY does, and NOCASE lets
                // SQLite's LIKE (case-insensitive) range-scan their key.
                "SELECT name AS line FROM sqlite_master
                 WHERE type = 'table' AND upper(sql) LIKE '%COLLATE%' AND name <> 'procedure_terms'",
            )
        })
        .await;
    assert!(other.is_empty(), "text columns in another order than bytes: {other:?}");
}
