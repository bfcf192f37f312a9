package pipeline

import (
	"cmp"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/cairn-cdp/cairn/internal/analytics/projection"
	"github.com/cairn-cdp/cairn/internal/clock"
	"github.com/cairn-cdp/cairn/internal/event"
	"github.com/cairn-cdp/cairn/internal/identity"
	"github.com/cairn-cdp/cairn/internal/segment"
	"github.com/cairn-cdp/cairn/internal/segment/segmenttest"
	"github.com/cairn-cdp/cairn/internal/store"
	"github.com/cairn-cdp/cairn/internal/store/sqlite"
)

// backfillProfiles is the size of BenchmarkBackfill's store; the setup
// processes 20 events per profile at the processor's speed (~6–9k events/s
// here), so 10k profiles take ~30 s before the timer starts.
var (
	backfillProfiles = flag.Int("backfill.profiles", 10_000, "profiles in BenchmarkBackfill's store")
	backfillEvents   = flag.Int("backfill.events", 20, "events per profile in BenchmarkBackfill's store (a quarter of them orders)")
	backfillSteps    = flag.String("backfill.steps", "", "BenchmarkBackfill/from=memory: pages per step / commit group pairs to compare in one run, e.g. 4/0,8/0 (group 0: every page ready)")
	backfillDir      = flag.String("backfill.dir", "", "keep BenchmarkBackfill's store in this directory and reuse it when it already holds -backfill.profiles profiles (the 1M setup takes 25–45 min)")
)

// benchSegments are the 100 live segments of mixed kinds the streaming
// benchmarks use (segmenttest.Mixed).
func benchSegments() map[string]string { return segmenttest.Mixed() }

func createBenchSegments(b *testing.B, st store.State, defs map[string]string) {
	b.Helper()
	for _, id := range sortedKeys(defs) {
		def, err := segment.ParseText(defs[id])
		if err != nil {
			b.Fatalf("segment %s: %v", id, err)
		}
		if _, err := st.CreateSegment(b.Context(), store.Segment{ID: id, Name: id, Definition: def.JSON(), Text: def.Text(), CreatedAt: t0}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkProcessBatchSegments is BenchmarkProcessBatch (same event
// stream, 2000-event batches over 20k users) with no segment and with 100
// live segments, emitting Segment Entered/Exited into the log as serve
// does (emit=false leaves the recorder out). phase=new starts from an
// empty store, so the first 10 batches create every profile (evaluated
// for all segments, entering about half); phase=steady first processes
// those 10 batches untimed, so every timed event hits an existing
// profile — its second event, which enters it into the five segments
// that count two views (4.5 entries per event); phase=settled first
// processes ten events per user, past every count and sum threshold, so
// memberships hold as most of a real stream finds them. The timed part processes the batch and then whatever the batch
// emitted (CatchUp), so events/s counts stream events only but pays for
// the emitted ones. segevals/op is the number of (profile, segment)
// evaluations the routing asks for, reproduced outside the timer from the
// index (a created profile is evaluated for every segment; an identify
// marks its four trait paths changed).
func BenchmarkProcessBatchSegments(b *testing.B) {
	for _, c := range []struct {
		n    int
		emit bool
		warm int // events per user processed before the timer starts
	}{{0, true, 0}, {100, true, 0}, {100, false, 0}, {0, true, 1}, {100, true, 1}, {100, false, 1},
		{0, true, 10}, {100, true, 10}, {100, false, 10}} {
		n := c.n
		phase := map[int]string{0: "new", 1: "steady", 10: "settled"}[c.warm]
		b.Run(fmt.Sprintf("phase=%s/segments=%d/emit=%t", phase, n, c.emit), func(b *testing.B) {
			h := newBenchHarness(b)
			if err := h.state.CreateSource(b.Context(), store.Source{ID: internalSrc, Name: "cairn", Channel: "server", Party: "first"}); err != nil {
				b.Fatal(err)
			}
			if n > 0 {
				defs := benchSegments()
				if len(defs) != n {
					b.Fatalf("%d segment definitions, want %d", len(defs), n)
				}
				createBenchSegments(b, h.state, defs)
				if err := h.p.reloadSegments(b.Context(), ""); err != nil {
					b.Fatal(err)
				}
				if got := len(h.p.segIndex().All()); got != n {
					b.Fatalf("%d live segments, want %d (excluded: %v)", got, n, h.p.segIndex().Excluded())
				}
			}
			const batch, users = 2000, 20_000
			seen := make(map[string]bool, users)
			next := 0
			if c.warm > 0 {
				// Every user exists and holds its memberships (committed,
				// not emitted) before the timer starts.
				for next < c.warm*users {
					list := make([]*event.Event, batch)
					for i := range list {
						list[i] = benchEvent(next, users)
						seen[list[i].UserID] = true
						next++
					}
					if _, err := h.log.Append(b.Context(), store.AppendBatch{Events: list, DedupeSince: t0.Add(-time.Hour)}); err != nil {
						b.Fatal(err)
					}
					if err := h.p.CatchUp(b.Context()); err != nil {
						b.Fatal(err)
					}
				}
			}
			if c.emit {
				h.p.SetRecorder(h.log)
				h.p.SetInternalSource(internalSrc)
			}
			var events, evals, emitted int
			var spent time.Duration
			// The routing is reproduced after the timed loop: counting
			// allocates ~14 MB per batch, and garbage made between batches
			// was collected inside the next timed batch, charged to the
			// 100-segment runs only.
			var counted [][]evRec
			b.ReportAllocs()
			defer profileTimed(b)()
			for b.Loop() {
				b.StopTimer()
				list := make([]*event.Event, batch)
				for i := range list {
					list[i] = benchEvent(next, users)
					next++
				}
				if n > 0 {
					counted = append(counted, recsOf(list))
				}
				if _, err := h.log.Append(b.Context(), store.AppendBatch{Events: list, DedupeSince: t0.Add(-time.Hour)}); err != nil {
					b.Fatal(err)
				}
				before := h.p.Checkpoint()
				b.StartTimer()
				start := time.Now()
				if err := h.p.CatchUp(b.Context()); err != nil {
					b.Fatal(err)
				}
				spent += time.Since(start)
				emitted += int(h.p.Checkpoint()-before) - batch
				events += batch
			}
			b.StopTimer()
			for _, recs := range counted {
				evals += countEvaluations(h.p.segIndex(), recs, seen)
			}
			b.ReportMetric(float64(events)/spent.Seconds(), "events/s")
			b.ReportMetric(float64(evals)/float64(b.N), "segevals/op")
			b.ReportMetric(float64(emitted)/float64(b.N), "emitted/op")
			if evals > 0 {
				b.ReportMetric(float64(spent.Nanoseconds())/float64(evals), "ns/segeval(all-in)")
			}
		})
	}
}

// countEvaluations reproduces evalSegments' routing for one batch of
// benchEvent events (one profile per user): the segments evaluated per
// touched profile, summed over profiles.
func countEvaluations(idx *segment.Index, list []evRec, seen map[string]bool) int {
	all := len(idx.All())
	if all == 0 {
		return 0
	}
	type acc struct {
		created bool
		set     map[string]bool
	}
	per := map[string]*acc{}
	traits := []string{"email", "first_name", "plan", "address.city"}
	for _, e := range list {
		a := per[e.UserID]
		if a == nil {
			a = &acc{set: map[string]bool{}}
			per[e.UserID] = a
		}
		if !seen[e.UserID] {
			seen[e.UserID], a.created = true, true
		}
		for _, s := range idx.Affected(segment.Event{Type: string(e.Type), Name: e.Name, Timestamp: e.Timestamp}, nil) {
			a.set[s] = true
		}
		if e.Type == event.Identify {
			for _, s := range idx.Affected(segment.Event{}, traits) {
				a.set[s] = true
			}
		}
	}
	n := 0
	for _, a := range per {
		if a.created {
			n += all
		} else {
			n += len(a.set)
		}
	}
	return n
}

// evRec is what countEvaluations reads of an event.
type evRec struct {
	UserID, Name string
	Type         event.Type
	Timestamp    time.Time
}

func recsOf(list []*event.Event) []evRec {
	out := make([]evRec, len(list))
	for i, e := range list {
		out[i] = evRec{UserID: e.UserID, Name: e.Name, Type: e.Type, Timestamp: e.Timestamp}
	}
	return out
}

// BackfillSegment is the three-condition segment BenchmarkBackfill computes.
const backfillSegment = `performed "Order Completed" where revenue > 50 count >= 2 within 30d and trait plan in ["gold", "pro"] and aggregate sum revenue of "Order Completed" within 365d >= 300`

// BenchmarkBackfill times Reload of a new three-condition segment and its
// backfill to the end (every profile's snapshot read and evaluated,
// memberships and timers committed, a page at a time) over
// -backfill.profiles profiles of -backfill.events events each over 60 days
// (one identify, every fourth an Order Completed, the rest Product Viewed:
// 5 orders of 20 by default). The processor's profile cache is reset
// before each run, as an op leaves it.
func BenchmarkBackfill(b *testing.B) {
	ctx := b.Context()
	lg, st, p := backfillStore(b)
	def, err := segment.ParseText(backfillSegment)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := st.CreateSegment(ctx, store.Segment{ID: "seg_backfill", Name: "backfill", Definition: def.JSON(), Text: def.Text(), CreatedAt: t0}); err != nil && !(*backfillDir != "" && errors.Is(err, store.ErrConflict)) {
		b.Fatal(err)
	}
	// from=store reads timelines and bodies; from=memory reads the analytics
	// projection (loaded beforehand, as serve does at start) whose revenue
	// column an earlier backfill filled; from=memory-first starts each timed
	// run with a fresh projection, so its pages read the order bodies.
	for _, from := range []string{"store", "memory", "memory-first"} {
		b.Run("from="+from, func(b *testing.B) {
			var proj *projection.Projection
			load := func() {
				proj = projection.New(st, lg, slog.New(slog.DiscardHandler))
				if err := proj.Refresh(ctx); err != nil {
					b.Fatal(err)
				}
				p.SetHistories(proj)
			}
			switch from {
			case "store":
				p.SetHistories(nil)
			case "memory":
				load()
				// What an earlier backfill over revenue leaves: every value read.
				needs := segment.NeedsOf([]*segment.Definition{def}, nil)
				for after := ""; ; {
					ids, err := st.ProfileIDs(ctx, after, segmentBackfillPage)
					if err != nil {
						b.Fatal(err)
					}
					if len(ids) == 0 {
						break
					}
					if _, ok, err := proj.SegmentEvents(ctx, ids, needs); !ok || err != nil {
						b.Fatalf("read columns: %v %v", ok, err)
					}
					after = ids[len(ids)-1]
				}
			}
			if *backfillSteps == "" {
				timeBackfill(b, st, p, from, load)
				return
			}
			for _, cfg := range strings.Split(*backfillSteps, ",") {
				var pages, group int
				if _, err := fmt.Sscanf(cfg, "%d/%d", &pages, &group); err != nil {
					b.Fatalf("-backfill.steps %q: %v", cfg, err)
				}
				b.Run(fmt.Sprintf("pages=%d/group=%d", pages, group), func(b *testing.B) {
					p.bf.pagesPerStep, p.bf.group = pages, group
					timeBackfill(b, st, p, from, load)
				})
			}
		})
	}
}

// timeBackfill is BenchmarkBackfill's timed loop over the store of
// backfillStore: each run backfills seg_backfill as a new segment.
func timeBackfill(b *testing.B, st *sqlite.State, p *Processor, from string, load func()) {
	ctx := b.Context()
	profiles, perProfile := *backfillProfiles, *backfillEvents
	b.ReportAllocs()
	runs := 0
	commits := p.bf.commits
	cpu := processCPU()
	for b.Loop() {
		b.StopTimer()
		untimed := processCPU()
		p.cache.reset()
		// A new segment, as the target reads: the last run's
		// members and timers are dropped untimed (an edit drops the
		// members in Reload; no other segment sets timers here).
		if err := st.ClearSegment(ctx, "seg_backfill"); err != nil {
			b.Fatal(err)
		}
		dropSegmentTimers(b, st)
		if from == "memory-first" {
			load()
		}
		cpu += processCPU() - untimed
		b.StartTimer()
		// -timed.cpuprofile: the last run alone, without the setup
		stop := profileTimed(b)
		if err := p.reloadSegments(ctx, "seg_backfill"); err != nil { // registers the backfill
			b.Fatal(err)
		}
		if err := p.CatchUp(ctx); err != nil { // runs it, a page at a time, to the end
			b.Fatal(err)
		}
		stop()
		runs++
	}
	members, err := st.CountSegmentMembers(ctx, "seg_backfill")
	if err != nil {
		b.Fatal(err)
	}
	if members == 0 || members == int64(profiles) {
		b.Fatalf("%d of %d profiles are members: the segment does not discriminate", members, profiles)
	}
	cpu = processCPU() - cpu // timed runs only; the machine is shared: CPU moves less than time
	sec := b.Elapsed().Seconds()
	b.ReportMetric(float64(cpu.Microseconds())/float64(profiles*runs), "cpu-µs/profile")
	b.ReportMetric(float64(profiles*runs)/sec, "profiles/s")
	b.ReportMetric(float64(profiles*perProfile*runs)/sec, "events/s")
	b.ReportMetric(float64(members), "members")
	b.ReportMetric(float64(profiles*runs)/float64(segmentBackfillPage*(p.bf.commits-commits)), "pages/commit")
}

// dropSegmentTimers deletes every segment timer of st.
func dropSegmentTimers(b *testing.B, st store.State) {
	b.Helper()
	ts, err := st.ProfileTimersBetween(b.Context(), store.TimerKindSegment, "", "\xff")
	if err != nil {
		b.Fatal(err)
	}
	for len(ts) > 0 {
		n := min(len(ts), 10_000)
		cp, err := st.Checkpoint(b.Context())
		if err != nil {
			b.Fatal(err)
		}
		if err := st.Apply(b.Context(), &store.ProcessBatch{Checkpoint: cp, TimerDeletes: ts[:n]}); err != nil {
			b.Fatal(err)
		}
		ts = ts[n:]
	}
}

// backfillStore is a store of -backfill.profiles profiles of
// -backfill.events events each (backfillEvent), processed, and the
// processor that processed them, on a manual clock at the last event's day.
func backfillStore(b *testing.B) (*sqlite.Log, *sqlite.State, *Processor) {
	b.Helper()
	ctx := b.Context()
	dir := cmp.Or(*backfillDir, b.TempDir())
	lg, st, err := sqlite.Open(ctx, dir, slog.New(slog.DiscardHandler))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { lg.Close(); st.Close() })
	end := t0.Add(60 * 24 * time.Hour)
	p, err := New(ctx, Config{BatchSize: 8000, Identity: identity.DefaultConfig()}, lg, st, clock.NewManual(end), slog.New(slog.DiscardHandler), nil)
	if err != nil {
		b.Fatal(err)
	}
	profiles, perProfile := *backfillProfiles, *backfillEvents
	if n, err := st.CountProfiles(ctx); err != nil {
		b.Fatal(err)
	} else if n == int64(profiles) && *backfillDir != "" {
		b.Logf("setup: reusing the %d profiles in %s", n, dir)
		return lg, st, p
	} else if n > 0 {
		b.Fatalf("%s holds %d profiles, want none or %d", dir, n, profiles)
	}
	if err := st.CreateSource(ctx, store.Source{ID: "src_web", Name: "web", Channel: "web", Party: "first"}); err != nil {
		b.Fatal(err)
	}
	setup := time.Now()
	var list []*event.Event
	for k := range profiles {
		for j := range perProfile {
			list = append(list, backfillEvent(k, j, end))
		}
		if len(list) >= 10_000 || k == profiles-1 {
			if _, err := lg.Append(ctx, store.AppendBatch{Events: list, DedupeSince: t0.Add(-time.Hour)}); err != nil {
				b.Fatal(err)
			}
			list = list[:0]
			if err := p.CatchUp(ctx); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.Logf("setup: %d profiles, %d events processed in %s", profiles, profiles*perProfile, time.Since(setup).Round(time.Second))
	return lg, st, p
}

// backfillEvent is event j of profile k: j = 0 identifies with a plan
// (gold, pro, free by k), every fourth is an Order Completed with revenue
// 20–140, the rest Product Viewed; spread over the 60 days before end.
func backfillEvent(k, j int, end time.Time) *event.Event {
	u := fmt.Sprintf("bf-%d", k)
	ts := end.Add(-time.Duration(perProfileOffset(k, j)) * time.Minute)
	e := &event.Event{SourceID: "src_web", Channel: "web", MessageID: fmt.Sprintf("bf-%d-%d", k, j), UserID: u,
		Timestamp: ts, ReceivedAt: ts}
	var body map[string]any
	switch {
	case j == 0:
		e.Type = event.Identify
		body = map[string]any{"type": "identify", "userId": u,
			"traits": map[string]any{"email": u + "@nto.example", "plan": []string{"gold", "pro", "free"}[k%3]}}
	case j%4 == 0:
		e.Type, e.Name = event.Track, "Order Completed"
		body = map[string]any{"type": "track", "event": e.Name, "userId": u,
			"properties": map[string]any{"order_id": e.MessageID, "revenue": float64(20 + 30*((k+j)%5))}}
	default:
		e.Type, e.Name = event.Track, "Product Viewed"
		body = map[string]any{"type": "track", "event": e.Name, "userId": u,
			"properties": map[string]any{"product_id": fmt.Sprintf("P-%d", j), "price": 49.5, "category": "camping"}}
	}
	e.Raw, _ = json.Marshal(body)
	return e
}

// perProfileOffset spreads a profile's events over 60 days (in minutes
// before the end), varying by profile so windows cut differently.
func perProfileOffset(k, j int) int {
	return ((k*7919 + j*4337) % (60 * 24 * 60)) + 1
}

// processCPU is the CPU time (user and system) the process has used.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
