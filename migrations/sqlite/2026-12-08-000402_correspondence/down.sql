DROP TABLE correspondence;
DROP TABLE letter_templates;
CREATE TABLE messages_rebuilt (
    id TEXT NOT NULL CONSTRAINT messages_pkey PRIMARY KEY,
    account_id TEXT NOT NULL CONSTRAINT messages_account_id_fkey
        REFERENCES accounts (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CONSTRAINT messages_kind_check CHECK (kind IN (
        'application_status', 'account', 'contact_letter', 'job_alert'
    )),
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    application_id TEXT NULL CONSTRAINT messages_application_id_fkey
        REFERENCES applications (id) ON DELETE SET NULL,
    posting_id TEXT NULL CONSTRAINT messages_posting_id_fkey
        REFERENCES postings (id) ON DELETE SET NULL,
    outbox_email_id TEXT NULL,
    created_at TIMESTAMP NOT NULL,
    read_at TIMESTAMP NULL,
    archived_at TIMESTAMP NULL
);
INSERT INTO messages_rebuilt (id, account_id, kind, subject, body, application_id, posting_id,
    outbox_email_id, created_at, read_at, archived_at)
    SELECT id, account_id, kind, subject, body, application_id, posting_id, outbox_email_id,
        created_at, read_at, archived_at FROM messages WHERE kind <> 'correspondence';
DROP TABLE messages;
ALTER TABLE messages_rebuilt RENAME TO messages;
CREATE INDEX messages_account_idx ON messages (account_id, id);
CREATE INDEX messages_unread_idx ON messages (account_id)
    WHERE read_at IS NULL AND archived_at IS NULL;
