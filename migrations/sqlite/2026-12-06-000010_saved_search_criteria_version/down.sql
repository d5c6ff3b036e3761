ALTER TABLE saved_searches DROP COLUMN criteria_version;
