package sqlite_test

import (
	"fmt"
	"math/rand/v2"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/event"
	"github.com/cairn-cdp/cairn/internal/store"
)

var benchT0 = time.Date(2025, 3, 14, 9, 0, 0, 0, time.UTC)

// benchEvents returns n track events with ~400-byte bodies, message ids
// from first on.
func benchEvents(src string, first, n int) []*event.Event {
	evs := make([]*event.Event, n)
	for i := range evs {
		k := first + i
		msg := fmt.Sprintf("msg-%012d", k)
		ts := benchT0.Add(time.Duration(k) * time.Millisecond)
		evs[i] = &event.Event{
			SourceID: src, Channel: "web", MessageID: msg, Type: event.Track,
			UserID: fmt.Sprintf("user-%d", k%1000), AnonymousID: fmt.Sprintf("anon-%d", k),
			Name: "Product Viewed", Timestamp: ts, ReceivedAt: ts, SentAt: ts,
			Raw: fmt.Appendf(nil, `{"type":"track","event":"Product Viewed","messageId":%q,"userId":"user-%d",`+
				`"anonymousId":"anon-%d","timestamp":%q,"properties":{"product_id":"sku-%d","name":"Trail running shoe",`+
				`"category":"shoes","price":129.95,"currency":"EUR","quantity":1},"context":{"ip":"203.0.113.7",`+
				`"userAgent":"Mozilla/5.0 (X11; Linux x86_64)","library":{"name":"analytics.js","version":"4.1.0"},`+
				`"page":{"path":"/p/trail","url":"https://shop.example.com/p/trail"}}}`,
				msg, k%1000, k, ts.Format(time.RFC3339Nano), k%500),
		}
	}
	return evs
}

// BenchmarkAppend appends batches of 100 new events (one fsync'd transaction each).
func BenchmarkAppend(b *testing.B) {
	benchmarkAppend(b, 100)
}

func benchmarkAppend(b *testing.B, size int) {
	l, _ := openTest(b)
	ctx := b.Context()
	// Pre-build enough batches outside the timer; reuse bodies by id offset.
	next := 0
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		evs := benchEvents("web", next, size)
		next += size
		b.StartTimer()
		if _, err := l.Append(ctx, store.AppendBatch{Events: evs}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(next)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkProfileRead is the profile API's read set: the profile, its
// identities, its traits and the newest 50 timeline entries.
func BenchmarkProfileRead(b *testing.B) {
	_, s := openTest(b)
	ctx := b.Context()
	const profiles, perProfile = 2000, 200
	seq := int64(0)
	for p := 0; p < profiles; p += 100 {
		batch := &store.ProcessBatch{}
		for j := p; j < p+100; j++ {
			id := fmt.Sprintf("prof-%06d", j)
			batch.Profiles = append(batch.Profiles, store.Profile{ID: id, FirstSeen: benchT0, LastSeen: benchT0,
				EventCount: perProfile, Sources: []string{"web"}, Channels: []string{"web"}})
			for k, typ := range []string{"user_id", "anonymous_id", "email"} {
				batch.Identities = append(batch.Identities, store.Identity{
					IdentityKey: store.IdentityKey{Type: typ, Value: fmt.Sprintf("%s-%d-%d", typ, j, k)},
					ProfileID:   id, FirstSeen: benchT0, LastSeen: benchT0})
			}
			for k := range 10 {
				batch.Traits = append(batch.Traits, store.ProfileTrait{ProfileID: id, Trait: store.Trait{
					Path: fmt.Sprintf("trait_%d", k), Value: []byte(fmt.Sprintf(`"value %d"`, k)), Time: benchT0, SourceID: "web"}})
			}
			for range perProfile {
				seq++
				batch.Timeline = append(batch.Timeline, store.TimelineEntry{ProfileID: id, Seq: seq,
					Timestamp: benchT0.Add(time.Duration(seq) * time.Second), Type: "track", Event: "Product Viewed",
					SourceID: "web", Channel: "web"})
			}
		}
		batch.Checkpoint = seq
		require.NoError(b, s.Apply(ctx, batch))
	}
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		id := fmt.Sprintf("prof-%06d", (i*7919)%profiles)
		i++
		if _, err := s.GetProfile(ctx, id); err != nil {
			b.Fatal(err)
		}
		if _, err := s.ProfileIdentities(ctx, id); err != nil {
			b.Fatal(err)
		}
		if _, err := s.ProfileTraits(ctx, id); err != nil {
			b.Fatal(err)
		}
		tl, err := s.Timeline(ctx, store.TimelineQuery{ProfileIDs: []string{id}, Limit: 50})
		if err != nil || len(tl) != 50 {
			b.Fatalf("timeline: %d entries, %v", len(tl), err)
		}
	}
}

// BenchmarkApply applies processor batches covering 500 events: 500
// timeline entries, 100 profiles, 200 identities and 300 traits.
func BenchmarkApply(b *testing.B) {
	_, s := openTest(b)
	ctx := b.Context()
	seq := int64(0)
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		batch := &store.ProcessBatch{}
		for p := range 100 {
			id := fmt.Sprintf("prof-%d-%d", seq, p)
			batch.Profiles = append(batch.Profiles, store.Profile{ID: id, FirstSeen: benchT0, LastSeen: benchT0,
				EventCount: 5, Sources: []string{"web"}, Channels: []string{"web"}})
			batch.Identities = append(batch.Identities,
				store.Identity{IdentityKey: store.IdentityKey{Type: "anonymous_id", Value: "anon-" + id}, ProfileID: id, FirstSeen: benchT0, LastSeen: benchT0},
				store.Identity{IdentityKey: store.IdentityKey{Type: "user_id", Value: "user-" + id}, ProfileID: id, FirstSeen: benchT0, LastSeen: benchT0})
			for k := range 3 {
				batch.Traits = append(batch.Traits, store.ProfileTrait{ProfileID: id, Trait: store.Trait{
					Path: fmt.Sprintf("trait_%d", k), Value: []byte(`"some value"`), Time: benchT0, SourceID: "web"}})
			}
			for range 5 {
				seq++
				batch.Timeline = append(batch.Timeline, store.TimelineEntry{ProfileID: id, Seq: seq,
					Timestamp: benchT0.Add(time.Duration(seq) * time.Second), Type: "track", Event: "Product Viewed",
					SourceID: "web", Channel: "web"})
			}
		}
		batch.Checkpoint = seq
		b.StartTimer()
		if err := s.Apply(ctx, batch); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(seq)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkAppendRandomIDs appends group commits of 2,000 events whose
// message ids are random UUIDs, as SDKs send them (sequential ids, as in
// BenchmarkAppend, sort together and hid what random ones cost the dedupe
// B-tree the log used to keep). -benchtime 300x is 600k events.
func BenchmarkAppendRandomIDs(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	benchmarkAppendLoop(b, 2000, func(evs []*event.Event) {
		for _, e := range evs {
			e.MessageID = fmt.Sprintf("%08x-%04x-4%03x-%04x-%012x", rng.Uint32(), rng.Uint32()&0xffff,
				rng.Uint32()&0xfff, rng.Uint32()&0xffff, rng.Uint64()&0xffffffffffff)
		}
	})
}

// benchmarkAppendLoop appends fsync'd batches of size new ~400-byte events
// (their message ids set by ids, when given) to a fresh log. events/s is the
// wall-clock rate of back-to-back group commits; cpu-us/event is process
// CPU spent inside Append, the ceiling on throughput once batches are large.
func benchmarkAppendLoop(b *testing.B, size int, ids func([]*event.Event)) {
	l, _ := openTest(b)
	ctx := b.Context()
	var (
		next int
		cpu  time.Duration
	)
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		evs := benchEvents("web", next, size)
		if ids != nil {
			ids(evs)
		}
		next += size
		b.StartTimer()
		c0 := cpuTime()
		if _, err := l.Append(ctx, store.AppendBatch{Events: evs}); err != nil {
			b.Fatal(err)
		}
		cpu += cpuTime() - c0
	}
	b.ReportMetric(float64(next)/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(float64(cpu.Microseconds())/float64(next), "cpu-us/event")
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkLogRead reads a 40,000-event log in the processor's pages of
// 8,000 (the events' bodies, times and identifiers, decoded).
func BenchmarkLogRead(b *testing.B) {
	l, _ := openTest(b)
	ctx := b.Context()
	const total, page = 40_000, 8_000
	for i := 0; i < total; i += 2000 {
		if _, err := l.Append(ctx, store.AppendBatch{Events: benchEvents("web", i, 2000)}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	read := 0
	for b.Loop() {
		for after := int64(0); after < total; after += page {
			evs, err := l.Read(ctx, after, page)
			if err != nil || len(evs) != page {
				b.Fatalf("read after %d: %d events, %v", after, len(evs), err)
			}
			read += len(evs)
		}
	}
	b.ReportMetric(float64(read)/b.Elapsed().Seconds(), "events/s")
}
