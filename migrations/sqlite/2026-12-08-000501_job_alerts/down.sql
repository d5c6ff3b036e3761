ALTER TABLE outbox_emails DROP COLUMN list_unsubscribe;
DROP TABLE job_alert_digests;
DROP TABLE job_alert_hits;
DROP TABLE job_alert_queue;
DROP TABLE job_alert_changes;
DROP TABLE job_alerts;
