-- Each segment's member count, kept by triggers in the transaction that
-- changes the members, so a segment's size is one row, not a count over
-- its members (GET /v1/segments reads every segment's size). TRUNCATE fires
-- no row trigger: Reset truncates segment_sizes with segment_members.
CREATE TABLE segment_sizes (
    segment_id TEXT   PRIMARY KEY,
    members    BIGINT NOT NULL
);

INSERT INTO segment_sizes (segment_id, members)
    SELECT segment_id, count(*) FROM segment_members GROUP BY segment_id;

CREATE FUNCTION segment_members_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO segment_sizes (segment_id, members) VALUES (NEW.segment_id, 1)
            ON CONFLICT (segment_id) DO UPDATE SET members = segment_sizes.members + 1;
    ELSE
        UPDATE segment_sizes SET members = members - 1 WHERE segment_id = OLD.segment_id;
    END IF;
    RETURN NULL;
END $$;

-- A join that updates an existing member (ON CONFLICT DO UPDATE) is an
-- UPDATE and changes no count.
CREATE TRIGGER segment_members_counted AFTER INSERT OR DELETE ON segment_members
    FOR EACH ROW EXECUTE FUNCTION segment_members_count();
