-- Staff correspondence (CalJOBS): reusable letter templates of an office, with merge fields,
-- and the letters made from them for a case's person, each delivered as an inbox message of
-- kind 'correspondence' (and by email unless the person turned that kind off).

CREATE TABLE letter_templates (
    id TEXT NOT NULL CONSTRAINT letter_templates_pkey PRIMARY KEY,
    office_code TEXT NOT NULL CONSTRAINT letter_templates_office_code_fkey REFERENCES offices (code),
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    CONSTRAINT letter_templates_name_key UNIQUE (office_code, name_key)
);

CREATE TABLE correspondence (
    id TEXT NOT NULL CONSTRAINT correspondence_pkey PRIMARY KEY,
    case_id TEXT NOT NULL CONSTRAINT correspondence_case_id_fkey REFERENCES staff_cases (id),
    template_id TEXT NOT NULL CONSTRAINT correspondence_template_id_fkey REFERENCES letter_templates (id),
    office_code TEXT NOT NULL,
    account_id TEXT NOT NULL CONSTRAINT correspondence_account_id_fkey REFERENCES accounts (id),
    staff_id TEXT NOT NULL CONSTRAINT correspondence_staff_id_fkey REFERENCES accounts (id),
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    message_id TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

-- "Correspondence created" per staff member and period, and the office's list.
CREATE INDEX correspondence_staff_idx ON correspondence (staff_id, created_at);
CREATE INDEX correspondence_office_idx ON correspondence (office_code, id);

ALTER TABLE messages DROP CONSTRAINT messages_kind_check;
ALTER TABLE messages ADD CONSTRAINT messages_kind_check CHECK (kind IN ('application_status', 'account', 'contact_letter', 'job_alert', 'correspondence'));
