-- The processor's own events (Segment Entered/Exited, Stage Changed,
-- journey events), written by Apply in the transaction that decided them
-- and deleted once they are in the log: a crash between the commit and the
-- append cannot lose them. Usually empty; id keeps the order they were
-- written in.
CREATE TABLE outbox (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    source_id   TEXT    NOT NULL,
    message_id  TEXT    NOT NULL,
    channel     TEXT    NOT NULL,
    type        TEXT    NOT NULL,
    name        TEXT    NOT NULL,
    timestamp   INTEGER NOT NULL,
    received_at INTEGER NOT NULL,
    raw         BLOB    NOT NULL,
    UNIQUE (source_id, message_id)
);
