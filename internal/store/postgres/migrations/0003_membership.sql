-- Real-time segment membership and durable timers, both written by Apply in
-- the same transaction as the checkpoint.
-- Ids use the "C" collation so that lists and cursors follow byte order, as
-- in SQLite, whatever the database's default collation.
CREATE TABLE segment_members (
    segment_id text COLLATE "C" NOT NULL,
    profile_id text COLLATE "C" NOT NULL,
    version    integer          NOT NULL,
    since      timestamptz      NOT NULL,
    PRIMARY KEY (segment_id, profile_id)
);

-- ProfileSegments, and merges and erasure by profile.
CREATE INDEX segment_members_profile ON segment_members (profile_id);

-- A replaced timer takes a new id from the sequence, so a reader can
-- acknowledge a fired timer by id without deleting its replacement.
CREATE TABLE timers (
    id         bigserial PRIMARY KEY,
    kind       text        NOT NULL,
    profile_id text        NOT NULL,
    ref        text        NOT NULL,
    fire_at    timestamptz NOT NULL,
    payload    text -- JSON as given (not jsonb, which would reorder it); NULL when absent
);

-- One pending timer per (kind, profile_id, ref); profile_id leads so that
-- merges and erasure delete a profile's timers through it.
CREATE UNIQUE INDEX timers_key ON timers (profile_id, kind, ref);

-- DueTimers and NextTimer walk this index.
CREATE INDEX timers_due ON timers (fire_at, id);
