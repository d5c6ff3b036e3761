DROP TABLE survey_answers;
DROP TABLE survey_responses;
DROP TABLE survey_offices;
DROP TABLE surveys;
