-- Lifecycle stage models: one immutable row per version; the latest version
-- of an id is the active one. Stages are a JSON array of {name, segment_id}.
CREATE TABLE stage_models (
    id            TEXT    NOT NULL,
    version       INTEGER NOT NULL,
    stages        TEXT    NOT NULL,
    default_stage TEXT    NOT NULL,
    created_at    INTEGER NOT NULL,
    PRIMARY KEY (id, version)
) WITHOUT ROWID;
