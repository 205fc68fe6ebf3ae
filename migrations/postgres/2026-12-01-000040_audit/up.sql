-- The audit trail (Decree 13/2023/NĐ-CP: who processed whose personal data), append-only: the
-- code has no update or delete path, and this trigger refuses one from anywhere else (TRUNCATE
-- included). Rows carry no password, token, secret or document content (src/audit/mod.rs).
CREATE TABLE audit_events (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
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

CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only';
END;
$$;
CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();
