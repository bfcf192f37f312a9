-- Lifecycle stage models: one immutable row per version; the latest version
-- of an id is the active one. Stages are a JSON array of {name, segment_id}.
CREATE TABLE stage_models (
    id            text        NOT NULL,
    version       integer     NOT NULL,
    stages        text        NOT NULL,
    default_stage text        NOT NULL,
    created_at    timestamptz NOT NULL,
    PRIMARY KEY (id, version)
);
