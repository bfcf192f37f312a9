-- Each segment's member count, kept by triggers in the transaction that
-- changes the members, so a segment's size is one row, not a count over
-- its members (GET /v1/segments reads every segment's size).
CREATE TABLE segment_sizes (
    segment_id TEXT    PRIMARY KEY,
    members    INTEGER NOT NULL
) WITHOUT ROWID;

INSERT INTO segment_sizes (segment_id, members)
    SELECT segment_id, count(*) FROM segment_members GROUP BY segment_id;

-- A join that updates an existing member (ON CONFLICT DO UPDATE) is an
-- UPDATE and changes no count.
CREATE TRIGGER segment_members_counted AFTER INSERT ON segment_members BEGIN
    INSERT INTO segment_sizes (segment_id, members) VALUES (NEW.segment_id, 1)
        ON CONFLICT (segment_id) DO UPDATE SET members = members + 1;
END;

CREATE TRIGGER segment_members_uncounted AFTER DELETE ON segment_members BEGIN
    UPDATE segment_sizes SET members = members - 1 WHERE segment_id = OLD.segment_id;
END;
