package pipeline

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/cairn-cdp/cairn/internal/clock"
	"github.com/cairn-cdp/cairn/internal/identity"
	"github.com/cairn-cdp/cairn/internal/store"
	"github.com/cairn-cdp/cairn/internal/store/sqlite"
)

var rfmProfiles = flag.Int("rfm.profiles", 50_000, "profiles in BenchmarkRebinRFM's store (two in three purchasers)")

// BenchmarkRebinRFM times a re-binning of the RFM scores over
// -rfm.profiles profiles, each with an email and, for two in three, the
// purchase traits (written straight into the state store), while the
// processor runs: the first run scores every purchaser, later ones find
// the scores unchanged.
func BenchmarkRebinRFM(b *testing.B) {
	ctx := b.Context()
	lg, st, err := sqlite.Open(ctx, b.TempDir(), slog.New(slog.DiscardHandler))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { lg.Close(); st.Close() })
	n := *rfmProfiles
	raw := func(v any) json.RawMessage { r, _ := json.Marshal(v); return r }
	for lo := 0; lo < n; lo += 10_000 {
		pb := &store.ProcessBatch{}
		for i := lo; i < min(n, lo+10_000); i++ {
			id := fmt.Sprintf("p-%07d", i)
			pb.Profiles = append(pb.Profiles, store.Profile{ID: id, FirstSeen: t0, LastSeen: t0, EventCount: 1})
			tr := func(path string, v any, computed bool) store.ProfileTrait {
				return store.ProfileTrait{ProfileID: id, Trait: store.Trait{Path: path, Value: raw(v), Time: t0, SourceID: "src_web", Computed: computed}}
			}
			pb.Traits = append(pb.Traits, tr("email", id+"@nto.example", false), tr("first_seen_channel", "web", true))
			if i%3 != 0 {
				pb.Traits = append(pb.Traits, tr("order_count", float64(1+i%7), true), tr("lifetime_revenue", float64(20*(1+i%11)), true),
					tr("last_purchase_at", t0.Add(-time.Duration(i%90)*24*time.Hour).Format(time.RFC3339Nano), true))
			}
		}
		if err := st.Apply(ctx, pb); err != nil {
			b.Fatal(err)
		}
	}
	p, err := New(ctx, Config{BatchSize: 2000, Identity: identity.DefaultConfig()}, lg, st, clock.NewManual(t0), slog.New(slog.DiscardHandler), nil)
	if err != nil {
		b.Fatal(err)
	}
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- p.Run(runCtx) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			b.Error(err)
		}
	}()
	for b.Loop() {
		if _, err := p.RebinRFM(ctx); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "profiles/s")
}
