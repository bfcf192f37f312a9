-- The event log. Times are int64 Unix microseconds (UTC); NULL for an absent
-- optional time. seq is assigned by the writer (head + 1), never reused, even
-- after the newest event is erased.
CREATE TABLE events (
    seq                INTEGER PRIMARY KEY,
    source_id          TEXT    NOT NULL,
    channel            TEXT    NOT NULL,
    message_id         TEXT    NOT NULL,
    type               TEXT    NOT NULL,
    user_id            TEXT    NOT NULL,
    anonymous_id       TEXT    NOT NULL,
    previous_id        TEXT    NOT NULL,
    group_id           TEXT    NOT NULL,
    name               TEXT    NOT NULL,
    timestamp          INTEGER NOT NULL,
    received_at        INTEGER NOT NULL,
    sent_at            INTEGER,
    original_timestamp INTEGER,
    raw                BLOB    NOT NULL
);

-- One row per (source, messageId) inside the dedupe window.
CREATE TABLE dedupe (
    source_id   TEXT    NOT NULL,
    message_id  TEXT    NOT NULL,
    seq         INTEGER NOT NULL,
    received_at INTEGER NOT NULL,
    PRIMARY KEY (source_id, message_id)
) WITHOUT ROWID;

CREATE INDEX dedupe_received_at ON dedupe (received_at);

CREATE TABLE rejections (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    source_id   TEXT    NOT NULL,
    message_id  TEXT    NOT NULL,
    reason      TEXT    NOT NULL,
    detail      TEXT    NOT NULL,
    field       TEXT    NOT NULL,
    excerpt     TEXT    NOT NULL,
    received_at INTEGER NOT NULL
);

CREATE INDEX rejections_source ON rejections (source_id, id);

-- The single row of persistent counters, updated in every Append transaction.
CREATE TABLE log_counters (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    received   INTEGER NOT NULL,
    stored     INTEGER NOT NULL,
    duplicates INTEGER NOT NULL,
    rejected   INTEGER NOT NULL,
    head       INTEGER NOT NULL
);

INSERT INTO log_counters (id, received, stored, duplicates, rejected, head) VALUES (1, 0, 0, 0, 0, 0);
