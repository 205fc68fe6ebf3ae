-- Dossiers (hồ sơ TTHC). The timestamps are those report.md reads; `version` grows with every
-- write and guards against lost updates (and makes the ETag).
CREATE TABLE dossiers (
    id                     TEXT PRIMARY KEY,
    code                   TEXT NOT NULL,
    agency_id              TEXT NOT NULL REFERENCES agencies (id),
    procedure_id           TEXT NOT NULL REFERENCES procedures (id),
    channel                TEXT NOT NULL CHECK (channel IN ('online', 'direct', 'postal')),
    status                 TEXT NOT NULL CHECK (status IN ('submitted', 'supplement_requested', 'processing', 'resolved', 'returned', 'rejected', 'withdrawn')),
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
    CONSTRAINT dossiers_code_key UNIQUE (code)
);
-- One external reference per agency (NULLs do not collide on either backend).
CREATE UNIQUE INDEX dossiers_external_ref_key ON dossiers (agency_id, external_ref);
CREATE INDEX dossiers_agency_submitted_idx ON dossiers (agency_id, submitted_at, id);
CREATE INDEX dossiers_agency_accepted_idx ON dossiers (agency_id, accepted_at);
CREATE INDEX dossiers_status_due_idx ON dossiers (status, due_at);
CREATE INDEX dossiers_assignee_idx ON dossiers (assignee_id);
CREATE INDEX dossiers_owner_idx ON dossiers (owner_id);

-- Every step of every dossier: append-only.
CREATE TABLE dossier_history (
    id           TEXT PRIMARY KEY,
    dossier_id   TEXT NOT NULL REFERENCES dossiers (id),
    seq          BIGINT NOT NULL,
    action       TEXT NOT NULL,
    from_status  TEXT,
    to_status    TEXT NOT NULL,
    actor_id     TEXT,
    actor_kind   TEXT NOT NULL,
    at           TIMESTAMP NOT NULL,
    note         TEXT,
    recorded_at  TIMESTAMP NOT NULL,
    CONSTRAINT dossier_history_seq_key UNIQUE (dossier_id, seq)
);

-- Events for adapters, written in the same transaction as the change they describe.
CREATE TABLE outbox_events (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_type      TEXT NOT NULL,
    aggregate_type  TEXT NOT NULL,
    aggregate_id    TEXT NOT NULL,
    agency_id       TEXT NOT NULL,
    occurred_at     TIMESTAMP NOT NULL,
    data            TEXT NOT NULL
);
CREATE INDEX outbox_events_agency_idx ON outbox_events (agency_id, id);

-- The daily sequence of dossier codes, per code prefix (the agency's code): keyed by the code
-- itself, so renaming agencies can never make two dossiers compete for one code.
CREATE TABLE dossier_sequences (
    prefix     TEXT NOT NULL,
    day        TEXT NOT NULL,
    last       BIGINT NOT NULL,
    PRIMARY KEY (prefix, day)
);

-- Idempotency-Key: the first response to a key, per caller, replayed to repeats.
CREATE TABLE idempotency_keys (
    caller_id     TEXT NOT NULL,
    key           TEXT NOT NULL,
    request_hash  TEXT NOT NULL,
    status        INTEGER NOT NULL,
    response      TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    PRIMARY KEY (caller_id, key)
);
