-- The case's office on its services and placements (a case never changes office: nothing
-- updates staff_cases.office_code), so that the report indicators and the dashboard count a
-- staff member's work in an office by an index range instead of looking every row's case up
-- (the dashboard's month of services hashed the office's 5,000 case ids on every request).
-- Written on insert from the case; filled here from the cases. SQLite cannot add a NOT NULL
-- column with a foreign key, so both tables are rebuilt (nothing references them).

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
    recorded_at TIMESTAMP NOT NULL,
    office_code TEXT NOT NULL CONSTRAINT case_activities_office_code_fkey REFERENCES offices (code)
);
INSERT INTO case_activities_rebuilt (id, case_id, code, provided_on, staff_id, note, recorded_by,
    recorded_at, office_code)
    SELECT a.id, a.case_id, a.code, a.provided_on, a.staff_id, a.note, a.recorded_by,
        a.recorded_at, c.office_code
    FROM case_activities a JOIN staff_cases c ON c.id = a.case_id;
DROP TABLE case_activities;
ALTER TABLE case_activities_rebuilt RENAME TO case_activities;
CREATE INDEX case_activities_case_idx ON case_activities (case_id, id);
-- One staff member's services in an office over a period (with the code: index-only).
CREATE INDEX case_activities_staff_idx ON case_activities (staff_id, office_code, provided_on, code);
-- The office's services over a period.
CREATE INDEX case_activities_office_idx ON case_activities (office_code, provided_on);

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
    recorded_at TIMESTAMP NOT NULL,
    office_code TEXT NOT NULL CONSTRAINT case_placements_office_code_fkey REFERENCES offices (code)
);
INSERT INTO case_placements_rebuilt (id, case_id, employer_name, posting_id, job_title,
    start_date, hourly_wage_cents, staff_id, recorded_by, recorded_at, office_code)
    SELECT p.id, p.case_id, p.employer_name, p.posting_id, p.job_title, p.start_date,
        p.hourly_wage_cents, p.staff_id, p.recorded_by, p.recorded_at, c.office_code
    FROM case_placements p JOIN staff_cases c ON c.id = p.case_id;
DROP TABLE case_placements;
ALTER TABLE case_placements_rebuilt RENAME TO case_placements;
CREATE INDEX case_placements_case_idx ON case_placements (case_id, id);
CREATE INDEX case_placements_staff_idx ON case_placements (staff_id, office_code, start_date);
CREATE INDEX case_placements_office_idx ON case_placements (office_code, start_date);

-- A staff member's case load by status, from the index alone.
CREATE INDEX staff_cases_assigned_status_idx ON staff_cases (assigned_staff_id, status);

-- A staff member's scheduled appointments not over yet, with what the calendar widget counts
-- (upcoming: starts ahead; new: made lately), from the index alone.
CREATE INDEX appointments_staff_open_idx ON appointments (staff_id, status, ends_at, starts_at, created_at);
