DROP TABLE staff_link_offices;
DROP TABLE staff_links;
