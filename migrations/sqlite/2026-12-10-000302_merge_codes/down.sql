DROP TABLE merge_codes;
