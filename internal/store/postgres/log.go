package postgres

import (
	"context"
	"fmt"
	"log/slog"
	"sync"

	"github.com/cairn-cdp/cairn/internal/store"
)

// Log is the event log in PostgreSQL.
type Log struct {
	db        *shared
	logger    *slog.Logger
	closeOnce sync.Once
}

// Stats returns the persistent counters.
func (l *Log) Stats(ctx context.Context) (store.LogStats, error) {
	var s store.LogStats
	err := l.db.pool.QueryRow(ctx, "SELECT received, stored, duplicates, rejected, head FROM log_counters WHERE id = 1").
		Scan(&s.Received, &s.Stored, &s.Duplicates, &s.Rejected, &s.Head)
	if err != nil {
		return s, fmt.Errorf("read log stats: %w", err)
	}
	return s, nil
}

// OutboxMark returns the last outbox batch appended (store.OutboxMarker).
func (l *Log) OutboxMark(ctx context.Context) (store.OutboxMark, error) {
	var m store.OutboxMark
	if err := l.db.pool.QueryRow(ctx, "SELECT outbox_epoch, outbox_id FROM log_counters WHERE id = 1").Scan(&m.Epoch, &m.ID); err != nil {
		return m, fmt.Errorf("read the outbox mark: %w", err)
	}
	return m, nil
}

// Close releases the log's share of the pool.
func (l *Log) Close() error {
	l.closeOnce.Do(l.db.release)
	return nil
}

var (
	_ store.Log          = (*Log)(nil)
	_ store.OutboxMarker = (*Log)(nil)
)
