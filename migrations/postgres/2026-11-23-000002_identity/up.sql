-- Identity and access: accounts and their roles, sessions with rotating refresh tokens,
-- single-use tokens for email links, the employee roster, the audit log and the email outbox.

CREATE TABLE accounts (
    id TEXT NOT NULL CONSTRAINT accounts_pkey PRIMARY KEY,
    username TEXT NULL,
    username_key TEXT NULL CONSTRAINT accounts_username_key UNIQUE,
    email TEXT NULL,
    email_key TEXT NULL CONSTRAINT accounts_email_key UNIQUE,
    employee_id TEXT NULL CONSTRAINT accounts_employee_id_key UNIQUE,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    password_hash TEXT NULL,
    password_changed_at TIMESTAMP NULL,
    temporary_password_expires_at TIMESTAMP NULL,
    email_verified_at TIMESTAMP NULL,
    department_code TEXT NULL CONSTRAINT accounts_department_code_fkey REFERENCES departments (code),
    office_code TEXT NULL CONSTRAINT accounts_office_code_fkey REFERENCES offices (code),
    disabled_at TIMESTAMP NULL,
    failed_login_count INTEGER NOT NULL DEFAULT 0,
    failed_login_window_start TIMESTAMP NULL,
    locked_until TIMESTAMP NULL,
    privacy_agreement_version TEXT NULL,
    privacy_agreement_accepted_at TIMESTAMP NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE account_roles (
    account_id TEXT NOT NULL CONSTRAINT account_roles_account_id_fkey REFERENCES accounts (id) ON DELETE CASCADE,
    role TEXT NOT NULL CONSTRAINT account_roles_role_check
        CHECK (role IN ('applicant', 'employee', 'employer', 'staff', 'admin')),
    CONSTRAINT account_roles_pkey PRIMARY KEY (account_id, role)
);

CREATE INDEX account_roles_role_idx ON account_roles (role, account_id);

-- A session is one sign-in: a family of refresh tokens, each used once.
CREATE TABLE sessions (
    id TEXT NOT NULL CONSTRAINT sessions_pkey PRIMARY KEY,
    account_id TEXT NOT NULL CONSTRAINT sessions_account_id_fkey REFERENCES accounts (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP NULL,
    revoked_reason TEXT NULL
);

CREATE INDEX sessions_account_id_idx ON sessions (account_id);

CREATE TABLE refresh_tokens (
    token_hash TEXT NOT NULL CONSTRAINT refresh_tokens_pkey PRIMARY KEY,
    session_id TEXT NOT NULL CONSTRAINT refresh_tokens_session_id_fkey REFERENCES sessions (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP NULL
);

CREATE INDEX refresh_tokens_session_id_idx ON refresh_tokens (session_id);

-- Links sent by email: verify an address, reset or set a password. Stored hashed, used once.
CREATE TABLE one_time_tokens (
    token_hash TEXT NOT NULL CONSTRAINT one_time_tokens_pkey PRIMARY KEY,
    account_id TEXT NOT NULL CONSTRAINT one_time_tokens_account_id_fkey REFERENCES accounts (id) ON DELETE CASCADE,
    purpose TEXT NOT NULL CONSTRAINT one_time_tokens_purpose_check
        CHECK (purpose IN ('email_verification', 'password_reset', 'set_password')),
    sent_to TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP NULL
);

CREATE INDEX one_time_tokens_account_id_idx ON one_time_tokens (account_id, purpose);

CREATE TABLE employee_roster (
    employee_id TEXT NOT NULL CONSTRAINT employee_roster_pkey PRIMARY KEY,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    department_code TEXT NOT NULL CONSTRAINT employee_roster_department_code_fkey REFERENCES departments (code),
    business_email TEXT NOT NULL,
    business_email_key TEXT NOT NULL,
    status TEXT NOT NULL CONSTRAINT employee_roster_status_check CHECK (status IN ('active', 'separated')),
    updated_at TIMESTAMP NOT NULL
);

CREATE INDEX employee_roster_business_email_key_idx ON employee_roster (business_email_key);

-- Security events. No foreign keys: the record outlives what it describes.
CREATE TABLE audit_events (
    id TEXT NOT NULL CONSTRAINT audit_events_pkey PRIMARY KEY,
    occurred_at TIMESTAMP NOT NULL,
    kind TEXT NOT NULL,
    actor_account_id TEXT NULL,
    subject_account_id TEXT NULL,
    details TEXT NOT NULL
);

CREATE INDEX audit_events_subject_idx ON audit_events (subject_account_id, id);
CREATE INDEX audit_events_actor_idx ON audit_events (actor_account_id, id);
CREATE INDEX audit_events_kind_idx ON audit_events (kind, id);

-- Every email is a row written with the change that causes it; a worker delivers it.
CREATE TABLE outbox_emails (
    id TEXT NOT NULL CONSTRAINT outbox_emails_pkey PRIMARY KEY,
    to_address TEXT NOT NULL,
    subject TEXT NOT NULL,
    text_body TEXT NOT NULL,
    html_body TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    next_attempt_at TIMESTAMP NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    claimed_until TIMESTAMP NULL,
    sent_at TIMESTAMP NULL,
    failed_at TIMESTAMP NULL,
    last_error TEXT NULL
);

CREATE INDEX outbox_emails_due_idx ON outbox_emails (next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;
