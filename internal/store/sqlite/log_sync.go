package sqlite

import (
	"context"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
)

// Durability of the log. log.db's writer runs with synchronous=NORMAL, so a
// commit writes its WAL frames without waiting for the disk; the Log then
// makes them durable itself with an fdatasync of the WAL file (the same
// call SQLite makes at each commit under synchronous=FULL). Splitting the
// two lets the ingest committer commit the next group while the disk
// flushes the last one (AppendUnsynced, then Sync), instead of idling
// through every flush; Append does both, as FULL would.
//
// Until a Sync covers them, appended events are hidden from Read, so the
// processor never acts on an event a power cut could still take back.
// An fdatasync that fails is not retried: Linux may already have dropped
// the pages it could not write, so the Log refuses every later append and
// sync until it is reopened (SQLite then recovers whatever reached the
// disk, and SDKs resend what was not acknowledged).

// logSync is the Log's durability state.
type logSync struct {
	commits   atomic.Int64 // transactions committed (appends, erasures)
	flushed   atomic.Int64 // of those, how many a Sync covered
	committed atomic.Int64 // head of the appends committed so far
	durable   atomic.Int64 // head of the appends a Sync covered; Read stops there

	mu   sync.Mutex // serializes Syncs; guards wal
	wal  walFile
	err  atomic.Pointer[error] // the failed fdatasync, for every later append and sync
	hook func() error          // tests: replaces the flush
}

// walFile is an open handle on the WAL file, for fdatasync. The WAL is
// never locked (SQLite's locks are on the -shm file), so holding and
// closing a descriptor of our own cannot drop one of SQLite's locks.
type walFile struct {
	path string
	f    *os.File
}

// sync flushes the WAL. It reopens the file when the path no longer names
// the inode it holds, which would take the last connection closing (SQLite
// deletes the WAL then): a flush of a deleted file would be a silent no-op.
func (w *walFile) sync() error {
	if w.f != nil {
		held, err1 := w.f.Stat()
		now, err2 := os.Stat(w.path)
		if err1 != nil || err2 != nil || !os.SameFile(held, now) {
			_ = w.f.Close()
			w.f = nil
		}
	}
	if w.f == nil {
		f, err := os.Open(w.path)
		if err != nil {
			return fmt.Errorf("open the WAL to flush it: %w", err)
		}
		w.f = f
	}
	if err := fdatasync(w.f); err != nil {
		return fmt.Errorf("fdatasync %s: %w", w.path, err)
	}
	return nil
}

func (w *walFile) close() error {
	if w.f == nil {
		return nil
	}
	err := w.f.Close()
	w.f = nil
	return err
}

// committedTx records a commit; callers hold l.mu. head is the log's head
// after it.
func (s *logSync) committedTx(head int64) {
	s.committed.Store(head) // before the count: a Sync that sees the count sees the head
	s.commits.Add(1)
}

// Sync makes every transaction committed before it durable, and the events
// they appended visible to Read; it returns the head it covered.
// Concurrent Syncs share one flush.
func (l *Log) Sync(ctx context.Context) (int64, error) {
	s := &l.sync
	want := s.commits.Load()
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := l.failed(); err != nil {
		return 0, err
	}
	if s.flushed.Load() >= want {
		return s.durable.Load(), nil // a flush that started after our commit covered it
	}
	if err := ctx.Err(); err != nil {
		return 0, fmt.Errorf("sync log: %w", err)
	}
	n, head := s.commits.Load(), s.committed.Load() // all of it is in the file
	flush := s.wal.sync
	if s.hook != nil {
		flush = s.hook
	}
	if err := flush(); err != nil {
		err = fmt.Errorf("log.db could not be flushed to disk and accepts nothing more until Cairn restarts: %w", err)
		s.err.Store(&err)
		return 0, err
	}
	s.durable.Store(head)
	s.flushed.Store(n)
	return head, nil
}

// failed is the sticky flush error, if any.
func (l *Log) failed() error {
	if p := l.sync.err.Load(); p != nil {
		return *p
	}
	return nil
}

// syncedHead is the highest seq Read may return.
func (l *Log) syncedHead() int64 { return l.sync.durable.Load() }
