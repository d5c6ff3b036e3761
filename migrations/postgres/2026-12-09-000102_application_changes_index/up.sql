-- Incremental sync of a posting's applications reads them in the order of their last change.
CREATE INDEX applications_posting_changes_idx ON applications (posting_id, updated_at, id);
