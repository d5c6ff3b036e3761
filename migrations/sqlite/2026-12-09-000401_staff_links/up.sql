-- Links admins keep for staff: resources (guides, training videos, forms: "Need Help or More
-- Information") and labour-market links ("Labor Market Services"), one table told apart by
-- shelf. Each is for every office, or for the offices listed in staff_link_offices.

CREATE TABLE staff_links (
    id TEXT NOT NULL CONSTRAINT staff_links_pkey PRIMARY KEY,
    shelf TEXT NOT NULL CONSTRAINT staff_links_shelf_check CHECK (shelf IN ('resource', 'labor_market')),
    title TEXT NOT NULL,
    url TEXT NOT NULL,
    -- Resources: guide, training_video, form, other. Labour-market links: none.
    kind TEXT NULL CONSTRAINT staff_links_kind_check CHECK (kind IS NULL OR kind IN ('guide', 'training_video', 'form', 'other')),
    -- Labour-market links: the region they cover (free text), if any.
    region TEXT NULL,
    description TEXT NULL,
    -- No rows in staff_link_offices: every office.
    all_offices BOOLEAN NOT NULL,
    created_by TEXT NOT NULL CONSTRAINT staff_links_created_by_fkey REFERENCES accounts (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version BIGINT NOT NULL,
    CONSTRAINT staff_links_kind_shelf_check CHECK ((shelf = 'resource') = (kind IS NOT NULL))
);

CREATE INDEX staff_links_shelf_idx ON staff_links (shelf, id);

CREATE TABLE staff_link_offices (
    link_id TEXT NOT NULL CONSTRAINT staff_link_offices_link_id_fkey REFERENCES staff_links (id) ON DELETE CASCADE,
    office_code TEXT NOT NULL CONSTRAINT staff_link_offices_office_code_fkey REFERENCES offices (code),
    CONSTRAINT staff_link_offices_pkey PRIMARY KEY (link_id, office_code)
);

CREATE INDEX staff_link_offices_office_idx ON staff_link_offices (office_code, link_id);
