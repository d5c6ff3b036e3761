DROP TABLE documents;
DROP TABLE application_templates;
DROP TABLE profiles;
