DROP TABLE appointment_waivers;
DROP TABLE contact_letters;
