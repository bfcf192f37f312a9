-- The analytics projection follows the timeline in processing order
-- (State.TimelineSince): seq is monotonic, so the index grows at its right
-- edge and costs the processor little.
CREATE INDEX timeline_seq ON timeline (seq, profile_id);
