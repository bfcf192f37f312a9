package funnel

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/segment"
)

func steps(names ...string) []Step {
	out := make([]Step, len(names))
	for i, n := range names {
		out[i] = Step{Event: n}
	}
	return out
}

func where(t *testing.T, js string) []segment.Filter {
	t.Helper()
	var v any
	require.NoError(t, json.Unmarshal([]byte(js), &v))
	fs, err := segment.DecodeFilters("step", v)
	require.NoError(t, err)
	return fs
}

func runFunnel(t *testing.T, w *world, spec FunnelSpec) (FunnelResult, error) {
	t.Helper()
	f, err := NewFunnel(spec)
	require.NoError(t, err)
	w.scan(t, spec.Need(), f)
	return f.Result()
}

func TestFunnel(t *testing.T) {
	t.Parallel()
	w := newWorld(t, shop())
	id := func(u string) string { return w.pid(t, u) }
	cases := []struct {
		name   string
		spec   FunnelSpec
		counts []int
		median []*float64 // per step; nil entries: none
		p90    []*float64
		drop   [][]string // dropped sample per step
		bd     []BreakdownRow
	}{
		{name: "strict", spec: FunnelSpec{Steps: steps(pv, added, order), Window: 7 * day},
			counts: []int{5, 4, 1},
			median: []*float64{nil, seconds(2 * hour), seconds(2 * hour)},
			p90:    []*float64{nil, seconds(day), seconds(2 * hour)},
			drop:   [][]string{{}, {id("u3")}, sorted(id("u2"), id("u4"), id("u5"))}},
		{name: "any order", spec: FunnelSpec{Steps: steps(pv, added, order), Window: 7 * day, Order: Any},
			counts: []int{5, 4, 2},
			median: []*float64{nil, seconds(2 * hour), seconds(0)},
			p90:    []*float64{nil, seconds(day), seconds(2 * hour)},
			drop:   [][]string{{}, {id("u3")}, sorted(id("u2"), id("u5"))}},
		{name: "short window drops u5", spec: FunnelSpec{Steps: steps(pv, added), Window: 12 * hour},
			counts: []int{5, 3},
			drop:   [][]string{{}, sorted(id("u3"), id("u5"))}},
		{name: "filter", spec: FunnelSpec{Steps: []Step{{Event: pv, Where: where(t, `[{"property":"color","op":"equals","value":"red"}]`)}, {Event: added}, {Event: order}}, Window: 7 * day},
			counts: []int{2, 1, 1},
			drop:   [][]string{{}, {id("u3")}, {}}},
		{name: "since", spec: FunnelSpec{Steps: steps(pv, added, order), Window: 7 * day, Since: t0.Add(day)},
			counts: []int{1, 1, 0},
			drop:   [][]string{{}, {}, {id("u5")}}},
		{name: "internal event named by a step", spec: FunnelSpec{Steps: steps("Home", segIn), Window: day},
			counts: []int{1, 1}, drop: [][]string{{}, {}}},
		{name: "by channel", spec: FunnelSpec{Steps: steps(pv, added, order), Window: 7 * day, Breakdown: Breakdown{By: ByChannel}},
			counts: []int{5, 4, 1}, drop: [][]string{{}, {id("u3")}, sorted(id("u2"), id("u4"), id("u5"))},
			bd: []BreakdownRow{{Value: "web", Counts: []int{4, 4, 1}, FromFirst: []float64{1, 1, 0.25}},
				{Value: "store", Counts: []int{1, 0, 0}, FromFirst: []float64{1, 0, 0}}}},
		{name: "by property", spec: FunnelSpec{Steps: steps(pv, added), Window: 7 * day, Breakdown: Breakdown{By: ByProperty, Property: "color"}},
			counts: []int{5, 4}, drop: [][]string{{}, {id("u3")}},
			bd: []BreakdownRow{{Value: "(none)", Counts: []int{2, 2}, FromFirst: []float64{1, 1}},
				{Value: "red", Counts: []int{2, 1}, FromFirst: []float64{1, 0.5}},
				{Value: "blue", Counts: []int{1, 1}, FromFirst: []float64{1, 1}}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r, err := runFunnel(t, w, tc.spec)
			require.NoError(t, err)
			require.Equal(t, tc.counts[0], r.Entered)
			require.Len(t, r.Steps, len(tc.counts))
			for k, s := range r.Steps {
				require.Equal(t, tc.counts[k], s.Count, "step %d", k+1)
				require.Equal(t, tc.drop[k], s.Dropped.Sample, "step %d", k+1)
				require.Equal(t, len(tc.drop[k]), s.Dropped.Total, "step %d", k+1)
				require.InDelta(t, float64(tc.counts[k])/float64(tc.counts[0]), s.FromFirst, 1e-12)
				if k > 0 {
					require.InDelta(t, float64(tc.counts[k])/float64(tc.counts[k-1]), s.FromPrevious, 1e-12)
				}
				if tc.median != nil {
					require.Equal(t, tc.median[k], s.Median, "median of step %d", k+1)
					require.Equal(t, tc.p90[k], s.P90, "p90 of step %d", k+1)
				}
			}
			require.Equal(t, tc.bd, r.Breakdown)
		})
	}
}

func sorted(ids ...string) []string {
	out := append([]string(nil), ids...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

func TestFunnelUnknown(t *testing.T) {
	t.Parallel()
	w := newWorld(t, shop())
	cases := []struct {
		name string
		spec FunnelSpec
		want []string
	}{
		{"event", FunnelSpec{Steps: steps(pv, "Nope"), Window: day}, []string{`event "Nope" (step 2)`}},
		{"excluded internal event is still known when named", FunnelSpec{Steps: steps(pv, "Nope", segIn), Window: day}, []string{`"Nope"`}},
		{"property", FunnelSpec{Steps: []Step{{Event: pv, Where: where(t, `[{"property":"size","op":"equals","value":"L"}]`)}}, Window: day},
			[]string{`properties.size on "Product Viewed" (step 1)`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := runFunnel(t, w, tc.spec)
			require.ErrorIs(t, err, ErrUnknown)
			for _, s := range tc.want {
				require.Contains(t, err.Error(), s)
			}
			require.NotContains(t, err.Error(), segIn)
		})
	}
}

func TestFunnelEmpty(t *testing.T) {
	t.Parallel()
	w := newWorld(t, nil)
	r, err := runFunnel(t, w, FunnelSpec{Steps: steps(pv, added), Window: day, Breakdown: Breakdown{By: ByChannel}})
	require.NoError(t, err, "no data: an empty result, not an unknown-event error")
	require.Zero(t, r.Entered)
	for _, s := range r.Steps {
		require.Zero(t, s.Count)
		require.Zero(t, s.FromFirst)
		require.Zero(t, s.FromPrevious)
		require.Nil(t, s.Median)
		require.Equal(t, []string{}, s.Dropped.Sample)
	}
	b, err := json.Marshal(r)
	require.NoError(t, err, "no NaN")
	require.Contains(t, string(b), `"median_seconds":null`)
}

func TestFunnelInvalid(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		spec FunnelSpec
		want string
	}{
		{"no steps", FunnelSpec{Window: day}, "1 to 20 steps"},
		{"blank event", FunnelSpec{Steps: steps(pv, " "), Window: day}, "step 2 has no event"},
		{"zero window", FunnelSpec{Steps: steps(pv)}, "window"},
		{"negative window", FunnelSpec{Steps: steps(pv), Window: -time.Hour}, "window"},
		{"huge window", FunnelSpec{Steps: steps(pv), Window: 400 * day}, "366 days"},
		{"order", FunnelSpec{Steps: steps(pv), Window: day, Order: "random"}, "strict or any"},
		{"range", FunnelSpec{Steps: steps(pv), Window: day, Since: t0, Until: t0}, "before until"},
		{"breakdown", FunnelSpec{Steps: steps(pv), Window: day, Breakdown: Breakdown{By: "persona"}}, "channel, source, property:PATH, stage or segment:ID"},
		{"segment breakdown without id", FunnelSpec{Steps: steps(pv), Window: day, Breakdown: Breakdown{By: BySegment}}, "segment id"},
		{"segment id on another breakdown", FunnelSpec{Steps: steps(pv), Window: day, Breakdown: Breakdown{By: ByStage, Segment: "s"}}, "only for a segment breakdown"},
		{"property breakdown without path", FunnelSpec{Steps: steps(pv), Window: day, Breakdown: Breakdown{By: ByProperty}}, "property path"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := NewFunnel(tc.spec)
			require.ErrorIs(t, err, ErrInvalid)
			require.Contains(t, err.Error(), tc.want)
		})
	}
}

// TestFunnelAttempts feeds histories directly: the furthest attempt wins,
// the earliest among equals; a repeated step needs a second occurrence.
func TestFunnelAttempts(t *testing.T) {
	t.Parallel()
	at := func(name string, d time.Duration) segment.Event {
		return segment.Event{Type: "track", Name: name, Timestamp: t0.Add(d), Channel: "web"}
	}
	cases := []struct {
		name   string
		order  Order
		steps  []Step
		events []segment.Event
		counts []int
		median *float64 // of step 2
	}{
		{"earliest of equal attempts", Strict, steps(pv, added, order),
			[]segment.Event{at(pv, 0), at(pv, hour), at(added, 3*hour), at(order, 5*day)}, []int{1, 1, 0}, seconds(3 * hour)},
		{"earliest of equal attempts, any order", Any, steps(pv, added, order),
			[]segment.Event{at(pv, 0), at(pv, hour), at(added, 3*hour), at(order, 5*day)}, []int{1, 1, 0}, seconds(3 * hour)},
		{"a later entry reaches further", Strict, steps(pv, added),
			[]segment.Event{at(pv, 0), at(pv, 2*day), at(added, 2*day+hour)}, []int{1, 1}, seconds(hour)},
		{"repeated step needs two events", Strict, steps(pv, pv), []segment.Event{at(pv, 0)}, []int{1, 0}, nil},
		{"repeated step", Strict, steps(pv, pv), []segment.Event{at(pv, 0), at(pv, hour)}, []int{1, 1}, seconds(hour)},
		{"repeated step, any order", Any, steps(pv, added, added),
			[]segment.Event{at(pv, 0), at(added, hour)}, []int{1, 1, 0}, seconds(hour)},
		{"order matters when strict", Strict, steps(pv, added, order),
			[]segment.Event{at(pv, 0), at(order, hour), at(added, 2*hour)}, []int{1, 1, 0}, seconds(2 * hour)},
		{"not before the entry, any order", Any, steps(pv, added),
			[]segment.Event{at(added, 0), at(pv, hour)}, []int{1, 0}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f, err := NewFunnel(FunnelSpec{Steps: tc.steps, Window: day, Order: tc.order})
			require.NoError(t, err)
			f.Add(&History{ProfileID: "p", Events: tc.events})
			r, err := f.Result()
			require.NoError(t, err)
			for k, s := range r.Steps {
				require.Equal(t, tc.counts[k], s.Count, "step %d", k+1)
			}
			require.Equal(t, tc.median, r.Steps[1].Median)
		})
	}
}
