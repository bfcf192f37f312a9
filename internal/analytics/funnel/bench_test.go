package funnel

import (
	"fmt"
	"testing"
	"time"

	"github.com/cairn-cdp/cairn/internal/segment"
)

// benchHistory is 300 events cycling through browsing, cart and order
// events, one every 10 minutes.
func benchHistory() *History {
	names := []string{pv, "Home", pv, added, "Cart", "Checkout Started", order, "Email Opened"}
	h := &History{ProfileID: "p"}
	for i := range 300 {
		h.Events = append(h.Events, segment.Event{Type: "track", Name: names[i%len(names)], Channel: "web",
			Timestamp: t0.Add(time.Duration(i) * 10 * time.Minute), Properties: map[string]any{"i": float64(i)}})
	}
	return h
}

func BenchmarkFunnelAdd(b *testing.B) {
	for _, o := range []Order{Strict, Any} {
		b.Run(fmt.Sprint(o), func(b *testing.B) {
			f, err := NewFunnel(FunnelSpec{Steps: steps(pv, added, "Checkout Started", order), Window: 24 * time.Hour, Order: o})
			if err != nil {
				b.Fatal(err)
			}
			h := benchHistory()
			b.ReportAllocs()
			for b.Loop() {
				f.Add(h)
			}
		})
	}
}

func BenchmarkPathsAdd(b *testing.B) {
	p, err := NewPaths(PathsSpec{From: added, Depth: 5})
	if err != nil {
		b.Fatal(err)
	}
	h := benchHistory()
	b.ReportAllocs()
	for b.Loop() {
		p.Add(h)
	}
}
