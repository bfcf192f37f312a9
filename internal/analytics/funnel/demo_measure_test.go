package funnel

import (
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/store/sqlite"
)

// TestMeasureDemo times the three analyses on a demo data folder built by
// `cairn demo load --customers N --data DIR`; it runs only with
// CAIRN_FUNNEL_DEMO=DIR set (a measurement, not a unit test).
func TestMeasureDemo(t *testing.T) {
	dir := os.Getenv("CAIRN_FUNNEL_DEMO")
	if dir == "" {
		t.Skip("set CAIRN_FUNNEL_DEMO to a demo data folder")
	}
	lg, st, err := sqlite.Open(t.Context(), dir, slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	t.Cleanup(func() { lg.Close(); st.Close() })
	internal := ""
	srcs, err := st.ListSources(t.Context())
	require.NoError(t, err)
	for _, s := range srcs {
		if s.Name == "cairn" {
			internal = s.ID
		}
	}
	f, err := NewFunnel(FunnelSpec{Steps: []Step{{Event: pv}, {Event: added}, {Event: "Checkout Started"}, {Event: order}},
		Window: 7 * 24 * time.Hour, Breakdown: Breakdown{By: ByProperty, Property: "category"}})
	require.NoError(t, err)
	p, err := NewPaths(PathsSpec{From: pv, Depth: 5, Top: 10})
	require.NoError(t, err)
	r, err := NewRetention(RetentionSpec{CohortEvent: order, ReturnEvent: order, Period: Month, Periods: 6})
	require.NoError(t, err)
	for _, run := range []struct {
		name string
		need Need
		acc  interface {
			Accumulator
		}
	}{{"funnel (decoding step 1 payloads)", f.spec.Need(), f}, {"paths", p.spec.Need(), p}, {"retention", r.spec.Need(), r}} {
		run.need.Exclude = []string{internal}
		start := time.Now()
		stats, err := Scan(t.Context(), st, lg, run.need, run.acc)
		require.NoError(t, err)
		t.Logf("%s: %+v in %s", run.name, stats, time.Since(start).Round(time.Millisecond))
	}
	fr, err := f.Result()
	require.NoError(t, err)
	for _, s := range fr.Steps {
		t.Logf("step %s: %d (%.3f from previous) median %v", s.Event, s.Count, s.FromPrevious, deref(s.Median))
	}
	t.Logf("breakdown rows: %d, first %+v", len(fr.Breakdown), fr.Breakdown[0])
	pr, err := p.Result()
	require.NoError(t, err)
	t.Logf("paths: %d profiles, top %+v, sankey %d nodes %d links", pr.Profiles, pr.Paths[0], len(pr.Sankey.Nodes), len(pr.Sankey.Links))
	rr, err := r.Result()
	require.NoError(t, err)
	t.Logf("retention: %d cohorts, first %+v", len(rr.Rows), rr.Rows[0])
}

func deref(p *float64) float64 {
	if p == nil {
		return -1
	}
	return *p
}
