-- The timeline event announcing a send's outcome, written in the same
-- transaction as the outcome and cleared once the event is in the log.
ALTER TABLE sends ADD COLUMN pending_event text;
CREATE INDEX sends_pending_event ON sends (key) WHERE pending_event IS NOT NULL;
