package postgres

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cairn-cdp/cairn/internal/event"
	"github.com/cairn-cdp/cairn/internal/store"
)

const eventColumns = `seq, source_id, channel, message_id, type, user_id, anonymous_id, previous_id, group_id,
	name, timestamp, received_at, sent_at, original_timestamp, raw`

// Read returns up to limit events with Seq > after, in Seq order.
func (l *Log) Read(ctx context.Context, after int64, limit int) ([]*event.Event, error) {
	if err := checkLimit(limit); err != nil {
		return nil, fmt.Errorf("read log: %w", err)
	}
	rows, err := l.db.pool.Query(ctx, "SELECT "+eventColumns+" FROM events WHERE seq > $1 ORDER BY seq LIMIT $2", after, limit)
	if err != nil {
		return nil, fmt.Errorf("read log after %d: %w", after, err)
	}
	out, err := scanEvents(rows)
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
	rows, err := l.db.pool.Query(ctx, "SELECT "+eventColumns+" FROM events WHERE seq = ANY($1) ORDER BY seq", seqs)
	if err != nil {
		return nil, fmt.Errorf("get events: %w", err)
	}
	out, err := scanEvents(rows)
	if err != nil {
		return nil, fmt.Errorf("get events: %w", err)
	}
	return out, nil
}

func scanEvents(rows pgx.Rows) ([]*event.Event, error) {
	defer rows.Close()
	var out []*event.Event
	for rows.Next() {
		var (
			e          event.Event
			typ        string
			sent, orig *time.Time
			raw        []byte
		)
		if err := rows.Scan(&e.Seq, &e.SourceID, &e.Channel, &e.MessageID, &typ, &e.UserID, &e.AnonymousID,
			&e.PreviousID, &e.GroupID, &e.Name, &e.Timestamp, &e.ReceivedAt, &sent, &orig, &raw); err != nil {
			return nil, err
		}
		e.Type = event.Type(typ)
		e.Timestamp, e.ReceivedAt = e.Timestamp.UTC(), e.ReceivedAt.UTC()
		e.SentAt, e.OriginalTimestamp = utcOrZero(sent), utcOrZero(orig)
		e.Raw = raw
		out = append(out, &e)
	}
	return out, rows.Err()
}

func utcOrZero(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
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
		rows pgx.Rows
		err  error
	)
	if sourceID == "" {
		rows, err = l.db.pool.Query(ctx, "SELECT "+cols+" FROM rejections WHERE id < $1 ORDER BY id DESC LIMIT $2", before, limit)
	} else {
		rows, err = l.db.pool.Query(ctx, "SELECT "+cols+" FROM rejections WHERE source_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3",
			sourceID, before, limit)
	}
	if err != nil {
		return nil, fmt.Errorf("list rejections: %w", err)
	}
	defer rows.Close()
	var out []store.Rejection
	for rows.Next() {
		var r store.Rejection
		if err := rows.Scan(&r.ID, &r.SourceID, &r.MessageID, &r.Reason, &r.Detail, &r.Field, &r.Excerpt, &r.ReceivedAt); err != nil {
			return nil, fmt.Errorf("list rejections: %w", err)
		}
		r.ReceivedAt = r.ReceivedAt.UTC()
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list rejections: %w", err)
	}
	return out, nil
}
