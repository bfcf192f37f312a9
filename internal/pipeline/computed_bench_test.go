package pipeline

import (
	"testing"

	"github.com/cairn-cdp/cairn/internal/segment"
	"github.com/cairn-cdp/cairn/internal/store"
)

// BenchmarkRecomputeComputed times a computed trait's recomputation over
// every profile (what creating or editing a definition runs, inside the
// processor loop): BenchmarkBackfill's store of -backfill.profiles
// profiles, a new "sum of revenue of Order Completed" trait. The first run
// writes every value, later ones find them unchanged.
func BenchmarkRecomputeComputed(b *testing.B) {
	ctx := b.Context()
	_, st, p := backfillStore(b)
	profiles := *backfillProfiles
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
