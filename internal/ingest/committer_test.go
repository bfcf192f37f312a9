package ingest

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/clock"
	"github.com/cairn-cdp/cairn/internal/event"
	"github.com/cairn-cdp/cairn/internal/store"
)

// waitFor polls cond without sleeping, a bounded number of times.
func waitFor(tb testing.TB, what string, cond func() bool) {
	tb.Helper()
	for range 5_000_000 {
		if cond() {
			return
		}
		runtime.Gosched()
	}
	tb.Fatalf("timed out waiting for %s", what)
}

func evs(source string, ids ...string) []*event.Event {
	out := make([]*event.Event, len(ids))
	for i, id := range ids {
		out[i] = &event.Event{SourceID: source, MessageID: id, Type: event.Track, ReceivedAt: t0}
	}
	return out
}

type result struct {
	dup []bool
	err error
}

func submitAsync(ctx context.Context, c *Committer, events []*event.Event, rejections []store.Rejection) <-chan result {
	ch := make(chan result, 1)
	go func() {
		dup, err := c.Submit(ctx, events, rejections)
		ch <- result{dup, err}
	}()
	return ch
}

// blockedEnv runs a Committer whose first Append blocks until released.
func blockedEnv(t *testing.T, cfg CommitterConfig) (*Committer, *memLog, func()) {
	t.Helper()
	log := newMemLog()
	log.entered = make(chan struct{}, 100)
	log.release = make(chan struct{})
	c := NewCommitter(log, clock.NewManual(t0), slog.New(slog.DiscardHandler), cfg)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- c.Run(ctx) }()
	released := false
	release := func() {
		if !released {
			released = true
			close(log.release)
		}
	}
	t.Cleanup(func() {
		release()
		cancel()
		require.NoError(t, <-done)
	})
	return c, log, release
}

func TestCommitterGroupsConcurrentSubmissions(t *testing.T) {
	t.Parallel()
	c, log, release := blockedEnv(t, CommitterConfig{})
	first := submitAsync(t.Context(), c, evs("s", "a"), nil)
	<-log.entered // the first group is in Append
	second := submitAsync(t.Context(), c, evs("s", "b", "dup"), nil)
	third := submitAsync(t.Context(), c, evs("s", "c", "dup"), []store.Rejection{{SourceID: "s", Reason: "missing_event"}})
	waitFor(t, "two queued submissions", func() bool { return c.Queued() == 5 })
	release()
	for _, ch := range []<-chan result{first, second, third} {
		require.NoError(t, (<-ch).err)
	}
	require.Equal(t, []int{1, 5}, log.batchSizes, "the queued submissions share one Append")
	events, rejections := log.snapshot()
	require.Len(t, events, 4)
	require.Len(t, rejections, 1)
}

func TestCommitterSplitsDuplicateFlags(t *testing.T) {
	t.Parallel()
	c, _, release := blockedEnv(t, CommitterConfig{})
	release()
	_, err := c.Submit(t.Context(), evs("s", "x"), nil)
	require.NoError(t, err)
	dup, err := c.Submit(t.Context(), evs("s", "y", "x", "y"), nil)
	require.NoError(t, err)
	require.Equal(t, []bool{false, true, true}, dup)
}

func TestCommitterCapsGroups(t *testing.T) {
	t.Parallel()
	c, log, release := blockedEnv(t, CommitterConfig{MaxGroupEvents: 5})
	first := submitAsync(t.Context(), c, evs("s", "a"), nil)
	<-log.entered
	var pending []<-chan result
	for i := range 3 {
		pending = append(pending, submitAsync(t.Context(), c, evs("s", fmt.Sprint("b", i), fmt.Sprint("c", i), fmt.Sprint("d", i)), nil))
		waitFor(t, "queued", func() bool { return c.Queued() == 3*(i+1) })
	}
	big := submitAsync(t.Context(), c, evs("s", "e1", "e2", "e3", "e4", "e5", "e6", "e7"), nil)
	waitFor(t, "queued", func() bool { return c.Queued() == 16 })
	release()
	require.NoError(t, (<-first).err)
	for _, ch := range pending {
		require.NoError(t, (<-ch).err)
	}
	require.NoError(t, (<-big).err, "a request larger than the cap goes through alone")
	require.Equal(t, []int{1, 3, 3, 3, 7}, log.batchSizes)
}

func TestCommitterQueueFull(t *testing.T) {
	t.Parallel()
	c, log, release := blockedEnv(t, CommitterConfig{MaxGroupEvents: 2, MaxQueueEvents: 2})
	first := submitAsync(t.Context(), c, evs("s", "a"), nil)
	<-log.entered
	second := submitAsync(t.Context(), c, evs("s", "b", "c"), nil)
	waitFor(t, "queued", func() bool { return c.Queued() == 2 })
	_, err := c.Submit(t.Context(), evs("s", "d"), nil)
	require.ErrorIs(t, err, ErrQueueFull)
	release()
	require.NoError(t, (<-first).err)
	require.NoError(t, (<-second).err)
	_, err = c.Submit(t.Context(), evs("s", "d"), nil)
	require.NoError(t, err, "room again once the queue drained")
}

type panickyLog struct{ calls int }

func (p *panickyLog) Append(context.Context, store.AppendBatch) ([]bool, error) {
	p.calls++
	if p.calls == 1 {
		panic("boom")
	}
	return []bool{}, nil // wrong length for a non-empty batch
}

func TestCommitterSurvivesABadLog(t *testing.T) {
	t.Parallel()
	c := NewCommitter(&panickyLog{}, clock.NewManual(t0), slog.New(slog.DiscardHandler), CommitterConfig{})
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- c.Run(ctx) }()
	_, err := c.Submit(t.Context(), evs("s", "a"), nil)
	require.ErrorContains(t, err, "panic: boom")
	_, err = c.Submit(t.Context(), evs("s", "a"), nil)
	require.ErrorContains(t, err, "0 duplicate flags for 1 events")
	cancel()
	require.NoError(t, <-done)
}

type windowLog struct{ since []time.Time }

func (w *windowLog) Append(_ context.Context, b store.AppendBatch) ([]bool, error) {
	w.since = append(w.since, b.DedupeSince)
	return make([]bool, len(b.Events)), nil
}

func TestCommitterDedupeWindow(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		window, want time.Duration
	}{{0, 7 * 24 * time.Hour}, {time.Hour, time.Hour}} {
		t.Run(tt.want.String(), func(t *testing.T) {
			t.Parallel()
			log := &windowLog{}
			clk := clock.NewManual(t0)
			c := NewCommitter(log, clk, slog.New(slog.DiscardHandler), CommitterConfig{DedupeWindow: tt.window})
			ctx, cancel := context.WithCancel(t.Context())
			done := make(chan error, 1)
			go func() { done <- c.Run(ctx) }()
			clk.Advance(time.Minute)
			_, err := c.Submit(t.Context(), evs("s", "a"), nil)
			require.NoError(t, err)
			cancel()
			require.NoError(t, <-done)
			require.Equal(t, []time.Time{t0.Add(time.Minute).Add(-tt.want)}, log.since)
		})
	}
}

func TestCommitterDrainsOnShutdown(t *testing.T) {
	t.Parallel()
	log := newMemLog()
	c := NewCommitter(log, clock.NewManual(t0), slog.New(slog.DiscardHandler), CommitterConfig{})
	a := submitAsync(t.Context(), c, evs("s", "a"), nil)
	b := submitAsync(t.Context(), c, evs("s", "b"), nil)
	waitFor(t, "queued before Run", func() bool { return c.Queued() == 2 })
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	require.NoError(t, c.Run(ctx), "Run with a finished context drains and returns")
	require.NoError(t, (<-a).err)
	require.NoError(t, (<-b).err)
	events, _ := log.snapshot()
	require.Len(t, events, 2, "queued work is committed before Run returns")
	_, err := c.Submit(t.Context(), evs("s", "c"), nil)
	require.ErrorIs(t, err, ErrClosed)
}

func TestCommitterSubmitContext(t *testing.T) {
	t.Parallel()
	c, log, _ := blockedEnv(t, CommitterConfig{})
	ctx, cancel := context.WithCancel(t.Context())
	ch := submitAsync(ctx, c, evs("s", "a"), nil)
	<-log.entered
	cancel()
	require.ErrorIs(t, (<-ch).err, context.Canceled)
	dup, err := c.Submit(t.Context(), nil, nil)
	require.NoError(t, err, "nothing to commit returns at once")
	require.Nil(t, dup)
}

func TestCommitterConfigValidate(t *testing.T) {
	t.Parallel()
	require.NoError(t, CommitterConfig{}.Validate())
	require.Error(t, CommitterConfig{DedupeWindow: -1}.Validate())
	require.ErrorContains(t, CommitterConfig{MaxGroupEvents: 10, MaxQueueEvents: 5}.Validate(), "larger than the queue")
}

// TestCollectConcurrent drives many requests through the handler at once:
// every event is stored exactly once and groups hold several requests.
func TestCollectConcurrent(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	const workers, requests, perRequest = 8, 25, 10
	var wg sync.WaitGroup
	errs := make(chan error, workers*requests)
	for w := range workers {
		wg.Go(func() {
			for r := range requests {
				var b strings.Builder
				b.WriteString(`{"batch":[`)
				for i := range perRequest {
					if i > 0 {
						b.WriteByte(',')
					}
					// Odd positions resend the previous request's even ids: duplicates across requests.
					fmt.Fprintf(&b, `{"type":"track","event":"E","userId":"u%d","messageId":"w%d-r%d-%d"}`, w, w, r-i%2, i-i%2)
				}
				b.WriteString(`]}`)
				if rec := e.post("/v1/batch", "WEB_WK", b.String()); rec.Code != http.StatusOK {
					errs <- fmt.Errorf("status %d: %s", rec.Code, rec.Body)
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	events, _ := e.log.snapshot()
	seen := make(map[string]bool)
	for _, ev := range events {
		require.False(t, seen[ev.MessageID], "stored twice: %s", ev.MessageID)
		seen[ev.MessageID] = true
	}
	// Distinct ids per worker: the even positions of every request, plus the
	// odd positions of the first request, which name a request -1.
	want := workers * (requests + 1) * perRequest / 2
	require.Equal(t, want, len(events))
	require.InDelta(t, float64(workers*requests*perRequest-want), e.metric(t, "cairn_ingest_events_duplicate_total"), 0)
	e.log.mu.Lock()
	appends := e.log.appends
	e.log.mu.Unlock()
	require.LessOrEqual(t, appends, workers*requests)
}

// TestCollectQueueFull429 fills the commit queue while the log is stuck.
func TestCollectQueueFull429(t *testing.T) {
	t.Parallel()
	log := newMemLog()
	log.entered = make(chan struct{}, 10)
	log.release = make(chan struct{})
	e := newEnv(t, envOptions{log: log, ccfg: CommitterConfig{MaxGroupEvents: 1, MaxQueueEvents: 1}})
	t.Cleanup(func() { close(log.release) })
	type resp struct{ code int }
	a, b := make(chan resp, 1), make(chan resp, 1)
	go func() { a <- resp{e.post("/v1/t", "WEB_WK", `{"event":"E","userId":"u","messageId":"a"}`).Code} }()
	<-log.entered
	go func() { b <- resp{e.post("/v1/t", "WEB_WK", `{"event":"E","userId":"u","messageId":"b"}`).Code} }()
	waitFor(t, "a queued request", func() bool { return e.c.Queued() == 1 })

	rec := e.post("/v1/t", "WEB_WK", `{"event":"E","userId":"u","messageId":"c"}`)
	require.Equal(t, http.StatusTooManyRequests, rec.Code)
	require.Equal(t, "1", rec.Header().Get("Retry-After"))
	require.Contains(t, rec.Body.String(), `"code":"overloaded"`)

	log.release <- struct{}{}
	require.Equal(t, 200, (<-a).code)
	<-log.entered
	log.release <- struct{}{}
	require.Equal(t, 200, (<-b).code)
	events, _ := log.snapshot()
	require.Len(t, events, 2)
}
