package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/cairn-cdp/cairn/internal/store"
)

// maxParams bounds the placeholders of one IN (...) list, far below SQLite's
// limit of 32766 variables.
const maxParams = 500

func micro(t time.Time) int64 { return t.UnixMicro() }

func fromMicro(v int64) time.Time { return time.UnixMicro(v).UTC() }

// nullMicro stores the zero time as NULL.
func nullMicro(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixMicro()
}

func fromNullMicro(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return fromMicro(v.Int64)
}

// placeholders returns "?,?,?" with n marks.
func placeholders(n int) string {
	if n <= 0 {
		return ""
	}
	return strings.Repeat("?,", n-1) + "?"
}

// inTx runs fn in one write transaction on db, serialized by mu.
func inTx(ctx context.Context, mu *sync.Mutex, db *sql.DB, fn func(tx *sql.Tx) error) error {
	mu.Lock()
	defer mu.Unlock()
	return inTxLocked(ctx, db, fn)
}

// inTxLocked is inTx for a caller that already holds the writer mutex.
func inTxLocked(ctx context.Context, db *sql.DB, fn func(tx *sql.Tx) error) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// classify maps SQLite constraint errors onto the store sentinels. Every
// driver puts SQLite's own message text in its error.
func classify(err error) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	switch {
	case strings.Contains(msg, "UNIQUE constraint failed"), strings.Contains(msg, "PRIMARY KEY constraint failed"):
		return fmt.Errorf("%w: %w", store.ErrConflict, err)
	case strings.Contains(msg, "FOREIGN KEY constraint failed"):
		return fmt.Errorf("%w: %w", store.ErrNotFound, err)
	}
	return err
}

func checkLimit(limit int) error {
	if limit <= 0 {
		return fmt.Errorf("limit %d: must be positive", limit)
	}
	return nil
}

// walTruncate copies the WAL into the database and truncates it, so that no
// frame of erased content stays in the -wal file. It holds off the
// background checkpointer: a checkpoint of its running at the same moment
// would make this one report busy and leave the frames in place.
func (p *pool) walTruncate(ctx context.Context) (busy bool, err error) {
	if p.ckpt != nil {
		p.ckpt.mu.Lock()
		defer p.ckpt.mu.Unlock()
	}
	var b, logPages, done int
	if err := p.w.QueryRowContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)").Scan(&b, &logPages, &done); err != nil {
		return false, fmt.Errorf("wal checkpoint: %w", err)
	}
	return b != 0, nil
}

// jsonIDs binds a list of ids as one JSON array for
// "IN (SELECT value FROM json_each(?))": one statement text for any number
// of ids, so it stays in the statement cache and has no parameter limit.
func jsonIDs(ids []string) string {
	b, _ := json.Marshal(ids) //nolint:errcheck // a []string always encodes
	return string(b)
}
