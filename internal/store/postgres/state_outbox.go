package postgres

import (
	"context"
	"fmt"

	"github.com/cairn-cdp/cairn/internal/store"
)

var _ store.OutboxStore = (*State)(nil)

// queueOutbox queues the delete of b's cleared outbox batches and the
// insert of its new one at the end of Apply's batch. It reports whether it
// queued the insert, whose RETURNING id Apply reads into b.OutboxID.
func queueOutbox(b *store.ProcessBatch, q func(desc, sql string, args ...any)) bool {
	b.OutboxID = 0
	if len(b.OutboxClear) > 0 {
		q(fmt.Sprintf("clear %d outbox batches", len(b.OutboxClear)), clearOutboxSQL, b.OutboxClear)
	}
	if len(b.Outbox) == 0 {
		return false
	}
	q(fmt.Sprintf("write %d outbox events", len(b.Outbox)), `INSERT INTO outbox_batches (events) VALUES ($1) RETURNING id`,
		store.EncodeOutbox(b.Outbox))
	return true
}

// OutboxEpoch returns the number drawn when this state store was created
// (store.OutboxStore).
func (s *State) OutboxEpoch(ctx context.Context) (int64, error) {
	var e int64
	if err := s.db.pool.QueryRow(ctx, "SELECT outbox_epoch FROM state_meta WHERE id = 1").Scan(&e); err != nil {
		return 0, fmt.Errorf("read the outbox epoch: %w", err)
	}
	return e, nil
}

// OutboxBatches lists up to limit outbox batches in the order written.
func (s *State) OutboxBatches(ctx context.Context, limit int) ([]store.OutboxBatch, error) {
	if err := checkLimit(limit); err != nil {
		return nil, fmt.Errorf("outbox batches: %w", err)
	}
	rows, err := s.db.pool.Query(ctx, `SELECT id, events FROM outbox_batches ORDER BY id LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("outbox batches: %w", err)
	}
	defer rows.Close()
	var out []store.OutboxBatch
	for rows.Next() {
		var (
			id   int64
			data []byte
		)
		if err := rows.Scan(&id, &data); err != nil {
			return nil, fmt.Errorf("outbox batches: %w", err)
		}
		evs, err := store.DecodeOutbox(data)
		if err != nil {
			return nil, fmt.Errorf("outbox batch %d: %w", id, err)
		}
		out = append(out, store.OutboxBatch{ID: id, Events: evs})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("outbox batches: %w", err)
	}
	return out, nil
}

// ClearOutbox deletes the outbox batches of ids.
func (s *State) ClearOutbox(ctx context.Context, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	if _, err := s.db.pool.Exec(ctx, clearOutboxSQL, ids); err != nil {
		return fmt.Errorf("clear %d outbox batches: %w", len(ids), err)
	}
	return nil
}

const clearOutboxSQL = `DELETE FROM outbox_batches WHERE id = ANY($1::bigint[])`
