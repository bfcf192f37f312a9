package pipeline

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cairn-cdp/cairn/internal/channel"
	"github.com/cairn-cdp/cairn/internal/clock"
	"github.com/cairn-cdp/cairn/internal/delivery"
	"github.com/cairn-cdp/cairn/internal/event"
	"github.com/cairn-cdp/cairn/internal/identity"
	"github.com/cairn-cdp/cairn/internal/ingest"
	"github.com/cairn-cdp/cairn/internal/journey"
	"github.com/cairn-cdp/cairn/internal/segment"
	"github.com/cairn-cdp/cairn/internal/store"
	"github.com/cairn-cdp/cairn/internal/store/sqlite"
	"github.com/cairn-cdp/cairn/internal/template"
)

// Flags of the journey benchmarks (BENCHMARKS.md, "Journeys (issue 4)").
var (
	journeyRates    = flag.String("journey.rates", "200", "BenchmarkJourneyLatency: offered Signed Up events/s, comma-separated (a sub-benchmark each)")
	journeyDuration = flag.Duration("journey.duration", 3*time.Second, "BenchmarkJourneyLatency: how long each rate is offered")
	journeyTick     = flag.Duration("journey.tick", 10*time.Millisecond, "BenchmarkJourneyLatency: interval between appends (a batch of rate×tick events each)")
	journeyBatch    = flag.Int("journey.batch", 8000, "BenchmarkJourneyLatency: processor batch size (serve's default)")
	journeyN        = flag.Int("journey.n", 2000, "BenchmarkJourneyThroughput: Signed Up events per iteration")
	journeyDrain    = flag.Duration("journey.drain", 60*time.Second, "BenchmarkJourneyLatency: how long to wait for the last sends after the load")
	timersSize      = flag.Int("journeytimers.n", 0, "BenchmarkJourneyTimers: waiting instances (default 10,000; 1,000,000 with CAIRN_BENCH_LARGE=1)")
	timersEmit      = flag.Bool("journeytimers.emit", true, "BenchmarkJourneyTimers: append the journey timeline events to the log as serve does")
)

// latencyJourney sends a welcome email on Signed Up without waiting for its
// outcome (advance always), then waits a week for an order.
const latencyJourney = `{"id":"welcome","name":"Welcome",
  "entry":{"event":{"name":"Signed Up"},"next":"hello"},
  "nodes":[
    {"id":"hello","message":{"channel":"email","template":"welcome","advance":"always"},"next":"wait"},
    {"id":"wait","wait":{"branches":[{"event":{"name":"Order Completed"},"next":"done"}],"timeout":"7d","timeout_next":"done"}},
    {"id":"done","exit":{}}]}`

// delayJourney holds every entrant on a 1-day delay, then sends and completes.
const delayJourney = `{"id":"later","name":"Later",
  "entry":{"event":{"name":"Signed Up"},"next":"pause"},
  "nodes":[
    {"id":"pause","delay":{"duration":"1d"},"next":"hello"},
    {"id":"hello","message":{"channel":"email","template":"welcome","advance":"always"}}]}`

// welcomeTemplate renders the per-run index of the entry event, so the
// recording adapter can tell which event a message answers.
const welcomeTemplate = `{"id":"welcome","name":"Welcome","channel":"email","subject":"Welcome","text":"bench {{ entry.bench_n }}"}`

// journeyStores opens a real SQLite log and state with the web and
// internal sources and publishes the journeys.
func journeyStores(b *testing.B, defs ...string) (*sqlite.Log, *sqlite.State) {
	b.Helper()
	ctx := b.Context()
	lg, st, err := sqlite.Open(ctx, b.TempDir(), slog.New(slog.DiscardHandler))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { lg.Close(); st.Close() })
	for _, s := range []store.Source{{ID: "src_web", Name: "web", Channel: "web"}, {ID: internalSrc, Name: "cairn", Channel: "server"}} {
		s.Party = "first"
		if err := st.CreateSource(ctx, s); err != nil {
			b.Fatal(err)
		}
	}
	for _, src := range defs {
		d, err := journey.ParseJSON([]byte(src))
		if err == nil {
			err = d.Validate(nil)
		}
		if err == nil {
			err = st.CreateJourney(ctx, store.Journey{ID: d.ID, Name: d.Name, Status: store.JourneyDraft, Draft: d.JSON(), CreatedAt: t0, UpdatedAt: t0})
		}
		if err == nil {
			_, err = st.PublishJourney(ctx, d.ID, d.JSON(), t0)
		}
		if err != nil {
			b.Fatalf("publish %s: %v", src, err)
		}
	}
	return lg, st
}

// journeyProcessor opens a processor over the stores; emit makes it append
// its timeline events to the log from the internal source, as serve does.
func journeyProcessor(b *testing.B, lg store.Log, st store.State, clk clock.Clock, emit bool) *Processor {
	b.Helper()
	p, err := New(b.Context(), Config{BatchSize: *journeyBatch, Identity: identity.DefaultConfig()}, lg, st, clk, slog.New(slog.DiscardHandler), nil)
	if err != nil {
		b.Fatal(err)
	}
	if emit {
		p.SetRecorder(lg)
		p.SetInternalSource(internalSrc)
	}
	return p
}

// benchTemplates serves the one compiled template.
type benchTemplates struct{ welcome *template.Compiled }

var _ delivery.Templates = benchTemplates{}

func (t benchTemplates) Compiled(_ context.Context, id string) (*template.Compiled, error) {
	if id != "welcome" {
		return nil, fmt.Errorf("template %s: %w", id, store.ErrNotFound)
	}
	return t.welcome, nil
}

func (benchTemplates) Inline(ch, body string) (*template.Compiled, error) {
	return template.Compile(&template.Template{ID: "inline", Name: "inline", Channel: ch, Body: body})
}

// latencyRun is one offered load: when each event was appended and when
// the adapter was called for its message (unix nanos, 0 = not yet).
type latencyRun struct {
	appended []atomic.Int64
	sent     []atomic.Int64
	count    atomic.Int64
	dups     atomic.Int64
	bad      atomic.Int64
}

// recordingSender is the email adapter: it records when Send is called.
type recordingSender struct{ run atomic.Pointer[latencyRun] }

var (
	_ channel.Sender   = (*recordingSender)(nil)
	_ delivery.Senders = (*recordingSender)(nil)
)

func (r *recordingSender) Send(_ context.Context, m channel.Message) (channel.Receipt, error) {
	now := time.Now().UnixNano()
	run := r.run.Load()
	n, err := strconv.Atoi(strings.TrimPrefix(m.Text, "bench "))
	if run == nil || err != nil || n < 0 || n >= len(run.sent) {
		if run != nil {
			run.bad.Add(1)
		}
		return channel.Receipt{}, channel.Permanent("bench", fmt.Errorf("unexpected message %q", m.Text))
	}
	if !run.sent[n].CompareAndSwap(0, now) {
		run.dups.Add(1)
	}
	run.count.Add(1)
	return channel.Receipt{ProviderID: "bench-" + m.Key, Status: "sent"}, nil
}

func (r *recordingSender) Sender(_ context.Context, id string) (channel.Sender, channel.Kind, error) {
	if id != "email" {
		return nil, "", fmt.Errorf("channel %s: %w", id, store.ErrNotFound)
	}
	return r, channel.Email, nil
}

// notifyingRecorder tells the processor about the dispatcher's appends, as
// serve's log wrapper does.
type notifyingRecorder struct {
	log store.Log
	p   *Processor
}

func (r notifyingRecorder) Append(ctx context.Context, b store.AppendBatch) ([]bool, error) {
	dup, err := r.log.Append(ctx, b)
	if err == nil {
		r.p.Notify(maxSeq(b.Events))
	}
	return dup, err
}

func maxSeq(evs []*event.Event) int64 {
	var head int64
	for _, e := range evs {
		head = max(head, e.Seq)
	}
	return head
}

// signupEvent is a new customer's Signed Up with an email identifier;
// bench_n is its index in the run.
func signupEvent(user, n int, at time.Time) *event.Event {
	u := "j-" + strconv.Itoa(user)
	raw, _ := json.Marshal(map[string]any{"type": "track", "event": "Signed Up", "userId": u, "messageId": u,
		"properties": map[string]any{"plan": "free", "bench_n": strconv.Itoa(n)},
		"context":    map[string]any{"externalIds": []map[string]string{{"id": u + "@nto.example", "type": "email"}}}})
	return &event.Event{SourceID: "src_web", Channel: "web", MessageID: u, Type: event.Track, UserID: u,
		Name: "Signed Up", Timestamp: at, ReceivedAt: at, Raw: raw}
}

// BenchmarkJourneyLatency measures event → journey step → message handed
// to the channel adapter, end to end in-process: a real SQLite store, the
// processor running (Run, real clock, batch -journey.batch, emitting its
// timeline events like serve), and the dispatcher running (delivery.New
// with an adapter that records when Send is called). For each rate of
// -journey.rates it offers new customers' Signed Up events at that fixed
// rate for -journey.duration, appended every -journey.tick (open loop: a
// slow append makes the next batch larger), and reports the distribution
// of (Send called − event durably appended). After the load it waits for
// the last sends (drain-s) and for the processor to reach the log head,
// including the events the journey and dispatcher appended (idle-s).
// Use -benchtime 1x: one iteration is one whole offered load.
func BenchmarkJourneyLatency(b *testing.B) {
	for _, f := range strings.Split(*journeyRates, ",") {
		rate, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || rate <= 0 {
			b.Fatalf("-journey.rates: %q is not a positive rate", f)
		}
		b.Run(fmt.Sprintf("rate=%d", rate), func(b *testing.B) { benchJourneyLatency(b, rate) })
	}
}

func benchJourneyLatency(b *testing.B, rate int) {
	ctx, cancel := context.WithCancel(b.Context())
	lg, st := journeyStores(b, latencyJourney)
	p := journeyProcessor(b, lg, st, clock.Real{}, true)
	d, snd := journeyDispatcher(b, lg, st, p, clock.Real{})
	done := make(chan error, 2)
	go func() { done <- p.Run(ctx) }()
	go func() { done <- d.Run(ctx) }()
	defer func() {
		cancel()
		for range 2 {
			if err := <-done; err != nil {
				b.Error(err)
			}
		}
	}()

	total := int(float64(rate) * journeyDuration.Seconds())
	var lat []time.Duration
	var offered, late, undelivered, events int
	var offerTime, drain, idle time.Duration
	user := 0
	for b.Loop() {
		run := &latencyRun{appended: make([]atomic.Int64, total), sent: make([]atomic.Int64, total)}
		snd.run.Store(run)
		before := p.Checkpoint()
		start := time.Now()
		late += offer(b, lg, p, run, rate, &user)
		end := time.Now()
		offerTime += end.Sub(start)
		offered += total
		b.StopTimer()
		// Drain: every send delivered, then the processor at the log head.
		drain += waitFor(b, *journeyDrain, func() bool { return int(run.count.Load()) >= total })
		// The last Message Sent is appended just after its Send: the
		// processor counts as idle once it stayed at the head for 3 polls.
		still := 0
		idle += waitFor(b, *journeyDrain, func() bool {
			stats, err := lg.Stats(ctx)
			if err != nil || p.Checkpoint() < stats.Head {
				still = 0
				return false
			}
			still++
			return still >= 3
		})
		b.StartTimer()
		events += int(p.Checkpoint() - before)
		if n := run.bad.Load() + run.dups.Load(); n > 0 {
			b.Fatalf("%d unexpected and %d repeated sends", run.bad.Load(), run.dups.Load())
		}
		for k := range total {
			s, a := run.sent[k].Load(), run.appended[k].Load()
			if s == 0 {
				undelivered++
				continue
			}
			lat = append(lat, time.Duration(s-a))
		}
	}
	slices.Sort(lat)
	for range undelivered { // not delivered within the drain: slower than anything measured
		lat = append(lat, time.Duration(1<<62))
	}
	ms := func(q float64) float64 { return float64(quantile(lat, q)) / 1e6 }
	b.ReportMetric(float64(offered)/offerTime.Seconds(), "offered/s")
	b.ReportMetric(ms(0.50), "p50-ms")
	b.ReportMetric(ms(0.99), "p99-ms")
	b.ReportMetric(ms(1), "max-ms")
	b.ReportMetric(100*float64(late)/float64(offered), "late-%")
	b.ReportMetric(float64(undelivered), "undelivered")
	b.ReportMetric(drain.Seconds()/float64(b.N), "drain-s")
	b.ReportMetric(idle.Seconds()/float64(b.N), "idle-s")
	b.ReportMetric(float64(events)/float64(offered), "logged/event")
}

// offer appends the run's events at rate: at each -journey.tick every event
// whose scheduled time passed, in one durable append, stamped when the
// append returned. It returns how many were appended over 100 ms late.
func offer(b *testing.B, lg store.Log, p *Processor, run *latencyRun, rate int, user *int) (late int) {
	b.Helper()
	total := len(run.appended)
	start := time.Now()
	tick := time.NewTicker(*journeyTick)
	defer tick.Stop()
	for sent := 0; sent < total; {
		select {
		case <-b.Context().Done():
			b.Fatal(b.Context().Err())
		case <-tick.C:
		}
		due := min(total, int(float64(rate)*time.Since(start).Seconds()))
		if due <= sent {
			continue
		}
		now := time.Now().UTC()
		list := make([]*event.Event, 0, due-sent)
		for k := sent; k < due; k++ {
			list = append(list, signupEvent(*user, k, now))
			*user++
		}
		if _, err := lg.Append(b.Context(), store.AppendBatch{Events: list, DedupeSince: now.Add(-time.Hour)}); err != nil {
			b.Fatal(err)
		}
		at := time.Now()
		for k := sent; k < due; k++ {
			run.appended[k].Store(at.UnixNano())
			if sched := start.Add(time.Duration(float64(k) / float64(rate) * float64(time.Second))); at.Sub(sched) > 100*time.Millisecond {
				late++
			}
		}
		p.Notify(maxSeq(list))
		sent = due
	}
	return late
}

// journeyDispatcher builds the dispatcher as serve does (its appends go
// through a group committer and wake the processor), with the recording
// email adapter and the welcome template.
func journeyDispatcher(b *testing.B, lg store.Log, st store.State, p *Processor, clk clock.Clock) (*delivery.Dispatcher, *recordingSender) {
	b.Helper()
	tpl, err := template.Parse([]byte(welcomeTemplate))
	if err != nil {
		b.Fatal(err)
	}
	welcome, err := template.Compile(tpl)
	if err != nil {
		b.Fatal(err)
	}
	snd := &recordingSender{}
	c := ingest.NewCommitter(notifyingRecorder{log: lg, p: p}, clk, slog.New(slog.DiscardHandler), ingest.CommitterConfig{})
	ctx, cancel := context.WithCancel(context.WithoutCancel(b.Context()))
	stopped := make(chan error, 1)
	go func() { stopped <- c.Run(ctx) }()
	b.Cleanup(func() {
		cancel()
		if err := <-stopped; err != nil {
			b.Error(err)
		}
	})
	d := delivery.New(delivery.Config{InternalSource: internalSrc, PublicURL: "http://127.0.0.1:1", Secret: []byte("bench")},
		st, c, benchTemplates{welcome: welcome}, snd, clk, slog.New(slog.DiscardHandler), nil)
	p.SetSendNotifier(d.Notify)
	return d, snd
}

// BenchmarkJourneyThroughput separates the two stages of
// BenchmarkJourneyLatency's path, one after the other with nothing else
// running: process (the processor catches up on -journey.n Signed Up
// events appended at once, including the journey events it emits: the
// entries, the queued sends) and dispatch (the dispatcher delivers every
// queued send, one Round after another), then the processor catches up on
// the Message Sent events (settle). Each stage reports its rate.
func BenchmarkJourneyThroughput(b *testing.B) {
	ctx := b.Context()
	var processed, dispatched, settled time.Duration
	var signups int
	for b.Loop() {
		b.StopTimer()
		lg, st := journeyStores(b, latencyJourney)
		p := journeyProcessor(b, lg, st, clock.Real{}, true)
		d, snd := journeyDispatcher(b, lg, st, p, clock.Real{})
		n := *journeyN
		run := &latencyRun{appended: make([]atomic.Int64, n), sent: make([]atomic.Int64, n)}
		snd.run.Store(run)
		now := time.Now().UTC()
		for lo := 0; lo < n; lo += 1000 {
			var list []*event.Event
			for k := lo; k < min(n, lo+1000); k++ {
				list = append(list, signupEvent(k, k, now))
			}
			if _, err := lg.Append(ctx, store.AppendBatch{Events: list, DedupeSince: now.Add(-time.Hour)}); err != nil {
				b.Fatal(err)
			}
		}
		b.StartTimer()
		start := time.Now()
		if err := p.CatchUp(ctx); err != nil {
			b.Fatal(err)
		}
		processed += time.Since(start)
		start = time.Now()
		untilNone(b, ctx, d.Round)
		dispatched += time.Since(start)
		start = time.Now()
		if err := p.CatchUp(ctx); err != nil {
			b.Fatal(err)
		}
		settled += time.Since(start)
		if got := run.count.Load(); got != int64(n) || run.dups.Load()+run.bad.Load() > 0 {
			b.Fatalf("%d of %d sends delivered (%d repeated, %d unexpected)", got, n, run.dups.Load(), run.bad.Load())
		}
		signups += n
	}
	b.ReportMetric(float64(signups)/processed.Seconds(), "process-signups/s")
	b.ReportMetric(float64(signups)/dispatched.Seconds(), "dispatch-sends/s")
	b.ReportMetric(float64(signups)/settled.Seconds(), "settle-sends/s")
	b.ReportMetric(float64(signups)/(processed+dispatched+settled).Seconds(), "all-in-signups/s")
}

// waitFor polls cond every 5 ms until it holds or limit passes, and returns how long it took.
func waitFor(b *testing.B, limit time.Duration, cond func() bool) time.Duration {
	b.Helper()
	start := time.Now()
	poll := time.NewTicker(5 * time.Millisecond)
	defer poll.Stop()
	for !cond() {
		if time.Since(start) > limit {
			b.Logf("gave up waiting after %s", limit)
			break
		}
		select {
		case <-b.Context().Done():
			return time.Since(start)
		case <-poll.C:
		}
	}
	return time.Since(start)
}

// quantile reads the q-quantile of sorted durations (nearest rank).
func quantile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(q*float64(len(sorted))+0.5) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

// untilNone calls step until it reports nothing done, and returns the
// total done (fireDue's timers, a dispatcher round's sends).
func untilNone(b *testing.B, ctx context.Context, step func(context.Context) (int, error)) int {
	b.Helper()
	total := 0
	for {
		k, err := step(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if k == 0 {
			return total
		}
		total += k
	}
}

// timersN is BenchmarkJourneyTimers' size.
func timersN() int { return largeN(*timersSize) }

// largeN is a benchmark's size: set by its flag, else 1,000,000 with
// CAIRN_BENCH_LARGE=1, else 10,000 (so go test ./... stays fast).
func largeN(flagged int) int {
	switch {
	case flagged > 0:
		return flagged
	case os.Getenv("CAIRN_BENCH_LARGE") == "1":
		return 1_000_000
	}
	return 10_000
}

// BenchmarkJourneyTimers holds N customers on a 1-day delay (N is
// -journeytimers.n; 10,000 by default, 1,000,000 with CAIRN_BENCH_LARGE=1)
// and measures (a) the memory of the process while a processor is open
// over them and after they fired, and (b) the rate at which the processor
// fires the due journey timers: the manual clock moves past all of them and
// fireDue runs until it finds none (each timer: its instance loaded, the
// engine steps it to the message node, a send queued, the instance
// completed; a page of 1000 per transaction; the timeline events appended
// to the log when -journeytimers.emit).
//
// The waiting instances are made by the real engine (a Session per
// customer handling its Signed Up entry event) and written, with a profile
// row and an email trait per customer, through state.Apply in batches of
// 10,000; the entry events themselves are not in the log, so the
// customers have no timeline history.
func BenchmarkJourneyTimers(b *testing.B) {
	n := timersN()
	var fired int
	var spent time.Duration
	var heapBefore, heapAfter, rssOpen, rssPeak uint64
	for b.Loop() {
		b.StopTimer()
		ctx := b.Context()
		lg, st := journeyStores(b, delayJourney)
		clk := clock.NewManual(t0)
		setup := time.Now()
		last := writeWaiting(b, st, journeyProcessor(b, lg, st, clk, false).journeys.Load(), n)
		b.Logf("setup: %d waiting instances written in %s", n, time.Since(setup).Round(time.Second))
		if next, ok, err := st.NextTimer(ctx); err != nil || !ok || !next.Equal(t0.Add(24*time.Hour)) {
			b.Fatalf("first timer %v %v %v, want %v", next, ok, err, t0.Add(24*time.Hour))
		}
		// (a) the processor holds them: heap and RSS with N instances waiting.
		p := journeyProcessor(b, lg, st, clk, *timersEmit)
		heapBefore = liveHeap()
		rssOpen = procStatus("VmRSS")
		// (b) every timer due at once.
		clk.Set(last.Add(24*time.Hour + time.Second))
		peak := sampleRSS()
		b.StartTimer()
		stop := profileTimed(b)
		start := time.Now()
		fired += untilNone(b, ctx, p.fireDue)
		spent += time.Since(start)
		stop()
		b.StopTimer()
		rssPeak = max(rssPeak, peak())
		heapAfter = liveHeap()
		if next, ok, err := st.NextTimer(ctx); err != nil || ok {
			b.Fatalf("a timer is still pending at %v (%v)", next, err)
		}
		counts, err := st.JourneyNodeCounts(ctx, "later")
		if err != nil || len(counts) != 0 {
			b.Fatalf("instances still active after firing: %+v %v", counts, err)
		}
		if sends, err := st.DueSends(ctx, clk.Now(), 10); err != nil || len(sends) == 0 {
			b.Fatalf("no send queued: %v", err)
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(fired)/spent.Seconds(), "timers/s")
	b.ReportMetric(float64(n), "instances")
	b.ReportMetric(float64(heapBefore)/(1<<20), "heap-open-MiB")
	b.ReportMetric(float64(heapAfter)/(1<<20), "heap-after-MiB")
	b.ReportMetric(float64(rssOpen)/(1<<20), "rss-open-MiB")
	b.ReportMetric(float64(rssPeak)/(1<<20), "rss-firing-MiB")
	b.ReportMetric(float64(procStatus("VmHWM"))/(1<<20), "hwm-MiB")
}

// writeWaiting enters n new customers into the delay journey through the
// engine (entries spread over an hour from t0) and writes the effects with
// a profile row and an email trait each, 10,000 customers per Apply. It
// returns the latest entry time.
func writeWaiting(b *testing.B, st store.State, cat *journey.Catalog, n int) time.Time {
	b.Helper()
	const per = 10_000
	var last time.Time
	for lo := 0; lo < n; lo += per {
		pb := &store.ProcessBatch{}
		for i := lo; i < min(n, lo+per); i++ {
			id := fmt.Sprintf("p-%07d", i)
			at := t0.Add(time.Duration(i) * time.Hour / time.Duration(n))
			last = at
			email, _ := json.Marshal(id + "@nto.example")
			traits := map[string]any{"email": id + "@nto.example"}
			s, err := journey.NewSession(cat, at, journey.Profile{ID: id, Snapshot: func() (segment.Snapshot, error) {
				return segment.Snapshot{ProfileID: id, Traits: traits}, nil
			}}, nil)
			if err != nil {
				b.Fatal(err)
			}
			ev := &journey.Event{MessageID: "m-" + id, Event: segment.Event{Type: "track", Name: "Signed Up", Timestamp: at}}
			if err := s.Event(ev); err != nil {
				b.Fatal(err)
			}
			fx, err := s.Effects()
			if err != nil || len(fx.Instances) != 1 || len(fx.Timers) != 1 {
				b.Fatalf("entry of %s: %+v %v", id, fx, err)
			}
			pb.Profiles = append(pb.Profiles, store.Profile{ID: id, FirstSeen: at, LastSeen: at, EventCount: 1})
			pb.Traits = append(pb.Traits, store.ProfileTrait{ProfileID: id, Trait: store.Trait{Path: "email", Value: email, Time: at, SourceID: "src_web"}})
			pb.Instances = append(pb.Instances, fx.Instances...)
			pb.Timers = append(pb.Timers, fx.Timers...)
		}
		if err := st.Apply(b.Context(), pb); err != nil {
			b.Fatal(err)
		}
	}
	return last
}

// liveHeap is the Go heap in use after a full collection.
func liveHeap() uint64 {
	runtime.GC()
	debug.FreeOSMemory()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

// sampleRSS samples VmRSS every 50 ms until the returned function is
// called, which stops sampling and returns the highest value seen.
func sampleRSS() func() uint64 {
	stop := make(chan struct{})
	out := make(chan uint64, 1)
	go func() {
		peak := procStatus("VmRSS")
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-stop:
				out <- max(peak, procStatus("VmRSS"))
				return
			case <-t.C:
				peak = max(peak, procStatus("VmRSS"))
			}
		}
	}()
	return func() uint64 {
		close(stop)
		return <-out
	}
}

// procStatus reads a "kB" field of /proc/self/status in bytes (0 when unavailable).
func procStatus(field string) uint64 {
	b, _ := os.ReadFile("/proc/self/status") //nolint:errcheck // Linux only; 0 elsewhere
	for line := range strings.SplitSeq(string(b), "\n") {
		if name, rest, ok := strings.Cut(line, ":"); ok && name == field {
			kb, _ := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64) //nolint:errcheck // 0 when malformed
			return kb << 10
		}
	}
	return 0
}
