DROP INDEX dossiers_submitted_idx;
