-- The last processor outbox batch appended (store.OutboxMark), written in
-- the transaction that appends its events: after a crash the processor
-- re-appends only batches past it, so its events need no dedupe records.
ALTER TABLE log_counters ADD COLUMN outbox_epoch INTEGER NOT NULL DEFAULT 0;
ALTER TABLE log_counters ADD COLUMN outbox_id INTEGER NOT NULL DEFAULT 0;
