-- The demo's postings and exams were created by the text `demo`; an author is an account id
-- now, and the demo loader's is the nil id, which no account has.
UPDATE postings SET created_by = '00000000-0000-0000-0000-000000000000' WHERE created_by = 'demo';
UPDATE exams SET created_by = '00000000-0000-0000-0000-000000000000' WHERE created_by = 'demo';
