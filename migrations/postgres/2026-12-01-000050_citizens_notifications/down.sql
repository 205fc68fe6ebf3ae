DROP TABLE notifications;
DROP TABLE verification_codes;
ALTER TABLE dossiers DROP COLUMN applicant_notify;
DROP INDEX users_email_key;
DROP INDEX users_phone_key;
ALTER TABLE users DROP COLUMN notify;
ALTER TABLE users DROP COLUMN language;
ALTER TABLE users DROP COLUMN email;
ALTER TABLE users DROP COLUMN phone;
