-- The analytics projection follows the timeline in processing order
-- (State.TimelineSince).
CREATE INDEX timeline_seq ON timeline (seq, profile_id);
