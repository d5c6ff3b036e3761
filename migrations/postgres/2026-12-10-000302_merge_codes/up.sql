-- Profile merge by emailed code: an employee (requested_by) asks for a code sent to the verified
-- email address of their other account (account_id); the code proves control of that account
-- instead of its password. Stored as a salted hash (SHA-256 of the row id and the code), short
-- lived, used once (used_at), and dead after too many wrong tries (attempts).
CREATE TABLE merge_codes (
    id TEXT NOT NULL CONSTRAINT merge_codes_pkey PRIMARY KEY,
    requested_by TEXT NOT NULL CONSTRAINT merge_codes_requested_by_fkey REFERENCES accounts (id) ON DELETE CASCADE,
    account_id TEXT NOT NULL CONSTRAINT merge_codes_account_id_fkey REFERENCES accounts (id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    sent_to TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP NULL
);

CREATE INDEX merge_codes_requested_by_idx ON merge_codes (requested_by, created_at);
CREATE INDEX merge_codes_account_id_idx ON merge_codes (account_id);
