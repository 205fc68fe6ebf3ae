-- A portal adapter's code for the feedback, as for dossiers: unique within the agency, so that
-- an adapter that retries cannot file one complaint twice (409 with the existing id).
ALTER TABLE feedback ADD COLUMN external_ref TEXT;
CREATE UNIQUE INDEX feedback_external_ref_key ON feedback (agency_id, external_ref);
