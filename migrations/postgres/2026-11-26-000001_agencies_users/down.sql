DROP TABLE refresh_tokens;
DROP TABLE service_account_agencies;
DROP TABLE service_accounts;
DROP TABLE users;
DROP TABLE agencies;
