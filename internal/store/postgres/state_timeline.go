package postgres

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/cairn-cdp/cairn/internal/store"
)

// Timeline returns the entries of q.ProfileIDs, newest first (by timestamp,
// then seq), after the cursor.
func (s *State) Timeline(ctx context.Context, q store.TimelineQuery) ([]store.TimelineEntry, error) {
	if err := checkLimit(q.Limit); err != nil {
		return nil, fmt.Errorf("timeline: %w", err)
	}
	if len(q.ProfileIDs) == 0 {
		return nil, nil
	}
	var b strings.Builder
	args := []any{q.ProfileIDs}
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	b.WriteString("SELECT profile_id, timestamp, seq, type, event, source_id, channel FROM timeline WHERE profile_id = ANY($1)")
	if q.Type != "" {
		b.WriteString(" AND type = " + arg(q.Type))
	}
	if q.Event != "" {
		b.WriteString(" AND event = " + arg(q.Event))
	}
	if len(q.Events) > 0 {
		b.WriteString(" AND event = ANY(" + arg(q.Events) + ")")
	}
	if !q.Since.IsZero() {
		b.WriteString(" AND timestamp >= " + arg(q.Since))
	}
	if !q.Until.IsZero() {
		b.WriteString(" AND timestamp < " + arg(q.Until))
	}
	if !q.CursorTime.IsZero() || q.CursorSeq != 0 {
		b.WriteString(" AND (timestamp, seq) < (" + arg(q.CursorTime) + "::timestamptz, " + arg(q.CursorSeq) + "::bigint)")
	}
	b.WriteString(" ORDER BY timestamp DESC, seq DESC LIMIT " + arg(q.Limit))

	rows, err := s.db.pool.Query(ctx, b.String(), args...)
	if err != nil {
		return nil, fmt.Errorf("timeline of %s: %w", q.ProfileIDs[0], err)
	}
	defer rows.Close()
	var out []store.TimelineEntry
	for rows.Next() {
		var e store.TimelineEntry
		if err := rows.Scan(&e.ProfileID, &e.Timestamp, &e.Seq, &e.Type, &e.Event, &e.SourceID, &e.Channel); err != nil {
			return nil, fmt.Errorf("timeline of %s: %w", q.ProfileIDs[0], err)
		}
		e.Timestamp = e.Timestamp.UTC()
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("timeline of %s: %w", q.ProfileIDs[0], err)
	}
	return out, nil
}
