DROP TABLE offices;
DROP TABLE locations;
DROP TABLE classifications;
DROP TABLE departments;
