-- The feed's order is by (tx, id). SQLite has one writer at a time, so ids commit in order and
-- `tx` stays 0: the same order as before. See the PostgreSQL migration for why the column exists.
ALTER TABLE outbox_events ADD COLUMN tx BIGINT NOT NULL DEFAULT 0;
DROP INDEX outbox_events_agency_idx;
CREATE INDEX outbox_events_position_idx ON outbox_events (tx, id);
CREATE INDEX outbox_events_agency_idx ON outbox_events (agency_id, tx, id);

ALTER TABLE webhooks ADD COLUMN last_event_tx BIGINT NOT NULL DEFAULT 0;
ALTER TABLE webhook_deliveries ADD COLUMN event_tx BIGINT NOT NULL DEFAULT 0;
-- The worker's "oldest pending delivery" in feed order (the listing by state keeps the old index).
CREATE INDEX webhook_deliveries_order_idx ON webhook_deliveries (webhook_id, state, event_tx, event_id);
