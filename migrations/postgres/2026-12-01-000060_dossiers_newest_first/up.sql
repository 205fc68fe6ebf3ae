-- The first page of a whole subtree's dossiers, newest first (GET /dossiers with no filter, a
-- province leader's list): walked in this order, the page is found in its first rows whatever the
-- volume. Without it the planner reads every dossier of the subtree's agencies and sorts them
-- (bench/README.md: 215 ms → 0.8 ms at 100,000 dossiers on PostgreSQL).
CREATE INDEX dossiers_submitted_idx ON dossiers (submitted_at DESC, id DESC);
