DROP TABLE outbox_emails;
DROP TABLE audit_events;
DROP TABLE employee_roster;
DROP TABLE one_time_tokens;
DROP TABLE refresh_tokens;
DROP TABLE sessions;
DROP TABLE account_roles;
DROP TABLE accounts;
