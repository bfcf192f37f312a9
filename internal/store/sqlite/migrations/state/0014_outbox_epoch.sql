-- A random number naming this state store's outbox numbering: the log
-- records the last outbox batch it committed as (epoch, id), and a new
-- state store (whose batch ids start at 1 again) draws another epoch.
ALTER TABLE state_meta ADD COLUMN outbox_epoch INTEGER NOT NULL DEFAULT 0;
UPDATE state_meta SET outbox_epoch = (random() & 9223372036854775807) | 1 WHERE id = 1;
