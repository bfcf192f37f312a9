-- The processor's outbox mark: state_meta.outbox_epoch names this store's
-- outbox numbering (a new store draws another), and log_counters keeps the
-- last outbox batch appended (store.OutboxMark), written in the
-- transaction that appends its events.
ALTER TABLE state_meta ADD COLUMN outbox_epoch BIGINT NOT NULL DEFAULT 0;
UPDATE state_meta SET outbox_epoch = (floor(random() * 9.2e18)::bigint | 1) WHERE id = 1;
ALTER TABLE log_counters ADD COLUMN outbox_epoch BIGINT NOT NULL DEFAULT 0;
ALTER TABLE log_counters ADD COLUMN outbox_id BIGINT NOT NULL DEFAULT 0;
