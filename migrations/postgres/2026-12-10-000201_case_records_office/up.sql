-- The case's office on its services and placements (a case never changes office: nothing
-- updates staff_cases.office_code), so that the report indicators and the dashboard count a
-- staff member's work in an office by an index range instead of looking every row's case up
-- (the dashboard's month of services hashed the office's 5,000 case ids on every request).
-- Written on insert from the case; filled here from the cases.

ALTER TABLE case_activities ADD COLUMN office_code TEXT NULL
    CONSTRAINT case_activities_office_code_fkey REFERENCES offices (code);
UPDATE case_activities SET office_code =
    (SELECT c.office_code FROM staff_cases c WHERE c.id = case_activities.case_id);
ALTER TABLE case_activities ALTER COLUMN office_code SET NOT NULL;
DROP INDEX case_activities_staff_idx;
-- One staff member's services in an office over a period (with the code: index-only).
CREATE INDEX case_activities_staff_idx ON case_activities (staff_id, office_code, provided_on, code);
-- The office's services over a period.
CREATE INDEX case_activities_office_idx ON case_activities (office_code, provided_on);

ALTER TABLE case_placements ADD COLUMN office_code TEXT NULL
    CONSTRAINT case_placements_office_code_fkey REFERENCES offices (code);
UPDATE case_placements SET office_code =
    (SELECT c.office_code FROM staff_cases c WHERE c.id = case_placements.case_id);
ALTER TABLE case_placements ALTER COLUMN office_code SET NOT NULL;
DROP INDEX case_placements_staff_idx;
CREATE INDEX case_placements_staff_idx ON case_placements (staff_id, office_code, start_date);
CREATE INDEX case_placements_office_idx ON case_placements (office_code, start_date);

-- A staff member's case load by status, from the index alone.
CREATE INDEX staff_cases_assigned_status_idx ON staff_cases (assigned_staff_id, status);

-- A staff member's scheduled appointments not over yet, with what the calendar widget counts
-- (upcoming: starts ahead; new: made lately), from the index alone.
CREATE INDEX appointments_staff_open_idx ON appointments (staff_id, status, ends_at, starts_at, created_at);
