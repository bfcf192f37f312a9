package report

import (
	"testing"
	"time"

	"github.com/cairn-cdp/cairn/internal/analytics/funnel"
	"github.com/cairn-cdp/cairn/internal/segment"
)

// demoModel is the demo's standard lifecycle model (internal/app/demo_stages.go).
func demoModel(b testing.TB) StageModel {
	m := StageModel{Default: "awareness"}
	for _, st := range [][2]string{
		{"advocacy", `(performed "Product Reviewed" within 90d or performed "Referral Sent" within 90d) and performed "Order Completed"`},
		{"retention", `performed "Order Completed" count >= 2 and performed "Order Completed" within 180d`},
		{"purchase", `performed "Order Completed" count = 1 and performed "Order Completed" within 180d`},
		{"lapsed", `performed "Order Completed" and performed "Order Completed" count = 0 within 180d`},
		{"consideration", `(performed "Product Viewed" within 30d or performed "Product Added" within 30d) and performed "Order Completed" count = 0`},
		{"awareness", `performed "Signed Up" count = 0`},
	} {
		def, err := segment.ParseText(st[1])
		if err != nil {
			b.Fatal(err)
		}
		m.Stages = append(m.Stages, ModelStage{Name: st[0], Def: def})
	}
	return m
}

// demoLikeHistory is a year of a shopper: 50 events in 10 sessions — page
// and product views, adds, three orders, email opens and a review.
func demoLikeHistory() *funnel.History {
	var evs []segment.Event
	names := []string{"Product Viewed", "Product List Viewed", "Product Added", "Cart Viewed", "Email Opened"}
	for s := range 10 {
		base := s * 36 * day
		page := on("web", "Home", base)
		page.Type = "page"
		evs = append(evs, page)
		for i, n := range names {
			evs = append(evs, on("web", n, base+i))
			evs = append(evs, on("web", n, base+i+1))
		}
		if s%3 == 2 {
			evs = append(evs, on("web", "Order Completed", base+12))
		}
		if s == 9 {
			evs = append(evs, on("web", "Product Reviewed", base+20))
		}
	}
	return hist("p", evs...)
}

// BenchmarkJourneyMapAdd is the replay of one customer on one core.
func BenchmarkJourneyMapAdd(b *testing.B) {
	h := demoLikeHistory()
	spec := MapSpec{Model: demoModel(b), Now: w0.Add(400 * 24 * time.Hour)}
	if err := spec.Validate(); err != nil {
		b.Fatal(err)
	}
	m := newMapPart(&spec, spec.Model.Columns())
	b.ReportAllocs()
	b.ReportMetric(float64(len(h.Events)), "events/history")
	for b.Loop() {
		m.Add(h)
	}
}

// BenchmarkJourneyMap is the map as the API runs it: customers spread over
// the cores (ns/op is per customer, wall time).
func BenchmarkJourneyMap(b *testing.B) {
	h := demoLikeHistory()
	m, err := NewMap(MapSpec{Model: demoModel(b), Now: w0.Add(400 * 24 * time.Hour)}, 0)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		m.Add(h)
	}
	m.Result()
}
