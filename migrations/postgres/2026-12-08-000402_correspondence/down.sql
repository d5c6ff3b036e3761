DROP TABLE correspondence;
DROP TABLE letter_templates;
DELETE FROM messages WHERE kind = 'correspondence';
ALTER TABLE messages DROP CONSTRAINT messages_kind_check;
ALTER TABLE messages ADD CONSTRAINT messages_kind_check CHECK (kind IN ('application_status', 'account', 'contact_letter', 'job_alert'));
