package postgres

import (
	"context"
	"fmt"

	"github.com/cairn-cdp/cairn/internal/store"
)

// TimelineSince lists timeline entries after the cursor in (seq, profile_id)
// order with seq <= through.
func (s *State) TimelineSince(ctx context.Context, after store.TimelineCursor, through int64, limit int) ([]store.TimelineEntry, error) {
	if err := checkLimit(limit); err != nil {
		return nil, fmt.Errorf("timeline since %d: %w", after.Seq, err)
	}
	rows, err := s.db.pool.Query(ctx, `SELECT profile_id, timestamp, seq, type, event, source_id, channel FROM timeline
		WHERE (seq, profile_id) > ($1, $2) AND seq <= $3 ORDER BY seq, profile_id LIMIT $4`, after.Seq, after.ProfileID, through, limit)
	if err != nil {
		return nil, fmt.Errorf("timeline since %d: %w", after.Seq, err)
	}
	defer rows.Close()
	out := make([]store.TimelineEntry, 0, min(limit, 1024))
	for rows.Next() {
		var e store.TimelineEntry
		if err := rows.Scan(&e.ProfileID, &e.Timestamp, &e.Seq, &e.Type, &e.Event, &e.SourceID, &e.Channel); err != nil {
			return nil, fmt.Errorf("timeline since %d: %w", after.Seq, err)
		}
		e.Timestamp = e.Timestamp.UTC()
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("timeline since %d: %w", after.Seq, err)
	}
	return out, nil
}

// AppliedMerges lists applied merges after afterID, oldest first.
func (s *State) AppliedMerges(ctx context.Context, afterID int64, limit int) ([]store.Merge, error) {
	if err := checkLimit(limit); err != nil {
		return nil, fmt.Errorf("merges after %d: %w", afterID, err)
	}
	rows, err := s.db.pool.Query(ctx, `SELECT id, winner, loser, time FROM merges
		WHERE id > $1 AND NOT refused ORDER BY id LIMIT $2`, afterID, limit)
	if err != nil {
		return nil, fmt.Errorf("merges after %d: %w", afterID, err)
	}
	defer rows.Close()
	var out []store.Merge
	for rows.Next() {
		var m store.Merge
		if err := rows.Scan(&m.ID, &m.Winner, &m.Loser, &m.Time); err != nil {
			return nil, fmt.Errorf("merges after %d: %w", afterID, err)
		}
		m.Time = m.Time.UTC()
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("merges after %d: %w", afterID, err)
	}
	return out, nil
}
