package pipeline

import (
	"encoding/json"
	"flag"
	"fmt"
	"testing"
	"time"

	"github.com/cairn-cdp/cairn/internal/clock"
	"github.com/cairn-cdp/cairn/internal/event"
	"github.com/cairn-cdp/cairn/internal/store"
)

var burstProfiles = flag.Int("burst.profiles", 20_000, "profiles whose segment timers fall due together in BenchmarkSegmentTimerBurst")

// BenchmarkSegmentTimerBurst is issue 3's expiry burst end to end: every
// one of -burst.profiles profiles performed "Product Viewed" at the same
// instant, so the 1h windows of all of them close together (midnight
// birthdays are the same shape). The setup processes those events without
// emission; the timed part moves the clock to the boundary and runs the
// processor until it has nothing left: every due timer fired and
// acknowledged (snapshot loaded, segments re-evaluated, exits and the next
// timers committed), and the Segment Exited events it emits appended and
// processed, as serve does. segments=1 is the one segment that expires;
// segments=100 is BenchmarkProcessBatchSegments' mix, where each fire
// re-evaluates every live segment of the profile (segment.FireAll).
func BenchmarkSegmentTimerBurst(b *testing.B) {
	for _, n := range []int{1, 100} {
		b.Run(fmt.Sprintf("segments=%d", n), func(b *testing.B) {
			defs := map[string]string{"s000": `performed "Product Viewed" within 1h`}
			if n == 100 {
				defs = benchSegments()
			}
			var timers, emitted int
			for b.Loop() {
				b.StopTimer()
				h := newBenchHarness(b)
				if err := h.state.CreateSource(b.Context(), store.Source{ID: internalSrc, Name: "cairn", Channel: "server", Party: "first"}); err != nil {
					b.Fatal(err)
				}
				createBenchSegments(b, h.state, defs)
				if err := h.p.reloadSegments(b.Context(), ""); err != nil {
					b.Fatal(err)
				}
				profiles := *burstProfiles
				for start := 0; start < profiles; start += 5000 {
					list := make([]*event.Event, 0, 5000)
					for k := start; k < min(start+5000, profiles); k++ {
						list = append(list, burstEvent(k))
					}
					if _, err := h.log.Append(b.Context(), store.AppendBatch{Events: list, DedupeSince: t0.Add(-time.Hour)}); err != nil {
						b.Fatal(err)
					}
					if err := h.p.CatchUp(b.Context()); err != nil {
						b.Fatal(err)
					}
				}
				due, err := h.state.DueTimers(b.Context(), t0.Add(time.Hour), profiles+1)
				if err != nil {
					b.Fatal(err)
				}
				if len(due) != profiles {
					b.Fatalf("%d timers due at the boundary, want one per profile (%d)", len(due), profiles)
				}
				h.p.SetRecorder(h.log)
				h.p.SetInternalSource(internalSrc)
				h.p.clk.(*clock.Manual).Set(t0.Add(time.Hour))
				before := h.p.Checkpoint()
				b.StartTimer()
				if err := h.p.CatchUp(b.Context()); err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				left, err := h.state.DueTimers(b.Context(), t0.Add(time.Hour), 10)
				if err != nil {
					b.Fatal(err)
				}
				if len(left) > 0 {
					b.Fatalf("%d timers still due after the drain", len(left))
				}
				members, err := h.state.CountSegmentMembers(b.Context(), "s000")
				if err != nil {
					b.Fatal(err)
				}
				if members != 0 {
					b.Fatalf("%d profiles still in the 1h segment after its window closed", members)
				}
				timers += profiles
				emitted += int(h.p.Checkpoint() - before)
				b.StartTimer()
			}
			b.ReportMetric(float64(timers)/b.Elapsed().Seconds(), "timers/s")
			b.ReportMetric(float64(emitted)/float64(b.N), "emitted/op")
		})
	}
}

// burstEvent is profile k's one Product Viewed, at t0 for every profile.
func burstEvent(k int) *event.Event {
	u := fmt.Sprintf("burst-%d", k)
	e := &event.Event{SourceID: "src_web", Channel: "web", MessageID: "burst-" + u, UserID: u, Type: event.Track,
		Name: "Product Viewed", Timestamp: t0, ReceivedAt: t0}
	e.Raw, _ = json.Marshal(map[string]any{"type": "track", "event": e.Name, "userId": u,
		"properties": map[string]any{"product_id": "P-1", "price": 249.99, "category": "camping"}})
	return e
}
