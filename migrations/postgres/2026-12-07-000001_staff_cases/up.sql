-- The staff workspace's case load (CalJOBS): cases for individuals (job seeker accounts) and
-- employers (an organisation named on the case), the services recorded on them and job
-- placements. Report indicators are computed from these rows; nothing is counted ahead.

CREATE TABLE staff_cases (
    id TEXT NOT NULL CONSTRAINT staff_cases_pkey PRIMARY KEY,
    office_code TEXT NOT NULL CONSTRAINT staff_cases_office_code_fkey REFERENCES offices (code),
    kind TEXT NOT NULL CONSTRAINT staff_cases_kind_check CHECK (kind IN ('individual', 'employer')),
    person_account_id TEXT NULL CONSTRAINT staff_cases_person_account_id_fkey REFERENCES accounts (id),
    employer_name TEXT NULL,
    employer_name_key TEXT NULL,
    contact_name TEXT NULL,
    contact_email TEXT NULL,
    contact_phone TEXT NULL,
    contact_phone_digits TEXT NULL,
    assigned_staff_id TEXT NOT NULL CONSTRAINT staff_cases_assigned_staff_id_fkey REFERENCES accounts (id),
    status TEXT NOT NULL CONSTRAINT staff_cases_status_check CHECK (status IN ('active', 'inactive', 'closed')),
    opened_at TIMESTAMP NOT NULL,
    opened_by TEXT NOT NULL,
    closed_at TIMESTAMP NULL,
    closed_by TEXT NULL,
    close_reason TEXT NULL CONSTRAINT staff_cases_close_reason_check CHECK (close_reason IN
        ('employed', 'services_completed', 'no_contact', 'moved_away', 'declined_services', 'transferred', 'other')),
    updated_at TIMESTAMP NOT NULL,
    -- Bumped by every change; the ETag of the case.
    version BIGINT NOT NULL,
    CONSTRAINT staff_cases_subject_check CHECK (
        (kind = 'individual' AND person_account_id IS NOT NULL AND employer_name IS NULL)
        OR (kind = 'employer' AND person_account_id IS NULL AND employer_name IS NOT NULL)
    ),
    CONSTRAINT staff_cases_closed_check CHECK ((status = 'closed') = (closed_at IS NOT NULL AND close_reason IS NOT NULL))
);

-- One open case per person, and per employer name, in an office.
CREATE UNIQUE INDEX staff_cases_open_person_key ON staff_cases (office_code, person_account_id)
    WHERE status <> 'closed' AND person_account_id IS NOT NULL;
CREATE UNIQUE INDEX staff_cases_open_employer_key ON staff_cases (office_code, employer_name_key)
    WHERE status <> 'closed' AND employer_name_key IS NOT NULL;
CREATE INDEX staff_cases_assigned_idx ON staff_cases (assigned_staff_id, id);
CREATE INDEX staff_cases_office_idx ON staff_cases (office_code, id);
CREATE INDEX staff_cases_person_idx ON staff_cases (person_account_id);
CREATE INDEX staff_cases_opened_idx ON staff_cases (office_code, opened_at);
CREATE INDEX staff_cases_closed_idx ON staff_cases (office_code, closed_at);

CREATE TABLE case_activities (
    id TEXT NOT NULL CONSTRAINT case_activities_pkey PRIMARY KEY,
    case_id TEXT NOT NULL CONSTRAINT case_activities_case_id_fkey REFERENCES staff_cases (id),
    code TEXT NOT NULL CONSTRAINT case_activities_code_check CHECK (code IN
        ('orientation', 'job_referral', 'resume_assistance', 'workshop', 'career_counseling',
         'skills_assessment', 'job_search_assistance', 'follow_up')),
    provided_on DATE NOT NULL,
    staff_id TEXT NOT NULL CONSTRAINT case_activities_staff_id_fkey REFERENCES accounts (id),
    note TEXT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TIMESTAMP NOT NULL
);

CREATE INDEX case_activities_case_idx ON case_activities (case_id, id);
CREATE INDEX case_activities_staff_idx ON case_activities (staff_id, provided_on);

CREATE TABLE case_placements (
    id TEXT NOT NULL CONSTRAINT case_placements_pkey PRIMARY KEY,
    case_id TEXT NOT NULL CONSTRAINT case_placements_case_id_fkey REFERENCES staff_cases (id),
    employer_name TEXT NOT NULL,
    posting_id TEXT NULL CONSTRAINT case_placements_posting_id_fkey REFERENCES postings (id),
    job_title TEXT NOT NULL,
    start_date DATE NOT NULL,
    hourly_wage_cents BIGINT NOT NULL CONSTRAINT case_placements_wage_check CHECK (hourly_wage_cents > 0),
    staff_id TEXT NOT NULL CONSTRAINT case_placements_staff_id_fkey REFERENCES accounts (id),
    recorded_by TEXT NOT NULL,
    recorded_at TIMESTAMP NOT NULL
);

CREATE INDEX case_placements_case_idx ON case_placements (case_id, id);
CREATE INDEX case_placements_staff_idx ON case_placements (staff_id, start_date);
