DROP INDEX dossiers_answer_pending_idx;
DELETE FROM report_counts;
ALTER TABLE report_counts DROP COLUMN backlog_apologized;
ALTER TABLE report_counts DROP COLUMN backlog_overdue;
ALTER TABLE report_counts DROP COLUMN backlog;
