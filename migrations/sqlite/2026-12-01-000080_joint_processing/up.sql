-- The leader's approval of a result (docs/lifecycle.md): a procedure says whether its result is
-- the leader's to approve; an officer's resolve then only proposes the result, kept on the
-- dossier (proposal, JSON) in the new status awaiting_approval until a leader approves it or
-- sends it back. Existing procedures keep resolving at once.
--
-- SQLite cannot change a CHECK constraint in place: the dossiers table is rebuilt (SQLite's
-- documented procedure: new table, copy, drop, rename, indexes), foreign keys off meanwhile, in
-- this migration's own transaction (metadata.toml), checked before it commits.
PRAGMA foreign_keys = OFF;
BEGIN;
ALTER TABLE procedures ADD COLUMN requires_approval BOOLEAN NOT NULL DEFAULT FALSE;
CREATE TABLE dossiers_new (
    id                     TEXT PRIMARY KEY,
    code                   TEXT NOT NULL,
    agency_id              TEXT NOT NULL REFERENCES agencies (id),
    procedure_id           TEXT NOT NULL REFERENCES procedures (id),
    channel                TEXT NOT NULL CHECK (channel IN ('online', 'direct', 'postal')),
    status                 TEXT NOT NULL CHECK (status IN ('submitted', 'supplement_requested', 'processing', 'awaiting_approval', 'resolved', 'returned', 'rejected', 'withdrawn')),
    applicant_kind         TEXT NOT NULL CHECK (applicant_kind IN ('citizen', 'organization')),
    applicant_name         TEXT NOT NULL,
    applicant_name_folded  TEXT NOT NULL,
    applicant_id_number    TEXT,
    applicant_phone        TEXT,
    applicant_email        TEXT,
    applicant_address      TEXT,
    owner_id               TEXT REFERENCES users (id),
    components             TEXT NOT NULL,
    fee                    BIGINT NOT NULL CHECK (fee >= 0),
    payment_method         TEXT CHECK (payment_method IN ('online', 'cash', 'transfer')),
    payment_amount         BIGINT CHECK (payment_amount >= 0),
    external_ref           TEXT,
    submitted_at           TIMESTAMP NOT NULL,
    accepted_at            TIMESTAMP,
    first_response_at      TIMESTAMP,
    due_at                 TIMESTAMP,
    appointment_at         TIMESTAMP,
    supplement_requested_at TIMESTAMP,
    apologized_at          TIMESTAMP,
    resolved_at            TIMESTAMP,
    outcome                TEXT CHECK (outcome IN ('approved', 'refused')),
    result_digitized       BOOLEAN NOT NULL,
    -- Whether every component was digitized or reused when the dossier was (last) received
    -- complete: what the report judges, whatever is digitized later.
    reception_digitized    BOOLEAN NOT NULL,
    returned_at            TIMESTAMP,
    withdrawn_at           TIMESTAMP,
    rejected_at            TIMESTAMP,
    received_by            TEXT,
    resolved_by            TEXT,
    assignee_id            TEXT REFERENCES users (id),
    last_step_at           TIMESTAMP NOT NULL,
    version                BIGINT NOT NULL,
    created_at             TIMESTAMP NOT NULL,
    updated_at             TIMESTAMP NOT NULL,
    resolved_by_agency_id  TEXT REFERENCES agencies (id),
    answer_due_at          TIMESTAMP,
    last_event_at          TIMESTAMP,
    applicant_notify       BOOLEAN NOT NULL DEFAULT TRUE,
    proposal               TEXT,
    CONSTRAINT dossiers_code_key UNIQUE (code)
);
INSERT INTO dossiers_new (id, code, agency_id, procedure_id, channel, status, applicant_kind, applicant_name, applicant_name_folded, applicant_id_number, applicant_phone, applicant_email, applicant_address, owner_id, components, fee, payment_method, payment_amount, external_ref, submitted_at, accepted_at, first_response_at, due_at, appointment_at, supplement_requested_at, apologized_at, resolved_at, outcome, result_digitized, reception_digitized, returned_at, withdrawn_at, rejected_at, received_by, resolved_by, assignee_id, last_step_at, version, created_at, updated_at, resolved_by_agency_id, answer_due_at, last_event_at, applicant_notify) SELECT id, code, agency_id, procedure_id, channel, status, applicant_kind, applicant_name, applicant_name_folded, applicant_id_number, applicant_phone, applicant_email, applicant_address, owner_id, components, fee, payment_method, payment_amount, external_ref, submitted_at, accepted_at, first_response_at, due_at, appointment_at, supplement_requested_at, apologized_at, resolved_at, outcome, result_digitized, reception_digitized, returned_at, withdrawn_at, rejected_at, received_by, resolved_by, assignee_id, last_step_at, version, created_at, updated_at, resolved_by_agency_id, answer_due_at, last_event_at, applicant_notify FROM dossiers;
DROP TABLE dossiers;
ALTER TABLE dossiers_new RENAME TO dossiers;
CREATE UNIQUE INDEX dossiers_external_ref_key ON dossiers (agency_id, external_ref);
CREATE INDEX dossiers_agency_submitted_idx ON dossiers (agency_id, submitted_at, id);
CREATE INDEX dossiers_agency_accepted_idx ON dossiers (agency_id, accepted_at);
CREATE INDEX dossiers_status_due_idx ON dossiers (status, due_at);
CREATE INDEX dossiers_assignee_idx ON dossiers (assignee_id);
CREATE INDEX dossiers_owner_idx ON dossiers (owner_id);
CREATE INDEX dossiers_agency_resolved_idx ON dossiers (agency_id, resolved_at);
CREATE INDEX dossiers_agency_last_event_idx ON dossiers (agency_id, last_event_at);
CREATE INDEX dossiers_agency_status_submitted_idx ON dossiers (agency_id, status, submitted_at DESC, id DESC);
CREATE INDEX dossiers_submitted_idx ON dossiers (submitted_at DESC, id DESC);
CREATE INDEX dossiers_updated_idx ON dossiers (updated_at, id);
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
COMMIT;
PRAGMA foreign_keys = ON;
