DROP INDEX job_alert_hits_pending_idx;
ALTER TABLE job_alert_hits ADD COLUMN reasons TEXT NOT NULL DEFAULT '[]';
