-- Issue 12: why a match matched is written when it is delivered (from the alert's criteria and
-- the posting), no longer stored with every match.
ALTER TABLE job_alert_hits DROP COLUMN reasons;
-- The digest pass walks the undelivered matches in key order (a keyset walk).
CREATE INDEX job_alert_hits_pending_idx ON job_alert_hits (account_id, frequency, period_start)
    WHERE delivered_at IS NULL;
