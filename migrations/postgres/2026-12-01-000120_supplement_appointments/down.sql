ALTER TABLE dossiers DROP COLUMN appointment_after_supplement;
ALTER TABLE dossiers DROP COLUMN appointment_before_supplement;
