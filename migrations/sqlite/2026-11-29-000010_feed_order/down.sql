DROP INDEX webhook_deliveries_order_idx;
ALTER TABLE webhook_deliveries DROP COLUMN event_tx;
ALTER TABLE webhooks DROP COLUMN last_event_tx;
DROP INDEX outbox_events_agency_idx;
DROP INDEX outbox_events_position_idx;
CREATE INDEX outbox_events_agency_idx ON outbox_events (agency_id, id);
ALTER TABLE outbox_events DROP COLUMN tx;
