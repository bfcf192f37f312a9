package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/cairn-cdp/cairn/internal/store"
)

// membershipStmts are the multi-row statements that Apply uses for segment
// membership and timers; prepared lazily by ensure, before the transaction.
type membershipStmts struct {
	dropMembers, dropTimers, joins, rejoins, leaves, timers, timerAcks, timerDeletes *multiRow
}

func newMembershipStmts() membershipStmts {
	return membershipStmts{
		// Apply counts the members its statements add and delete into
		// segment_sizes (segment_sizes.go).
		dropMembers: newMultiRow("DELETE FROM segment_members WHERE profile_id IN (VALUES ", 1, ") RETURNING segment_id"),
		// A merge drops the loser's segment timers (the engine recomputes the
		// winner) but not its journey timers: the loser's instances move to
		// the winner with their timers (applyJourneys re-points them).
		dropTimers: newMultiRow("DELETE FROM timers WHERE kind <> 'journey' AND profile_id IN (VALUES ", 1, ")"),
		// A join of a member already in only sets its version (rejoins).
		joins: newMultiRow("INSERT INTO segment_members (segment_id, profile_id, version, since) VALUES ", 4,
			" ON CONFLICT (segment_id, profile_id) DO NOTHING"),
		rejoins: newMultiRow("UPDATE segment_members SET version = v.column3 FROM (VALUES ", 3,
			") v WHERE segment_members.segment_id = v.column1 AND segment_members.profile_id = v.column2"),
		// (a, b) IN (VALUES …) would scan; IN (SELECT … FROM (VALUES …)) searches the index per row.
		leaves: newMultiRow("DELETE FROM segment_members WHERE (segment_id, profile_id) IN (SELECT column1, column2 FROM (VALUES ", 2, "))"),
		// REPLACE deletes the row of the same key and inserts a new one with a new AUTOINCREMENT id.
		timers: newMultiRow("REPLACE INTO timers (profile_id, kind, ref, fire_at, payload) VALUES ", 5, ""),
		// A timer acknowledged by id goes by its rowid (a replacement has
		// a new one); one without an id by its key.
		timerAcks: newMultiRow("DELETE FROM timers WHERE id IN (VALUES ", 1, ")"),
		timerDeletes: newMultiRow("DELETE FROM timers WHERE id IN (SELECT t.id FROM (VALUES ", 3,
			`) v JOIN timers t ON t.profile_id = v.column1 AND t.kind = v.column2 AND t.ref = v.column3)`),
	}
}

// ensure prepares the statement sizes that b's lists can use. The caller
// holds the writer mutex and has no transaction open.
func (m *membershipStmts) ensure(ctx context.Context, db *sql.DB, b *store.ProcessBatch) error {
	if m.joins == nil {
		*m = newMembershipStmts()
	}
	losers := 0
	for _, mg := range b.Merges {
		if !mg.Refused {
			losers++
		}
	}
	return errors.Join(m.dropMembers.ensure(ctx, db, losers), m.dropTimers.ensure(ctx, db, losers),
		m.joins.ensure(ctx, db, len(b.SegmentJoins)), m.rejoins.ensure(ctx, db, len(b.SegmentJoins)),
		m.leaves.ensure(ctx, db, len(b.SegmentLeaves)),
		m.timers.ensure(ctx, db, len(b.Timers)), m.timerAcks.ensure(ctx, db, len(b.TimerDeletes)),
		m.timerDeletes.ensure(ctx, db, len(b.TimerDeletes)))
}

func (m *membershipStmts) close() error {
	return errors.Join(m.dropMembers.close(), m.dropTimers.close(), m.joins.close(), m.rejoins.close(), m.leaves.close(),
		m.timers.close(), m.timerAcks.close(), m.timerDeletes.close())
}

// applyMembership writes b's segment membership and timer changes inside
// Apply's transaction: first it drops the rows of every merged-away loser,
// then joins, leaves, timers and timer deletes, in that order.
func (s *State) applyMembership(ctx context.Context, tx *sql.Tx, b *store.ProcessBatch) error {
	if len(b.Merges) == 0 && len(b.SegmentJoins) == 0 && len(b.SegmentLeaves) == 0 &&
		len(b.Timers) == 0 && len(b.TimerDeletes) == 0 {
		return nil
	}
	m := &s.seg
	args := s.args[:0]
	defer func() {
		clear(args)
		s.args = args[:0]
	}()
	for _, mg := range b.Merges {
		if !mg.Refused {
			args = append(args, mg.Loser)
		}
	}
	sizes := sizeDelta{}
	if err := m.dropMembers.query(ctx, tx, args, sizes.count(-1)); err != nil {
		return fmt.Errorf("drop segment memberships of merged profiles: %w", err)
	}
	if err := m.dropTimers.exec(ctx, tx, args); err != nil {
		return fmt.Errorf("drop timers of merged profiles: %w", err)
	}
	var err error
	if args, err = s.applyMembers(ctx, tx, b, args, sizes); err != nil {
		return err
	}
	args = args[:0]
	for _, t := range b.Timers {
		p, err := timerPayload(t)
		if err != nil {
			return err
		}
		args = append(args, t.ProfileID, t.Kind, t.Ref, micro(t.FireAt), p)
	}
	if err := m.timers.exec(ctx, tx, args); err != nil {
		return fmt.Errorf("upsert %d timers: %w", len(b.Timers), err)
	}
	args = args[:0]
	for _, t := range b.TimerDeletes {
		if t.ID != 0 {
			args = append(args, t.ID)
		}
	}
	if err := m.timerAcks.exec(ctx, tx, args); err != nil {
		return fmt.Errorf("acknowledge %d timers: %w", len(args), err)
	}
	args = args[:0]
	for _, t := range b.TimerDeletes {
		if t.ID == 0 {
			args = append(args, t.ProfileID, t.Kind, t.Ref)
		}
	}
	if err := m.timerDeletes.exec(ctx, tx, args); err != nil {
		return fmt.Errorf("delete %d timers: %w", len(args)/3, err)
	}
	return nil
}

// timerPayload returns t's payload as stored: NULL when absent, else the
// JSON text byte for byte.
func timerPayload(t store.Timer) (any, error) {
	if len(t.Payload) == 0 {
		return nil, nil
	}
	if !json.Valid(t.Payload) {
		return nil, fmt.Errorf("timer %s/%s/%s: payload %.64q is not valid JSON; omit it or send a JSON value",
			t.Kind, t.ProfileID, t.Ref, t.Payload)
	}
	return string(t.Payload), nil
}

// SegmentMembers lists a segment's members by profile id after the cursor.
func (s *State) SegmentMembers(ctx context.Context, segmentID, afterProfileID string, limit int) ([]store.SegmentMember, error) {
	if err := checkLimit(limit); err != nil {
		return nil, fmt.Errorf("list members of segment %s: %w", segmentID, err)
	}
	out, err := s.queryMembers(ctx, `SELECT segment_id, profile_id, version, since FROM segment_members
		WHERE segment_id = ? AND profile_id > ? ORDER BY profile_id LIMIT ?`, segmentID, afterProfileID, limit)
	if err != nil {
		return nil, fmt.Errorf("list members of segment %s: %w", segmentID, err)
	}
	return out, nil
}

// CountSegmentMembers reads a segment's member count, kept by triggers
// (migration 0010).
func (s *State) CountSegmentMembers(ctx context.Context, segmentID string) (int64, error) {
	var n int64
	if err := s.db.r.cachedQueryRow(ctx, "SELECT coalesce((SELECT members FROM segment_sizes WHERE segment_id = ?), 0)", segmentID).Scan(&n); err != nil {
		return 0, fmt.Errorf("count members of segment %s: %w", segmentID, err)
	}
	return n, nil
}

// ProfileSegments lists the profiles' memberships by profile id, then
// segment id. The ids go as one JSON array, so any number of them shares
// one cached statement.
func (s *State) ProfileSegments(ctx context.Context, profileIDs ...string) ([]store.SegmentMember, error) {
	if len(profileIDs) == 0 {
		return nil, nil
	}
	out, err := s.queryMembers(ctx, `SELECT segment_id, profile_id, version, since FROM segment_members
		WHERE profile_id IN (SELECT value FROM json_each(?)) ORDER BY profile_id, segment_id`, jsonIDs(profileIDs))
	if err != nil {
		return nil, fmt.Errorf("list segments of profile %s: %w", profileIDs[0], err)
	}
	return out, nil
}

// The range reads of a backfill page: a range of the profile index each,
// in index order (TestRangeReadPlans). "+kind" and the kind in ORDER BY: with
// a plain "kind = ?" SQLite sorts the range by ref in a temporary B-tree.
const (
	membersBetween = `SELECT segment_id, profile_id, version, since FROM segment_members
		WHERE profile_id >= ? AND profile_id <= ? ORDER BY profile_id, segment_id`
	timersBetween = `SELECT id, profile_id, ref, fire_at, payload FROM timers
		WHERE profile_id >= ? AND profile_id <= ? AND +kind = ? ORDER BY profile_id, kind, ref`
)

// ProfileSegmentsBetween lists the memberships of the profiles with
// first <= id <= last by profile id, then segment id.
func (s *State) ProfileSegmentsBetween(ctx context.Context, first, last string) ([]store.SegmentMember, error) {
	out, err := s.queryMembers(ctx, membersBetween, first, last)
	if err != nil {
		return nil, fmt.Errorf("list segments of profiles %s to %s: %w", first, last, err)
	}
	return out, nil
}

func (s *State) queryMembers(ctx context.Context, q string, args ...any) ([]store.SegmentMember, error) {
	rows, err := s.db.r.cachedQuery(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.SegmentMember
	for rows.Next() {
		var (
			m     store.SegmentMember
			since int64
		)
		if err := rows.Scan(&m.SegmentID, &m.ProfileID, &m.Version, &since); err != nil {
			return nil, err
		}
		m.Since = fromMicro(since)
		out = append(out, m)
	}
	return out, rows.Err()
}

// DueTimers lists up to limit timers due at now, by fire time then id.
func (s *State) DueTimers(ctx context.Context, now time.Time, limit int) ([]store.Timer, error) {
	if err := checkLimit(limit); err != nil {
		return nil, fmt.Errorf("due timers: %w", err)
	}
	rows, err := s.db.r.cachedQuery(ctx, `SELECT id, kind, profile_id, ref, fire_at, payload FROM timers
		WHERE fire_at <= ? ORDER BY fire_at, profile_id, id LIMIT ?`, micro(now), limit)
	if err != nil {
		return nil, fmt.Errorf("due timers: %w", err)
	}
	defer rows.Close()
	out := make([]store.Timer, 0, min(limit, 1024))
	// A burst shares few kinds and refs: intern them, one string each.
	names := make(map[string]string)
	intern := func(b sql.RawBytes) string {
		if s, ok := names[string(b)]; ok {
			return s
		}
		s := string(b)
		names[s] = s
		return s
	}
	var kind, ref, payload sql.RawBytes
	for rows.Next() {
		var (
			t      store.Timer
			fireAt int64
		)
		if err := rows.Scan(&t.ID, &kind, &t.ProfileID, &ref, &fireAt, &payload); err != nil {
			return nil, fmt.Errorf("due timers: %w", err)
		}
		t.Kind, t.Ref, t.FireAt = intern(kind), intern(ref), fromMicro(fireAt)
		if payload != nil {
			t.Payload = append(json.RawMessage(nil), payload...)
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("due timers: %w", err)
	}
	return out, nil
}

// ProfileTimers lists the profiles' timers of one kind by profile id,
// then ref (ids as in ProfileSegments).
func (s *State) ProfileTimers(ctx context.Context, kind string, profileIDs ...string) ([]store.Timer, error) {
	if len(profileIDs) == 0 {
		return nil, nil
	}
	out, err := s.queryTimers(ctx, kind, `SELECT id, profile_id, ref, fire_at, payload FROM timers
		WHERE profile_id IN (SELECT value FROM json_each(?)) AND kind = ? ORDER BY profile_id, ref`, jsonIDs(profileIDs), kind)
	if err != nil {
		return nil, fmt.Errorf("timers of profile %s: %w", profileIDs[0], err)
	}
	return out, nil
}

// ProfileTimersBetween lists the timers of one kind of the profiles with
// first <= id <= last by profile id, then ref.
func (s *State) ProfileTimersBetween(ctx context.Context, kind, first, last string) ([]store.Timer, error) {
	out, err := s.queryTimers(ctx, kind, timersBetween, first, last, kind)
	if err != nil {
		return nil, fmt.Errorf("timers of profiles %s to %s: %w", first, last, err)
	}
	return out, nil
}

// queryTimers scans id, profile_id, ref, fire_at and payload rows of
// timers of one kind.
func (s *State) queryTimers(ctx context.Context, kind, q string, args ...any) ([]store.Timer, error) {
	rows, err := s.db.r.cachedQuery(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.Timer
	var payload sql.RawBytes
	for rows.Next() {
		t := store.Timer{Kind: kind}
		var fireAt int64
		if err := rows.Scan(&t.ID, &t.ProfileID, &t.Ref, &fireAt, &payload); err != nil {
			return nil, err
		}
		t.FireAt = fromMicro(fireAt)
		if payload != nil {
			t.Payload = append(json.RawMessage(nil), payload...)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// NextTimer returns the earliest fire time of all timers.
func (s *State) NextTimer(ctx context.Context) (time.Time, bool, error) {
	var next sql.NullInt64
	if err := s.db.r.cachedQueryRow(ctx, "SELECT min(fire_at) FROM timers").Scan(&next); err != nil {
		return time.Time{}, false, fmt.Errorf("next timer: %w", err)
	}
	return fromNullMicro(next), next.Valid, nil
}

// ClearSegment drops a segment's memberships and its segment timers.
func (s *State) ClearSegment(ctx context.Context, segmentID string) error {
	err := inTx(ctx, &s.mu, s.db.w, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "DELETE FROM segment_members WHERE segment_id = ?", segmentID); err != nil {
			return fmt.Errorf("drop memberships: %w", err)
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM segment_sizes WHERE segment_id = ?", segmentID); err != nil {
			return fmt.Errorf("drop member count: %w", err)
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM timers WHERE kind = ? AND ref = ?", store.TimerKindSegment, segmentID); err != nil {
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
