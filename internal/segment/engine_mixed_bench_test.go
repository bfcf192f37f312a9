package segment

import (
	"fmt"
	"testing"
	"time"

	"github.com/cairn-cdp/cairn/internal/segment/segmenttest"
)

// mixedSegments indexes segmenttest.Mixed, the processor's streaming
// benchmark segments.
func mixedSegments(b *testing.B) *Index {
	b.Helper()
	defs := map[string]*Definition{}
	versions := map[string]int{}
	for id, src := range segmenttest.Mixed() {
		defs[id], versions[id] = mustText(b, src), 1
	}
	return NewIndex(defs, versions)
}

// BenchmarkUpdateMixed is one streamed "Product Viewed" on a profile that
// already viewed 10 or 100 (20 s apart, as in the processor's benchmark)
// or 200 (a day apart: a long-lived customer), with and without traits: UpdateProfile of the segments the event routes to,
// all of them (routed) or less those it cannot flip (pruned), from the
// memberships the history gives.
func BenchmarkUpdateMixed(b *testing.B) {
	idx := mixedSegments(b)
	for _, c := range []struct {
		history int
		traits  bool
		gap     time.Duration
	}{{10, false, 20 * time.Second}, {10, true, 20 * time.Second}, {100, true, 20 * time.Second}, {200, true, 24 * time.Hour}} {
		snap := Snapshot{ProfileID: "p1"}
		if c.traits {
			snap.Traits = map[string]any{"email": "u@nto.example", "plan": "gold", "address": map[string]any{"city": "Denver"}}
		}
		props := map[string]any{"product_id": "P-1", "price": 249.99, "category": "camping"}
		for i := range c.history {
			e := ev("Product Viewed", t0.Add(time.Duration(i-c.history)*c.gap), props)
			e.Channel = "web"
			snap.Events = append(snap.Events, e)
		}
		before, err := FireAll(idx, snap, nil, t0.Add(-time.Second), nil)
		if err != nil {
			b.Fatal(err)
		}
		current := map[string]bool{}
		for _, tr := range before.Transitions {
			current[tr.SegmentID] = tr.Entered
		}
		e := ev("Product Viewed", t0, props)
		e.Channel = "web"
		snap.Events = append(snap.Events, e)
		for _, prune := range []bool{false, true} {
			b.Run(fmt.Sprintf("history=%d/gap=%s/traits=%t/pruned=%t", c.history, c.gap, c.traits, prune), func(b *testing.B) {
				r := idx.Route()
				r.Event(e)
				ids := r.IDs()
				if prune {
					ids = r.IDsFor(current, time.Time{}, func() (map[string]any, bool) { return snap.Traits, true })
				}
				b.ReportAllocs()
				for b.Loop() {
					if _, err := UpdateProfile(idx, snap, current, ids, t0, time.Time{}, nil); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(len(ids)), "segments/op")
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(ids)), "ns/segment")
			})
		}
	}
}
