ALTER TABLE accounts DROP COLUMN merged_at;
ALTER TABLE accounts DROP COLUMN merged_into;
