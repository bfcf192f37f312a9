package funnel

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/segment"
)

func runPaths(t *testing.T, w *world, spec PathsSpec) (PathsResult, error) {
	t.Helper()
	p, err := NewPaths(spec)
	require.NoError(t, err)
	w.scan(t, spec.Need(), p)
	return p.Result()
}

func TestPaths(t *testing.T) {
	t.Parallel()
	w := newWorld(t, shop())
	cases := []struct {
		name  string
		spec  PathsSpec
		paths []PathCount
		other int
		graph Sankey
	}{
		{name: "from, event level, top 2", spec: PathsSpec{From: pv, Depth: 3, Top: 2},
			paths: []PathCount{{[]string{pv, added}, 2}, {[]string{pv}, 1}}, other: 2,
			graph: Sankey{
				Nodes: []Node{{0, pv, 0}, {1, added, 1}, {2, order, 1}, {3, order, 2}, {4, added, 2}},
				Links: []Link{{0, 1, 3}, {0, 2, 1}, {1, 3, 1}, {2, 4, 1}}}},
		{name: "from, other bucket", spec: PathsSpec{From: pv, Depth: 3, Top: 1},
			paths: []PathCount{{[]string{pv, added}, 2}}, other: 3,
			graph: Sankey{
				Nodes: []Node{{0, pv, 0}, {1, added, 1}, {2, OtherNode, 1}, {3, order, 2}, {4, OtherNode, 2}},
				Links: []Link{{0, 1, 3}, {0, 2, 1}, {1, 3, 1}, {2, 4, 1}}}},
		{name: "depth 2", spec: PathsSpec{From: pv, Depth: 2, Top: 10},
			paths: []PathCount{{[]string{pv, added}, 3}, {[]string{pv}, 1}, {[]string{pv, order}, 1}},
			graph: Sankey{Nodes: []Node{{0, pv, 0}, {1, added, 1}, {2, order, 1}}, Links: []Link{{0, 1, 3}, {0, 2, 1}}}},
		{name: "channel level", spec: PathsSpec{From: pv, Depth: 4, Level: LevelChannel},
			paths: []PathCount{{[]string{"web"}, 3}, {[]string{"store"}, 1}, {[]string{"web", "store"}, 1}},
			graph: Sankey{Nodes: []Node{{0, "web", 0}, {1, "store", 0}, {2, "store", 1}}, Links: []Link{{0, 2, 1}}}},
		{name: "to, aligned on the end", spec: PathsSpec{To: order, Depth: 3},
			paths: []PathCount{{[]string{order}, 2}, {[]string{pv, order}, 1}, {[]string{pv, added, order}, 1}},
			graph: Sankey{Nodes: []Node{{0, pv, 0}, {1, added, 1}, {2, pv, 1}, {3, order, 2}},
				Links: []Link{{0, 1, 1}, {1, 3, 1}, {2, 3, 1}}}},
		{name: "internal events are not touchpoints", spec: PathsSpec{From: "Home", Depth: 3},
			paths: []PathCount{{[]string{"Home"}, 1}},
			graph: Sankey{Nodes: []Node{{0, "Home", 0}}, Links: []Link{}}},
		{name: "since", spec: PathsSpec{From: pv, Depth: 3, Since: t0.Add(day)},
			paths: []PathCount{{[]string{pv, added}, 1}},
			graph: Sankey{Nodes: []Node{{0, pv, 0}, {1, added, 1}}, Links: []Link{{0, 1, 1}}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r, err := runPaths(t, w, tc.spec)
			require.NoError(t, err)
			require.Equal(t, tc.paths, r.Paths)
			require.Equal(t, tc.other, r.Other)
			total := tc.other
			for _, p := range tc.paths {
				total += p.Count
			}
			require.Equal(t, total, r.Profiles)
			require.Equal(t, tc.graph, r.Sankey)
		})
	}
}

func TestPathsBadInput(t *testing.T) {
	t.Parallel()
	w := newWorld(t, shop())
	_, err := runPaths(t, w, PathsSpec{From: "Nope"})
	require.ErrorIs(t, err, ErrUnknown)
	require.Contains(t, err.Error(), `"Nope"`)

	for _, spec := range []PathsSpec{{}, {From: pv, To: order}, {From: pv, Depth: 1}, {From: pv, Depth: 11},
		{From: pv, Top: -1}, {From: pv, Level: "campaign"}, {From: pv, Since: t0, Until: t0.Add(-day)}} {
		_, err := NewPaths(spec)
		require.ErrorIs(t, err, ErrInvalid, "%+v", spec)
	}

	empty := newWorld(t, nil)
	r, err := runPaths(t, empty, PathsSpec{From: pv})
	require.NoError(t, err)
	b, err := json.Marshal(r)
	require.NoError(t, err)
	require.JSONEq(t, `{"profiles":0,"paths":[],"other":0,"sankey":{"nodes":[],"links":[]}}`, string(b))
}

func TestPathsSkipUnnamed(t *testing.T) {
	t.Parallel()
	p, err := NewPaths(PathsSpec{From: "A", Depth: 3, Level: LevelChannel})
	require.NoError(t, err)
	p.Add(&History{ProfileID: "p1", Events: []segment.Event{
		{Type: "track", Name: "A", Channel: "web", Timestamp: t0},
		{Type: "identify", Channel: "server", Timestamp: t0.Add(time.Minute)},
		{Type: "page", Name: "Home", Channel: "web", Timestamp: t0.Add(2 * time.Minute)},
		{Type: "track", Name: "B", Channel: "", Timestamp: t0.Add(3 * time.Minute)},
	}})
	r, err := p.Result()
	require.NoError(t, err)
	require.Equal(t, []PathCount{{[]string{"web", "(none)"}, 1}}, r.Paths)
}
