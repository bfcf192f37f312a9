package pipeline

import (
	"encoding/json"
	"flag"
	"fmt"
	"testing"
	"time"

	"github.com/cairn-cdp/cairn/internal/clock"
	"github.com/cairn-cdp/cairn/internal/segment"
	"github.com/cairn-cdp/cairn/internal/store"
)

var scheduleSize = flag.Int("schedule.n", 0, "BenchmarkScheduledEntry: segment members (default 10,000; 1,000,000 with CAIRN_BENCH_LARGE=1)")

// scheduleJourney reads the "vip" segment once at t0+1h and sends every
// member the welcome email (a send queued per entrant, the instance
// completed at once).
var scheduleJourney = `{"id":"weekly","name":"VIP newsletter",
  "entry":{"schedule":{"segment":"vip","at":"` + t0.Add(time.Hour).Format(time.RFC3339) + `"},"next":"hello"},
  "nodes":[{"id":"hello","message":{"channel":"email","template":"welcome","advance":"always"}}]}`

// BenchmarkScheduledEntry measures issue 4's "a scheduled entry reading a
// 1M-member segment enters everyone in ≤ 30 s": N customers (a profile
// row, an email trait and a membership of "vip" each, written through
// state.Apply) are read by a published once-scheduled journey; the timer
// covers the processor firing the schedule until no timer is due (each
// member entered through the engine, a send queued, the instance
// completed, the journey timeline events appended to the log as serve
// does). Run with -benchtime 1x.
func BenchmarkScheduledEntry(b *testing.B) {
	n := largeN(*scheduleSize)
	var entered int
	var events int64
	var spent time.Duration
	for b.Loop() {
		b.StopTimer()
		ctx := b.Context()
		lg, st := journeyStores(b, scheduleJourney)
		def, err := segment.ParseText(`trait "vip" equals true`)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := st.CreateSegment(ctx, store.Segment{ID: "vip", Name: "VIP", Definition: def.JSON(), Text: def.Text(), CreatedAt: t0}); err != nil {
			b.Fatal(err)
		}
		setup := time.Now()
		writeMembers(b, st, n)
		b.Logf("setup: %d members written in %s", n, time.Since(setup).Round(time.Second))
		// The real clock, as serve runs: the run (at t0+1h) is long past,
		// so the schedule is due at once, and what the engine writes is
		// stamped with the advancing time (a manual clock would stamp a
		// whole run with one instant).
		clk := clock.Real{}
		p := journeyProcessor(b, lg, st, clk, true)
		if err := p.syncSchedules(ctx); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		stop := profileTimed(b)
		start := time.Now()
		untilNone(b, ctx, p.fireDue)
		spent += time.Since(start)
		stop()
		b.StopTimer()
		sched, err := p.scheduleState(ctx, "weekly")
		if err != nil || sched.LastRun.IsZero() || sched.Entered != int64(n) {
			b.Fatalf("schedule state %+v (%v), want the run done with %d entered", sched, err, n)
		}
		if sends, err := st.DueSends(ctx, clk.Now(), 10); err != nil || len(sends) == 0 {
			b.Fatalf("no send queued: %v", err)
		}
		entered += n
		stats, err := lg.Stats(ctx)
		if err != nil {
			b.Fatal(err)
		}
		events += stats.Stored
		b.StartTimer()
	}
	b.ReportMetric(float64(entered)/spent.Seconds(), "entries/s")
	b.ReportMetric(spent.Seconds()/float64(b.N), "s/run")
	b.ReportMetric(float64(n), "members")
	b.ReportMetric(float64(events)/float64(entered), "events/entry")
}

// writeMembers writes n customers with an email and a vip trait who are
// members of "vip", 10,000 per Apply.
func writeMembers(b *testing.B, st store.State, n int) {
	b.Helper()
	const per = 10_000
	yes, _ := json.Marshal(true)
	for lo := 0; lo < n; lo += per {
		pb := &store.ProcessBatch{}
		for i := lo; i < min(n, lo+per); i++ {
			id := fmt.Sprintf("p-%07d", i)
			email, _ := json.Marshal(id + "@nto.example")
			pb.Profiles = append(pb.Profiles, store.Profile{ID: id, FirstSeen: t0, LastSeen: t0, EventCount: 1})
			pb.Traits = append(pb.Traits,
				store.ProfileTrait{ProfileID: id, Trait: store.Trait{Path: "email", Value: email, Time: t0, SourceID: "src_web"}},
				store.ProfileTrait{ProfileID: id, Trait: store.Trait{Path: "vip", Value: yes, Time: t0, SourceID: "src_web"}})
			pb.SegmentJoins = append(pb.SegmentJoins, store.SegmentMember{SegmentID: "vip", ProfileID: id, Version: 1, Since: t0})
		}
		if err := st.Apply(b.Context(), pb); err != nil {
			b.Fatal(err)
		}
	}
}
