-- Segment definitions: one row per segment (its latest version number and
-- metadata) and one immutable row per version. Definitions are canonical
-- JSON stored as text (not jsonb, which would reorder the canonical field
-- order). Names are unique among live segments.
CREATE TABLE segments (
    id          text PRIMARY KEY,
    name        text        NOT NULL,
    description text        NOT NULL,
    version     integer     NOT NULL,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    deleted_at  timestamptz
);

CREATE UNIQUE INDEX segments_live_name ON segments (name) WHERE deleted_at IS NULL;

CREATE TABLE segment_versions (
    segment_id text        NOT NULL REFERENCES segments (id),
    version    integer     NOT NULL,
    definition text        NOT NULL,
    text       text        NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (segment_id, version)
);
