-- Job alerts: search criteria watched for new postings (issue 12).
CREATE TABLE job_alerts (
    id TEXT NOT NULL CONSTRAINT job_alerts_pkey PRIMARY KEY,
    account_id TEXT NOT NULL CONSTRAINT job_alerts_account_id_fkey
        REFERENCES accounts (id) ON DELETE CASCADE,
    -- the saved search it was made from, if any (its criteria were copied)
    saved_search_id TEXT NULL,
    -- versioned JSON, as saved searches keep theirs
    criteria TEXT NOT NULL,
    criteria_version BIGINT NOT NULL,
    channel TEXT NOT NULL CONSTRAINT job_alerts_channel_check CHECK (channel IN ('email', 'in_app')),
    frequency TEXT NOT NULL
        CONSTRAINT job_alerts_frequency_check CHECK (frequency IN ('instant', 'daily', 'weekly')),
    -- false once turned off (by its owner or a one-click unsubscribe)
    active BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX job_alerts_account_idx ON job_alerts (account_id, id);

-- Every write to an alert appends its id here, in its transaction; the matching index of each
-- instance reloads the alerts changed since the last number it applied.
CREATE TABLE job_alert_changes (
    seq INTEGER NOT NULL CONSTRAINT job_alert_changes_pkey PRIMARY KEY AUTOINCREMENT,
    alert_id TEXT NOT NULL
);

-- Postings that opened and wait to be matched against the alerts (queued in the publishing
-- transaction; at most once per posting, so a posting never alerts twice).
CREATE TABLE job_alert_queue (
    posting_id TEXT NOT NULL CONSTRAINT job_alert_queue_pkey PRIMARY KEY
        CONSTRAINT job_alert_queue_posting_id_fkey REFERENCES postings (id) ON DELETE CASCADE,
    queued_at TIMESTAMP NOT NULL,
    matched_at TIMESTAMP NULL
);
CREATE INDEX job_alert_queue_pending_idx ON job_alert_queue (queued_at) WHERE matched_at IS NULL;

-- One row per alert and posting it matched: the key that keeps a posting from alerting twice.
CREATE TABLE job_alert_hits (
    alert_id TEXT NOT NULL CONSTRAINT job_alert_hits_alert_id_fkey
        REFERENCES job_alerts (id) ON DELETE CASCADE,
    posting_id TEXT NOT NULL CONSTRAINT job_alert_hits_posting_id_fkey
        REFERENCES postings (id) ON DELETE CASCADE,
    account_id TEXT NOT NULL,
    frequency TEXT NOT NULL,
    -- why it matched (JSON list of criteria)
    reasons TEXT NOT NULL,
    -- the delivery period (a digest per person, frequency and period) and when it is due
    period_start TIMESTAMP NOT NULL,
    due_at TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL,
    delivered_at TIMESTAMP NULL,
    message_id TEXT NULL,
    CONSTRAINT job_alert_hits_pkey PRIMARY KEY (alert_id, posting_id)
);
CREATE INDEX job_alert_hits_due_idx ON job_alert_hits (due_at) WHERE delivered_at IS NULL;
CREATE INDEX job_alert_hits_group_idx ON job_alert_hits (account_id, frequency, period_start);

-- One digest per person, frequency and period.
CREATE TABLE job_alert_digests (
    account_id TEXT NOT NULL CONSTRAINT job_alert_digests_account_id_fkey
        REFERENCES accounts (id) ON DELETE CASCADE,
    frequency TEXT NOT NULL,
    period_start TIMESTAMP NOT NULL,
    message_id TEXT NULL,
    created_at TIMESTAMP NOT NULL,
    CONSTRAINT job_alert_digests_pkey PRIMARY KEY (account_id, frequency, period_start)
);

-- RFC 8058: an alert email names its one-click unsubscribe address (List-Unsubscribe).
ALTER TABLE outbox_emails ADD COLUMN list_unsubscribe TEXT NULL;
