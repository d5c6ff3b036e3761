-- Incremental sync of postings (GET /postings?updated_since=) reads them in the order of their
-- last change.
CREATE INDEX postings_changes_idx ON postings (updated_at, id);
