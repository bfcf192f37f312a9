package pipeline

import (
	"log/slog"
	"testing"
	"time"

	"github.com/cairn-cdp/cairn/internal/clock"
	"github.com/cairn-cdp/cairn/internal/event"
	"github.com/cairn-cdp/cairn/internal/identity"
	"github.com/cairn-cdp/cairn/internal/segment"
	"github.com/cairn-cdp/cairn/internal/store"
	"github.com/cairn-cdp/cairn/internal/store/sqlite"
)

// BenchmarkRecomputeComputed times a computed trait's recomputation over
// every profile (what creating or editing a definition runs, inside the
// processor loop): BenchmarkBackfill's store of -backfill.profiles
// profiles, a new "sum of revenue of Order Completed" trait. The first run
// writes every value, later ones find them unchanged.
func BenchmarkRecomputeComputed(b *testing.B) {
	ctx := b.Context()
	lg, st, err := sqlite.Open(ctx, b.TempDir(), slog.New(slog.DiscardHandler))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { lg.Close(); st.Close() })
	if err := st.CreateSource(ctx, store.Source{ID: "src_web", Name: "web", Channel: "web", Party: "first"}); err != nil {
		b.Fatal(err)
	}
	end := t0.Add(60 * 24 * time.Hour)
	p, err := New(ctx, Config{BatchSize: 8000, Identity: identity.DefaultConfig()}, lg, st, clock.NewManual(end), slog.New(slog.DiscardHandler), nil)
	if err != nil {
		b.Fatal(err)
	}
	profiles, per := *backfillProfiles, *backfillEvents
	var list []*event.Event
	for k := range profiles {
		for j := range per {
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
	d, err := segment.ParseComputed([]byte(`{"name":"spent","kind":"sum","event":"Order Completed","property":"revenue"}`))
	if err != nil {
		b.Fatal(err)
	}
	if _, err := st.PutComputedTrait(ctx, store.ComputedTrait{Name: d.Name, Definition: d.JSON(), UpdatedAt: t0}); err != nil {
		b.Fatal(err)
	}
	cs, err := p.loadComputed(ctx)
	if err != nil {
		b.Fatal(err)
	}
	p.computed.Store(cs)
	for b.Loop() {
		b.StopTimer()
		p.cache.reset()
		b.StartTimer()
		if err := p.BackfillComputed(ctx, "spent"); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(profiles*b.N)/b.Elapsed().Seconds(), "profiles/s")
}
