-- Segment sizes are counted by Apply from the rows its member statements
-- change (segment_sizes.go) instead of by a trigger per row, whose
-- sub-program and upsert of the size row cost about a third of a member
-- write (BenchmarkApplyMembers: 8.1–11.2 µs per member row with the
-- triggers, 6.4–7.8 µs without). The counts stay what migration 0010
-- started.
DROP TRIGGER segment_members_counted;
DROP TRIGGER segment_members_uncounted;
