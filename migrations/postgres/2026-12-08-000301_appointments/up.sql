-- Staff calendars (CalJOBS "My Calendar"): appointments of one staff member, optionally about
-- a case of their office, at a place or by a video link. The office is the staff member's when
-- the appointment was made; office scoping reads it. Cancelled appointments free their time.

CREATE TABLE appointments (
    id TEXT NOT NULL CONSTRAINT appointments_pkey PRIMARY KEY,
    office_code TEXT NOT NULL CONSTRAINT appointments_office_code_fkey REFERENCES offices (code),
    staff_id TEXT NOT NULL CONSTRAINT appointments_staff_id_fkey REFERENCES accounts (id),
    case_id TEXT NULL CONSTRAINT appointments_case_id_fkey REFERENCES staff_cases (id),
    title TEXT NOT NULL,
    starts_at TIMESTAMP NOT NULL,
    ends_at TIMESTAMP NOT NULL,
    location TEXT NULL,
    video_url TEXT NULL,
    status TEXT NOT NULL CONSTRAINT appointments_status_check CHECK (status IN ('scheduled', 'completed', 'cancelled', 'no_show')),
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    -- Bumped by every change; the ETag of the appointment.
    version BIGINT NOT NULL,
    CONSTRAINT appointments_times_check CHECK (ends_at > starts_at),
    CONSTRAINT appointments_place_check CHECK (location IS NOT NULL OR video_url IS NOT NULL)
);

-- A staff member's calendar by time (conflicts, upcoming, lists) and by when it was made (new).
CREATE INDEX appointments_staff_idx ON appointments (staff_id, starts_at, id);
CREATE INDEX appointments_staff_created_idx ON appointments (staff_id, created_at);
CREATE INDEX appointments_office_idx ON appointments (office_code, starts_at, id);
CREATE INDEX appointments_case_idx ON appointments (case_id);
