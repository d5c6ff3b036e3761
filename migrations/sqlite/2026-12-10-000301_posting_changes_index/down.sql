DROP INDEX postings_changes_idx;
