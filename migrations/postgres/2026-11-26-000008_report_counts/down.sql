DROP TABLE report_counts;
DROP INDEX dossiers_agency_last_step_idx;
ALTER TABLE dossiers DROP COLUMN answer_due_at;
