UPDATE postings SET created_by = 'demo' WHERE created_by = '00000000-0000-0000-0000-000000000000';
UPDATE exams SET created_by = 'demo' WHERE created_by = '00000000-0000-0000-0000-000000000000';
