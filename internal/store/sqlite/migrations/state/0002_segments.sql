-- Segment definitions: one row per segment (its latest version number and
-- metadata) and one immutable row per version. Definitions are canonical
-- JSON stored as text, byte for byte. Names are unique among live segments.
CREATE TABLE segments (
    id          TEXT PRIMARY KEY,
    name        TEXT    NOT NULL,
    description TEXT    NOT NULL,
    version     INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    deleted_at  INTEGER
) WITHOUT ROWID;

CREATE UNIQUE INDEX segments_live_name ON segments (name) WHERE deleted_at IS NULL;

CREATE TABLE segment_versions (
    segment_id TEXT    NOT NULL REFERENCES segments (id),
    version    INTEGER NOT NULL,
    definition TEXT    NOT NULL,
    text       TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (segment_id, version)
) WITHOUT ROWID;
