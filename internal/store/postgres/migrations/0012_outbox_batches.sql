-- The outbox holds one row per commit instead of one per event: writing
-- and clearing a commit's events is one row, with no per-event index entry
-- (store.EncodeOutbox frames the events). Rows a crash left in the old
-- table move over as one batch, in the order they were written, in the
-- JSON form store.DecodeOutbox also reads.
CREATE TABLE outbox_batches (
    id     bigserial PRIMARY KEY,
    events bytea     NOT NULL
);

INSERT INTO outbox_batches (events)
SELECT convert_to(json_agg(json_build_object(
           'source_id', source_id, 'message_id', message_id, 'channel', channel, 'type', type, 'name', name,
           'timestamp', (extract(epoch FROM timestamp) * 1000000)::bigint,
           'received_at', (extract(epoch FROM received_at) * 1000000)::bigint,
           'raw', convert_from(raw, 'UTF8')) ORDER BY id)::text, 'UTF8')
FROM outbox
HAVING count(*) > 0;

DROP TABLE outbox;
