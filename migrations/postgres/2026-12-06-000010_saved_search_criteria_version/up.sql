-- Saved searches keep the domain's criteria, versioned: 1 is the API's JSON of the first
-- release (read through a version-1 reader), 2 the persistence layer's own encoding.
ALTER TABLE saved_searches ADD COLUMN criteria_version BIGINT NOT NULL DEFAULT 1;
