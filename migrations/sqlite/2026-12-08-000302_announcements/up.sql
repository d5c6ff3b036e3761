-- News and announcements admins publish to staff: to everyone, or to chosen offices and/or
-- roles (an announcement with offices listed reaches only those offices; with roles listed,
-- only holders of those roles), shown from publish_at until expire_at unless withdrawn. Read
-- state is kept per account.

CREATE TABLE announcements (
    id TEXT NOT NULL CONSTRAINT announcements_pkey PRIMARY KEY,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    -- No rows in announcement_offices / announcement_roles: every office / every role.
    all_offices BOOLEAN NOT NULL,
    all_roles BOOLEAN NOT NULL,
    publish_at TIMESTAMP NOT NULL,
    expire_at TIMESTAMP NULL,
    withdrawn_at TIMESTAMP NULL,
    created_by TEXT NOT NULL CONSTRAINT announcements_created_by_fkey REFERENCES accounts (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version BIGINT NOT NULL,
    CONSTRAINT announcements_expiry_check CHECK (expire_at IS NULL OR expire_at > publish_at)
);

CREATE INDEX announcements_publish_idx ON announcements (publish_at, id);

CREATE TABLE announcement_offices (
    announcement_id TEXT NOT NULL CONSTRAINT announcement_offices_announcement_id_fkey REFERENCES announcements (id),
    office_code TEXT NOT NULL CONSTRAINT announcement_offices_office_code_fkey REFERENCES offices (code),
    CONSTRAINT announcement_offices_pkey PRIMARY KEY (announcement_id, office_code)
);

CREATE INDEX announcement_offices_office_idx ON announcement_offices (office_code, announcement_id);

CREATE TABLE announcement_roles (
    announcement_id TEXT NOT NULL CONSTRAINT announcement_roles_announcement_id_fkey REFERENCES announcements (id),
    role TEXT NOT NULL CONSTRAINT announcement_roles_role_check CHECK (role IN ('staff', 'admin')),
    CONSTRAINT announcement_roles_pkey PRIMARY KEY (announcement_id, role)
);

CREATE INDEX announcement_roles_role_idx ON announcement_roles (role, announcement_id);

CREATE TABLE announcement_reads (
    announcement_id TEXT NOT NULL CONSTRAINT announcement_reads_announcement_id_fkey REFERENCES announcements (id),
    account_id TEXT NOT NULL CONSTRAINT announcement_reads_account_id_fkey REFERENCES accounts (id),
    read_at TIMESTAMP NOT NULL,
    CONSTRAINT announcement_reads_pkey PRIMARY KEY (account_id, announcement_id)
);
