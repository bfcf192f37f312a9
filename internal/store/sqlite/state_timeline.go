package sqlite

import (
	"context"
	"fmt"
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
	if len(q.ProfileIDs) > maxParams {
		return nil, fmt.Errorf("timeline: %d profile ids, at most %d", len(q.ProfileIDs), maxParams)
	}
	if len(q.Events) > maxParams {
		return nil, fmt.Errorf("timeline: %d event names, at most %d", len(q.Events), maxParams)
	}
	var b strings.Builder
	args := make([]any, 0, len(q.ProfileIDs)+8)
	b.WriteString("SELECT profile_id, timestamp, seq, type, event, source_id, channel FROM timeline WHERE ")
	if len(q.ProfileIDs) == 1 {
		b.WriteString("profile_id = ?")
	} else {
		b.WriteString("profile_id IN (" + placeholders(len(q.ProfileIDs)) + ")")
	}
	for _, id := range q.ProfileIDs {
		args = append(args, id)
	}
	if q.Type != "" {
		b.WriteString(" AND type = ?")
		args = append(args, q.Type)
	}
	if q.Event != "" {
		b.WriteString(" AND event = ?")
		args = append(args, q.Event)
	}
	if len(q.Events) > 0 {
		b.WriteString(" AND event IN (" + placeholders(len(q.Events)) + ")")
		for _, e := range q.Events {
			args = append(args, e)
		}
	}
	if !q.Since.IsZero() {
		b.WriteString(" AND timestamp >= ?")
		args = append(args, micro(q.Since))
	}
	if !q.Until.IsZero() {
		b.WriteString(" AND timestamp < ?")
		args = append(args, micro(q.Until))
	}
	if !q.CursorTime.IsZero() || q.CursorSeq != 0 {
		b.WriteString(" AND (timestamp, seq) < (?, ?)")
		args = append(args, micro(q.CursorTime), q.CursorSeq)
	}
	b.WriteString(" ORDER BY timestamp DESC, seq DESC LIMIT ?")
	args = append(args, q.Limit)

	query := s.db.r.cachedQuery
	if len(q.ProfileIDs) > 4 || len(q.Events) > 0 {
		query = s.db.r.QueryContext // rare; do not fill the statement cache
	}
	rows, err := query(ctx, b.String(), args...)
	if err != nil {
		return nil, fmt.Errorf("timeline of %s: %w", q.ProfileIDs[0], err)
	}
	defer rows.Close()
	out := make([]store.TimelineEntry, 0, min(q.Limit, 256))
	for rows.Next() {
		var (
			e  store.TimelineEntry
			ts int64
		)
		if err := rows.Scan(&e.ProfileID, &ts, &e.Seq, &e.Type, &e.Event, &e.SourceID, &e.Channel); err != nil {
			return nil, fmt.Errorf("timeline of %s: %w", q.ProfileIDs[0], err)
		}
		e.Timestamp = fromMicro(ts)
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("timeline of %s: %w", q.ProfileIDs[0], err)
	}
	return out, nil
}
