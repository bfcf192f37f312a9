package projection_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/analytics/funnel"
	"github.com/cairn-cdp/cairn/internal/analytics/projection"
	"github.com/cairn-cdp/cairn/internal/analytics/report"
	"github.com/cairn-cdp/cairn/internal/app"
	"github.com/cairn-cdp/cairn/internal/event"
	"github.com/cairn-cdp/cairn/internal/segment"
	"github.com/cairn-cdp/cairn/internal/store"
)

// demoApp is a data folder holding n NTO demo customers, processed by the
// real pipeline: anonymous browsing merged into sign-ups, several sources,
// payloads with properties.
func demoApp(t *testing.T, n int) *app.App {
	t.Helper()
	cfg := app.Config{DataDir: t.TempDir(), ClockMode: "real", DedupeWindow: time.Hour, MaxBodyBytes: 1 << 20, BatchSize: 500}
	a, err := app.Open(t.Context(), cfg, slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	t.Cleanup(func() { a.Close() })
	end := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	_, err = a.AppendDemo(t.Context(), app.DemoOptions{Customers: n, Seed: 5, End: end})
	require.NoError(t, err)
	require.NoError(t, a.Processor.CatchUp(t.Context()))
	return a
}

// analyses builds a fresh set of accumulators covering what the scans
// serve: decoded properties (a filter and a property breakdown), paths,
// retention, a lift and the stage flow (Cairn's own events).
func analyses(t *testing.T) (funnel.Need, []funnel.Accumulator, func() map[string]any) {
	t.Helper()
	where := []map[string]any{{"property": "revenue", "op": "gt", "value": 50}}
	raw, _ := json.Marshal(where)
	var v any
	require.NoError(t, json.Unmarshal(raw, &v))
	// A filter in the segment language: decoded through the same path as the API.
	fs, err := segment.DecodeFilters("where", v)
	require.NoError(t, err)
	fspec := funnel.FunnelSpec{Steps: []funnel.Step{{Event: "Product Viewed"}, {Event: "Product Added"}, {Event: "Order Completed", Where: fs}},
		Window: 14 * 24 * time.Hour, Breakdown: funnel.Breakdown{By: funnel.ByProperty, Property: "category"}}
	f, err := funnel.NewFunnel(fspec)
	require.NoError(t, err)
	pspec := funnel.PathsSpec{From: "Product Viewed", Depth: 4, Top: 10, Level: "channel"}
	p, err := funnel.NewPaths(pspec)
	require.NoError(t, err)
	rspec := funnel.RetentionSpec{CohortEvent: "Order Completed", ReturnEvent: "Order Completed", Period: funnel.Month, Periods: 6}
	r, err := funnel.NewRetention(rspec)
	require.NoError(t, err)
	lspec := report.LiftSpec{Exposure: funnel.Step{Event: "Catalog Delivered"}, Holdout: funnel.Step{Event: "Catalog Held Out"},
		Conversion: funnel.Step{Event: "Order Completed"}, Window: 30 * 24 * time.Hour, FirstConversion: true}
	l, err := report.NewLift(lspec)
	require.NoError(t, err)
	fl, err := report.NewFlow(report.FlowSpec{Period: report.Month})
	require.NoError(t, err)
	need := fspec.Need()
	for _, n := range []funnel.Need{pspec.Need(), rspec.Need(), lspec.Need(), {Keep: report.FlowEvents, Decode: report.FlowEvents}} {
		need.Keep = append(need.Keep, n.Keep...)
		need.Decode = append(need.Decode, n.Decode...)
	}
	results := func() map[string]any {
		fr, err := f.Result()
		require.NoError(t, err)
		pr, err := p.Result()
		require.NoError(t, err)
		rr, err := r.Result()
		require.NoError(t, err)
		lr, err := l.Result()
		require.NoError(t, err)
		flr, err := fl.Result()
		require.NoError(t, err)
		return map[string]any{"funnel": fr, "paths": pr, "retention": rr, "lift": lr, "flow": flr}
	}
	return need, []funnel.Accumulator{f, p, r, l, fl}, results
}

func internalSource(t *testing.T, st store.State) string {
	t.Helper()
	srcs, err := st.ListSources(t.Context())
	require.NoError(t, err)
	for _, s := range srcs {
		if s.Name == "cairn" {
			return s.ID
		}
	}
	return ""
}

// compare runs the analyses through funnel.Scan (the store) and the
// projection and requires the same results.
func compare(t *testing.T, a *app.App, p *projection.Projection) funnel.ScanStats {
	t.Helper()
	need, accs, results := analyses(t)
	need.Exclude = []string{internalSource(t, a.State)}
	want, err := funnel.Scan(t.Context(), a.State, a.Log, need, accs...)
	require.NoError(t, err)
	wantRes := results()
	need2, accs2, results2 := analyses(t)
	need2.Exclude = need.Exclude
	got, err := p.Scan(t.Context(), need2, accs2...)
	require.NoError(t, err)
	require.Equal(t, want, got, "scan stats")
	wj, _ := json.Marshal(wantRes)
	gj, _ := json.Marshal(results2())
	require.JSONEq(t, string(wj), string(gj))
	return got
}

func TestProjectionMatchesStoreScan(t *testing.T) {
	t.Parallel()
	a := demoApp(t, 150)
	p := projection.New(a.State, a.Log, slog.New(slog.DiscardHandler))
	first := compare(t, a, p)
	require.Greater(t, first.Profiles, 100)
	require.Greater(t, first.Decoded, 0)
	st := p.Stats()
	require.GreaterOrEqual(t, st.Profiles, first.Profiles, "profiles with Cairn's own events only are held too")
	require.GreaterOrEqual(t, st.Events, int64(first.Events))

	// More customers arrive (new profiles, merges of their browsing): the
	// refresh before the next scan brings them in.
	appendShoppers(t, a, 40)
	require.NoError(t, a.Processor.CatchUp(t.Context()))
	second := compare(t, a, p)
	require.Greater(t, second.Profiles, first.Profiles)

	// Erasing a person removes them from both.
	victim := firstProfile(t, a)
	erase := *a.Privacy
	erase.Runner = direct{} // no processor loop runs in this test
	rep, err := erase.Erase(t.Context(), victim)
	require.NoError(t, err)
	p.Forget(rep.ProfileIDs)
	third := compare(t, a, p)
	require.Equal(t, second.Profiles-1, third.Profiles)
}

// appendShoppers logs n new shoppers: anonymous views, a sign-up that
// merges them with their browsing, then an order of $80 — and one more order
// for an existing demo customer, out of time order (a late event).
func appendShoppers(t *testing.T, a *app.App, n int) {
	t.Helper()
	web := webSource(t, a)
	base := time.Date(2026, 10, 20, 12, 0, 0, 0, time.UTC)
	var evs []*event.Event
	add := func(typ event.Type, user, anon, name string, at time.Time, body map[string]any) {
		// Not a user id: an erasure also removes the events whose bodies
		// mention the person's identifiers anywhere.
		msg := fmt.Sprintf("msg-late-%d", len(evs))
		body["type"], body["messageId"] = string(typ), msg
		if user != "" {
			body["userId"] = user
		}
		if anon != "" {
			body["anonymousId"] = anon
		}
		raw, _ := json.Marshal(body)
		evs = append(evs, &event.Event{SourceID: web, Channel: "web", MessageID: msg, Type: typ, UserID: user, AnonymousID: anon,
			Name: name, Timestamp: at, ReceivedAt: at, Raw: raw})
	}
	for i := range n {
		user, anon := fmt.Sprintf("late-%d", i), fmt.Sprintf("anon-late-%d", i)
		at := base.Add(time.Duration(i) * time.Hour)
		add(event.Track, "", anon, "Product Viewed", at, map[string]any{"event": "Product Viewed", "properties": map[string]any{"category": "camp"}})
		add(event.Track, "", anon, "Product Added", at.Add(time.Minute), map[string]any{"event": "Product Added"})
		add(event.Identify, user, anon, "", at.Add(2*time.Minute), map[string]any{"traits": map[string]any{"email": user + "@nto.example"}})
		add(event.Track, user, "", "Order Completed", at.Add(3*time.Minute), map[string]any{"event": "Order Completed", "properties": map[string]any{"revenue": 80}})
	}
	add(event.Track, "late-0", "", "Order Completed", base.Add(-24*time.Hour), map[string]any{"event": "Order Completed", "properties": map[string]any{"revenue": 120}})
	_, err := a.Log.Append(t.Context(), store.AppendBatch{Events: evs, DedupeSince: base.Add(-48 * time.Hour)})
	require.NoError(t, err)
}

// webSource is the id of the demo's web source.
func webSource(t *testing.T, a *app.App) string {
	t.Helper()
	srcs, err := a.State.ListSources(t.Context())
	require.NoError(t, err)
	for _, s := range srcs {
		if s.Channel == "web" {
			return s.ID
		}
	}
	t.Fatal("no web source")
	return ""
}

// direct runs privacy work at once.
type direct struct{}

func (direct) Do(ctx context.Context, fn func(context.Context) error) error { return fn(ctx) }

// firstProfile is a surviving profile with orders.
func firstProfile(t *testing.T, a *app.App) string {
	t.Helper()
	page, err := a.State.FindProfiles(t.Context(), "", nil, "", 200)
	require.NoError(t, err)
	for _, p := range page {
		es, err := a.State.Timeline(t.Context(), store.TimelineQuery{ProfileIDs: []string{p.ID}, Event: "Order Completed", Limit: 1})
		require.NoError(t, err)
		if len(es) > 0 {
			return p.ID
		}
	}
	t.Fatal("no profile with an order")
	return ""
}
