DROP INDEX feedback_external_ref_key;
ALTER TABLE feedback DROP COLUMN external_ref;
