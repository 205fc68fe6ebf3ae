DROP INDEX dossiers_updated_idx;
DROP TABLE portal_syncs;
