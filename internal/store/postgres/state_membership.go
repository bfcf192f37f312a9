package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cairn-cdp/cairn/internal/store"
)

// queueMembership queues b's segment membership and timer changes at the end
// of Apply's batch: first it drops the rows of every merged-away loser, then
// joins, leaves, timers and timer deletes, each list as one statement over
// unnest arrays.
func queueMembership(b *store.ProcessBatch, q func(desc, sql string, args ...any)) error {
	var losers []string
	for _, m := range b.Merges {
		if !m.Refused {
			losers = append(losers, m.Loser)
		}
	}
	if len(losers) > 0 {
		q("drop segment memberships of merged profiles", "DELETE FROM segment_members WHERE profile_id = ANY($1)", losers)
		// Journey timers stay: the loser's instances move to the winner with them.
		q("drop timers of merged profiles", "DELETE FROM timers WHERE kind <> 'journey' AND profile_id = ANY($1)", losers)
	}
	if len(b.SegmentJoins) > 0 {
		segs, profs, versions, since := dedupeJoins(b.SegmentJoins)
		q(fmt.Sprintf("upsert %d segment joins", len(segs)), `INSERT INTO segment_members (segment_id, profile_id, version, since)
			SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::timestamptz[])
			ON CONFLICT (segment_id, profile_id) DO UPDATE SET version = excluded.version`, segs, profs, versions, since)
	}
	if len(b.SegmentLeaves) > 0 {
		segs, profs := make([]string, len(b.SegmentLeaves)), make([]string, len(b.SegmentLeaves))
		for i, l := range b.SegmentLeaves {
			segs[i], profs[i] = l.SegmentID, l.ProfileID
		}
		q(fmt.Sprintf("delete %d segment leaves", len(segs)), `DELETE FROM segment_members m
			USING unnest($1::text[], $2::text[]) AS d(segment_id, profile_id)
			WHERE m.segment_id = d.segment_id AND m.profile_id = d.profile_id`, segs, profs)
	}
	if len(b.Timers) > 0 {
		ts, err := dedupeTimers(b.Timers)
		if err != nil {
			return err
		}
		q(fmt.Sprintf("upsert %d timers", len(ts.profiles)), `INSERT INTO timers (profile_id, kind, ref, fire_at, payload)
			SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::text[])
			ON CONFLICT (profile_id, kind, ref) DO UPDATE SET id = nextval('timers_id_seq'),
			fire_at = excluded.fire_at, payload = excluded.payload`, ts.profiles, ts.kinds, ts.refs, ts.fireAt, ts.payloads)
	}
	if n := len(b.TimerDeletes); n > 0 {
		profs, kinds, refs, ids := make([]string, n), make([]string, n), make([]string, n), make([]int64, n)
		for i, t := range b.TimerDeletes {
			profs[i], kinds[i], refs[i], ids[i] = t.ProfileID, t.Kind, t.Ref, t.ID
		}
		q(fmt.Sprintf("delete %d timers", n), `DELETE FROM timers t
			USING unnest($1::text[], $2::text[], $3::text[], $4::bigint[]) AS d(profile_id, kind, ref, id)
			WHERE t.profile_id = d.profile_id AND t.kind = d.kind AND t.ref = d.ref AND (d.id = 0 OR t.id = d.id)`,
			profs, kinds, refs, ids)
	}
	return nil
}

type memberKey struct{ segment, profile string }

// dedupeJoins returns the columns of joins with one row per key, as the
// SQLite backend's row-by-row upsert leaves it: the first Since, the last
// Version (one INSERT … ON CONFLICT may not touch a row twice).
func dedupeJoins(joins []store.SegmentMember) (segs, profs []string, versions []int32, since []time.Time) {
	n := len(joins)
	segs, profs, versions, since = make([]string, 0, n), make([]string, 0, n), make([]int32, 0, n), make([]time.Time, 0, n)
	seen := make(map[memberKey]int, n)
	for _, j := range joins {
		k := memberKey{j.SegmentID, j.ProfileID}
		if i, ok := seen[k]; ok {
			versions[i] = int32(j.Version)
			continue
		}
		seen[k] = len(segs)
		segs, profs = append(segs, j.SegmentID), append(profs, j.ProfileID)
		versions, since = append(versions, int32(j.Version)), append(since, j.Since)
	}
	return segs, profs, versions, since
}

type timerColumns struct {
	profiles, kinds, refs []string
	fireAt                []time.Time
	payloads              []*string
}

type timerKey struct{ kind, profile, ref string }

// dedupeTimers returns the columns of timers with the last timer of each key.
func dedupeTimers(timers []store.Timer) (timerColumns, error) {
	n := len(timers)
	c := timerColumns{profiles: make([]string, 0, n), kinds: make([]string, 0, n), refs: make([]string, 0, n),
		fireAt: make([]time.Time, 0, n), payloads: make([]*string, 0, n)}
	seen := make(map[timerKey]int, n)
	for _, t := range timers {
		var p *string
		if len(t.Payload) > 0 {
			if !json.Valid(t.Payload) {
				return c, fmt.Errorf("timer %s/%s/%s: payload %.64q is not valid JSON; omit it or send a JSON value",
					t.Kind, t.ProfileID, t.Ref, t.Payload)
			}
			s := string(t.Payload)
			p = &s
		}
		k := timerKey{t.Kind, t.ProfileID, t.Ref}
		if i, ok := seen[k]; ok {
			c.fireAt[i], c.payloads[i] = t.FireAt, p
			continue
		}
		seen[k] = len(c.profiles)
		c.profiles, c.kinds, c.refs = append(c.profiles, t.ProfileID), append(c.kinds, t.Kind), append(c.refs, t.Ref)
		c.fireAt, c.payloads = append(c.fireAt, t.FireAt), append(c.payloads, p)
	}
	return c, nil
}

// SegmentMembers lists a segment's members by profile id after the cursor.
func (s *State) SegmentMembers(ctx context.Context, segmentID, afterProfileID string, limit int) ([]store.SegmentMember, error) {
	if err := checkLimit(limit); err != nil {
		return nil, fmt.Errorf("list members of segment %s: %w", segmentID, err)
	}
	out, err := s.queryMembers(ctx, `SELECT segment_id, profile_id, version, since FROM segment_members
		WHERE segment_id = $1 AND profile_id > $2 ORDER BY profile_id LIMIT $3`, segmentID, afterProfileID, limit)
	if err != nil {
		return nil, fmt.Errorf("list members of segment %s: %w", segmentID, err)
	}
	return out, nil
}

// CountSegmentMembers reads a segment's member count, kept by triggers
// (migration 0010).
func (s *State) CountSegmentMembers(ctx context.Context, segmentID string) (int64, error) {
	var n int64
	if err := s.db.pool.QueryRow(ctx, "SELECT coalesce((SELECT members FROM segment_sizes WHERE segment_id = $1), 0)", segmentID).Scan(&n); err != nil {
		return 0, fmt.Errorf("count members of segment %s: %w", segmentID, err)
	}
	return n, nil
}

// ProfileSegments lists the profiles' memberships by profile id, then
// segment id.
func (s *State) ProfileSegments(ctx context.Context, profileIDs ...string) ([]store.SegmentMember, error) {
	if len(profileIDs) == 0 {
		return nil, nil
	}
	out, err := s.queryMembers(ctx, `SELECT segment_id, profile_id, version, since FROM segment_members
		WHERE profile_id = ANY($1) ORDER BY profile_id, segment_id`, profileIDs)
	if err != nil {
		return nil, fmt.Errorf("list segments of profile %s: %w", profileIDs[0], err)
	}
	return out, nil
}

// ProfileSegmentsBetween lists the memberships of the profiles with
// first <= id <= last by profile id, then segment id.
func (s *State) ProfileSegmentsBetween(ctx context.Context, first, last string) ([]store.SegmentMember, error) {
	out, err := s.queryMembers(ctx, `SELECT segment_id, profile_id, version, since FROM segment_members
		WHERE profile_id >= $1 AND profile_id <= $2 ORDER BY profile_id, segment_id`, first, last)
	if err != nil {
		return nil, fmt.Errorf("list segments of profiles %s to %s: %w", first, last, err)
	}
	return out, nil
}

func (s *State) queryMembers(ctx context.Context, q string, args ...any) ([]store.SegmentMember, error) {
	rows, err := s.db.pool.Query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.SegmentMember
	for rows.Next() {
		var m store.SegmentMember
		if err := rows.Scan(&m.SegmentID, &m.ProfileID, &m.Version, &m.Since); err != nil {
			return nil, err
		}
		m.Since = m.Since.UTC()
		out = append(out, m)
	}
	return out, rows.Err()
}

// DueTimers lists up to limit timers due at now, by fire time then id.
func (s *State) DueTimers(ctx context.Context, now time.Time, limit int) ([]store.Timer, error) {
	if err := checkLimit(limit); err != nil {
		return nil, fmt.Errorf("due timers: %w", err)
	}
	rows, err := s.db.pool.Query(ctx, `SELECT id, kind, profile_id, ref, fire_at, payload FROM timers
		WHERE fire_at <= $1 ORDER BY fire_at, profile_id COLLATE "C", id LIMIT $2`, now, limit)
	if err != nil {
		return nil, fmt.Errorf("due timers: %w", err)
	}
	defer rows.Close()
	out := make([]store.Timer, 0, min(limit, 1024))
	for rows.Next() {
		var (
			t       store.Timer
			payload *string
		)
		if err := rows.Scan(&t.ID, &t.Kind, &t.ProfileID, &t.Ref, &t.FireAt, &payload); err != nil {
			return nil, fmt.Errorf("due timers: %w", err)
		}
		t.FireAt = t.FireAt.UTC()
		if payload != nil {
			t.Payload = json.RawMessage(*payload)
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("due timers: %w", err)
	}
	return out, nil
}

// ProfileTimers lists the profiles' timers of one kind by profile id, then
// ref.
func (s *State) ProfileTimers(ctx context.Context, kind string, profileIDs ...string) ([]store.Timer, error) {
	if len(profileIDs) == 0 {
		return nil, nil
	}
	out, err := s.queryTimers(ctx, kind, `SELECT id, profile_id, ref, fire_at, payload FROM timers
		WHERE profile_id = ANY($1) AND kind = $2 ORDER BY profile_id, ref`, profileIDs, kind)
	if err != nil {
		return nil, fmt.Errorf("timers of profile %s: %w", profileIDs[0], err)
	}
	return out, nil
}

// ProfileTimersBetween lists the timers of one kind of the profiles with
// first <= id <= last by profile id, then ref.
func (s *State) ProfileTimersBetween(ctx context.Context, kind, first, last string) ([]store.Timer, error) {
	out, err := s.queryTimers(ctx, kind, `SELECT id, profile_id, ref, fire_at, payload FROM timers
		WHERE profile_id >= $1 AND profile_id <= $2 AND kind = $3 ORDER BY profile_id, ref`, first, last, kind)
	if err != nil {
		return nil, fmt.Errorf("timers of profiles %s to %s: %w", first, last, err)
	}
	return out, nil
}

// queryTimers scans id, profile_id, ref, fire_at and payload rows of
// timers of one kind.
func (s *State) queryTimers(ctx context.Context, kind, q string, args ...any) ([]store.Timer, error) {
	rows, err := s.db.pool.Query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.Timer
	for rows.Next() {
		t := store.Timer{Kind: kind}
		var payload *string
		if err := rows.Scan(&t.ID, &t.ProfileID, &t.Ref, &t.FireAt, &payload); err != nil {
			return nil, err
		}
		t.FireAt = t.FireAt.UTC()
		if payload != nil {
			t.Payload = json.RawMessage(*payload)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// NextTimer returns the earliest fire time of all timers.
func (s *State) NextTimer(ctx context.Context) (time.Time, bool, error) {
	var next *time.Time
	if err := s.db.pool.QueryRow(ctx, "SELECT min(fire_at) FROM timers").Scan(&next); err != nil {
		return time.Time{}, false, fmt.Errorf("next timer: %w", err)
	}
	if next == nil {
		return time.Time{}, false, nil
	}
	return next.UTC(), true, nil
}

// ClearSegment drops a segment's memberships and its segment timers.
func (s *State) ClearSegment(ctx context.Context, segmentID string) error {
	err := inTx(ctx, s.db.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "DELETE FROM segment_members WHERE segment_id = $1", segmentID); err != nil {
			return fmt.Errorf("drop memberships: %w", err)
		}
		if _, err := tx.Exec(ctx, "DELETE FROM timers WHERE kind = $1 AND ref = $2", store.TimerKindSegment, segmentID); err != nil {
			return fmt.Errorf("drop timers: %w", err)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("clear segment %s: %w", segmentID, err)
	}
	return nil
}

var _ store.MembershipStore = (*State)(nil)
