-- The rendered content of a send (JSON text, byte for byte), written by the
-- dispatcher for in-app messages and agent tasks.
ALTER TABLE sends ADD COLUMN content text;

-- Agent task queues and in-app inboxes list sends by channel and status.
CREATE INDEX sends_channel_status ON sends (channel, status, key);
