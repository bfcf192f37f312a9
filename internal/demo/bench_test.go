package demo

import (
	"io"
	"testing"
	"time"
)

var benchEnd = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// BenchmarkGenerate reports events/s for 2,000 customers written to io.Discard.
func BenchmarkGenerate(b *testing.B) {
	b.ReportAllocs()
	var events int64
	for b.Loop() {
		st, err := Generate(b.Context(), Config{Customers: 2000, Seed: 7, End: benchEnd}, io.Discard)
		if err != nil {
			b.Fatal(err)
		}
		events += st.Events
	}
	b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
}
