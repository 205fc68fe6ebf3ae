-- Every text column compares in byte order (collation "C"), whatever locale the database was
-- created with.
-- - The same order on both backends: SQLite compares text as bytes, and UTF-8's byte order is
--   the code points' order, so lists ordered by text (names, codes, the keyset cursors) come out
--   the same on PostgreSQL as on SQLite.
-- - Speed: under a libc locale (even C.UTF-8) PostgreSQL compares text through strcoll and
--   cannot abbreviate sort keys, and the keys here are mostly ids. Building one index of
--   3,000,000 ids took 7.5 s under C.UTF-8 and 4.4 s under "C" on the reference machine; every
--   index descent of every statement pays the same difference (bench/README.md, session 14).
-- - `LIKE 'prefix%'` (an agency's subtree by its path) can use a plain B-tree in byte order.
-- Nothing is compared case-insensitively in SQL (search folds its words in the service), so
-- the character classes of "C" change no answer. Indexes are rebuilt; no table is rewritten.
DO $$
DECLARE
    alteration record;
BEGIN
    -- One statement per table, so that each table's indexes are rebuilt once.
    FOR alteration IN
        SELECT format('ALTER TABLE %I %s', c.relname,
                      string_agg(format('ALTER COLUMN %I SET DATA TYPE %s COLLATE "C"',
                                        a.attname, format_type(a.atttypid, a.atttypmod)),
                                 ', ' ORDER BY a.attnum)) AS statement
        FROM pg_class c
        JOIN pg_attribute a ON a.attrelid = c.oid
        WHERE c.relnamespace = current_schema()::regnamespace
          AND c.relkind IN ('r', 'p')
          AND c.relname <> '__diesel_schema_migrations'
          AND a.attnum > 0 AND NOT a.attisdropped
          AND a.atttypid IN ('text'::regtype, 'varchar'::regtype)
        GROUP BY c.relname
    LOOP
        EXECUTE alteration.statement;
    END LOOP;
END
$$;
