package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/cairn-cdp/cairn/internal/event"
	"github.com/cairn-cdp/cairn/internal/store"
)

var _ store.OutboxStore = (*State)(nil)

// queueOutbox queues the delete of b's cleared outbox events and the
// insert of its new ones, one statement each over unnest arrays, at the
// end of Apply's batch.
func queueOutbox(b *store.ProcessBatch, q func(desc, sql string, args ...any)) {
	if len(b.OutboxClear) > 0 {
		sources, ids := outboxKeys(b.OutboxClear)
		q(fmt.Sprintf("clear %d outbox events", len(ids)), clearOutboxSQL, sources, ids)
	}
	if len(b.Outbox) == 0 {
		return
	}
	n := len(b.Outbox)
	var (
		sources, ids, channels, types, names = make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		stamps, recv                         = make([]time.Time, n), make([]time.Time, n)
		raws                                 = make([][]byte, n)
	)
	for i, e := range b.Outbox {
		sources[i], ids[i], channels[i], types[i], names[i] = e.SourceID, e.MessageID, e.Channel, string(e.Type), e.Name
		stamps[i], recv[i] = e.Timestamp, e.ReceivedAt
		raws[i] = []byte(e.Raw)
		if raws[i] == nil {
			raws[i] = []byte{}
		}
	}
	q(fmt.Sprintf("insert %d outbox events", n), `INSERT INTO outbox (source_id, message_id, channel, type, name, timestamp, received_at, raw)
		SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::timestamptz[], $8::bytea[])
		ON CONFLICT (source_id, message_id) DO NOTHING`, sources, ids, channels, types, names, stamps, recv, raws)
}

// OutboxEvents lists up to limit outbox events in the order written.
func (s *State) OutboxEvents(ctx context.Context, limit int) ([]*event.Event, error) {
	if err := checkLimit(limit); err != nil {
		return nil, fmt.Errorf("outbox events: %w", err)
	}
	rows, err := s.db.pool.Query(ctx, `SELECT source_id, message_id, channel, type, name, timestamp, received_at, raw
		FROM outbox ORDER BY id LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("outbox events: %w", err)
	}
	defer rows.Close()
	var out []*event.Event
	for rows.Next() {
		var (
			e   event.Event
			typ string
			raw []byte
		)
		if err := rows.Scan(&e.SourceID, &e.MessageID, &e.Channel, &typ, &e.Name, &e.Timestamp, &e.ReceivedAt, &raw); err != nil {
			return nil, fmt.Errorf("outbox events: %w", err)
		}
		e.Type, e.Raw = event.Type(typ), raw
		e.Timestamp, e.ReceivedAt = e.Timestamp.UTC(), e.ReceivedAt.UTC()
		out = append(out, &e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("outbox events: %w", err)
	}
	return out, nil
}

// ClearOutbox deletes the outbox rows of evs.
func (s *State) ClearOutbox(ctx context.Context, evs []*event.Event) error {
	if len(evs) == 0 {
		return nil
	}
	sources, ids := outboxKeys(evs)
	if _, err := s.db.pool.Exec(ctx, clearOutboxSQL, sources, ids); err != nil {
		return fmt.Errorf("clear %d outbox events: %w", len(evs), err)
	}
	return nil
}

const clearOutboxSQL = `DELETE FROM outbox o USING unnest($1::text[], $2::text[]) AS v(source_id, message_id)
	WHERE o.source_id = v.source_id AND o.message_id = v.message_id`

// outboxKeys are evs' (SourceID, MessageID) as two arrays.
func outboxKeys(evs []*event.Event) (sources, ids []string) {
	sources, ids = make([]string, len(evs)), make([]string, len(evs))
	for i, e := range evs {
		sources[i], ids[i] = e.SourceID, e.MessageID
	}
	return sources, ids
}
