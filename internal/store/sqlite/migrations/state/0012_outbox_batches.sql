-- The outbox holds one row per commit instead of one per event: writing
-- and clearing a commit's events is one row, with no per-event index entry
-- (store.EncodeOutbox frames the events). Rows a crash left in the old
-- table move over as one batch, in the order they were written, in the
-- JSON form store.DecodeOutbox also reads.
CREATE TABLE outbox_batches (
    id     INTEGER PRIMARY KEY AUTOINCREMENT,
    events BLOB    NOT NULL
);

INSERT INTO outbox_batches (events)
SELECT CAST(json_group_array(json_object(
           'source_id', source_id, 'message_id', message_id, 'channel', channel, 'type', type, 'name', name,
           'timestamp', timestamp, 'received_at', received_at, 'raw', CAST(raw AS TEXT))) AS BLOB)
FROM (SELECT * FROM outbox ORDER BY id)
HAVING count(*) > 0;

DROP TABLE outbox;
