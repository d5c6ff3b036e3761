-- Surveys admins put to staff: questions (kept as JSON, fixed once the survey is made), a
-- window, and an audience (every office, or those in survey_offices). survey_responses says
-- who answered (once each); survey_answers holds the answers with nothing that ties them to
-- the person (random ids, no account, no time), so results can be shown without names.

CREATE TABLE surveys (
    id TEXT NOT NULL CONSTRAINT surveys_pkey PRIMARY KEY,
    title TEXT NOT NULL,
    description TEXT NULL,
    questions TEXT NOT NULL,
    opens_at TIMESTAMP NOT NULL,
    closes_at TIMESTAMP NOT NULL,
    all_offices BOOLEAN NOT NULL,
    created_by TEXT NOT NULL CONSTRAINT surveys_created_by_fkey REFERENCES accounts (id),
    created_at TIMESTAMP NOT NULL,
    CONSTRAINT surveys_window_check CHECK (closes_at > opens_at)
);

CREATE INDEX surveys_window_idx ON surveys (closes_at, opens_at);

CREATE TABLE survey_offices (
    survey_id TEXT NOT NULL CONSTRAINT survey_offices_survey_id_fkey REFERENCES surveys (id),
    office_code TEXT NOT NULL CONSTRAINT survey_offices_office_code_fkey REFERENCES offices (code),
    CONSTRAINT survey_offices_pkey PRIMARY KEY (survey_id, office_code)
);

CREATE INDEX survey_offices_office_idx ON survey_offices (office_code, survey_id);

CREATE TABLE survey_responses (
    survey_id TEXT NOT NULL CONSTRAINT survey_responses_survey_id_fkey REFERENCES surveys (id),
    account_id TEXT NOT NULL CONSTRAINT survey_responses_account_id_fkey REFERENCES accounts (id),
    submitted_at TIMESTAMP NOT NULL,
    CONSTRAINT survey_responses_pkey PRIMARY KEY (account_id, survey_id)
);

CREATE INDEX survey_responses_survey_idx ON survey_responses (survey_id);

CREATE TABLE survey_answers (
    id TEXT NOT NULL CONSTRAINT survey_answers_pkey PRIMARY KEY,
    survey_id TEXT NOT NULL CONSTRAINT survey_answers_survey_id_fkey REFERENCES surveys (id),
    question INTEGER NOT NULL,
    choice INTEGER NULL,
    rating INTEGER NULL,
    answer_text TEXT NULL
);

CREATE INDEX survey_answers_survey_idx ON survey_answers (survey_id, question);
