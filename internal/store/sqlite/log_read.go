package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"math"
	"slices"

	"github.com/cairn-cdp/cairn/internal/event"
	"github.com/cairn-cdp/cairn/internal/store"
)

const eventColumns = `seq, source_id, channel, message_id, type, user_id, anonymous_id, previous_id, group_id,
	name, timestamp, received_at, sent_at, original_timestamp, raw, meta`

// Read returns up to limit events with Seq > after, in Seq order: those a
// Sync has flushed (see log_sync.go).
func (l *Log) Read(ctx context.Context, after int64, limit int) ([]*event.Event, error) {
	if err := checkLimit(limit); err != nil {
		return nil, fmt.Errorf("read log: %w", err)
	}
	rows, err := l.db.r.cachedQuery(ctx,
		"SELECT "+eventColumns+" FROM events WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?", after, l.syncedHead(), limit)
	if err != nil {
		return nil, fmt.Errorf("read log after %d: %w", after, err)
	}
	out, err := scanEvents(rows, make([]*event.Event, 0, min(limit, 1024)))
	if err != nil {
		return nil, fmt.Errorf("read log after %d: %w", after, err)
	}
	return out, nil
}

// Get returns the events with the given sequence numbers, in Seq order.
func (l *Log) Get(ctx context.Context, seqs []int64) ([]*event.Event, error) {
	if len(seqs) == 0 {
		return nil, nil
	}
	var out []*event.Event
	for chunk := range slices.Chunk(seqs, maxParams) {
		args := make([]any, len(chunk))
		for i, s := range chunk {
			args[i] = s
		}
		query := l.db.r.cachedQuery
		if len(chunk) > 4 {
			query = l.db.r.QueryContext // many sizes; do not fill the statement cache
		}
		rows, err := query(ctx, "SELECT "+eventColumns+" FROM events WHERE seq IN ("+placeholders(len(chunk))+")", args...)
		if err != nil {
			return nil, fmt.Errorf("get events: %w", err)
		}
		if out, err = scanEvents(rows, out); err != nil {
			return nil, fmt.Errorf("get events: %w", err)
		}
	}
	slices.SortFunc(out, func(a, b *event.Event) int { return cmp.Compare(a.Seq, b.Seq) })
	out = slices.CompactFunc(out, func(a, b *event.Event) bool { return a.Seq == b.Seq })
	return out, nil
}

func scanEvents(rows *sql.Rows, out []*event.Event) ([]*event.Event, error) {
	defer rows.Close()
	for rows.Next() {
		var (
			e          event.Event
			typ        string
			ts, recv   int64
			sent, orig sql.NullInt64
			raw, meta  []byte
		)
		if err := rows.Scan(&e.Seq, &e.SourceID, &e.Channel, &e.MessageID, &typ, &e.UserID, &e.AnonymousID,
			&e.PreviousID, &e.GroupID, &e.Name, &ts, &recv, &sent, &orig, &raw, &meta); err != nil {
			return out, err
		}
		e.Type = event.Type(typ)
		e.Timestamp = fromMicro(ts)
		e.ReceivedAt = fromMicro(recv)
		e.SentAt = fromNullMicro(sent)
		e.OriginalTimestamp = fromNullMicro(orig)
		e.Raw = raw
		if meta != nil { // appended since log migration 0003; older rows keep the columns
			if err := decodeEventMeta(meta, &e); err != nil {
				return out, fmt.Errorf("event %d: %w", e.Seq, err)
			}
		}
		out = append(out, &e)
	}
	return out, rows.Err()
}

// Rejections lists rejections newest first with ID < before (0 = from the
// newest), of one source or, when sourceID is empty, of all.
func (l *Log) Rejections(ctx context.Context, sourceID string, before int64, limit int) ([]store.Rejection, error) {
	if err := checkLimit(limit); err != nil {
		return nil, fmt.Errorf("list rejections: %w", err)
	}
	if before <= 0 {
		before = math.MaxInt64
	}
	const cols = "id, source_id, message_id, reason, detail, field, excerpt, received_at"
	var (
		rows *sql.Rows
		err  error
	)
	if sourceID == "" {
		rows, err = l.db.r.cachedQuery(ctx,
			"SELECT "+cols+" FROM rejections WHERE id < ? ORDER BY id DESC LIMIT ?", before, limit)
	} else {
		rows, err = l.db.r.cachedQuery(ctx,
			"SELECT "+cols+" FROM rejections WHERE source_id = ? AND id < ? ORDER BY id DESC LIMIT ?",
			sourceID, before, limit)
	}
	if err != nil {
		return nil, fmt.Errorf("list rejections: %w", err)
	}
	defer rows.Close()
	var out []store.Rejection
	for rows.Next() {
		var (
			r    store.Rejection
			recv int64
		)
		if err := rows.Scan(&r.ID, &r.SourceID, &r.MessageID, &r.Reason, &r.Detail, &r.Field, &r.Excerpt, &recv); err != nil {
			return nil, fmt.Errorf("list rejections: %w", err)
		}
		r.ReceivedAt = fromMicro(recv)
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list rejections: %w", err)
	}
	return out, nil
}
