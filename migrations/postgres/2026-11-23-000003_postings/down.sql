DROP TABLE saved_searches;
DROP TABLE posting_changes;
DROP TABLE postings;
