package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/cairn-cdp/cairn/internal/store"
)

// TimelineSince lists timeline entries after the cursor in (seq, profile_id)
// order with seq <= through.
func (s *State) TimelineSince(ctx context.Context, after store.TimelineCursor, through int64, limit int) ([]store.TimelineEntry, error) {
	if err := checkLimit(limit); err != nil {
		return nil, fmt.Errorf("timeline since %d: %w", after.Seq, err)
	}
	rows, err := s.db.pool.Query(ctx, `SELECT profile_id, timestamp, seq, type, event, source_id, channel FROM timeline
		WHERE (seq > $1 OR (seq = $1 AND $2 <> '' AND profile_id > $2)) AND seq <= $3 ORDER BY seq, profile_id LIMIT $4`, after.Seq, after.ProfileID, through, limit)
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

// ScanTimeline streams the whole timeline from one repeatable-read
// transaction, with that snapshot's checkpoint.
func (s *State) ScanTimeline(ctx context.Context, fn func(store.TimelineEntry) error) (int64, error) {
	tx, err := s.db.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return 0, fmt.Errorf("scan timeline: %w", err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // read-only
	var through int64
	if err := tx.QueryRow(ctx, "SELECT checkpoint FROM state_meta WHERE id = 1").Scan(&through); err != nil {
		return 0, fmt.Errorf("scan timeline: read checkpoint: %w", err)
	}
	rows, err := tx.Query(ctx, `SELECT profile_id, timestamp, seq, type, event, source_id, channel FROM timeline`)
	if err != nil {
		return 0, fmt.Errorf("scan timeline: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var e store.TimelineEntry
		if err := rows.Scan(&e.ProfileID, &e.Timestamp, &e.Seq, &e.Type, &e.Event, &e.SourceID, &e.Channel); err != nil {
			return 0, fmt.Errorf("scan timeline: %w", err)
		}
		e.Timestamp = e.Timestamp.UTC()
		if err := fn(e); err != nil {
			return 0, err
		}
	}
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("scan timeline: %w", err)
	}
	return through, nil
}
