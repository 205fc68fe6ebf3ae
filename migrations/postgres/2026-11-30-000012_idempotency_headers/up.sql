-- The idempotency layer keeps the whole first response (status, headers, body), so that any
-- write can replay it without rebuilding its headers by hand. Keys recorded before this
-- migration have none and replay with their status and body only.
ALTER TABLE idempotency_keys ADD COLUMN headers TEXT;
