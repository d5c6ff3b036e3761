-- Exam ids are UUIDs (typed ids parse only their canonical text). The demo exams were stored as
-- `demo-exam-<classification code>` (codes of at most 12 digits); they become
-- `00000000-0000-8000-8000-<code, zero-padded to 12>`, the id the demo loader now gives them.
-- The two tables that hold exam ids, exam_attempts (a foreign key) and eligibilities, follow:
-- the new exam row is written first and the old one deleted last, so the key holds throughout.
INSERT INTO exams (id, classification_code, title, description, is_open, final_filing_date,
    list_duration_months, passing_score, retake_wait_days, questions, created_by, created_at,
    updated_at)
SELECT '00000000-0000-8000-8000-' || substr('000000000000' || substr(legacy.id, 11), length('000000000000' || substr(legacy.id, 11)) - 11),
    legacy.classification_code, legacy.title, legacy.description, legacy.is_open, legacy.final_filing_date,
    legacy.list_duration_months, legacy.passing_score, legacy.retake_wait_days, legacy.questions,
    legacy.created_by, legacy.created_at, legacy.updated_at
FROM exams legacy
WHERE legacy.id LIKE 'demo-exam-%'
    AND NOT EXISTS (SELECT 1 FROM exams e
        WHERE e.id = '00000000-0000-8000-8000-' || substr('000000000000' || substr(legacy.id, 11), length('000000000000' || substr(legacy.id, 11)) - 11));

UPDATE exam_attempts
SET exam_id = '00000000-0000-8000-8000-' || substr('000000000000' || substr(exam_id, 11), length('000000000000' || substr(exam_id, 11)) - 11)
WHERE exam_id LIKE 'demo-exam-%';

UPDATE eligibilities
SET exam_id = '00000000-0000-8000-8000-' || substr('000000000000' || substr(exam_id, 11), length('000000000000' || substr(exam_id, 11)) - 11)
WHERE exam_id LIKE 'demo-exam-%';

DELETE FROM exams WHERE id LIKE 'demo-exam-%';
