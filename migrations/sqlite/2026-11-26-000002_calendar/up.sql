-- Days off (holiday, compensatory) and make-up working days: national when agency_id is null,
-- else for one agency and everything below it. One row per scope and date.
CREATE TABLE calendar_days (
    id          TEXT PRIMARY KEY,
    agency_id   TEXT REFERENCES agencies (id),
    day         DATE NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('holiday', 'compensatory', 'make_up_workday')),
    name        TEXT NOT NULL,
    source      TEXT,
    created_at  TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX calendar_days_scope_day_key ON calendar_days ((COALESCE(agency_id, '')), day);
CREATE INDEX calendar_days_day_idx ON calendar_days (day);

-- An agency's own weekly office hours (JSON), when it differs from Monday-Friday 07:30-11:30,
-- 13:30-17:30. Agencies below it inherit it.
CREATE TABLE agency_schedules (
    agency_id   TEXT PRIMARY KEY REFERENCES agencies (id),
    week        TEXT NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);
