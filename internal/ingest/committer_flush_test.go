package ingest

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/clock"
	"github.com/cairn-cdp/cairn/internal/store"
)

// flushLog is a memLog whose commits become durable only when Sync runs;
// Sync blocks until the test lets a flush through.
type flushLog struct {
	*memLog
	mu        sync.Mutex
	committed int // events committed
	durable   int // events a Sync covered
	flushing  chan struct{}
	flush     chan error    // each Sync takes one value: nil flushes, an error fails
	open      chan struct{} // closed: every Sync flushes at once (the test's cleanup)
}

func newFlushLog() *flushLog {
	return &flushLog{memLog: newMemLog(), flushing: make(chan struct{}, 100), flush: make(chan error),
		open: make(chan struct{})}
}

func (l *flushLog) AppendUnsynced(ctx context.Context, b store.AppendBatch) ([]bool, error) {
	dup, err := l.memLog.Append(ctx, b)
	if err == nil {
		l.mu.Lock()
		l.committed = len(l.memLog.events)
		l.mu.Unlock()
	}
	return dup, err
}

func (l *flushLog) Append(ctx context.Context, b store.AppendBatch) ([]bool, error) {
	panic("the committer must not call Append on a log that can flush on its own")
}

func (l *flushLog) Sync(ctx context.Context) (int64, error) {
	l.mu.Lock()
	want := l.committed
	l.mu.Unlock()
	l.flushing <- struct{}{}
	select {
	case err := <-l.flush:
		if err != nil {
			return 0, err
		}
	case <-l.open:
	}
	l.mu.Lock()
	l.durable = want
	l.mu.Unlock()
	return int64(want), nil
}

func (l *flushLog) counts() (committed, durable int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.committed, l.durable
}

func flushEnv(t *testing.T) (*Committer, *flushLog) {
	t.Helper()
	log := newFlushLog()
	c := NewCommitter(log, clock.NewManual(t0), slog.New(slog.DiscardHandler), CommitterConfig{})
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- c.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		close(log.open) // let the flushes of the shutdown through
		require.NoError(t, <-done)
	})
	return c, log
}

// TestCommitterCommitsWhileFlushing: a request is answered only after the
// flush that covers it, and the next group commits while that flush runs.
func TestCommitterCommitsWhileFlushing(t *testing.T) {
	t.Parallel()
	c, log := flushEnv(t)
	first := submitAsync(t.Context(), c, evs("s", "a", "b"), nil)
	<-log.flushing // the first group is committed and its flush is running
	second := submitAsync(t.Context(), c, evs("s", "c", "a"), nil)
	waitFor(t, "the second group committed during the first flush", func() bool {
		committed, _ := log.counts()
		return committed == 3
	})
	select {
	case r := <-first:
		t.Fatalf("answered before its flush: %+v", r)
	case r := <-second:
		t.Fatalf("answered before its flush: %+v", r)
	default:
	}
	log.flush <- nil // the first flush ends; the second covers the second group
	r := <-first
	require.NoError(t, r.err)
	require.Equal(t, []bool{false, false}, r.dup)
	<-log.flushing
	select {
	case r := <-second:
		t.Fatalf("answered before its flush: %+v", r)
	default:
	}
	log.flush <- nil
	r = <-second
	require.NoError(t, r.err)
	require.Equal(t, []bool{false, true}, r.dup)
	committed, durable := log.counts()
	require.Equal(t, 3, committed)
	require.Equal(t, 3, durable)
}

// TestCommitterFailedFlush: the groups a failed flush covered get its error.
func TestCommitterFailedFlush(t *testing.T) {
	t.Parallel()
	c, log := flushEnv(t)
	ch := submitAsync(t.Context(), c, evs("s", "a"), nil)
	<-log.flushing
	eio := errors.New("input/output error")
	log.flush <- eio
	require.ErrorIs(t, (<-ch).err, eio)
}
