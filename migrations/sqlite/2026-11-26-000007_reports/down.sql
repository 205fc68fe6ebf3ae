DROP TABLE report_targets;
DROP INDEX dossiers_agency_resolved_idx;
ALTER TABLE dossiers DROP COLUMN resolved_by_agency_id;
