-- The widgets a staff member chose for "My Staff Dashboard", in order (comma-separated kinds).
-- No row: the default set.
CREATE TABLE dashboard_widgets (
    account_id TEXT NOT NULL CONSTRAINT dashboard_widgets_pkey PRIMARY KEY
        CONSTRAINT dashboard_widgets_account_id_fkey REFERENCES accounts (id),
    widgets TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
