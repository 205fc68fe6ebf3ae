DROP TABLE dossier_hops;
ALTER TABLE dossiers DROP COLUMN holder_agency_id;
ALTER TABLE dossiers DROP CONSTRAINT dossiers_status_check;
ALTER TABLE dossiers ADD CONSTRAINT dossiers_status_check CHECK (status IN ('submitted', 'supplement_requested', 'processing', 'resolved', 'returned', 'rejected', 'withdrawn'));
ALTER TABLE dossiers DROP COLUMN proposal;
ALTER TABLE procedures DROP COLUMN requires_approval;
