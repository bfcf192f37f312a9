package segment

import (
	"fmt"
	"testing"
	"time"
)

// mixedSegments are the 100 segments of the processor's streaming
// benchmark (pipeline.benchSegments): nine kinds over "Product Viewed"
// (price, category), traits, the web channel and in_segment dependents.
func mixedSegments(b *testing.B) *Index {
	b.Helper()
	defs := map[string]*Definition{}
	versions := map[string]int{}
	windows := []string{"1h", "1d", "7d", "30d", "90d"}
	for i := range 90 {
		w := windows[i%len(windows)]
		var src string
		switch i % 9 {
		case 0:
			src = fmt.Sprintf(`performed "Product Viewed" within %s`, w)
		case 1:
			src = fmt.Sprintf(`performed "Product Viewed" where price > %d, category = "camping" count >= %d within %s`, 50*(i%7), 1+i%4, w)
		case 2:
			src = fmt.Sprintf(`aggregate sum price of "Product Viewed" within %s >= %d`, w, 250*(1+i%5))
		case 3:
			src = fmt.Sprintf(`trait plan = "gold" and trait address.city in ["Denver", "Paris"] and performed "Product Viewed" count >= %d`, 1+i%3)
		case 4:
			src = fmt.Sprintf(`last_performed "Product Viewed" where category = "camping" time within_last %s`, w)
		case 5:
			src = fmt.Sprintf(`sequence "Product Viewed" then not "Order Completed" within %s`, w)
		case 6:
			src = fmt.Sprintf(`channel channels ["web"] within %s`, w)
		case 7:
			src = fmt.Sprintf(`trait email ends_with "@nto.example" and aggregate count of "Product Viewed" within %s >= %d`, w, 2+i%3)
		case 8:
			if i%2 == 0 {
				src = fmt.Sprintf(`performed "Order Completed" where revenue > %d within %s`, 10*i, w)
			} else {
				src = fmt.Sprintf(`aggregate sum revenue of "Order Completed" within 365d >= %d or performed "Product Added" within %s`, 100*i, w)
			}
		}
		defs[fmt.Sprintf("s%03d", i)] = mustText(b, src)
	}
	for i := range 10 {
		defs[fmt.Sprintf("z%02d", i)] = mustText(b, fmt.Sprintf(`in_segment any ["s%03d", "s%03d"] and not in_segment any ["s%03d"]`, i*9, i*9+3, i*9+8))
	}
	for id := range defs {
		versions[id] = 1
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
					ids = r.IDsFor(current)
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
