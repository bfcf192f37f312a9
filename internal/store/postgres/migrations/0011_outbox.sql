-- The processor's own events (Segment Entered/Exited, Stage Changed,
-- journey events), written by Apply in the transaction that decided them
-- and deleted once they are in the log: a crash between the commit and the
-- append cannot lose them. Usually empty; id keeps the order they were
-- written in.
CREATE TABLE outbox (
    id          bigserial   PRIMARY KEY,
    source_id   text        COLLATE "C" NOT NULL,
    message_id  text        COLLATE "C" NOT NULL,
    channel     text        NOT NULL,
    type        text        NOT NULL,
    name        text        NOT NULL,
    timestamp   timestamptz NOT NULL,
    received_at timestamptz NOT NULL,
    raw         bytea       NOT NULL,
    UNIQUE (source_id, message_id)
);
