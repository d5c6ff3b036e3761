-- Contact letters (employment inquiries, 2 CCR §258) from a department about a posting to the
-- people on its classification's eligible list, once per person and posting; and waivers of
-- appointment per person and classification (§260.1, §262: the third ends certification).

CREATE TABLE contact_letters (
    id TEXT NOT NULL CONSTRAINT contact_letters_pkey PRIMARY KEY,
    posting_id TEXT NOT NULL CONSTRAINT contact_letters_posting_id_fkey REFERENCES postings (id),
    account_id TEXT NOT NULL CONSTRAINT contact_letters_account_id_fkey REFERENCES accounts (id),
    classification_code TEXT NOT NULL,
    -- the rank band the person had on the list when the letter was sent
    rank_band INTEGER NOT NULL,
    -- the inbox message that carried it
    message_id TEXT NOT NULL,
    method TEXT NOT NULL CONSTRAINT contact_letters_method_check CHECK (method IN ('electronic', 'mail', 'telephone')),
    sent_by TEXT NOT NULL,
    sent_at TIMESTAMP NOT NULL,
    respond_by TIMESTAMP NOT NULL,
    answer TEXT NULL CONSTRAINT contact_letters_answer_check CHECK (answer IN ('interested', 'not_interested')),
    answered_at TIMESTAMP NULL,
    CONSTRAINT contact_letters_posting_account_key UNIQUE (posting_id, account_id),
    CONSTRAINT contact_letters_answered_check CHECK ((answer IS NULL) = (answered_at IS NULL))
);

CREATE INDEX contact_letters_account_idx ON contact_letters (account_id, id);

CREATE TABLE appointment_waivers (
    id TEXT NOT NULL CONSTRAINT appointment_waivers_pkey PRIMARY KEY,
    account_id TEXT NOT NULL CONSTRAINT appointment_waivers_account_id_fkey REFERENCES accounts (id),
    classification_code TEXT NOT NULL,
    posting_id TEXT NOT NULL CONSTRAINT appointment_waivers_posting_id_fkey REFERENCES postings (id),
    reason TEXT NOT NULL CONSTRAINT appointment_waivers_reason_check CHECK (reason IN
        ('declined_offer', 'unavailable_within_30_days', 'failed_to_appear')),
    recorded_by TEXT NOT NULL,
    recorded_at TIMESTAMP NOT NULL,
    CONSTRAINT appointment_waivers_posting_account_key UNIQUE (posting_id, account_id)
);

CREATE INDEX appointment_waivers_class_idx ON appointment_waivers (classification_code, account_id);
