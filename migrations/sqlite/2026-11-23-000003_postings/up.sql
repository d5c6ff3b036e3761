-- Postings, the change log that keeps search indexes in step, and saved searches.

CREATE TABLE postings (
    id TEXT NOT NULL CONSTRAINT postings_pkey PRIMARY KEY,
    department_code TEXT NOT NULL CONSTRAINT postings_department_code_fkey REFERENCES departments (code),
    classification_code TEXT NOT NULL CONSTRAINT postings_classification_code_fkey REFERENCES classifications (code),
    title TEXT NOT NULL,
    duties TEXT NOT NULL,
    county_code TEXT NOT NULL CONSTRAINT postings_county_code_fkey REFERENCES locations (code),
    tenure TEXT NOT NULL CONSTRAINT postings_tenure_check CHECK (tenure IN ('permanent', 'limited_term', 'temporary')),
    time_base TEXT NOT NULL CONSTRAINT postings_time_base_check CHECK (time_base IN ('full_time', 'part_time', 'intermittent')),
    shift TEXT NOT NULL CONSTRAINT postings_shift_check CHECK (shift IN ('day', 'evening', 'night', 'weekend', 'rotating')),
    salary_min_cents BIGINT NOT NULL,
    salary_max_cents BIGINT NOT NULL,
    final_filing_date DATE NOT NULL,
    required_documents TEXT NOT NULL,
    eligibility_required BOOLEAN NOT NULL,
    visibility TEXT NOT NULL CONSTRAINT postings_visibility_check CHECK (visibility IN ('public', 'internal_only')),
    status TEXT NOT NULL CONSTRAINT postings_status_check CHECK (status IN ('draft', 'open', 'closed', 'cancelled')),
    published_at TIMESTAMP NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version BIGINT NOT NULL,
    CONSTRAINT postings_salary_check CHECK (salary_min_cents >= 0 AND salary_min_cents <= salary_max_cents)
);

CREATE INDEX postings_department_idx ON postings (department_code, id);
CREATE INDEX postings_status_idx ON postings (status, id);

-- Every change to a posting appends a row here in the same transaction; search indexes of all
-- Merit instances read it to stay in step with the database.
CREATE TABLE posting_changes (
    seq INTEGER NOT NULL CONSTRAINT posting_changes_pkey PRIMARY KEY AUTOINCREMENT,
    posting_id TEXT NOT NULL
);

CREATE TABLE saved_searches (
    id TEXT NOT NULL CONSTRAINT saved_searches_pkey PRIMARY KEY,
    account_id TEXT NOT NULL CONSTRAINT saved_searches_account_id_fkey REFERENCES accounts (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    criteria TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CONSTRAINT saved_searches_name_key UNIQUE (account_id, name)
);

CREATE INDEX saved_searches_account_idx ON saved_searches (account_id, id);
