package projection_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/analytics/funnel"
	"github.com/cairn-cdp/cairn/internal/analytics/projection"
	"github.com/cairn-cdp/cairn/internal/app"
	"github.com/cairn-cdp/cairn/internal/event"
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

// countingLog counts the payloads a projection reads.
type countingLog struct {
	projection.Payloads
	n int
}

func (l *countingLog) Get(ctx context.Context, seqs []int64) ([]*event.Event, error) {
	l.n += len(seqs)
	return l.Payloads.Get(ctx, seqs)
}

// countedProjection is a loaded projection over n demo customers whose
// payload reads are counted.
func countedProjection(t *testing.T, n int) (*app.App, *countingLog, *projection.Projection) {
	t.Helper()
	a := demoApp(t, n)
	lg := &countingLog{Payloads: a.Log}
	p := projection.New(a.State, lg, slog.New(slog.DiscardHandler))
	require.NoError(t, p.Refresh(t.Context()))
	return a, lg, p
}

// A column keeps the values it read: the next backfill over the same
// property reads no payload, and one after new events reads only theirs.
func TestColumnsReadEachPayloadOnce(t *testing.T) {
	t.Parallel()
	a, lg, p := countedProjection(t, 40)
	ids := func() []string {
		page, err := a.State.FindProfiles(t.Context(), "", nil, "", 10_000)
		require.NoError(t, err)
		var out []string
		for _, pr := range page {
			out = append(out, pr.ID)
		}
		return out
	}
	def, err := segment.ParseText(columnDefs[0])
	require.NoError(t, err)
	needs := segment.NeedsOf([]*segment.Definition{def}, nil)
	read := func() int {
		t.Helper()
		before := lg.n
		_, ok, err := p.SegmentEvents(t.Context(), ids(), needs)
		require.NoError(t, err)
		require.True(t, ok)
		return lg.n - before
	}
	first := read()
	require.Positive(t, first, "the first backfill reads the orders")
	require.Zero(t, read(), "the values were kept")
	appendShoppers(t, a, 10) // 11 new orders
	require.NoError(t, a.Processor.CatchUp(t.Context()))
	require.Equal(t, 11, read(), "only the new orders")
	compareSegments(t, a, p, time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC))
}

// Values read for an anonymous visitor follow it when it merges into a
// known customer: the merged history is served without reading them again.
func TestColumnValuesFollowMerges(t *testing.T) {
	t.Parallel()
	a, lg, p := countedProjection(t, 20)
	web := webSource(t, a)
	at := time.Date(2026, 10, 30, 9, 0, 0, 0, time.UTC)
	appendEvent := func(typ event.Type, user, anon, name, msg string, body map[string]any) {
		t.Helper()
		body["type"], body["messageId"] = string(typ), msg
		if user != "" {
			body["userId"] = user
		}
		if anon != "" {
			body["anonymousId"] = anon
		}
		raw, _ := json.Marshal(body)
		e := &event.Event{SourceID: web, Channel: "web", MessageID: msg, Type: typ, UserID: user, AnonymousID: anon,
			Name: name, Timestamp: at, ReceivedAt: at, Raw: raw}
		_, err := a.Log.Append(t.Context(), store.AppendBatch{Events: []*event.Event{e}, DedupeSince: at.Add(-48 * time.Hour)})
		require.NoError(t, err)
		require.NoError(t, a.Processor.CatchUp(t.Context()))
	}
	appendEvent(event.Track, "", "anon-merge", "Order Completed", "m-merge-1",
		map[string]any{"event": "Order Completed", "properties": map[string]any{"revenue": 90}})
	appendEvent(event.Track, "", "anon-merge", "Order Completed", "m-merge-2",
		map[string]any{"event": "Order Completed", "properties": map[string]any{"revenue": 70}})
	anon := resolve(t, a, "anonymous_id", "anon-merge")
	def, err := segment.ParseText(columnDefs[0])
	require.NoError(t, err)
	needs := segment.NeedsOf([]*segment.Definition{def}, nil)
	_, ok, err := p.SegmentEvents(t.Context(), []string{anon}, needs)
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, 2, lg.n, "the visitor's two orders")

	// The visitor signs in as an existing customer with orders of their own.
	var known, user string
	profiles, err := a.State.FindProfiles(t.Context(), "", nil, "", 1000)
	require.NoError(t, err)
	for _, pr := range profiles {
		ids, err := a.State.ProfileIdentities(t.Context(), pr.ID)
		require.NoError(t, err)
		for _, id := range ids {
			if id.Type == "user_id" && pr.ID != anon {
				known, user = pr.ID, id.Value
			}
		}
		if known != "" {
			break
		}
	}
	require.NotEmpty(t, user, "a customer with a user id")
	_, ok, err = p.SegmentEvents(t.Context(), []string{known}, needs)
	require.NoError(t, err)
	require.True(t, ok)
	appendEvent(event.Identify, user, "anon-merge", "", "m-merge-3", map[string]any{"traits": map[string]any{}})
	winner := resolve(t, a, "user_id", user)
	before := lg.n
	got, ok, err := p.SegmentEvents(t.Context(), []string{winner}, needs)
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, before, lg.n, "every value of the merged history was kept")
	revenues := map[any]int{}
	for _, e := range got[winner] {
		revenues[e.Props()["revenue"]]++
	}
	require.Equal(t, 1, revenues[float64(90)], "the visitor's orders are the customer's now: %v", revenues)
	require.Equal(t, 1, revenues[float64(70)])
	compareSegments(t, a, p, time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC))
}

// resolve returns the surviving profile holding an identity.
func resolve(t *testing.T, a *app.App, typ, value string) string {
	t.Helper()
	got, err := a.State.LookupIdentities(t.Context(), []store.IdentityKey{{Type: typ, Value: value}})
	require.NoError(t, err)
	require.Len(t, got, 1)
	id := got[0].ProfileID
	for {
		pr, err := a.State.GetProfile(t.Context(), id)
		require.NoError(t, err)
		if pr.MergedInto == "" {
			return id
		}
		id = pr.MergedInto
	}
}
