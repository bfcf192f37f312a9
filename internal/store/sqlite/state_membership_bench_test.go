package sqlite_test

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/cairn-cdp/cairn/internal/store"
	"github.com/cairn-cdp/cairn/internal/store/sqlite"
)

const (
	benchPending   = 1_000_000 // pending timers in the store
	benchBurst     = 100_000   // of which due at the same instant (midnight birthdays)
	benchPage      = 10_000    // DueTimers page size
	benchApplySize = 50_000    // timers per Apply while building the store
)

var timerPagePending = flag.Int("timerpage.pending", 600_000, "pending timers in BenchmarkApplyTimerPage's store")

// benchBurstAt is the instant the burst is due; the other timers fire later.
var benchBurstAt = benchT0.Add(24 * time.Hour)

// benchTimers returns timers [first, first+n) of the benchmark store: the
// first benchBurst are due at benchBurstAt, the rest one second apart after it.
func benchTimers(first, n int) []store.Timer {
	ts := make([]store.Timer, n)
	for i := range ts {
		k := first + i
		fireAt := benchBurstAt
		if k >= benchBurst {
			fireAt = benchBurstAt.Add(time.Duration(k) * time.Second)
		}
		ts[i] = store.Timer{Kind: store.TimerKindSegment, ProfileID: fmt.Sprintf("p%07d", k), Ref: "seg_birthday", FireAt: fireAt}
	}
	return ts
}

// fillTimers writes timers [first, last) with large Apply batches.
func fillTimers(b *testing.B, s *sqlite.State, first, last int, cp *int64) {
	b.Helper()
	for i := first; i < last; i += benchApplySize {
		*cp++
		if err := s.Apply(b.Context(), &store.ProcessBatch{Checkpoint: *cp, Timers: benchTimers(i, min(benchApplySize, last-i))}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDueTimers reads a burst of 100k timers due at one instant among
// 1M pending. page: one DueTimers page of 10k (a drain reads ten, each after
// acknowledging the previous one, so each starts at the head of the index).
// drain: the whole burst, read in pages of 10k, each page acknowledged by id
// through Apply before the next is read.
func BenchmarkDueTimers(b *testing.B) {
	_, s := openTest(b)
	ctx := b.Context()
	var cp int64
	fillTimers(b, s, 0, benchPending, &cp)

	b.Run("page", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			due, err := s.DueTimers(ctx, benchBurstAt, benchPage)
			if err != nil {
				b.Fatal(err)
			}
			if len(due) != benchPage {
				b.Fatalf("read %d due timers, want %d", len(due), benchPage)
			}
		}
		b.ReportMetric(b.Elapsed().Seconds()*1000/float64(b.N)*benchBurst/benchPage, "ms/burst")
	})

	b.Run("drain", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			drained := 0
			for {
				due, err := s.DueTimers(ctx, benchBurstAt, benchPage)
				if err != nil {
					b.Fatal(err)
				}
				if len(due) == 0 {
					break
				}
				drained += len(due)
				cp++
				if err := s.Apply(ctx, &store.ProcessBatch{Checkpoint: cp, TimerDeletes: due}); err != nil {
					b.Fatal(err)
				}
			}
			if drained != benchBurst {
				b.Fatalf("drained %d timers, want %d", drained, benchBurst)
			}
			b.StopTimer()
			fillTimers(b, s, 0, benchBurst, &cp)
			b.StartTimer()
		}
		b.ReportMetric(b.Elapsed().Seconds()*1000/float64(b.N), "ms/burst")
	})
}

// BenchmarkApplyTimerPage writes what a segment backfill page commits —
// one profile timer for each of 2,000 profiles in profile id order, due at
// random instants over 30 days — into a store that holds
// -timerpage.pending timers spread the same way (a 1M-profile backfill
// ends with ~600k). Each op is one Apply of a page of new profiles.
func BenchmarkApplyTimerPage(b *testing.B) {
	_, s := openTest(b)
	ctx := b.Context()
	const page = 2000
	rng := rand.New(rand.NewPCG(1, 2))
	pageOf := func(first int) []store.Timer {
		ts := make([]store.Timer, page)
		for i := range ts {
			ts[i] = store.Timer{Kind: store.TimerKindSegment, ProfileID: fmt.Sprintf("prof_%08d", first+i), Ref: "*",
				FireAt: benchT0.Add(time.Duration(rng.Int64N(int64(30 * 24 * time.Hour))).Truncate(time.Minute))}
		}
		return ts
	}
	var cp int64
	next := 0
	for next < *timerPagePending {
		var ts []store.Timer
		for range benchApplySize / page {
			ts = append(ts, pageOf(next)...)
			next += page
		}
		cp++
		if err := s.Apply(ctx, &store.ProcessBatch{Checkpoint: cp, Timers: ts}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		ts := pageOf(next)
		next += page
		cp++
		b.StartTimer()
		if err := s.Apply(ctx, &store.ProcessBatch{Checkpoint: cp, Timers: ts}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*page), "ns/timer")
}

// BenchmarkApplyMembers writes what a page of segment changes commits:
// 2,000 profiles join a segment, then 1,000 of them leave it, each in its
// own Apply, into a store that grows by 1,000 members per op.
func BenchmarkApplyMembers(b *testing.B) {
	_, s := openTest(b)
	ctx := b.Context()
	var cp int64
	next := 0
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		joins := make([]store.SegmentMember, 2000)
		for i := range joins {
			joins[i] = store.SegmentMember{SegmentID: "seg_recent", ProfileID: fmt.Sprintf("prof_%08d", next+i), Version: 1, Since: benchT0}
		}
		next += len(joins)
		b.StartTimer()
		cp++
		if err := s.Apply(ctx, &store.ProcessBatch{Checkpoint: cp, SegmentJoins: joins}); err != nil {
			b.Fatal(err)
		}
		cp++
		if err := s.Apply(ctx, &store.ProcessBatch{Checkpoint: cp, SegmentLeaves: joins[:1000]}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*3000), "ns/row")
}
