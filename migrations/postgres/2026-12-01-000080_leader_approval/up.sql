-- The leader's approval of a result (docs/lifecycle.md): a procedure says whether its result is
-- the leader's to approve; an officer's resolve then only proposes the result, kept on the
-- dossier (proposal, JSON) in the new status awaiting_approval until a leader approves it or
-- sends it back. Existing procedures keep resolving at once.
ALTER TABLE procedures ADD COLUMN requires_approval BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE dossiers ADD COLUMN proposal TEXT;
ALTER TABLE dossiers DROP CONSTRAINT dossiers_status_check;
ALTER TABLE dossiers ADD CONSTRAINT dossiers_status_check CHECK (status IN ('submitted', 'supplement_requested', 'processing', 'awaiting_approval', 'resolved', 'returned', 'rejected', 'withdrawn'));
