DROP TABLE announcement_reads;
DROP TABLE announcement_roles;
DROP TABLE announcement_offices;
DROP TABLE announcements;
