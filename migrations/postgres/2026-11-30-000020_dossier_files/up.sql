-- The files of a dossier: the scans of its components and its result papers. The bytes live in
-- the object store under `object_key`; a row is written only after its object is complete, so
-- a row never names a missing object (an object without a row is swept later).
CREATE TABLE dossier_files (
    id            TEXT PRIMARY KEY,
    dossier_id    TEXT NOT NULL REFERENCES dossiers (id),
    kind          TEXT NOT NULL CHECK (kind IN ('component', 'result')),
    component     BIGINT CHECK ((kind = 'component') = (component IS NOT NULL)),
    file_name     TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    size          BIGINT NOT NULL CHECK (size > 0),
    sha256        TEXT NOT NULL,
    object_key    TEXT NOT NULL,
    uploaded_at   TIMESTAMP NOT NULL,
    uploaded_by   TEXT NOT NULL,
    -- The same bytes twice on one dossier are one file.
    CONSTRAINT dossier_files_content_key UNIQUE (dossier_id, sha256)
);
