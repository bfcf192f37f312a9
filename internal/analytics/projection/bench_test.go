package projection

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/cairn-cdp/cairn/internal/analytics/funnel"
	"github.com/cairn-cdp/cairn/internal/store"
)

// emptyFeed is a store with nothing new: Scan's refresh is a no-op.
type emptyFeed struct{}

func (emptyFeed) Checkpoint(context.Context) (int64, error) { return 0, nil }
func (emptyFeed) TimelineSince(context.Context, store.TimelineCursor, int64, int) ([]store.TimelineEntry, error) {
	return nil, nil
}
func (emptyFeed) AppliedMerges(context.Context, int64, int) ([]store.Merge, error) { return nil, nil }
func (emptyFeed) ScanTimeline(context.Context, func(store.TimelineEntry) error) (int64, error) {
	return 0, nil
}

// benchEvents is the projection size of the scan benchmarks:
// CAIRN_BENCH_EVENTS (default 2,000,000; BENCHMARKS.md quotes 50,000,000).
func benchEvents(b *testing.B) int {
	if v := os.Getenv("CAIRN_BENCH_EVENTS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			b.Fatalf("CAIRN_BENCH_EVENTS=%q: %v", v, err)
		}
		return n
	}
	return 2_000_000
}

// benchProjection holds n synthetic events of n/50 customers over 180
// days: sessions of browsing that move down a five-step purchase funnel
// with falling probability, plus email and ad touches.
func benchProjection(b *testing.B, n int) *Projection {
	b.Helper()
	p := New(emptyFeed{}, nil, slog.New(slog.DiscardHandler))
	r := rand.New(rand.NewPCG(1, 2))
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	funnelSteps := []string{"Product Viewed", "Product Added", "Cart Viewed", "Checkout Started", "Order Completed"}
	other := []string{"Email Opened", "Ad Clicked", "page", "Products Searched", "Email Link Clicked"}
	chans := []string{"web", "app", "email", "ads", "store"}
	page := make([]store.TimelineEntry, 0, feedPage)
	unsorted := map[int32]bool{}
	flush := func() {
		if err := p.addEntries(page, unsorted); err != nil {
			b.Fatal(err)
		}
		page = page[:0]
	}
	customers := max(n/50, 1)
	seq := int64(0)
	for c := 0; seq < int64(n); c = (c + 1) % customers {
		id := "p" + strconv.Itoa(c)
		at := start.Add(time.Duration(r.Int64N(int64(180 * 24 * time.Hour))))
		ch := chans[r.IntN(len(chans))]
		for step := 0; step < len(funnelSteps) && seq < int64(n); step++ {
			seq++
			page = append(page, store.TimelineEntry{ProfileID: id, Seq: seq, Timestamp: at, Type: "track", Event: funnelSteps[step],
				SourceID: "src_" + ch, Channel: ch})
			at = at.Add(time.Duration(1+r.IntN(120)) * time.Minute)
			if r.Float64() < 0.45 { // leaves the funnel
				break
			}
		}
		for range r.IntN(4) {
			seq++
			page = append(page, store.TimelineEntry{ProfileID: id, Seq: seq, Timestamp: at.Add(time.Duration(r.IntN(72)) * time.Hour),
				Type: "track", Event: other[r.IntN(len(other))], SourceID: "src_" + ch, Channel: ch})
		}
		if len(page) >= feedPage-16 {
			flush()
		}
	}
	flush()
	for s := range unsorted {
		sortEvents(p.events[s])
	}
	p.compact()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.Logf("%d events of %d profiles: %.1f bytes of heap per event", p.total, len(p.ids), float64(ms.HeapInuse)/float64(p.total))
	return p
}

func BenchmarkProjectionScan(b *testing.B) {
	p := benchProjection(b, benchEvents(b))
	n := int(p.total)
	steps := []funnel.Step{{Event: "Product Viewed"}, {Event: "Product Added"}, {Event: "Cart Viewed"}, {Event: "Checkout Started"}, {Event: "Order Completed"}}
	analyses := map[string]func() (funnel.Need, funnel.Accumulator){
		"funnel 5 steps": func() (funnel.Need, funnel.Accumulator) {
			spec := funnel.FunnelSpec{Steps: steps, Window: 7 * 24 * time.Hour}
			f, err := funnel.NewFunnel(spec)
			if err != nil {
				b.Fatal(err)
			}
			return spec.Need(), f
		},
		"sankey depth 5": func() (funnel.Need, funnel.Accumulator) {
			spec := funnel.PathsSpec{From: "Product Viewed", Depth: 5, Top: 10}
			ps, err := funnel.NewPaths(spec)
			if err != nil {
				b.Fatal(err)
			}
			return spec.Need(), ps
		},
	}
	for _, name := range []string{"funnel 5 steps", "sankey depth 5"} {
		b.Run(fmt.Sprintf("%s/%dM events", name, n/1_000_000), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				need, acc := analyses[name]()
				st, err := p.Scan(b.Context(), need, acc)
				if err != nil {
					b.Fatal(err)
				}
				if st.Events != n {
					b.Fatalf("scanned %d events, want %d", st.Events, n)
				}
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
		})
	}
}

// BenchmarkProjectionLoad is the in-memory side of building a projection:
// adding feed pages (the store read is measured in BENCHMARKS.md).
func BenchmarkProjectionLoad(b *testing.B) {
	src := benchProjection(b, 1_000_000)
	var pages [][]store.TimelineEntry
	page := make([]store.TimelineEntry, 0, feedPage)
	for s, es := range src.events {
		for _, x := range es {
			page = append(page, store.TimelineEntry{ProfileID: src.ids[s], Seq: x.seq, Timestamp: time.UnixMicro(x.ts),
				Type: src.types.strs[x.typ], Event: src.names.strs[x.name], SourceID: src.sources.strs[x.src], Channel: src.channels.strs[x.ch]})
			if len(page) == feedPage {
				pages, page = append(pages, page), make([]store.TimelineEntry, 0, feedPage)
			}
		}
	}
	pages = append(pages, page)
	b.ReportAllocs()
	for b.Loop() {
		p := New(emptyFeed{}, nil, slog.New(slog.DiscardHandler))
		unsorted := map[int32]bool{}
		for _, pg := range pages {
			if err := p.addEntries(pg, unsorted); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(src.total)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
}
