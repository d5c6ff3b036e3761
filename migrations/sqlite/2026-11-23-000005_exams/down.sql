DROP TABLE eligibilities;
DROP TABLE exam_attempts;
DROP TABLE exams;
