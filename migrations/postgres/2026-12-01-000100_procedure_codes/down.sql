ALTER TABLE procedures DROP COLUMN field_code;
ALTER TABLE procedures DROP COLUMN national_code;
