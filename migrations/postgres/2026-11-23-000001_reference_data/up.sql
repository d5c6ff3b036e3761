-- Reference data: departments, job classifications, locations (California's 58 counties) and
-- workforce offices. Codes are natural keys; every constraint is named so both backends report
-- the same name.

CREATE TABLE departments (
    code TEXT NOT NULL CONSTRAINT departments_pkey PRIMARY KEY,
    name TEXT NOT NULL
);

CREATE TABLE classifications (
    code TEXT NOT NULL CONSTRAINT classifications_pkey PRIMARY KEY,
    title TEXT NOT NULL
);

CREATE TABLE locations (
    code TEXT NOT NULL CONSTRAINT locations_pkey PRIMARY KEY,
    name TEXT NOT NULL,
    fips TEXT NOT NULL
);

CREATE TABLE offices (
    code TEXT NOT NULL CONSTRAINT offices_pkey PRIMARY KEY,
    name TEXT NOT NULL,
    county_code TEXT NOT NULL CONSTRAINT offices_county_code_fkey REFERENCES locations (code)
);

CREATE INDEX offices_county_code_idx ON offices (county_code);

-- California's counties, with their FIPS codes.
INSERT INTO locations (code, name, fips) VALUES
    ('alameda', 'Alameda', '06001'),
    ('alpine', 'Alpine', '06003'),
    ('amador', 'Amador', '06005'),
    ('butte', 'Butte', '06007'),
    ('calaveras', 'Calaveras', '06009'),
    ('colusa', 'Colusa', '06011'),
    ('contra-costa', 'Contra Costa', '06013'),
    ('del-norte', 'Del Norte', '06015'),
    ('el-dorado', 'El Dorado', '06017'),
    ('fresno', 'Fresno', '06019'),
    ('glenn', 'Glenn', '06021'),
    ('humboldt', 'Humboldt', '06023'),
    ('imperial', 'Imperial', '06025'),
    ('inyo', 'Inyo', '06027'),
    ('kern', 'Kern', '06029'),
    ('kings', 'Kings', '06031'),
    ('lake', 'Lake', '06033'),
    ('lassen', 'Lassen', '06035'),
    ('los-angeles', 'Los Angeles', '06037'),
    ('madera', 'Madera', '06039'),
    ('marin', 'Marin', '06041'),
    ('mariposa', 'Mariposa', '06043'),
    ('mendocino', 'Mendocino', '06045'),
    ('merced', 'Merced', '06047'),
    ('modoc', 'Modoc', '06049'),
    ('mono', 'Mono', '06051'),
    ('monterey', 'Monterey', '06053'),
    ('napa', 'Napa', '06055'),
    ('nevada', 'Nevada', '06057'),
    ('orange', 'Orange', '06059'),
    ('placer', 'Placer', '06061'),
    ('plumas', 'Plumas', '06063'),
    ('riverside', 'Riverside', '06065'),
    ('sacramento', 'Sacramento', '06067'),
    ('san-benito', 'San Benito', '06069'),
    ('san-bernardino', 'San Bernardino', '06071'),
    ('san-diego', 'San Diego', '06073'),
    ('san-francisco', 'San Francisco', '06075'),
    ('san-joaquin', 'San Joaquin', '06077'),
    ('san-luis-obispo', 'San Luis Obispo', '06079'),
    ('san-mateo', 'San Mateo', '06081'),
    ('santa-barbara', 'Santa Barbara', '06083'),
    ('santa-clara', 'Santa Clara', '06085'),
    ('santa-cruz', 'Santa Cruz', '06087'),
    ('shasta', 'Shasta', '06089'),
    ('sierra', 'Sierra', '06091'),
    ('siskiyou', 'Siskiyou', '06093'),
    ('solano', 'Solano', '06095'),
    ('sonoma', 'Sonoma', '06097'),
    ('stanislaus', 'Stanislaus', '06099'),
    ('sutter', 'Sutter', '06101'),
    ('tehama', 'Tehama', '06103'),
    ('trinity', 'Trinity', '06105'),
    ('tulare', 'Tulare', '06107'),
    ('tuolumne', 'Tuolumne', '06109'),
    ('ventura', 'Ventura', '06111'),
    ('yolo', 'Yolo', '06113'),
    ('yuba', 'Yuba', '06115');
