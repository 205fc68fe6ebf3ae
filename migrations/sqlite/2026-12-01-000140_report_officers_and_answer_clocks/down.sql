-- The rows of the new kinds are read by nothing older; emptied, the counters are rebuilt at the
-- next start.
DELETE FROM report_counts;
