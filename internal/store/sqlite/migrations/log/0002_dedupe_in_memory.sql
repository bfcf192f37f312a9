-- The dedupe records of the random message ids SDKs send move from the
-- dedupe table to an index in memory, rebuilt from the events table when
-- the log opens (dedupe_index.go): a B-tree keyed by random ids cost a
-- random page write per event. The table keeps the records of the sources
-- whose ids ascend with time (Cairn's own events; Log.SetSortedSources).
--
-- Which events still hold a key: those with seq >= dedupe_from, and of
-- those below dedupe_through (the events the last prune read), the ones
-- received at or after dedupe_before. PruneDedupe moves all three forward.
-- Here they are taken from the records the table holds (the records of the
-- other sources stay until pruned, unread); with none, from the head.
ALTER TABLE log_counters ADD COLUMN dedupe_from INTEGER NOT NULL DEFAULT 1;
ALTER TABLE log_counters ADD COLUMN dedupe_through INTEGER NOT NULL DEFAULT 1;
ALTER TABLE log_counters ADD COLUMN dedupe_before INTEGER NOT NULL DEFAULT -9223372036854775808;

UPDATE log_counters SET
    dedupe_from = COALESCE((SELECT MIN(seq) FROM dedupe), head + 1),
    dedupe_through = head + 1,
    dedupe_before = COALESCE((SELECT MIN(received_at) FROM dedupe), -9223372036854775808)
WHERE id = 1;
