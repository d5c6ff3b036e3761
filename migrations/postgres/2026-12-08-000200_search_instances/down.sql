DROP TABLE posting_changes_pruned;
DROP TABLE search_instances;
