package cli

import (
	"io"
	"log/slog"
	"testing"
)

func TestLimitFor(t *testing.T) {
	const mib = 1 << 20
	base := int64(896 * mib)
	for _, c := range []struct {
		name string
		live uint64
		want int64
	}{
		{"small live heap keeps the base", 300 * mib, base},
		{"at the crossover", 597 * mib, base},
		{"a live heap the base cannot hold", 1100 * mib, 1650 * mib},
		{"nothing live yet", 0, base},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := limitFor(base, c.live); got != c.want {
				t.Errorf("limitFor(%d MiB) = %d MiB, want %d MiB", c.live/mib, got/mib, c.want/mib)
			}
		})
	}
}

func TestMemLimiterFollowsLiveHeap(t *testing.T) {
	const mib = 1 << 20
	var live uint64
	var sets []int64
	m := &memLimiter{base: 896 * mib, current: 896 * mib, live: func() uint64 { return live },
		set: func(n int64) int64 { sets = append(sets, n); return 0 }, logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	for _, s := range []struct {
		live uint64
		want []int64 // every limit set so far
	}{
		{400 * mib, nil},                                        // under the base: untouched
		{1100 * mib, []int64{1650 * mib}},                       // outgrew it: raised
		{1150 * mib, []int64{1650 * mib}},                       // within an eighth: left
		{2000 * mib, []int64{1650 * mib, 3000 * mib}},           // raised again
		{300 * mib, []int64{1650 * mib, 3000 * mib, 896 * mib}}, // shrank: back to the base
	} {
		live = s.live
		m.step()
		if len(sets) != len(s.want) {
			t.Fatalf("live %d MiB: limits set %v, want %v", s.live/mib, sets, s.want)
		}
		for i := range sets {
			if sets[i] != s.want[i] {
				t.Fatalf("live %d MiB: limits set %v, want %v", s.live/mib, sets, s.want)
			}
		}
	}
}
