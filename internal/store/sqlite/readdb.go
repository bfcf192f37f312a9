package sqlite

import (
	"context"
	"database/sql"
	"sync"
)

// maxCachedReads bounds the prepared read statements kept per database.
const maxCachedReads = 128

// readDB is the reader pool with a cache of prepared statements for the
// fixed-text queries of the read paths: preparing costs more than running
// a point lookup, so hot reads must not pay it every call.
type readDB struct {
	*sql.DB
	mu    sync.RWMutex
	stmts map[string]*sql.Stmt
}

func newReadDB(db *sql.DB) *readDB {
	return &readDB{DB: db, stmts: make(map[string]*sql.Stmt)}
}

// stmt returns the prepared statement for q, preparing it on first use;
// nil once the cache is full (the caller then runs q unprepared).
func (r *readDB) stmt(ctx context.Context, q string) (*sql.Stmt, error) {
	r.mu.RLock()
	st, ok := r.stmts[q]
	n := len(r.stmts)
	r.mu.RUnlock()
	if ok || n >= maxCachedReads {
		return st, nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if st, ok := r.stmts[q]; ok {
		return st, nil
	}
	st, err := r.DB.PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	r.stmts[q] = st
	return st, nil
}

// cachedQuery runs a fixed-text query through the statement cache.
func (r *readDB) cachedQuery(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	st, err := r.stmt(ctx, q)
	if err != nil {
		return nil, err
	}
	if st == nil {
		return r.DB.QueryContext(ctx, q, args...)
	}
	return st.QueryContext(ctx, args...)
}

// cachedQueryRow is cachedQuery for one row.
func (r *readDB) cachedQueryRow(ctx context.Context, q string, args ...any) *sql.Row {
	st, err := r.stmt(ctx, q)
	if err != nil || st == nil {
		// An unpreparable query fails again here, with its error on the Row.
		return r.DB.QueryRowContext(ctx, q, args...)
	}
	return st.QueryRowContext(ctx, args...)
}

func (r *readDB) Close() error {
	r.mu.Lock()
	for q, st := range r.stmts {
		_ = st.Close()
		delete(r.stmts, q)
	}
	r.mu.Unlock()
	return r.DB.Close()
}
