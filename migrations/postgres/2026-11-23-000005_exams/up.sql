-- Exams (questionnaires whose options carry points), attempts, and the list eligibility each
-- pass grants. A person's standing on a classification's eligible list is their best
-- unexpired eligibility for it.

CREATE TABLE exams (
    id TEXT NOT NULL CONSTRAINT exams_pkey PRIMARY KEY,
    classification_code TEXT NOT NULL CONSTRAINT exams_classification_code_fkey REFERENCES classifications (code),
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    is_open BOOLEAN NOT NULL,
    final_filing_date DATE NULL,
    list_duration_months INTEGER NOT NULL CONSTRAINT exams_list_duration_check CHECK (list_duration_months IN (12, 24)),
    passing_score INTEGER NOT NULL CONSTRAINT exams_passing_score_check CHECK (passing_score BETWEEN 0 AND 100),
    retake_wait_days INTEGER NOT NULL CONSTRAINT exams_retake_wait_check CHECK (retake_wait_days >= 0),
    -- JSON array of {id, text, options: [{id, text, points}]}
    questions TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE INDEX exams_classification_idx ON exams (classification_code, id);

CREATE TABLE exam_attempts (
    id TEXT NOT NULL CONSTRAINT exam_attempts_pkey PRIMARY KEY,
    exam_id TEXT NOT NULL CONSTRAINT exam_attempts_exam_id_fkey REFERENCES exams (id),
    account_id TEXT NOT NULL CONSTRAINT exam_attempts_account_id_fkey REFERENCES accounts (id) ON DELETE CASCADE,
    classification_code TEXT NOT NULL,
    score INTEGER NOT NULL,
    passed BOOLEAN NOT NULL,
    rank_band INTEGER NULL,
    -- JSON array of [question id, option id]
    answers TEXT NOT NULL,
    taken_at TIMESTAMP NOT NULL
);

CREATE INDEX exam_attempts_account_idx ON exam_attempts (account_id, taken_at);
CREATE INDEX exam_attempts_exam_account_idx ON exam_attempts (exam_id, account_id, taken_at);

-- One row per pass.
CREATE TABLE eligibilities (
    attempt_id TEXT NOT NULL CONSTRAINT eligibilities_pkey PRIMARY KEY
        CONSTRAINT eligibilities_attempt_id_fkey REFERENCES exam_attempts (id) ON DELETE CASCADE,
    account_id TEXT NOT NULL CONSTRAINT eligibilities_account_id_fkey REFERENCES accounts (id) ON DELETE CASCADE,
    classification_code TEXT NOT NULL CONSTRAINT eligibilities_classification_code_fkey REFERENCES classifications (code),
    exam_id TEXT NOT NULL,
    score INTEGER NOT NULL,
    rank_band INTEGER NOT NULL,
    granted_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);

-- The eligible list walks this index in rank order and stops after a page.
CREATE INDEX eligibilities_list_idx ON eligibilities (classification_code, rank_band, score DESC, account_id, expires_at);
CREATE INDEX eligibilities_account_idx ON eligibilities (account_id, classification_code, expires_at);
