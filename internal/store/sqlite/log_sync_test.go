package sqlite

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/event"
	"github.com/cairn-cdp/cairn/internal/store"
)

func syncTestLog(t *testing.T) *Log {
	t.Helper()
	l, err := OpenLog(t.Context(), filepath.Join(t.TempDir(), "log.db"), slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	t.Cleanup(func() { _ = l.Close() })
	return l
}

func syncBatch(prefix string, n int) store.AppendBatch {
	var b store.AppendBatch
	for i := range n {
		b.Events = append(b.Events, &event.Event{SourceID: "web", MessageID: fmt.Sprintf("%s-%d", prefix, i),
			Type: event.Track, Name: "Viewed", UserID: "u1", Raw: []byte(`{}`)})
	}
	return b
}

// TestReadShowsOnlyFlushedEvents: an unsynced append is committed (a
// duplicate of it is caught) but hidden from Read until a Sync covers it.
func TestReadShowsOnlyFlushedEvents(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	l := syncTestLog(t)
	flushes := 0
	l.sync.hook = func() error { flushes++; return l.sync.wal.sync() }

	_, err := l.Append(ctx, syncBatch("a", 3))
	require.NoError(t, err)
	require.Equal(t, 1, flushes)
	_, err = l.AppendUnsynced(ctx, syncBatch("b", 2))
	require.NoError(t, err)
	got, err := l.Read(ctx, 0, 10)
	require.NoError(t, err)
	require.Len(t, got, 3, "Read must not show events no Sync has flushed")
	dup, err := l.AppendUnsynced(ctx, syncBatch("b", 1))
	require.NoError(t, err)
	require.Equal(t, []bool{true}, dup, "an unflushed event still deduplicates")

	head, err := l.Sync(ctx)
	require.NoError(t, err)
	require.Equal(t, int64(5), head)
	require.Equal(t, 2, flushes)
	got, err = l.Read(ctx, 0, 10)
	require.NoError(t, err)
	require.Len(t, got, 5)
	head, err = l.Sync(ctx)
	require.NoError(t, err)
	require.Equal(t, int64(5), head)
	require.Equal(t, 2, flushes, "nothing new committed: no flush")

	// A commit that appends nothing (rejections only) is flushed too.
	_, err = l.AppendUnsynced(ctx, store.AppendBatch{Rejections: []store.Rejection{{SourceID: "web", Reason: "invalid_json"}}})
	require.NoError(t, err)
	_, err = l.Sync(ctx)
	require.NoError(t, err)
	require.Equal(t, 3, flushes)
}

// TestFailedFlushStopsTheLog: after an fdatasync error the log refuses
// appends and syncs, and never shows what it could not flush.
func TestFailedFlushStopsTheLog(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	l := syncTestLog(t)
	_, err := l.Append(ctx, syncBatch("a", 2))
	require.NoError(t, err)
	eio := errors.New("input/output error")
	l.sync.hook = func() error { return eio }
	_, err = l.Append(ctx, syncBatch("b", 2))
	require.ErrorIs(t, err, eio)
	l.sync.hook = nil // the disk is back: the log stays stopped all the same
	_, err = l.Sync(ctx)
	require.ErrorIs(t, err, eio)
	_, err = l.AppendUnsynced(ctx, syncBatch("c", 1))
	require.ErrorIs(t, err, eio)
	require.Contains(t, err.Error(), "until Cairn restarts")
	got, err := l.Read(ctx, 0, 10)
	require.NoError(t, err)
	require.Len(t, got, 2)
}

// TestConcurrentSyncsCoverTheirCommits: whoever commits and then syncs gets
// back a head at or past its own events, however the flushes interleave.
func TestConcurrentSyncsCoverTheirCommits(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	l := syncTestLog(t)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for w := range 8 {
		wg.Go(func() {
			for i := range 20 {
				b := syncBatch(fmt.Sprintf("w%d-%d", w, i), 5)
				if _, err := l.AppendUnsynced(ctx, b); err != nil {
					errs <- err
					return
				}
				head, err := l.Sync(ctx)
				if err != nil {
					errs <- err
					return
				}
				if last := b.Events[4].Seq; head < last {
					errs <- fmt.Errorf("sync returned head %d before the caller's seq %d", head, last)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	got, err := l.Read(ctx, 0, 1000)
	require.NoError(t, err)
	require.Len(t, got, 800)
}

// TestWALFileFollowsTheInode: a WAL deleted and created again (SQLite does
// so when the last connection closes) is reopened, not flushed in its old,
// deleted form.
func TestWALFileFollowsTheInode(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "x.db-wal")
	require.NoError(t, os.WriteFile(path, []byte("one"), 0o600))
	w := walFile{path: path}
	defer w.close()
	require.NoError(t, w.sync())
	first := w.f
	require.NoError(t, w.sync())
	require.Same(t, first, w.f, "same file: the descriptor is kept")
	require.NoError(t, os.Remove(path))
	require.NoError(t, os.WriteFile(path, []byte("two"), 0o600))
	require.NoError(t, w.sync())
	require.NotSame(t, first, w.f)
	held, err := w.f.Stat()
	require.NoError(t, err)
	now, err := os.Stat(path)
	require.NoError(t, err)
	require.True(t, os.SameFile(held, now))
	require.NoError(t, os.Remove(path))
	require.ErrorContains(t, w.sync(), "open the WAL to flush it")
}

// TestBackgroundCheckpointCopiesTheWAL: one run of the log's checkpointer
// leaves nothing in the WAL for the writer's own checkpoint to copy.
func TestBackgroundCheckpointCopiesTheWAL(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	l := syncTestLog(t)
	require.NotNil(t, l.db.ckpt)
	_, err := l.Append(ctx, syncBatch("a", 500))
	require.NoError(t, err)
	left := func() int64 {
		var busy, log, copied int64
		require.NoError(t, l.db.w.QueryRowContext(context.WithoutCancel(ctx), "PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &log, &copied))
		return log - copied
	}
	// Stop the loop so the test drives the runs.
	close(l.db.ckpt.stop)
	<-l.db.ckpt.done
	l.db.ckpt.stop, l.db.ckpt.done = make(chan struct{}), make(chan struct{})
	go func() { <-l.db.ckpt.stop; close(l.db.ckpt.done) }()

	_, err = l.Append(ctx, syncBatch("b", 500))
	require.NoError(t, err)
	moved, err := l.db.ckpt.run(ctx)
	require.NoError(t, err)
	require.True(t, moved)
	require.Zero(t, left(), "the background run copied every frame")
	moved, err = l.db.ckpt.run(ctx)
	require.NoError(t, err)
	require.False(t, moved, "nothing new: the next run reports no work")
}
