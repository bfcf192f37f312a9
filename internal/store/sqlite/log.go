package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"

	"github.com/cairn-cdp/cairn/internal/store"
)

// Log is the event log in log.db.
type Log struct {
	db     *pool
	path   string
	logger *slog.Logger

	mu   sync.Mutex // serializes writers; guards head and the dedupe fields
	head int64      // highest seq ever assigned

	// dedupe finds stored keys (nil until first use; see loadDedupe). The
	// events that hold a key: seq >= dedupeFrom, and below dedupeThrough
	// only those received at or after dedupeBefore.
	dedupe        *dedupeIndex
	dedupeFrom    int64
	dedupeThrough int64
	dedupeBefore  int64
	dedupeHash    func(dedupeKey) uint64 // nil: seeded xxhash; tests set colliding ones
	snapshotHead  int64                  // head of the snapshot on disk; -1 for none
	dedupeKeys    atomic.Int64           // l.dedupe.len(), for metrics without l.mu
	// noSnapshotOnClose: tests close like a crash, leaving the last snapshot.
	noSnapshotOnClose bool
	// sorted are the sources whose message ids ascend with time (Cairn's
	// own events): their keys stay in the dedupe table, whose B-tree takes
	// them at its right edge, and not in memory (see SetSortedSources).
	sorted map[string]bool

	sync logSync // durability: what is committed, what is flushed (log_sync.go)

	stmts       appendStmts   // multi-row Append statements
	fast        eventInserter // the events insert on the driver's own connection; nil: through stmts
	scratch     appendScratch // guarded by mu
	insReject   *sql.Stmt
	updCounters *sql.Stmt
}

// OpenLog opens (creating and migrating if needed) the event log at path,
// usually <data>/log.db.
func OpenLog(ctx context.Context, path string, logger *slog.Logger) (*Log, error) {
	p, err := openPool(ctx, path, poolConfig{synchronous: syncNormal, pageSize: logPageSize, checkpointEvery: logCheckpointEvery, logger: logger})
	if err != nil {
		return nil, err
	}
	l := &Log{db: p, path: path, logger: logger, stmts: newAppendStmts()}
	l.sync.wal.path = path + "-wal"
	l.scratch.stored = make(map[int64]storedKey)
	l.scratch.found = make(map[dedupeKey]int64, appendChunk)
	if err := l.init(ctx); err != nil {
		_ = p.close()
		return nil, fmt.Errorf("open log %s: %w", path, err)
	}
	// What the WAL holds from before a crash of the process is committed
	// but maybe not on disk yet: flush it before Read shows any of it.
	l.sync.committedTx(l.head)
	if _, err := l.Sync(ctx); err != nil {
		_ = p.close()
		return nil, fmt.Errorf("open log %s: %w", path, err)
	}
	return l, nil
}

func (l *Log) init(ctx context.Context) error {
	if err := migrate(ctx, l.db.w, "log", l.logger); err != nil {
		return err
	}
	if err := l.db.w.QueryRowContext(ctx, "SELECT head FROM log_counters WHERE id = 1").Scan(&l.head); err != nil {
		return fmt.Errorf("read head: %w", err)
	}
	stmts := []struct {
		dst **sql.Stmt
		sql string
	}{
		{&l.insReject, `INSERT INTO rejections (source_id, message_id, reason, detail, field, excerpt, received_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`},
		// ?6/?7: the outbox batch appended (store.OutboxMark); an id of 0
		// keeps the mark.
		{&l.updCounters, `UPDATE log_counters SET received = received + ?1, stored = stored + ?2,
			duplicates = duplicates + ?3, rejected = rejected + ?4, head = ?5,
			outbox_epoch = CASE WHEN ?7 = 0 THEN outbox_epoch ELSE ?6 END,
			outbox_id = CASE WHEN ?7 = 0 THEN outbox_id ELSE ?7 END WHERE id = 1`},
	}
	for _, s := range stmts {
		st, err := l.db.w.PrepareContext(ctx, s.sql)
		if err != nil {
			return fmt.Errorf("prepare %q: %w", s.sql, err)
		}
		*s.dst = st
	}
	fast, err := newEventInserter(ctx, l.db.w)
	if err != nil {
		return fmt.Errorf("events insert: %w", err)
	}
	l.fast = fast
	return nil
}

// Stats returns the persistent counters.
func (l *Log) Stats(ctx context.Context) (store.LogStats, error) {
	var s store.LogStats
	err := l.db.r.cachedQueryRow(ctx,
		"SELECT received, stored, duplicates, rejected, head FROM log_counters WHERE id = 1").
		Scan(&s.Received, &s.Stored, &s.Duplicates, &s.Rejected, &s.Head)
	if err != nil {
		return s, fmt.Errorf("read log stats: %w", err)
	}
	return s, nil
}

// OutboxMark returns the last outbox batch appended (store.OutboxMarker).
func (l *Log) OutboxMark(ctx context.Context) (store.OutboxMark, error) {
	var m store.OutboxMark
	err := l.db.w.QueryRowContext(ctx, "SELECT outbox_epoch, outbox_id FROM log_counters WHERE id = 1").Scan(&m.Epoch, &m.ID)
	if err != nil {
		return m, fmt.Errorf("read the outbox mark: %w", err)
	}
	return m, nil
}

// Close closes the statements and both connection pools.
func (l *Log) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	var errs []error
	if !l.noSnapshotOnClose && l.head != l.snapshotHead { // else the one on disk is current
		if err := l.writeSnapshot(); err != nil { // derived data: the next open rebuilds instead
			l.logger.Warn("save the dedupe index", slog.Any("error", err))
		}
	}
	errs = append(errs, l.stmts.close())
	if l.fast != nil {
		errs = append(errs, l.fast.close())
	}
	for _, st := range []*sql.Stmt{l.insReject, l.updCounters} {
		if st != nil {
			errs = append(errs, st.Close())
		}
	}
	errs = append(errs, l.db.close())
	l.sync.mu.Lock()
	errs = append(errs, l.sync.wal.close())
	l.sync.mu.Unlock()
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("close log: %w", err)
	}
	return nil
}

// DedupeKeys is how many message ids the in-memory dedupe index holds
// (21–43 bytes each); 0 until it is loaded.
func (l *Log) DedupeKeys() int64 { return l.dedupeKeys.Load() }

// countKeys refreshes DedupeKeys; callers hold l.mu.
func (l *Log) countKeys() {
	if l.dedupe != nil {
		l.dedupeKeys.Store(int64(l.dedupe.len()))
	}
}

var (
	_ store.Log          = (*Log)(nil)
	_ store.OutboxMarker = (*Log)(nil)
)
