-- PostgreSQL's text columns now compare in byte order (collation "C"); SQLite's always have
-- (BINARY), so there is nothing to change here. The version exists so that both backends carry
-- the same list of migrations.
SELECT 1;
