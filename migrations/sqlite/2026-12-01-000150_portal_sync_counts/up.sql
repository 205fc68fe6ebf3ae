-- The report's portal-sync share read from the counters instead of every dossier of the period
-- (src/records/counters/contribution.rs):
-- - `dossiers.portal_synced_version`: the version the national portal accepted, kept by the
--   acknowledgement (src/integration/dvcqg/routes.rs); the dossier is synced while it equals
--   `version`, so every write, which moves `version` on, leaves it pending again with no
--   statement of its own;
-- - `report_counts.submitted` and `report_counts.portal_synced`: the dossiers submitted on the
--   bucket's day, and those of them whose current version the portal holds.
ALTER TABLE dossiers ADD COLUMN portal_synced_version BIGINT;
UPDATE dossiers SET portal_synced_version = version
WHERE EXISTS (
    SELECT 1 FROM portal_syncs s
    WHERE s.dossier_id = dossiers.id AND s.version = dossiers.version AND s.accepted
);
ALTER TABLE report_counts ADD COLUMN submitted BIGINT NOT NULL DEFAULT 0;
ALTER TABLE report_counts ADD COLUMN portal_synced BIGINT NOT NULL DEFAULT 0;
-- Counters written before these columns lack them: emptied here, they are rebuilt from the
-- dossiers at the next start (reports::counters::rebuild_if_empty), in one transaction.
DELETE FROM report_counts;
