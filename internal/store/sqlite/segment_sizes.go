package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"slices"

	"github.com/cairn-cdp/cairn/internal/store"
)

// Segment sizes (segment_sizes, migration 0010) are kept by the statements
// that insert or delete members, in the same transaction: Apply writes a
// segment's joins and its leaves as statements of their own and counts
// the rows they changed (sqlite3_changes through RowsAffected; rejoins
// insert nothing), and the rare deletes by profile (merges, erasure)
// return the segment id of each row they delete. Migration 0015 dropped
// the triggers that did this per row: their sub-program and upsert of the
// size row cost about a third of a member write (BenchmarkApplyMembers),
// and RETURNING on the hot path cost more than the triggers.

// sizeDelta is the change of each segment's member count in a transaction.
type sizeDelta map[string]int64

// count adds d for the segment id scanned from a RETURNING row.
func (sd sizeDelta) count(d int64) func(*sql.Rows) error {
	var id sql.RawBytes
	return func(rows *sql.Rows) error {
		if err := rows.Scan(&id); err != nil {
			return fmt.Errorf("scan changed member: %w", err)
		}
		sd[string(id)] += d
		return nil
	}
}

// query runs a statement returning the segment id of each member row it
// changed, and counts them with sign d.
func (sd sizeDelta) query(ctx context.Context, tx *sql.Tx, d int64, q string, args ...any) error {
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	count := sd.count(d)
	for rows.Next() {
		if err := count(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// write adds the counted changes to segment_sizes, in segment id order.
func (sd sizeDelta) write(ctx context.Context, tx *sql.Tx) error {
	ids := make([]string, 0, len(sd))
	for id, n := range sd {
		if n != 0 {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	for _, id := range ids {
		if _, err := tx.ExecContext(ctx, `INSERT INTO segment_sizes (segment_id, members) VALUES (?, ?)
			ON CONFLICT (segment_id) DO UPDATE SET members = members + excluded.members`, id, sd[id]); err != nil {
			return fmt.Errorf("count members of segment %s: %w", id, err)
		}
	}
	return nil
}

// bySegment splits members into runs of one segment each, in the order
// each segment first appears; a member's order within its run is kept.
func bySegment(ms []store.SegmentMember) [][]store.SegmentMember {
	if len(ms) == 0 {
		return nil
	}
	if !slices.ContainsFunc(ms, func(m store.SegmentMember) bool { return m.SegmentID != ms[0].SegmentID }) {
		return [][]store.SegmentMember{ms} // one segment (a backfill page, a burst): no copy
	}
	at := map[string]int{}
	var runs [][]store.SegmentMember
	for _, m := range ms {
		i, ok := at[m.SegmentID]
		if !ok {
			i = len(runs)
			at[m.SegmentID] = i
			runs = append(runs, nil)
		}
		runs[i] = append(runs[i], m)
	}
	return runs
}

// applyMembers writes b's joins, then its leaves, a segment at a time, and
// the member counts they change together with those in sizes. args is
// Apply's argument buffer, returned for reuse.
func (s *State) applyMembers(ctx context.Context, tx *sql.Tx, b *store.ProcessBatch, args []any, sizes sizeDelta) ([]any, error) {
	m := &s.seg
	for _, run := range bySegment(b.SegmentJoins) {
		args = args[:0]
		for _, j := range run {
			args = append(args, j.SegmentID, j.ProfileID, j.Version, micro(j.Since))
		}
		inserted, err := m.joins.execCount(ctx, tx, args)
		if err != nil {
			return args, fmt.Errorf("insert %d joins of segment %s: %w", len(run), run[0].SegmentID, err)
		}
		sizes[run[0].SegmentID] += inserted
		if inserted == int64(len(run)) {
			continue
		}
		// Members already in take the version of their last join: UPDATE
		// … FROM uses an arbitrary one of several matching rows, so each
		// member is given once.
		args = args[:0]
		last := make(map[string]bool, len(run))
		for _, j := range slices.Backward(run) {
			if !last[j.ProfileID] {
				last[j.ProfileID] = true
				args = append(args, j.SegmentID, j.ProfileID, j.Version)
			}
		}
		if err := m.rejoins.exec(ctx, tx, args); err != nil {
			return args, fmt.Errorf("update the version of members of segment %s: %w", run[0].SegmentID, err)
		}
	}
	for _, run := range bySegment(b.SegmentLeaves) {
		args = args[:0]
		for _, l := range run {
			args = append(args, l.SegmentID, l.ProfileID)
		}
		deleted, err := m.leaves.execCount(ctx, tx, args)
		if err != nil {
			return args, fmt.Errorf("delete %d leaves of segment %s: %w", len(run), run[0].SegmentID, err)
		}
		sizes[run[0].SegmentID] -= deleted
	}
	return args, sizes.write(ctx, tx)
}
