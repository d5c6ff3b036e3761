DROP INDEX appointments_staff_open_idx;
DROP INDEX staff_cases_assigned_status_idx;

DROP INDEX case_placements_office_idx;
DROP INDEX case_placements_staff_idx;
ALTER TABLE case_placements DROP COLUMN office_code;
CREATE INDEX case_placements_staff_idx ON case_placements (staff_id, start_date);

DROP INDEX case_activities_office_idx;
DROP INDEX case_activities_staff_idx;
ALTER TABLE case_activities DROP COLUMN office_code;
CREATE INDEX case_activities_staff_idx ON case_activities (staff_id, provided_on);
