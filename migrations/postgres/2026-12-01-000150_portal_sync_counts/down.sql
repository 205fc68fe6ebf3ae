DELETE FROM report_counts;
ALTER TABLE report_counts DROP COLUMN portal_synced;
ALTER TABLE report_counts DROP COLUMN submitted;
ALTER TABLE dossiers DROP COLUMN portal_synced_version;
