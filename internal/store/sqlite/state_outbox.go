package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"

	"github.com/cairn-cdp/cairn/internal/store"
)

var _ store.OutboxStore = (*State)(nil)

// applyOutbox deletes b's cleared outbox batches and writes its new one
// inside Apply's transaction.
func (s *State) applyOutbox(ctx context.Context, tx *sql.Tx, b *store.ProcessBatch) error {
	b.OutboxID = 0
	if err := clearOutbox(ctx, tx, b.OutboxClear); err != nil {
		return err
	}
	if len(b.Outbox) == 0 {
		return nil
	}
	res, err := tx.StmtContext(ctx, s.insOutbox).ExecContext(ctx, store.EncodeOutbox(b.Outbox))
	if err != nil {
		return fmt.Errorf("write %d outbox events: %w", len(b.Outbox), err)
	}
	if b.OutboxID, err = res.LastInsertId(); err != nil {
		return fmt.Errorf("write %d outbox events: %w", len(b.Outbox), err)
	}
	return nil
}

// OutboxBatches lists up to limit outbox batches in the order written.
func (s *State) OutboxBatches(ctx context.Context, limit int) ([]store.OutboxBatch, error) {
	if err := checkLimit(limit); err != nil {
		return nil, fmt.Errorf("outbox batches: %w", err)
	}
	rows, err := s.db.r.cachedQuery(ctx, `SELECT id, events FROM outbox_batches ORDER BY id LIMIT ?`, limit)
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
	return inTx(ctx, &s.mu, s.db.w, func(tx *sql.Tx) error { return clearOutbox(ctx, tx, ids) })
}

// clearOutbox deletes the outbox batches of ids in tx (ClearOutbox, and
// Apply's OutboxClear), with the ids as one JSON array.
func clearOutbox(ctx context.Context, tx *sql.Tx, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	list := []byte{'['}
	for i, id := range ids {
		if i > 0 {
			list = append(list, ',')
		}
		list = strconv.AppendInt(list, id, 10)
	}
	list = append(list, ']')
	if _, err := tx.ExecContext(ctx, `DELETE FROM outbox_batches WHERE id IN (SELECT value FROM json_each(?))`, string(list)); err != nil {
		return fmt.Errorf("clear %d outbox batches: %w", len(ids), err)
	}
	return nil
}

// OutboxEpoch returns the number drawn when this state store was created
// (store.OutboxStore).
func (s *State) OutboxEpoch(ctx context.Context) (int64, error) {
	var e int64
	if err := s.db.r.cachedQueryRow(ctx, "SELECT outbox_epoch FROM state_meta WHERE id = 1").Scan(&e); err != nil {
		return 0, fmt.Errorf("read the outbox epoch: %w", err)
	}
	return e, nil
}
