DROP INDEX outbox_emails_failed_idx;
ALTER TABLE outbox_emails DROP COLUMN kind;
DROP TABLE message_email_opt_outs;
DROP TABLE messages;
