-- Profile merge: an account merged into another (an employee's Employee ID account) is closed
-- and remembers which account it went into and when. Both are set together, once.
ALTER TABLE accounts ADD COLUMN merged_into TEXT NULL;
ALTER TABLE accounts ADD COLUMN merged_at TIMESTAMP NULL;
