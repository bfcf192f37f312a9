-- Cairn's log and state store in one schema (set by search_path).
-- Times are timestamptz (microsecond precision). JSON trait values are stored
-- compacted as text, byte for byte; raw event bodies as bytea.

-- Event log.
CREATE TABLE events (
    seq                bigint PRIMARY KEY,
    source_id          text        NOT NULL,
    channel            text        NOT NULL,
    message_id         text        NOT NULL,
    type               text        NOT NULL,
    user_id            text        NOT NULL,
    anonymous_id       text        NOT NULL,
    previous_id        text        NOT NULL,
    group_id           text        NOT NULL,
    name               text        NOT NULL,
    timestamp          timestamptz NOT NULL,
    received_at        timestamptz NOT NULL,
    sent_at            timestamptz,
    original_timestamp timestamptz,
    raw                bytea       NOT NULL
);

CREATE TABLE dedupe (
    source_id   text        NOT NULL,
    message_id  text        NOT NULL,
    seq         bigint      NOT NULL,
    received_at timestamptz NOT NULL,
    PRIMARY KEY (source_id, message_id)
);

CREATE INDEX dedupe_received_at ON dedupe (received_at);

CREATE TABLE rejections (
    id          bigserial PRIMARY KEY,
    source_id   text        NOT NULL,
    message_id  text        NOT NULL,
    reason      text        NOT NULL,
    detail      text        NOT NULL,
    field       text        NOT NULL,
    excerpt     text        NOT NULL,
    received_at timestamptz NOT NULL
);

CREATE INDEX rejections_source ON rejections (source_id, id);

CREATE TABLE log_counters (
    id         int PRIMARY KEY CHECK (id = 1),
    received   bigint NOT NULL,
    stored     bigint NOT NULL,
    duplicates bigint NOT NULL,
    rejected   bigint NOT NULL,
    head       bigint NOT NULL
);

INSERT INTO log_counters (id, received, stored, duplicates, rejected, head) VALUES (1, 0, 0, 0, 0, 0);

-- State store.
CREATE TABLE sources (
    id             text PRIMARY KEY,
    name           text        NOT NULL,
    channel        text        NOT NULL,
    party          text        NOT NULL,
    created_at     timestamptz NOT NULL,
    link_anonymous boolean
);

CREATE TABLE write_keys (
    key        text PRIMARY KEY,
    source_id  text        NOT NULL REFERENCES sources (id),
    created_at timestamptz NOT NULL,
    revoked_at timestamptz
);

CREATE INDEX write_keys_source ON write_keys (source_id);

CREATE TABLE profiles (
    id          text PRIMARY KEY,
    merged_into text,
    first_seen  timestamptz NOT NULL,
    last_seen   timestamptz NOT NULL,
    event_count bigint      NOT NULL,
    sources     text[]      NOT NULL,
    channels    text[]      NOT NULL
);

CREATE INDEX profiles_merged_into ON profiles (merged_into) WHERE merged_into IS NOT NULL;
CREATE INDEX profiles_alive ON profiles (id) WHERE merged_into IS NULL;

CREATE TABLE identities (
    type       text        NOT NULL,
    value      text        NOT NULL,
    profile_id text        NOT NULL,
    first_seen timestamptz NOT NULL,
    last_seen  timestamptz NOT NULL,
    PRIMARY KEY (type, value)
);

CREATE INDEX identities_profile ON identities (profile_id);

CREATE TABLE traits (
    profile_id text        NOT NULL,
    path       text        NOT NULL,
    value      text        NOT NULL,
    time       timestamptz NOT NULL,
    source_id  text        NOT NULL,
    computed   boolean     NOT NULL,
    PRIMARY KEY (profile_id, path)
);

-- Values can exceed a btree entry, so FindProfiles indexes their hash.
CREATE INDEX traits_path_value ON traits (path, md5(value), profile_id);

CREATE TABLE timeline (
    profile_id text        NOT NULL,
    timestamp  timestamptz NOT NULL,
    seq        bigint      NOT NULL,
    type       text        NOT NULL,
    event      text        NOT NULL,
    source_id  text        NOT NULL,
    channel    text        NOT NULL,
    PRIMARY KEY (profile_id, timestamp, seq)
);

CREATE TABLE accounts (
    group_id   text PRIMARY KEY,
    first_seen timestamptz NOT NULL,
    last_seen  timestamptz NOT NULL
);

CREATE TABLE account_traits (
    group_id  text        NOT NULL,
    path      text        NOT NULL,
    value     text        NOT NULL,
    time      timestamptz NOT NULL,
    source_id text        NOT NULL,
    computed  boolean     NOT NULL,
    PRIMARY KEY (group_id, path)
);

CREATE TABLE memberships (
    profile_id text        NOT NULL,
    group_id   text        NOT NULL,
    since      timestamptz NOT NULL,
    PRIMARY KEY (profile_id, group_id)
);

CREATE INDEX memberships_group ON memberships (group_id);

CREATE TABLE merges (
    id         bigserial PRIMARY KEY,
    winner     text        NOT NULL,
    loser      text        NOT NULL,
    refused    boolean     NOT NULL,
    reason     text        NOT NULL,
    dropped    jsonb       NOT NULL,
    via        jsonb       NOT NULL,
    message_id text        NOT NULL,
    time       timestamptz NOT NULL
);

CREATE INDEX merges_winner ON merges (winner);
CREATE INDEX merges_loser ON merges (loser);

CREATE TABLE state_meta (
    id         int PRIMARY KEY CHECK (id = 1),
    checkpoint bigint NOT NULL
);

INSERT INTO state_meta (id, checkpoint) VALUES (1, 0);

CREATE TABLE tombstones (
    hash text PRIMARY KEY,
    at   timestamptz NOT NULL
);

CREATE TABLE audit (
    id     bigserial PRIMARY KEY,
    time   timestamptz NOT NULL,
    action text        NOT NULL,
    target text        NOT NULL,
    detail text        NOT NULL
);
