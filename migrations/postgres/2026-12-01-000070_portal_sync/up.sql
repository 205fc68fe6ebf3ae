-- What the national portal answered when an adapter forwarded a dossier's sync record: one row
-- per dossier and version (the dossier's optimistic-concurrency `version`, which every write moves
-- on). A later answer for the same version replaces the earlier one: a refusal retried and then
-- taken. A dossier is synced when its current version has an accepted row
-- (src/integration/dvcqg/sync.rs).
CREATE TABLE portal_syncs (
    dossier_id   TEXT NOT NULL REFERENCES dossiers (id),
    version      BIGINT NOT NULL,
    accepted     BOOLEAN NOT NULL,
    error        TEXT,
    recorded_at  TIMESTAMP NOT NULL,
    recorded_by  TEXT NOT NULL,
    PRIMARY KEY (dossier_id, version)
);
-- The pending list walks dossiers by when their latest version was written, oldest first.
CREATE INDEX dossiers_updated_idx ON dossiers (updated_at, id);
