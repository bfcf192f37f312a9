package audience

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/clock"
)

func TestDebouncerDue(t *testing.T) {
	t.Parallel()
	clk := clock.NewManual(t0)
	d := NewDebouncer(nil, 30*time.Second, time.Minute, clk, nil)
	ids, wait := d.due()
	require.Empty(t, ids)
	require.Zero(t, wait, "nothing pending: wait for a notification")

	d.Notify("vip")
	clk.Advance(20 * time.Second)
	d.Notify("vip") // quiet restarts: due at 50s
	d.Notify("lapsed")
	ids, wait = d.due()
	require.Empty(t, ids)
	require.Equal(t, 30*time.Second, wait)
	require.Equal(t, []string{"lapsed", "vip"}, d.Pending())

	// A steady stream: vip changes every 20s, so it is never quiet, but
	// it is due a minute after its first change.
	clk.Advance(20 * time.Second)
	d.Notify("vip")
	clk.Advance(10 * time.Second) // 50s: lapsed quiet for 30s
	ids, wait = d.due()
	require.Equal(t, []string{"lapsed"}, ids)
	require.Equal(t, 10*time.Second, wait)
	clk.Advance(10 * time.Second) // 60s: vip's maximum wait
	d.Notify("vip")
	ids, _ = d.due()
	require.Equal(t, []string{"vip"}, ids)
	require.Empty(t, d.Pending())
}

func TestNewDebouncerDefaults(t *testing.T) {
	t.Parallel()
	d := NewDebouncer(nil, 0, 0, nil, nil)
	require.Equal(t, DefaultQuiet, d.quiet)
	require.Equal(t, DefaultMaxWait, d.maxWait)
	d = NewDebouncer(nil, time.Hour, time.Minute, nil, nil)
	require.Equal(t, time.Hour, d.maxWait, "the maximum wait is at least the quiet time")
}

// countingRefresher counts the refreshes of a real Exporter.
type countingRefresher struct {
	x  *Exporter
	mu sync.Mutex
	n  map[string]int
}

func (c *countingRefresher) Refresh(ctx context.Context, id string) (Stats, error) {
	st, err := c.x.Refresh(ctx, id)
	c.mu.Lock()
	c.n[id]++
	c.mu.Unlock()
	return st, err
}

func (c *countingRefresher) count(id string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n[id]
}

func TestDebouncerRunRefreshesOnceQuiet(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.seed(t)
	r := &countingRefresher{x: e.exporter(t, e.st, Config{Formats: []string{FormatHashed}}), n: map[string]int{}}
	clk := clock.NewManual(t0)
	d := NewDebouncer(r, 30*time.Second, 10*time.Minute, clk, nil)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()

	for range 5 { // a burst of membership changes
		d.Notify("vip")
	}
	require.Eventually(t, func() bool {
		clk.Advance(5 * time.Second)
		return r.count("vip") > 0
	}, 5*time.Second, time.Millisecond)
	require.Equal(t, 1, r.count("vip"), "one refresh for the burst")
	_, err := os.Stat(filepath.Join(e.dir, "vip-hashed.csv"))
	require.NoError(t, err)
	require.Empty(t, d.Pending())

	d.Notify("vip")
	require.Eventually(t, func() bool {
		clk.Advance(5 * time.Second)
		return r.count("vip") == 2
	}, 5*time.Second, time.Millisecond)
	cancel()
	require.NoError(t, <-done)
}

func TestDebouncerRetriesAFailedRefresh(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.seed(t)
	r := &countingRefresher{x: e.exporter(t, e.st, Config{}), n: map[string]int{}}
	clk := clock.NewManual(t0)
	d := NewDebouncer(r, time.Second, time.Minute, clk, nil)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()
	d.Notify("no/such") // an id that cannot name a file: every refresh fails
	require.Eventually(t, func() bool {
		clk.Advance(time.Second)
		return r.count("no/such") >= 3
	}, 5*time.Second, time.Millisecond)
	cancel()
	require.NoError(t, <-done)
}
