-- Text columns back to the database's own collation.
DO $$
DECLARE
    alteration record;
BEGIN
    -- One statement per table, so that each table's indexes are rebuilt once.
    FOR alteration IN
        SELECT format('ALTER TABLE %I %s', c.relname,
                      string_agg(format('ALTER COLUMN %I SET DATA TYPE %s COLLATE "default"',
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
