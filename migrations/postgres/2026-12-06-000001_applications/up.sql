-- Applications: drafts, the immutable snapshot frozen at submission, the history of every
-- transition, departments' own stages, idempotency keys of submissions, and filled postings.

CREATE TABLE applications (
    id TEXT NOT NULL CONSTRAINT applications_pkey PRIMARY KEY,
    posting_id TEXT NOT NULL CONSTRAINT applications_posting_id_fkey REFERENCES postings (id),
    account_id TEXT NOT NULL CONSTRAINT applications_account_id_fkey
        REFERENCES accounts (id) ON DELETE CASCADE,
    template_id TEXT NULL CONSTRAINT applications_template_id_fkey
        REFERENCES application_templates (id) ON DELETE SET NULL,
    status TEXT NOT NULL CONSTRAINT applications_status_check CHECK (status IN (
        'draft', 'received', 'under_review', 'not_considered', 'eligible', 'not_eligible',
        'referred', 'not_referred', 'interview', 'offer', 'hired', 'not_selected', 'withdrawn',
        'cancelled'
    )),
    -- the department's stage name, when the last move named one
    stage TEXT NULL,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    submitted_at TIMESTAMP NULL,
    -- the snapshot, frozen at submission (NULL while a draft)
    first_name TEXT NULL,
    last_name TEXT NULL,
    email TEXT NULL,
    phone TEXT NULL,
    -- JSON: the profile (contact, supervisors, conditions of employment) as submitted
    profile_snapshot TEXT NULL,
    template_name TEXT NULL,
    -- JSON: the template's content as submitted
    template_snapshot TEXT NULL,
    conditions_fit BOOLEAN NULL,
    rank_band INTEGER NULL,
    score INTEGER NULL,
    -- rank band, inverted score, submission instant and id, fixed width: the department's order
    sort_key TEXT NULL,
    CONSTRAINT applications_snapshot_check CHECK ((status = 'draft') = (submitted_at IS NULL))
);

-- One submitted application per person and posting (drafts may be several).
CREATE UNIQUE INDEX applications_one_submitted_key ON applications (account_id, posting_id)
    WHERE status <> 'draft';
CREATE INDEX applications_account_idx ON applications (account_id, id);
CREATE INDEX applications_posting_order_idx ON applications (posting_id, sort_key);
CREATE INDEX applications_posting_status_idx ON applications (posting_id, status, sort_key);

-- The documents a draft names (live documents of its owner).
CREATE TABLE application_attachments (
    application_id TEXT NOT NULL CONSTRAINT application_attachments_application_id_fkey
        REFERENCES applications (id) ON DELETE CASCADE,
    document_id TEXT NOT NULL CONSTRAINT application_attachments_document_id_fkey
        REFERENCES documents (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    CONSTRAINT application_attachments_pkey PRIMARY KEY (application_id, document_id)
);

CREATE INDEX application_attachments_document_idx ON application_attachments (document_id);

-- The document versions a submission froze, kept by content: the bytes under object_key stay
-- in the store while a row here names them, even after the owner deletes the document.
CREATE TABLE application_files (
    application_id TEXT NOT NULL CONSTRAINT application_files_application_id_fkey
        REFERENCES applications (id) ON DELETE CASCADE,
    document_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    file_name TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    object_key TEXT NOT NULL,
    CONSTRAINT application_files_pkey PRIMARY KEY (application_id, document_id)
);

CREATE INDEX application_files_object_key_idx ON application_files (object_key);

CREATE TABLE application_events (
    id TEXT NOT NULL CONSTRAINT application_events_pkey PRIMARY KEY,
    application_id TEXT NOT NULL CONSTRAINT application_events_application_id_fkey
        REFERENCES applications (id) ON DELETE CASCADE,
    at TIMESTAMP NOT NULL,
    status TEXT NOT NULL,
    stage TEXT NULL,
    reason TEXT NULL,
    note TEXT NULL,
    -- who made the move; NULL for Merit itself
    actor_id TEXT NULL,
    notice_sent BOOLEAN NOT NULL
);

CREATE INDEX application_events_application_idx ON application_events (application_id, id);

CREATE TABLE department_stages (
    department_code TEXT NOT NULL CONSTRAINT department_stages_department_code_fkey
        REFERENCES departments (code),
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    status TEXT NOT NULL,
    notify BOOLEAN NOT NULL,
    CONSTRAINT department_stages_pkey PRIMARY KEY (department_code, position),
    CONSTRAINT department_stages_name_key UNIQUE (department_code, name_key)
);

-- Idempotency-Key: the first successful answer to a request, replayed for 24 hours.
CREATE TABLE idempotency_keys (
    account_id TEXT NOT NULL CONSTRAINT idempotency_keys_account_id_fkey
        REFERENCES accounts (id) ON DELETE CASCADE,
    scope TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    status_code INTEGER NOT NULL,
    resource_id TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    CONSTRAINT idempotency_keys_pkey PRIMARY KEY (account_id, scope, idempotency_key)
);

CREATE INDEX idempotency_keys_expires_idx ON idempotency_keys (expires_at);

CREATE TABLE posting_fills (
    posting_id TEXT NOT NULL CONSTRAINT posting_fills_pkey PRIMARY KEY
        CONSTRAINT posting_fills_posting_id_fkey REFERENCES postings (id),
    filled_at TIMESTAMP NOT NULL,
    filled_by TEXT NOT NULL
);
