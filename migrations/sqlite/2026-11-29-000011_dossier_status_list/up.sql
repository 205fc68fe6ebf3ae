-- The desk's worklists: an agency's dossiers in one status, newest first (GET /dossiers with
-- agency_id and status). Without it the planner either sorts every dossier of that status or
-- walks the agency's whole history (bench/README.md: 50 ms → 0.3 ms at 1,000,000 dossiers).
CREATE INDEX dossiers_agency_status_submitted_idx ON dossiers (agency_id, status, submitted_at DESC, id DESC);
