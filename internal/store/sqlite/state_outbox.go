package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/cairn-cdp/cairn/internal/event"
	"github.com/cairn-cdp/cairn/internal/store"
)

var _ store.OutboxStore = (*State)(nil)

const outboxColumns = 8

func newOutboxInsert() *multiRow {
	return newMultiRow("INSERT INTO outbox (source_id, message_id, channel, type, name, timestamp, received_at, raw) VALUES ",
		outboxColumns, " ON CONFLICT (source_id, message_id) DO NOTHING")
}

// applyOutbox deletes b's cleared outbox events and inserts its new ones
// inside Apply's transaction.
func (s *State) applyOutbox(ctx context.Context, tx *sql.Tx, b *store.ProcessBatch) error {
	if err := clearOutbox(ctx, tx, b.OutboxClear); err != nil {
		return err
	}
	if len(b.Outbox) == 0 {
		return nil
	}
	args := s.args[:0]
	defer func() {
		clear(args)
		s.args = args[:0]
	}()
	for _, e := range b.Outbox {
		args = append(args, e.SourceID, e.MessageID, e.Channel, string(e.Type), e.Name,
			micro(e.Timestamp), micro(e.ReceivedAt), rawArg(e.Raw))
	}
	if err := s.outbox.exec(ctx, tx, args); err != nil {
		return fmt.Errorf("insert %d outbox events: %w", len(b.Outbox), err)
	}
	return nil
}

// OutboxEvents lists up to limit outbox events in the order written.
func (s *State) OutboxEvents(ctx context.Context, limit int) ([]*event.Event, error) {
	if err := checkLimit(limit); err != nil {
		return nil, fmt.Errorf("outbox events: %w", err)
	}
	rows, err := s.db.r.cachedQuery(ctx, `SELECT source_id, message_id, channel, type, name, timestamp, received_at, raw
		FROM outbox ORDER BY id LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("outbox events: %w", err)
	}
	defer rows.Close()
	var out []*event.Event
	for rows.Next() {
		var (
			e        event.Event
			typ      string
			ts, recv int64
		)
		if err := rows.Scan(&e.SourceID, &e.MessageID, &e.Channel, &typ, &e.Name, &ts, &recv, &e.Raw); err != nil {
			return nil, fmt.Errorf("outbox events: %w", err)
		}
		e.Type, e.Timestamp, e.ReceivedAt = event.Type(typ), fromMicro(ts), fromMicro(recv)
		out = append(out, &e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("outbox events: %w", err)
	}
	return out, nil
}

// ClearOutbox deletes the outbox rows of evs, one statement per source
// with the message ids as one JSON array.
func (s *State) ClearOutbox(ctx context.Context, evs []*event.Event) error {
	if len(evs) == 0 {
		return nil
	}
	return inTx(ctx, &s.mu, s.db.w, func(tx *sql.Tx) error { return clearOutbox(ctx, tx, evs) })
}

// clearOutbox deletes the outbox rows of evs in tx (ClearOutbox, and
// Apply's OutboxClear).
func clearOutbox(ctx context.Context, tx *sql.Tx, evs []*event.Event) error {
	bySource := map[string][]string{}
	var order []string
	for _, e := range evs {
		if _, ok := bySource[e.SourceID]; !ok {
			order = append(order, e.SourceID)
		}
		bySource[e.SourceID] = append(bySource[e.SourceID], e.MessageID)
	}
	for _, src := range order {
		if _, err := tx.ExecContext(ctx, `DELETE FROM outbox WHERE source_id = ?
			AND message_id IN (SELECT value FROM json_each(?))`, src, jsonIDs(bySource[src])); err != nil {
			return fmt.Errorf("clear %d outbox events of source %s: %w", len(bySource[src]), src, err)
		}
	}
	return nil
}
