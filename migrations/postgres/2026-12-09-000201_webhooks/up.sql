-- Webhooks (issue 15): an API client's endpoints, the events written in the transaction of
-- their cause (the outbox), one delivery per endpoint and event, and every attempt's outcome.
CREATE TABLE webhook_endpoints (
    id TEXT NOT NULL CONSTRAINT webhook_endpoints_pkey PRIMARY KEY,
    client_id TEXT NOT NULL CONSTRAINT webhook_endpoints_client_id_fkey
        REFERENCES api_clients (id) ON DELETE CASCADE,
    url TEXT NOT NULL,
    description TEXT NULL,
    -- the event types subscribed to, space-separated wire names in canonical order
    event_types TEXT NOT NULL,
    enabled BOOLEAN NOT NULL,
    -- why it is disabled: 'manual', 'gone' (the receiver answered 410), 'failing' (a delivery
    -- was given up after its last attempt); NULL while enabled
    disabled_reason TEXT NULL,
    -- the signing secret, `whsec_<base64>`; kept readable because every delivery is signed with it
    secret TEXT NOT NULL,
    -- the secret before the last rotation, signing beside the new one until previous_secret_until
    previous_secret TEXT NULL,
    previous_secret_until TIMESTAMP NULL,
    created_at TIMESTAMP NOT NULL,
    created_by TEXT NOT NULL CONSTRAINT webhook_endpoints_created_by_fkey REFERENCES accounts (id),
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX webhook_endpoints_client_idx ON webhook_endpoints (client_id, id);

CREATE TABLE webhook_events (
    -- also the `webhook-id` header of every delivery of the event
    id TEXT NOT NULL CONSTRAINT webhook_events_pkey PRIMARY KEY,
    event_type TEXT NOT NULL,
    -- the exact bytes sent (and signed)
    payload TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE webhook_deliveries (
    id TEXT NOT NULL CONSTRAINT webhook_deliveries_pkey PRIMARY KEY,
    endpoint_id TEXT NOT NULL CONSTRAINT webhook_deliveries_endpoint_id_fkey
        REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    event_id TEXT NOT NULL CONSTRAINT webhook_deliveries_event_id_fkey
        REFERENCES webhook_events (id),
    attempts INTEGER NOT NULL,
    next_attempt_at TIMESTAMP NOT NULL,
    claimed_until TIMESTAMP NULL,
    delivered_at TIMESTAMP NULL,
    failed_at TIMESTAMP NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at)
    WHERE delivered_at IS NULL AND failed_at IS NULL;
CREATE INDEX webhook_deliveries_endpoint_idx ON webhook_deliveries (endpoint_id, id);

CREATE TABLE webhook_attempts (
    id TEXT NOT NULL CONSTRAINT webhook_attempts_pkey PRIMARY KEY,
    delivery_id TEXT NOT NULL CONSTRAINT webhook_attempts_delivery_id_fkey
        REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    endpoint_id TEXT NOT NULL CONSTRAINT webhook_attempts_endpoint_id_fkey
        REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    attempt INTEGER NOT NULL,
    attempted_at TIMESTAMP NOT NULL,
    -- NULL: no answer (refused, timed out, an address not allowed)
    response_status INTEGER NULL,
    latency_ms BIGINT NOT NULL,
    -- the answer's first 1 KiB
    response_body TEXT NULL,
    error TEXT NULL
);
CREATE INDEX webhook_attempts_endpoint_idx ON webhook_attempts (endpoint_id, id);
CREATE INDEX webhook_attempts_delivery_idx ON webhook_attempts (delivery_id);
