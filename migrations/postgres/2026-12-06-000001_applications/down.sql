DROP TABLE posting_fills;
DROP TABLE idempotency_keys;
DROP TABLE department_stages;
DROP TABLE application_events;
DROP TABLE application_files;
DROP TABLE application_attachments;
DROP TABLE applications;
