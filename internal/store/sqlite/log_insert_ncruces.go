//go:build !sqlite_mattn && !sqlite_modernc

package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/ncruces/go-sqlite3"
	nsqlite "github.com/ncruces/go-sqlite3/driver"

	"github.com/cairn-cdp/cairn/internal/event"
)

// rawInserter binds events rows straight on the writer's ncruces
// connection. Through database/sql each of the ~1,000 values of a 64-row
// statement is boxed, checked, converted and, before the next execution,
// cleared: a fifth of the ingest committer's CPU. Here each is one Bind
// call; rebinding a parameter frees its old value, so nothing is cleared.
//
// The connection is the pool's only writer connection, which never closes
// while the Log is open; insert runs inside Append's transaction on it, and
// checks that it does.
type rawInserter struct {
	conn  *sqlite3.Conn
	stmts [len(multiRowSizes)]*sqlite3.Stmt
	buf   []byte // meta scratch
}

// newEventInserter returns the ncruces connection's inserter.
func newEventInserter(ctx context.Context, db *sql.DB) (eventInserter, error) {
	c, err := db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("take the writer connection: %w", err)
	}
	defer c.Close() // back to the pool, where it stays as the only writer
	r := &rawInserter{}
	err = c.Raw(func(dc any) error {
		nc, ok := dc.(nsqlite.Conn)
		if !ok {
			return fmt.Errorf("writer connection is a %T, not an ncruces connection", dc)
		}
		r.conn = nc.Raw()
		return nil
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

func (r *rawInserter) insert(evs []*event.Event, keep []int, head int64) error {
	if r.conn.GetAutocommit() {
		return errors.New("the raw insert found its connection outside a transaction")
	}
	seq := head
	for i, size := range multiRowSizes {
		for len(keep) >= size {
			st, err := r.stmt(i, size)
			if err != nil {
				return err
			}
			b := stmtBinder{st: st}
			for _, ev := range keep[:size] {
				seq++
				r.buf = bindEvent(&b, seq, evs[ev], r.buf)
			}
			if b.err != nil {
				return fmt.Errorf("bind events: %w", b.err)
			}
			if err := st.Exec(); err != nil {
				return err
			}
			keep = keep[size:]
		}
	}
	return nil
}

// stmt returns the prepared statement of size rows, preparing it on the
// connection (inside the transaction, which SQLite allows) on first use.
func (r *rawInserter) stmt(i, size int) (*sqlite3.Stmt, error) {
	if st := r.stmts[i]; st != nil {
		return st, nil
	}
	var b strings.Builder
	b.WriteString(insertEventsPrefix)
	for n := range size {
		if n > 0 {
			b.WriteByte(',')
		}
		b.WriteString(insertEventsRow)
	}
	st, _, err := r.conn.Prepare(b.String())
	if err != nil {
		return nil, fmt.Errorf("prepare the %d-row events insert: %w", size, err)
	}
	r.stmts[i] = st
	return st, nil
}

func (r *rawInserter) close() error {
	var errs []error
	for i, st := range r.stmts {
		if st != nil {
			errs = append(errs, st.Close())
			r.stmts[i] = nil
		}
	}
	return errors.Join(errs...)
}

// stmtBinder binds one statement's parameters in order, keeping the first
// error.
type stmtBinder struct {
	st  *sqlite3.Stmt
	n   int
	err error
}

func (b *stmtBinder) next() int { b.n++; return b.n }

func (b *stmtBinder) keep(err error) {
	if err != nil && b.err == nil {
		b.err = err
	}
}

func (b *stmtBinder) int64(v int64) { b.keep(b.st.BindInt64(b.next(), v)) }
func (b *stmtBinder) text(v string) { b.keep(b.st.BindText(b.next(), v)) }

// scratchBlob may take a reused v: BindBlob copies it into SQLite's memory.
func (b *stmtBinder) scratchBlob(v []byte) { b.keep(b.st.BindBlob(b.next(), v)) }
func (b *stmtBinder) null()                { b.keep(b.st.BindNull(b.next())) }
