-- The timeline event announcing a send's outcome, written in the same
-- transaction as the outcome and cleared once the event is in the log: a
-- crash between the two cannot lose the event a journey waits for.
ALTER TABLE sends ADD COLUMN pending_event TEXT;
CREATE INDEX sends_pending_event ON sends (key) WHERE pending_event IS NOT NULL;
