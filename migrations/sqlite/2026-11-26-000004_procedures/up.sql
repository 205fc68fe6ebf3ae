-- The procedure catalogue (danh mục TTHC).
CREATE TABLE procedures (
    id                TEXT PRIMARY KEY,
    code              TEXT NOT NULL,
    name              TEXT NOT NULL,
    field             TEXT NOT NULL,
    -- `field` folded (no accents, lower case), for accent-insensitive filtering.
    field_folded      TEXT NOT NULL,
    level             TEXT NOT NULL CHECK (level IN ('central', 'province', 'district', 'commune')),
    online_service    TEXT NOT NULL CHECK (online_service IN ('full', 'partial', 'none')),
    processing_value  BIGINT NOT NULL CHECK (processing_value >= 0),
    processing_unit   TEXT NOT NULL CHECK (processing_unit IN ('working_days', 'working_hours')),
    fee               BIGINT NOT NULL CHECK (fee >= 0),
    -- JSON: [{"name": "...", "required": true}]
    components        TEXT NOT NULL,
    decision_number   TEXT,
    signed_on         DATE,
    posted_on         DATE,
    agency_id         TEXT REFERENCES agencies (id),
    active            BOOLEAN NOT NULL,
    created_at        TIMESTAMP NOT NULL,
    updated_at        TIMESTAMP NOT NULL,
    CONSTRAINT procedures_code_key UNIQUE (code)
);
CREATE INDEX procedures_field_idx ON procedures (field_folded);

-- Search terms: the folded words of a procedure's name, field and code. A query word matches
-- the terms it prefixes, through an index on both backends.
CREATE TABLE procedure_terms (
    term          TEXT NOT NULL COLLATE NOCASE,
    procedure_id  TEXT NOT NULL REFERENCES procedures (id) ON DELETE CASCADE,
    PRIMARY KEY (term, procedure_id)
);
CREATE INDEX procedure_terms_procedure_idx ON procedure_terms (procedure_id);
-- The primary key's NOCASE index serves LIKE 'prefix%' (SQLite's LIKE is case-insensitive).
