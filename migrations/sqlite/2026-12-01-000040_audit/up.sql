-- The audit trail (Decree 13/2023/NĐ-CP: who processed whose personal data), append-only: the
-- code has no update or delete path, and these triggers refuse one from anywhere else. Rows
-- carry no password, token, secret or document content (src/audit/mod.rs).
CREATE TABLE audit_events (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    occurred_at     TIMESTAMP NOT NULL,
    action          TEXT NOT NULL,
    actor_kind      TEXT NOT NULL CHECK (actor_kind IN ('user', 'service', 'anonymous')),
    actor_id        TEXT,
    actor_name      TEXT,
    actor_role      TEXT,
    client_address  TEXT,
    subject_type    TEXT,
    subject_id      TEXT,
    agency_id       TEXT,
    details         TEXT NOT NULL
);
-- The list's order and each of its filters, newest first within them.
CREATE INDEX audit_events_time_idx ON audit_events (occurred_at, id);
CREATE INDEX audit_events_actor_idx ON audit_events (actor_id, occurred_at, id);
CREATE INDEX audit_events_subject_idx ON audit_events (subject_id, occurred_at, id);
CREATE INDEX audit_events_agency_idx ON audit_events (agency_id, occurred_at, id);

CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only');
END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only');
END;
