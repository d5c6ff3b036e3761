DROP TABLE case_placements;
DROP TABLE case_activities;
DROP TABLE staff_cases;
