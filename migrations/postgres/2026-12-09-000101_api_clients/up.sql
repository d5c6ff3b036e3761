-- Machine clients (issue 15): integrators authenticate with the OAuth 2.0 client-credentials
-- grant. Each client is backed by a service account (role employer, the client's department,
-- no password: it cannot sign in), so every existing use case sees an ordinary actor and the
-- audit log names the client's account.
CREATE TABLE api_clients (
    id TEXT NOT NULL CONSTRAINT api_clients_pkey PRIMARY KEY,
    name TEXT NOT NULL,
    -- NULL: state-wide
    department_code TEXT NULL CONSTRAINT api_clients_department_code_fkey
        REFERENCES departments (code),
    -- the permissions granted, space-separated OAuth scope tokens in canonical order
    -- (e.g. 'applications:read postings:write')
    permissions TEXT NOT NULL,
    -- the service account the client acts as
    account_id TEXT NOT NULL CONSTRAINT api_clients_account_id_key UNIQUE
        CONSTRAINT api_clients_account_id_fkey REFERENCES accounts (id),
    created_at TIMESTAMP NOT NULL,
    created_by TEXT NOT NULL CONSTRAINT api_clients_created_by_fkey REFERENCES accounts (id),
    updated_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP NULL,
    revoked_by TEXT NULL CONSTRAINT api_clients_revoked_by_fkey REFERENCES accounts (id)
);
CREATE INDEX api_clients_created_idx ON api_clients (created_at, id);

-- A client's secrets, stored only as SHA-256 hashes (a secret is 256 random bits). Rotation adds
-- a new secret and gives the previous ones an expiry, so both work during the overlap.
CREATE TABLE api_client_secrets (
    id TEXT NOT NULL CONSTRAINT api_client_secrets_pkey PRIMARY KEY,
    client_id TEXT NOT NULL CONSTRAINT api_client_secrets_client_id_fkey
        REFERENCES api_clients (id) ON DELETE CASCADE,
    secret_hash TEXT NOT NULL CONSTRAINT api_client_secrets_secret_hash_key UNIQUE,
    created_at TIMESTAMP NOT NULL,
    -- NULL: the current secret (no expiry)
    expires_at TIMESTAMP NULL
);
CREATE INDEX api_client_secrets_client_idx ON api_client_secrets (client_id, created_at);
