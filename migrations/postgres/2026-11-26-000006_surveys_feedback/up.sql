-- Satisfaction surveys: one per dossier.
CREATE TABLE surveys (
    id            TEXT PRIMARY KEY,
    dossier_id    TEXT NOT NULL REFERENCES dossiers (id),
    agency_id     TEXT NOT NULL REFERENCES agencies (id),
    level         TEXT NOT NULL CHECK (level IN ('very_satisfied', 'satisfied', 'unsatisfied')),
    comment       TEXT,
    source        TEXT NOT NULL CHECK (source IN ('citizen', 'kiosk', 'paper', 'import')),
    recorded_by   TEXT NOT NULL,
    submitted_at  TIMESTAMP NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    CONSTRAINT surveys_dossier_id_key UNIQUE (dossier_id)
);
CREATE INDEX surveys_agency_submitted_idx ON surveys (agency_id, submitted_at, id);

-- Complaints and feedback (phản ánh, kiến nghị).
CREATE TABLE feedback (
    id                 TEXT PRIMARY KEY,
    agency_id          TEXT NOT NULL REFERENCES agencies (id),
    channel            TEXT NOT NULL CHECK (channel IN ('national_portal', 'provincial_portal', 'direct', 'hotline', 'email', 'other')),
    subject            TEXT NOT NULL,
    content            TEXT NOT NULL,
    submitter_name     TEXT NOT NULL,
    submitter_phone    TEXT,
    submitter_email    TEXT,
    submitter_address  TEXT,
    owner_id           TEXT REFERENCES users (id),
    dossier_id         TEXT REFERENCES dossiers (id),
    procedure_id       TEXT REFERENCES procedures (id),
    status             TEXT NOT NULL CHECK (status IN ('received', 'processing', 'resolved', 'rejected')),
    received_at        TIMESTAMP NOT NULL,
    due_at             TIMESTAMP NOT NULL,
    response           TEXT,
    responded_at       TIMESTAMP,
    rejected_at        TIMESTAMP,
    published_at       TIMESTAMP,
    forwarded_from     TEXT REFERENCES agencies (id),
    last_step_at       TIMESTAMP NOT NULL,
    version            BIGINT NOT NULL,
    created_at         TIMESTAMP NOT NULL,
    updated_at         TIMESTAMP NOT NULL
);
CREATE INDEX feedback_agency_received_idx ON feedback (agency_id, received_at, id);
CREATE INDEX feedback_status_due_idx ON feedback (status, due_at);

CREATE TABLE feedback_history (
    id           TEXT PRIMARY KEY,
    feedback_id  TEXT NOT NULL REFERENCES feedback (id),
    seq          BIGINT NOT NULL,
    action       TEXT NOT NULL,
    from_status  TEXT,
    to_status    TEXT NOT NULL,
    actor_id     TEXT,
    actor_kind   TEXT NOT NULL,
    at           TIMESTAMP NOT NULL,
    note         TEXT,
    recorded_at  TIMESTAMP NOT NULL,
    CONSTRAINT feedback_history_seq_key UNIQUE (feedback_id, seq)
);

-- An agency's own time limit for feedback, in working days (default 15); agencies below inherit it.
CREATE TABLE feedback_limits (
    agency_id     TEXT PRIMARY KEY REFERENCES agencies (id),
    working_days  BIGINT NOT NULL CHECK (working_days > 0),
    updated_at    TIMESTAMP NOT NULL
);
