-- Profiles (contact details beyond the account, previous supervisors, conditions of
-- employment), application templates (STD 678) and uploaded documents. Structured content is
-- JSON in TEXT columns; names, email and the password stay on `accounts`.

CREATE TABLE profiles (
    account_id TEXT NOT NULL CONSTRAINT profiles_pkey PRIMARY KEY
        CONSTRAINT profiles_account_id_fkey REFERENCES accounts (id) ON DELETE CASCADE,
    phone TEXT NULL,
    address_line1 TEXT NULL,
    address_line2 TEXT NULL,
    address_city TEXT NULL,
    address_state TEXT NULL,
    address_postal_code TEXT NULL,
    -- JSON array of {name, title, phone, email, employer}
    supervisors TEXT NOT NULL,
    -- JSON object {tenures, time_bases, counties, departments, shifts}; empty lists mean any
    conditions TEXT NOT NULL,
    -- kept as a column so contact letters can select candidates in SQL
    accepts_contact BOOLEAN NOT NULL DEFAULT FALSE,
    version BIGINT NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CONSTRAINT profiles_address_check CHECK (
        (address_line1 IS NULL) = (address_city IS NULL)
        AND (address_line1 IS NULL) = (address_state IS NULL)
        AND (address_line1 IS NULL) = (address_postal_code IS NULL)
    )
);

CREATE INDEX profiles_accepts_contact_idx ON profiles (accepts_contact, account_id);

CREATE TABLE application_templates (
    id TEXT NOT NULL CONSTRAINT application_templates_pkey PRIMARY KEY,
    account_id TEXT NOT NULL CONSTRAINT application_templates_account_id_fkey
        REFERENCES accounts (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    -- the name in lower case: one person's templates have different names
    name_key TEXT NOT NULL,
    is_default BOOLEAN NOT NULL DEFAULT FALSE,
    -- JSON: position sought, education, work experience, licences, languages, answers
    content TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CONSTRAINT application_templates_name_key UNIQUE (account_id, name_key)
);

-- At most one default template per person.
CREATE UNIQUE INDEX application_templates_one_default ON application_templates (account_id)
    WHERE is_default;

CREATE TABLE documents (
    id TEXT NOT NULL CONSTRAINT documents_pkey PRIMARY KEY,
    account_id TEXT NOT NULL CONSTRAINT documents_account_id_fkey
        REFERENCES accounts (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CONSTRAINT documents_kind_check CHECK (kind IN (
        'resume', 'cover_letter', 'transcript', 'diploma', 'statement_of_qualifications',
        'licence', 'other'
    )),
    title TEXT NOT NULL,
    -- the client's file name, sanitised; never used as a path
    file_name TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL CONSTRAINT documents_size_bytes_check CHECK (size_bytes > 0),
    sha256 TEXT NOT NULL,
    -- where the bytes are in the object store: generated, never from the client
    object_key TEXT NOT NULL CONSTRAINT documents_object_key_key UNIQUE,
    created_at TIMESTAMP NOT NULL
);

CREATE INDEX documents_account_id_idx ON documents (account_id, id);
