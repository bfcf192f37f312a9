package pipeline

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/cairn-cdp/cairn/internal/event"
	"github.com/cairn-cdp/cairn/internal/store"
)

// BenchmarkProcessBatch measures the processor alone: resolve + profile
// update + one state transaction, for batches of 2000 events over 20k users
// (10% identify with traits, 90% track), appended outside the timer.
func BenchmarkProcessBatch(b *testing.B) {
	h := newBenchHarness(b)
	const batch, users = 2000, 20_000
	next := 0
	b.ReportAllocs()
	var events int
	var spent time.Duration
	for b.Loop() {
		b.StopTimer()
		list := make([]*event.Event, batch)
		for i := range list {
			list[i] = benchEvent(next, users)
			next++
		}
		if _, err := h.log.Append(b.Context(), store.AppendBatch{Events: list, DedupeSince: t0.Add(-time.Hour)}); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := time.Now()
		n, err := h.p.Step(b.Context())
		if err != nil || n != batch {
			b.Fatalf("step: %d events, %v", n, err)
		}
		spent += time.Since(start)
		events += n
	}
	b.ReportMetric(float64(events)/spent.Seconds(), "events/s")
}

func newBenchHarness(b *testing.B) *harness {
	b.Helper()
	return newHarnessTB(b, 2000)
}

func benchEvent(i, users int) *event.Event {
	u := fmt.Sprintf("u-%d", i%users)
	ts := t0.Add(time.Duration(i) * time.Millisecond)
	e := &event.Event{SourceID: "src_web", Channel: "web", MessageID: fmt.Sprintf("b-%d", i), UserID: u,
		AnonymousID: fmt.Sprintf("a-%d", i%users), Timestamp: ts, ReceivedAt: ts}
	var body map[string]any
	if i%10 == 0 {
		e.Type = event.Identify
		body = map[string]any{"type": "identify", "userId": u, "anonymousId": e.AnonymousID,
			"traits": map[string]any{"email": u + "@nto.example", "first_name": "Pat", "plan": "gold", "address": map[string]any{"city": "Denver"}}}
	} else {
		e.Type, e.Name = event.Track, "Product Viewed"
		body = map[string]any{"type": "track", "event": "Product Viewed", "userId": u, "anonymousId": e.AnonymousID,
			"properties": map[string]any{"product_id": "P-1", "price": 249.99, "category": "camping"},
			"context":    map[string]any{"ip": "127.0.0.1", "library": map[string]any{"name": "bench"}}}
	}
	e.Raw, _ = json.Marshal(body)
	return e
}
