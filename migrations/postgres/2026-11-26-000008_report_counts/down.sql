DROP TABLE report_counts;
DROP INDEX dossiers_agency_last_event_idx;
ALTER TABLE dossiers DROP COLUMN last_event_at;
ALTER TABLE dossiers DROP COLUMN answer_due_at;
