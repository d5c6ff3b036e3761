-- Each Merit instance records how far its search index has applied the posting change log, and
-- when it last said so. Rows of `posting_changes` that every instance heard from within the
-- grace period has applied are deleted (see docs/ARCHITECTURE.md, "Search").
CREATE TABLE search_instances (
    instance_id TEXT NOT NULL CONSTRAINT search_instances_pkey PRIMARY KEY,
    applied_seq BIGINT NOT NULL,
    heartbeat_at TIMESTAMP NOT NULL
);

-- One row: every change numbered up to `pruned_through` may have been deleted. An instance whose
-- position is older than that reloads its whole index.
CREATE TABLE posting_changes_pruned (
    id INTEGER NOT NULL CONSTRAINT posting_changes_pruned_pkey PRIMARY KEY,
    pruned_through BIGINT NOT NULL,
    CONSTRAINT posting_changes_pruned_one_row CHECK (id = 1)
);

INSERT INTO posting_changes_pruned (id, pruned_through) VALUES (1, 0);
