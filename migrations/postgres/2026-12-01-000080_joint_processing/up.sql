-- The leader's approval of a result (docs/lifecycle.md): a procedure says whether its result is
-- the leader's to approve; an officer's resolve then only proposes the result, kept on the
-- dossier (proposal, JSON) in the new status awaiting_approval until a leader approves it or
-- sends it back. Existing procedures keep resolving at once.
ALTER TABLE procedures ADD COLUMN requires_approval BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE dossiers ADD COLUMN proposal TEXT;
ALTER TABLE dossiers DROP CONSTRAINT dossiers_status_check;
ALTER TABLE dossiers ADD CONSTRAINT dossiers_status_check CHECK (status IN ('submitted', 'supplement_requested', 'processing', 'awaiting_approval', 'resolved', 'returned', 'rejected', 'withdrawn'));

-- Joint processing (liên thông): the agency holding the dossier now (null: its reception agency)
-- and each hop of its chain, with when it was sent on and when the result came back.
ALTER TABLE dossiers ADD COLUMN holder_agency_id TEXT REFERENCES agencies (id);
CREATE TABLE dossier_hops (
    dossier_id     TEXT NOT NULL REFERENCES dossiers (id),
    seq            BIGINT NOT NULL,
    from_agency_id TEXT NOT NULL REFERENCES agencies (id),
    to_agency_id   TEXT NOT NULL REFERENCES agencies (id),
    sent_at        TIMESTAMP NOT NULL,
    sent_by        TEXT NOT NULL,
    note           TEXT,
    returned_at    TIMESTAMP,
    PRIMARY KEY (dossier_id, seq)
);
CREATE INDEX dossier_hops_to_idx ON dossier_hops (to_agency_id);
CREATE INDEX dossiers_holder_idx ON dossiers (holder_agency_id);
