package projection_test

import (
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/analytics/funnel"
	"github.com/cairn-cdp/cairn/internal/analytics/projection"
	"github.com/cairn-cdp/cairn/internal/app"
	"github.com/cairn-cdp/cairn/internal/segment"
	"github.com/cairn-cdp/cairn/internal/store"
)

// columnDefs read payload values several ways: filters, an aggregate, a
// last event's property, a nested path.
var columnDefs = []string{
	`performed "Order Completed" where revenue > 50 count >= 2 within 3650d`,
	`aggregate sum revenue of "Order Completed" within 3650d >= 300`,
	`last_performed "Product Viewed" has category = "camp"`,
	`performed "Order Completed" where revenue between 60 and 100 within 3650d and aggregate count of "Product Added" within 3650d >= 1`,
}

// storeEvents is a profile's whole history read from the store: timeline
// rows and every decoded payload.
func storeEvents(t *testing.T, a *app.App, id string) []segment.Event {
	t.Helper()
	rows, err := a.State.Timeline(t.Context(), store.TimelineQuery{ProfileIDs: []string{id}, Limit: 100_000})
	require.NoError(t, err)
	seqs := make([]int64, len(rows))
	for i, r := range rows {
		seqs[i] = r.Seq
	}
	logged, err := a.Log.Get(t.Context(), seqs)
	require.NoError(t, err)
	out := make([]segment.Event, 0, len(logged))
	for _, e := range logged {
		se, err := segment.EventFrom(e)
		require.NoError(t, err)
		out = append(out, se)
	}
	return out
}

// compareSegments evaluates columnDefs on every profile from the store and
// from the projection's columns and requires the same members; it returns
// how many memberships it counted.
func compareSegments(t *testing.T, a *app.App, p *projection.Projection, now time.Time) int {
	t.Helper()
	page, err := a.State.FindProfiles(t.Context(), "", nil, "", 100_000)
	require.NoError(t, err)
	var ids []string
	for _, pr := range page {
		if pr.MergedInto == "" {
			ids = append(ids, pr.ID)
		}
	}
	members := 0
	for _, src := range columnDefs {
		def, err := segment.ParseText(src)
		require.NoError(t, err)
		needs := segment.NeedsOf([]*segment.Definition{def}, nil)
		got, ok, err := p.SegmentEvents(t.Context(), ids, needs)
		require.NoError(t, err)
		require.True(t, ok, "nothing else uses the projection")
		for _, id := range ids {
			want, err := segment.Evaluate(def, segment.Snapshot{ProfileID: id, Events: storeEvents(t, a, id)}, now, nil)
			require.NoError(t, err)
			have, err := segment.Evaluate(def, segment.Snapshot{ProfileID: id, Events: got[id]}, now, nil)
			require.NoError(t, err)
			require.Equal(t, want, have, "%s: profile %s", src, id)
			if want {
				members++
			}
		}
	}
	return members
}

// TestSegmentEventsMatchStore follows the projection's columns through
// their first build, new events (late ones and merges among them) and an
// erasure, against evaluating the store's whole events each time.
func TestSegmentEventsMatchStore(t *testing.T) {
	t.Parallel()
	a := demoApp(t, 60)
	p := projection.New(a.State, a.Log, slog.New(slog.DiscardHandler))
	def, err := segment.ParseText(columnDefs[0])
	require.NoError(t, err)
	_, ok, err := p.SegmentEvents(t.Context(), []string{"x"}, segment.NeedsOf([]*segment.Definition{def}, nil))
	require.NoError(t, err)
	require.False(t, ok, "not loaded: the caller reads the store")
	require.NoError(t, p.Refresh(t.Context()))

	now := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	first := compareSegments(t, a, p, now)
	require.Positive(t, first)

	appendShoppers(t, a, 20) // orders of $80 after merges, one late order
	require.NoError(t, a.Processor.CatchUp(t.Context()))
	second := compareSegments(t, a, p, now)
	require.Greater(t, second, first, "the new shoppers' orders count")

	victim := firstProfile(t, a)
	erase := *a.Privacy
	erase.Runner = direct{}
	rep, err := erase.Erase(t.Context(), victim)
	require.NoError(t, err)
	p.Forget(rep.ProfileIDs)
	compareSegments(t, a, p, now)
}

// blockingAcc holds a scan (and its read lock) at its first profile until
// released.
type blockingAcc struct {
	started, release chan struct{}
	once             bool
}

func (b *blockingAcc) Add(*funnel.History) {
	if !b.once {
		b.once = true
		close(b.started)
		<-b.release
	}
}

// SegmentEvents runs on the processor's goroutine: it must not wait for an
// analysis. A column it would have to build while a scan reads is refused
// (the caller reads the store), and served once the scan is done.
func TestSegmentEventsNeverWaitsForAScan(t *testing.T) {
	t.Parallel()
	a := demoApp(t, 20)
	p := projection.New(a.State, a.Log, slog.New(slog.DiscardHandler))
	require.NoError(t, p.Refresh(t.Context()))
	acc := &blockingAcc{started: make(chan struct{}), release: make(chan struct{})}
	done := make(chan error)
	go func() {
		_, err := p.Scan(t.Context(), funnel.Need{}, acc)
		done <- err
	}()
	<-acc.started
	def, err := segment.ParseText(columnDefs[0])
	require.NoError(t, err)
	needs := segment.NeedsOf([]*segment.Definition{def}, nil)
	_, ok, err := p.SegmentEvents(t.Context(), nil, needs)
	require.NoError(t, err)
	require.False(t, ok, "building a column waits for the scan")
	plain := segment.Needs{Events: []string{"Order Completed"}}
	_, ok, err = p.SegmentEvents(t.Context(), nil, plain)
	require.NoError(t, err)
	require.True(t, ok, "reading beside a scan needs no wait")
	close(acc.release)
	require.NoError(t, <-done)
	_, ok, err = p.SegmentEvents(t.Context(), nil, needs)
	require.NoError(t, err)
	require.True(t, ok)
}

// A column over a large store is built a bounded step per call: until it
// is complete the caller reads the store, and what arrives or is erased
// meanwhile ends up in it as in a column built at once.
func TestColumnBuildsInSteps(t *testing.T) {
	t.Parallel()
	a := demoApp(t, 40)
	p := projection.New(a.State, a.Log, slog.New(slog.DiscardHandler))
	p.SetColumnStep(7)
	require.NoError(t, p.Refresh(t.Context()))
	var needs segment.Needs
	for _, src := range columnDefs {
		def, err := segment.ParseText(src)
		require.NoError(t, err)
		n := segment.NeedsOf([]*segment.Definition{def}, nil)
		needs.Events = append(needs.Events, n.Events...)
		needs.Columns = append(needs.Columns, n.Columns...)
	}
	calls := 0
	for ; ; calls++ {
		if calls == 3 { // new customers, merges and a late order arrive mid-build
			appendShoppers(t, a, 10)
			require.NoError(t, a.Processor.CatchUp(t.Context()))
		}
		if calls == 5 {
			erase := *a.Privacy
			erase.Runner = direct{}
			rep, err := erase.Erase(t.Context(), firstProfile(t, a))
			require.NoError(t, err)
			p.Forget(rep.ProfileIDs)
		}
		_, ok, err := p.SegmentEvents(t.Context(), nil, needs)
		require.NoError(t, err)
		if ok {
			break
		}
		require.Less(t, calls, 10_000, "the build never completes")
	}
	require.Greater(t, calls, 5, "the build took several steps")
	compareSegments(t, a, p, time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC))
}
