package segment

import (
	"fmt"
	"testing"
	"time"
)

// benchEngine builds 100 live segments of mixed kinds over 20 event names
// (each name is read by ~6 segments, plus 2 channel segments and 5
// in_segment dependents) and a profile with 200 events over 60 days.
func benchEngine(b *testing.B) (*Index, Snapshot) {
	b.Helper()
	defs := map[string]*Definition{}
	versions := map[string]int{}
	for i := range 93 {
		name := fmt.Sprintf("E%d", (i/5)%20)
		var src string
		switch i % 5 {
		case 0:
			src = fmt.Sprintf(`performed %q within 30d`, name)
		case 1:
			src = fmt.Sprintf(`performed %q where n > 2 count >= 2 within 7d`, name)
		case 2:
			src = fmt.Sprintf(`sequence %q then not "E%d" within 3d`, name, ((i/5)+3)%20)
		case 3:
			src = fmt.Sprintf(`aggregate sum n of %q within 90d >= 10`, name)
		case 4:
			src = fmt.Sprintf(`trait plan = "pro" and last_performed %q time within_last 14d`, name)
		}
		defs[fmt.Sprintf("s%02d", i)] = mustText(b, src)
	}
	defs["c0"] = mustText(b, `channel channels ["store"] within 30d`)
	defs["c1"] = mustText(b, `channel within 7d`)
	for i := range 5 {
		defs[fmt.Sprintf("d%d", i)] = mustText(b, fmt.Sprintf(`in_segment any ["s%02d", "s%02d"] and not in_segment any ["c1"]`, i*5, i*5+3))
	}
	for id := range defs {
		versions[id] = 1
	}
	events := make([]Event, 200)
	for i := range events {
		at := t0.Add(-time.Duration(200-i) * 7 * time.Hour)
		events[i] = ev(fmt.Sprintf("E%d", (i*7)%20), at, map[string]any{"n": float64(i % 5)})
	}
	return NewIndex(defs, versions), Snapshot{ProfileID: "p1", Traits: map[string]any{"plan": "pro"}, Events: events}
}

// BenchmarkUpdate measures one event's Affected + Update on a profile with
// 200 events and 100 live segments; an event affects ~10 of them.
func BenchmarkUpdate(b *testing.B) {
	idx, snap := benchEngine(b)
	if len(idx.All()) != 100 {
		b.Fatalf("want 100 live segments, got %d (%v)", len(idx.All()), idx.Excluded())
	}
	e := ev("E0", t0, map[string]any{"n": float64(3)})
	snap.Events = append(snap.Events, e)
	member := map[string]bool{}
	affected := len(idx.Affected(e, nil))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Update(idx, snap, member, idx.Affected(e, nil), t0, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(affected), "affected/op")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(affected), "ns/segment")
}

// BenchmarkAffected measures routing alone.
func BenchmarkAffected(b *testing.B) {
	idx, _ := benchEngine(b)
	e := ev("E0", t0, nil)
	b.ReportAllocs()
	for b.Loop() {
		if len(idx.Affected(e, nil)) == 0 {
			b.Fatal("nothing affected")
		}
	}
}
