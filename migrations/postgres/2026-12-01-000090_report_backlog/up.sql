-- The backlog in the report counters: how many dossiers are in progress at each day's end, past
-- their due instant, and that with an apology, kept as changes on the day they happen
-- (src/records/counters/contribution.rs). Summed over every day before a period's end they give
-- its "in progress within / past the deadline" without reading a dossier.
ALTER TABLE report_counts ADD COLUMN backlog BIGINT NOT NULL DEFAULT 0;
ALTER TABLE report_counts ADD COLUMN backlog_overdue BIGINT NOT NULL DEFAULT 0;
ALTER TABLE report_counts ADD COLUMN backlog_apologized BIGINT NOT NULL DEFAULT 0;
-- Counters written before these columns lack the backlog: emptied here, they are rebuilt from the
-- dossiers at the next start (reports::counters::rebuild_if_empty), in one transaction.
DELETE FROM report_counts;
-- Online submissions whose answer is not (yet) in time: the only dossiers a past period's summary
-- still judges one by one, those whose answer was due at or after the period's end.
CREATE INDEX dossiers_answer_pending_idx ON dossiers (answer_due_at)
    WHERE channel = 'online' AND answer_due_at IS NOT NULL
      AND (first_response_at IS NULL OR first_response_at > answer_due_at)
      AND (withdrawn_at IS NULL OR withdrawn_at > answer_due_at);
