-- Real-time segment membership and durable timers, both written by Apply in
-- the same transaction as the checkpoint.
CREATE TABLE segment_members (
    segment_id TEXT    NOT NULL,
    profile_id TEXT    NOT NULL,
    version    INTEGER NOT NULL,
    since      INTEGER NOT NULL,
    PRIMARY KEY (segment_id, profile_id)
) WITHOUT ROWID;

-- ProfileSegments, and merges and erasure by profile.
CREATE INDEX segment_members_profile ON segment_members (profile_id);

-- AUTOINCREMENT: a replaced timer gets a new id that was never used before,
-- so a reader can acknowledge a fired timer by id without deleting its
-- replacement.
CREATE TABLE timers (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    kind       TEXT    NOT NULL,
    profile_id TEXT    NOT NULL,
    ref        TEXT    NOT NULL,
    fire_at    INTEGER NOT NULL,
    payload    TEXT -- JSON as given; NULL when absent
);

-- One pending timer per (kind, profile_id, ref); profile_id leads so that
-- merges and erasure delete a profile's timers through it.
CREATE UNIQUE INDEX timers_key ON timers (profile_id, kind, ref);

-- DueTimers and NextTimer walk this index.
CREATE INDEX timers_due ON timers (fire_at, id);
