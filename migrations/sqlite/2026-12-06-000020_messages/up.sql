-- The inbox: every notice Merit sends a person is a message, written in the transaction of its
-- cause; email is one delivery channel of it.
CREATE TABLE messages (
    id TEXT NOT NULL CONSTRAINT messages_pkey PRIMARY KEY,
    account_id TEXT NOT NULL CONSTRAINT messages_account_id_fkey
        REFERENCES accounts (id) ON DELETE CASCADE,
    -- the kinds sent today, and the two issue 12 plans (contact letters, job alerts), so that
    -- adding their producers needs no table rebuild on SQLite
    kind TEXT NOT NULL CONSTRAINT messages_kind_check CHECK (kind IN (
        'application_status', 'account', 'contact_letter', 'job_alert'
    )),
    subject TEXT NOT NULL,
    -- plain text
    body TEXT NOT NULL,
    application_id TEXT NULL CONSTRAINT messages_application_id_fkey
        REFERENCES applications (id) ON DELETE SET NULL,
    posting_id TEXT NULL CONSTRAINT messages_posting_id_fkey
        REFERENCES postings (id) ON DELETE SET NULL,
    -- the email sent with it, when it also went by email
    outbox_email_id TEXT NULL,
    created_at TIMESTAMP NOT NULL,
    read_at TIMESTAMP NULL,
    archived_at TIMESTAMP NULL
);

-- The inbox, newest first (ids are time-ordered), and its unread count.
CREATE INDEX messages_account_idx ON messages (account_id, id);
CREATE INDEX messages_unread_idx ON messages (account_id)
    WHERE read_at IS NULL AND archived_at IS NULL;

-- The kinds a person turned email off for (a kind not listed goes by email).
CREATE TABLE message_email_opt_outs (
    account_id TEXT NOT NULL CONSTRAINT message_email_opt_outs_account_id_fkey
        REFERENCES accounts (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    CONSTRAINT message_email_opt_outs_pkey PRIMARY KEY (account_id, kind)
);

-- Which email an outbox row is (its template), for logs and the admins' list; and the failed
-- ones, which admins list and re-queue.
ALTER TABLE outbox_emails ADD COLUMN kind TEXT NOT NULL DEFAULT 'unknown';
CREATE INDEX outbox_emails_failed_idx ON outbox_emails (id) WHERE failed_at IS NOT NULL;
