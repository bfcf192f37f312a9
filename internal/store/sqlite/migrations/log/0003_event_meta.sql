-- An event's channel, type and identifiers move into one blob (event_meta.go):
-- each bound string costs the append a copy into SQLite's memory, and seven
-- short strings per event were a sixth of the ingest committer's CPU. Rows
-- appended from now on hold '' in the seven columns and the values in meta;
-- rows appended before keep their columns and a NULL meta. Nothing queries
-- these columns: the log is read by seq, and dedupe uses source_id and
-- message_id, which stay columns.
ALTER TABLE events ADD COLUMN meta BLOB;
