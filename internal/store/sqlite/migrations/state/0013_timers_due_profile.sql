-- Due timers are read in (fire_at, profile_id) order: a burst due at one
-- instant is then fired customer by customer in profile id order, so what
-- it writes (memberships, timers, segment states, and the processor's
-- events whose ids sort by instant then profile) lands in ascending key
-- order instead of on random pages.
CREATE INDEX timers_due_profile ON timers (fire_at, profile_id, id);
DROP INDEX timers_due;
