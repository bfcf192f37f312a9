package pipeline

import (
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cairn-cdp/cairn/internal/clock"
	"github.com/cairn-cdp/cairn/internal/event"
	"github.com/cairn-cdp/cairn/internal/identity"
	"github.com/cairn-cdp/cairn/internal/store"
	"github.com/cairn-cdp/cairn/internal/store/sqlite"
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
				stop := profileTimed(b)
				if err := h.p.CatchUp(b.Context()); err != nil {
					b.Fatal(err)
				}
				stop()
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

var memoryProfiles = flag.Int("memory.profiles", 20_000, "profiles processed with 100 live segments in BenchmarkSegmentStateMemory")

// BenchmarkSegmentStateMemory is issue 3's segment-state memory: it
// processes -memory.profiles profiles (three events each: identifies for
// every tenth user, Product Viewed for the rest) with BenchmarkProcessBatchSegments' 100 live segments,
// then reports the memberships and timers held, the Go heap in use after a
// collection, the process's peak and current RSS, and the state database's
// size on disk (with its WAL). Memberships and timers live in the store; the processor's
// memory is its bounded caches (cache.go), so the heap should not grow with
// the number of profiles beyond them.
func BenchmarkSegmentStateMemory(b *testing.B) {
	for b.Loop() {
		b.StopTimer()
		dir := b.TempDir()
		lg, st, err := sqlite.Open(b.Context(), dir, slog.New(slog.DiscardHandler))
		if err != nil {
			b.Fatal(err)
		}
		if err := st.CreateSource(b.Context(), store.Source{ID: "src_web", Name: "web", Channel: "web", Party: "first"}); err != nil {
			b.Fatal(err)
		}
		p, err := New(b.Context(), Config{BatchSize: 8000, Identity: identity.DefaultConfig()}, lg, st, clock.NewManual(t0), slog.New(slog.DiscardHandler), nil)
		if err != nil {
			b.Fatal(err)
		}
		createBenchSegments(b, st, benchSegments())
		if err := p.reloadSegments(b.Context(), ""); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		profiles := *memoryProfiles
		for start := 0; start < profiles; start += 2000 {
			var list []*event.Event
			for k := start; k < min(start+2000, profiles); k++ {
				for j := range 3 {
					e := benchEvent(k, profiles) // identify (k%10 == 0) or Product Viewed of user k
					e.MessageID = fmt.Sprintf("mem-%d-%d", k, j)
					e.Timestamp = t0.Add(time.Duration(j) * time.Minute)
					e.ReceivedAt = e.Timestamp
					list = append(list, e)
				}
			}
			if _, err := lg.Append(b.Context(), store.AppendBatch{Events: list, DedupeSince: t0.Add(-time.Hour)}); err != nil {
				b.Fatal(err)
			}
			if err := p.CatchUp(b.Context()); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		var members int64
		for _, id := range sortedKeys(benchSegments()) {
			n, err := st.CountSegmentMembers(b.Context(), id)
			if err != nil {
				b.Fatal(err)
			}
			members += n
		}
		due, err := st.DueTimers(b.Context(), t0.Add(1000*24*time.Hour), profiles*2+1)
		if err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		b.ReportMetric(float64(profiles), "profiles")
		b.ReportMetric(float64(members), "memberships")
		b.ReportMetric(float64(len(due)), "timers")
		b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "heap-MiB")
		b.ReportMetric(procStatusMiB(b, "VmHWM"), "peak-RSS-MiB")
		b.ReportMetric(procStatusMiB(b, "VmRSS"), "RSS-MiB")
		var size int64
		for _, name := range []string{"state.db", "state.db-wal"} {
			if fi, err := os.Stat(filepath.Join(dir, name)); err == nil {
				size += fi.Size()
			}
		}
		b.ReportMetric(float64(size)/(1<<20), "state.db-MiB")
		runtime.KeepAlive(p)
		lg.Close()
		st.Close()
		b.StartTimer()
	}
}

// procStatusMiB reads a kB field of /proc/self/status in MiB.
func procStatusMiB(b *testing.B, field string) float64 {
	b.Helper()
	raw, err := os.ReadFile("/proc/self/status")
	if err != nil {
		b.Fatal(err)
	}
	for line := range strings.Lines(string(raw)) {
		if rest, ok := strings.CutPrefix(line, field+":"); ok {
			kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			if err != nil {
				b.Fatal(err)
			}
			return kb / 1024
		}
	}
	b.Fatalf("no %s in /proc/self/status", field)
	return 0
}
