DROP INDEX appointments_staff_open_idx;
DROP INDEX staff_cases_assigned_status_idx;

DROP INDEX case_placements_office_idx;
DROP INDEX case_placements_staff_idx;
DROP INDEX case_placements_case_idx;
CREATE TABLE case_placements_rebuilt (
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
INSERT INTO case_placements_rebuilt (id, case_id, employer_name, posting_id, job_title,
    start_date, hourly_wage_cents, staff_id, recorded_by, recorded_at)
    SELECT id, case_id, employer_name, posting_id, job_title, start_date, hourly_wage_cents,
        staff_id, recorded_by, recorded_at FROM case_placements;
DROP TABLE case_placements;
ALTER TABLE case_placements_rebuilt RENAME TO case_placements;
CREATE INDEX case_placements_case_idx ON case_placements (case_id, id);
CREATE INDEX case_placements_staff_idx ON case_placements (staff_id, start_date);

DROP INDEX case_activities_office_idx;
DROP INDEX case_activities_staff_idx;
DROP INDEX case_activities_case_idx;
CREATE TABLE case_activities_rebuilt (
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
INSERT INTO case_activities_rebuilt (id, case_id, code, provided_on, staff_id, note, recorded_by,
    recorded_at)
    SELECT id, case_id, code, provided_on, staff_id, note, recorded_by, recorded_at
    FROM case_activities;
DROP TABLE case_activities;
ALTER TABLE case_activities_rebuilt RENAME TO case_activities;
CREATE INDEX case_activities_case_idx ON case_activities (case_id, id);
CREATE INDEX case_activities_staff_idx ON case_activities (staff_id, provided_on);
