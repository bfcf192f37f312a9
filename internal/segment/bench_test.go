package segment

import (
	"fmt"
	"testing"
	"time"
)

// benchSnapshot is a profile with 500 events over a year across 5 names.
func benchSnapshot() Snapshot {
	names := []string{"Page Viewed", "Product Viewed", "Order Completed", "Email Opened", "Cart Viewed"}
	events := make([]Event, 500)
	for i := range events {
		at := t0.Add(-time.Duration(500-i) * 17 * time.Hour)
		events[i] = ev(names[i%len(names)], at, map[string]any{
			"revenue":  float64(i % 97),
			"category": fmt.Sprintf("cat-%d", i%7),
			"currency": "USD",
		})
	}
	return Snapshot{ProfileID: "p1", Traits: map[string]any{"plan": "pro", "country": "FR"}, Events: events}
}

// BenchmarkEvaluate measures a three-condition segment on a profile with 500 events.
func BenchmarkEvaluate(b *testing.B) {
	d := mustText(b, `performed "Order Completed" where revenue > 50 count >= 2 within 90d and trait plan in ["pro", "team"] and aggregate sum revenue of "Order Completed" within 365d >= 500`)
	snap := benchSnapshot()
	b.ReportAllocs()
	for b.Loop() {
		if ok, err := Evaluate(d, snap, t0, nil); err != nil || !ok {
			b.Fatalf("evaluate: %v %v", ok, err)
		}
	}
}

// BenchmarkEvaluateSequence measures a three-step sequence with a trailing negation.
func BenchmarkEvaluateSequence(b *testing.B) {
	d := mustText(b, `sequence "Email Opened" then "Product Viewed" then not "Order Completed" within 1d`)
	snap := benchSnapshot()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Evaluate(d, snap, t0, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNextChange measures the timer computation for the three-condition segment.
func BenchmarkNextChange(b *testing.B) {
	d := mustText(b, `performed "Order Completed" where revenue > 50 count >= 2 within 90d and trait plan in ["pro", "team"] and aggregate sum revenue of "Order Completed" within 365d >= 500`)
	snap := benchSnapshot()
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := NextChange(d, snap, t0, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseText(b *testing.B) {
	src := `performed "Order Completed" where revenue > 100 within 30d and not trait plan = "free" and aggregate sum revenue of "Order Completed" within 365d >= 500`
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseText(src); err != nil {
			b.Fatal(err)
		}
	}
}
