-- An admin's grant to a service account to read the applicant's identity number and contacts
-- (docs/integration.md, "Personal data"); none until granted.
ALTER TABLE service_accounts ADD COLUMN personal_data BOOLEAN NOT NULL DEFAULT FALSE;
-- How the result reaches the applicant (`desk`, `post`, `online`), the portal's HinhThuc; old
-- dossiers and intake that does not say: at the desk.
ALTER TABLE dossiers ADD COLUMN result_delivery TEXT NOT NULL DEFAULT 'desk';
