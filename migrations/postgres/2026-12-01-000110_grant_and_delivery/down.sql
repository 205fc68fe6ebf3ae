ALTER TABLE dossiers DROP COLUMN result_delivery;
ALTER TABLE service_accounts DROP COLUMN personal_data;
