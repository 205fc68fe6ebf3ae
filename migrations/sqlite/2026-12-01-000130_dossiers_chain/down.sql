ALTER TABLE dossiers DROP COLUMN chain_agencies;
