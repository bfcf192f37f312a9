-- The state store. Times are int64 Unix microseconds (UTC); NULL for an absent
-- optional time. JSON values are stored compacted as TEXT.
CREATE TABLE sources (
    id             TEXT PRIMARY KEY,
    name           TEXT    NOT NULL,
    channel        TEXT    NOT NULL,
    party          TEXT    NOT NULL,
    created_at     INTEGER NOT NULL,
    link_anonymous INTEGER
) WITHOUT ROWID;

CREATE TABLE write_keys (
    key        TEXT PRIMARY KEY,
    source_id  TEXT    NOT NULL REFERENCES sources (id),
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
) WITHOUT ROWID;

CREATE INDEX write_keys_source ON write_keys (source_id);

CREATE TABLE profiles (
    id          TEXT PRIMARY KEY,
    merged_into TEXT,
    first_seen  INTEGER NOT NULL,
    last_seen   INTEGER NOT NULL,
    event_count INTEGER NOT NULL,
    sources     TEXT    NOT NULL, -- JSON array of source ids, sorted
    channels    TEXT    NOT NULL  -- JSON array of channels, sorted
) WITHOUT ROWID;

CREATE INDEX profiles_merged_into ON profiles (merged_into) WHERE merged_into IS NOT NULL;
CREATE INDEX profiles_alive ON profiles (id) WHERE merged_into IS NULL;

CREATE TABLE identities (
    type       TEXT    NOT NULL,
    value      TEXT    NOT NULL,
    profile_id TEXT    NOT NULL,
    first_seen INTEGER NOT NULL,
    last_seen  INTEGER NOT NULL,
    PRIMARY KEY (type, value)
) WITHOUT ROWID;

CREATE INDEX identities_profile ON identities (profile_id);

CREATE TABLE traits (
    profile_id TEXT    NOT NULL,
    path       TEXT    NOT NULL,
    value      TEXT    NOT NULL,
    time       INTEGER NOT NULL,
    source_id  TEXT    NOT NULL,
    computed   INTEGER NOT NULL,
    PRIMARY KEY (profile_id, path)
) WITHOUT ROWID;

-- FindProfiles(path, value) walks this index in profile_id order.
CREATE INDEX traits_path_value ON traits (path, value, profile_id);

-- The clustered key serves Timeline newest-first without a sort.
CREATE TABLE timeline (
    profile_id TEXT    NOT NULL,
    timestamp  INTEGER NOT NULL,
    seq        INTEGER NOT NULL,
    type       TEXT    NOT NULL,
    event      TEXT    NOT NULL,
    source_id  TEXT    NOT NULL,
    channel    TEXT    NOT NULL,
    PRIMARY KEY (profile_id, timestamp DESC, seq DESC)
) WITHOUT ROWID;

CREATE TABLE accounts (
    group_id   TEXT PRIMARY KEY,
    first_seen INTEGER NOT NULL,
    last_seen  INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE account_traits (
    group_id  TEXT    NOT NULL,
    path      TEXT    NOT NULL,
    value     TEXT    NOT NULL,
    time      INTEGER NOT NULL,
    source_id TEXT    NOT NULL,
    computed  INTEGER NOT NULL,
    PRIMARY KEY (group_id, path)
) WITHOUT ROWID;

CREATE TABLE memberships (
    profile_id TEXT    NOT NULL,
    group_id   TEXT    NOT NULL,
    since      INTEGER NOT NULL,
    PRIMARY KEY (profile_id, group_id)
) WITHOUT ROWID;

CREATE INDEX memberships_group ON memberships (group_id);

CREATE TABLE merges (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    winner     TEXT    NOT NULL,
    loser      TEXT    NOT NULL,
    refused    INTEGER NOT NULL,
    reason     TEXT    NOT NULL,
    dropped    TEXT    NOT NULL, -- JSON array of identity keys
    via        TEXT    NOT NULL, -- JSON array of identity keys
    message_id TEXT    NOT NULL,
    time       INTEGER NOT NULL
);

CREATE INDEX merges_winner ON merges (winner);
CREATE INDEX merges_loser ON merges (loser);

CREATE TABLE state_meta (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    checkpoint INTEGER NOT NULL
);

INSERT INTO state_meta (id, checkpoint) VALUES (1, 0);

CREATE TABLE tombstones (
    hash TEXT PRIMARY KEY,
    at   INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE audit (
    id     INTEGER PRIMARY KEY AUTOINCREMENT,
    time   INTEGER NOT NULL,
    action TEXT    NOT NULL,
    target TEXT    NOT NULL,
    detail TEXT    NOT NULL
);
