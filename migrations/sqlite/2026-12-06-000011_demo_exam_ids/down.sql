-- Gives the demo exams back their old ids, `demo-exam-<classification code>`. Only the demo
-- loader makes ids starting `00000000-0000-8000-8000-` (the API makes UUIDv7 ids), so these
-- rows are exactly the demo exams; attempts and eligibilities follow as in up.sql.
INSERT INTO exams (id, classification_code, title, description, is_open, final_filing_date,
    list_duration_months, passing_score, retake_wait_days, questions, created_by, created_at,
    updated_at)
SELECT 'demo-exam-' || demo.classification_code,
    demo.classification_code, demo.title, demo.description, demo.is_open, demo.final_filing_date,
    demo.list_duration_months, demo.passing_score, demo.retake_wait_days, demo.questions,
    demo.created_by, demo.created_at, demo.updated_at
FROM exams demo
WHERE demo.id LIKE '00000000-0000-8000-8000-%'
    AND NOT EXISTS (SELECT 1 FROM exams e WHERE e.id = 'demo-exam-' || demo.classification_code);

UPDATE exam_attempts
SET exam_id = (SELECT 'demo-exam-' || e.classification_code FROM exams e WHERE e.id = exam_attempts.exam_id)
WHERE exam_id LIKE '00000000-0000-8000-8000-%';

UPDATE eligibilities
SET exam_id = (SELECT 'demo-exam-' || e.classification_code FROM exams e WHERE e.id = eligibilities.exam_id)
WHERE exam_id LIKE '00000000-0000-8000-8000-%';

DELETE FROM exams WHERE id LIKE '00000000-0000-8000-8000-%';
