-- Webhook subscriptions: each pushes what its owner could read from the event feed, in order.
-- `last_event_id` is how far the feed has been turned into deliveries; `lease_*` is the claim of
-- the one worker (of possibly several `serve` processes) that works this subscription now.
CREATE TABLE webhooks (
    id             TEXT PRIMARY KEY,
    owner_id       TEXT NOT NULL,
    owner_kind     TEXT NOT NULL CHECK (owner_kind IN ('user', 'service')),
    url            TEXT NOT NULL,
    secret         TEXT NOT NULL,
    event_types    TEXT NOT NULL,
    active         BOOLEAN NOT NULL,
    last_event_id  BIGINT NOT NULL,
    lease_owner    TEXT,
    lease_until    TIMESTAMP,
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL
);
CREATE INDEX webhooks_owner_idx ON webhooks (owner_id);

-- One event to one subscription: pending until delivered, or dead after the last attempt.
CREATE TABLE webhook_deliveries (
    id               TEXT PRIMARY KEY,
    webhook_id       TEXT NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    event_id         BIGINT NOT NULL REFERENCES outbox_events (id),
    event_type       TEXT NOT NULL,
    state            TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'dead')),
    attempts         INTEGER NOT NULL,
    next_attempt_at  TIMESTAMP NOT NULL,
    created_at       TIMESTAMP NOT NULL,
    delivered_at     TIMESTAMP,
    UNIQUE (webhook_id, event_id)
);
CREATE INDEX webhook_deliveries_pending_idx ON webhook_deliveries (webhook_id, state, event_id);
-- The worker's "which subscriptions have a retry due" (few rows are pending at any time).
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (state, next_attempt_at);

-- Every POST made, with what came back.
CREATE TABLE webhook_attempts (
    delivery_id   TEXT NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    number        INTEGER NOT NULL,
    attempted_at  TIMESTAMP NOT NULL,
    status_code   INTEGER,
    error         TEXT,
    duration_ms   BIGINT NOT NULL,
    PRIMARY KEY (delivery_id, number)
);
