-- The rendered content of a send (JSON), written by the dispatcher when it
-- delivers on a channel Cairn serves itself (in-app messages, agent tasks),
-- so apps and agents read exactly what was decided at send time.
ALTER TABLE sends ADD COLUMN content TEXT;

-- Agent task queues and in-app inboxes list sends by channel and status.
CREATE INDEX sends_channel_status ON sends (channel, status, key);
