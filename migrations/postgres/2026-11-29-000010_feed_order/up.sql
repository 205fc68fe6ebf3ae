-- The feed's order: by the writing transaction's id, then the event id. A reader sees only the
-- events of transactions older than every transaction still running (see
-- src/integration/events.rs), so its cursor never passes an event that commits later, and
-- writers no longer queue on a lock for their commits. Events written before this migration all
-- committed long ago: they keep 0 and stay first, in id order.
ALTER TABLE outbox_events ADD COLUMN tx BIGINT NOT NULL DEFAULT 0;
ALTER TABLE outbox_events ALTER COLUMN tx SET DEFAULT (pg_current_xact_id()::text::bigint);
DROP INDEX outbox_events_agency_idx;
CREATE INDEX outbox_events_position_idx ON outbox_events (tx, id);
CREATE INDEX outbox_events_agency_idx ON outbox_events (agency_id, tx, id);

ALTER TABLE webhooks ADD COLUMN last_event_tx BIGINT NOT NULL DEFAULT 0;
ALTER TABLE webhook_deliveries ADD COLUMN event_tx BIGINT NOT NULL DEFAULT 0;
-- The worker's "oldest pending delivery" in feed order (the listing by state keeps the old index).
CREATE INDEX webhook_deliveries_order_idx ON webhook_deliveries (webhook_id, state, event_tx, event_id);
