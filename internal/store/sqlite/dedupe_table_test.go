package sqlite

import (
	"maps"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestSeqTableMatchesMap drives a seqTable and a Go map with the same random
// sets, overwrites and deletes, on hash sets small enough to make long
// probe runs, runs that wrap around the end of the slice, and growth; after
// every step both hold the same pairs.
func TestSeqTableMatchesMap(t *testing.T) {
	for _, tc := range []struct {
		name   string
		hashes uint64 // distinct hashes drawn
		spread func(uint64) uint64
		steps  int
	}{
		{"random hashes", 1 << 62, func(h uint64) uint64 { return h * 0x9e3779b97f4a7c15 }, 20_000},
		{"one home: a long run", 1500, func(h uint64) uint64 { return h << 54 }, 8_000},                     // every home is slot 0
		{"home at the end: the run wraps", 1500, func(h uint64) uint64 { return h<<40 | 1<<40 - 1 }, 8_000}, // every home is the last slot
		{"small: grow and shrink", 2000, func(h uint64) uint64 { return h }, 50_000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(7, uint64(len(tc.name))))
			tab, model := newSeqTable(0), map[uint64]int64{}
			for step := range tc.steps {
				h := tc.spread(rng.Uint64N(tc.hashes))
				switch r := rng.IntN(10); {
				case r < 6:
					seq := int64(step + 1)
					tab.set(h, seq)
					model[h] = seq
				case r < 9:
					_, had := model[h]
					require.Equal(t, had, tab.del(h), "step %d: del %x", step, h)
					delete(model, h)
				default:
					tab.shrink()
				}
				require.Equal(t, model[h], tab.get(h), "step %d: get %x", step, h)
				require.Equal(t, len(model), tab.len(), "step %d: len", step)
				if step%997 == 0 || step == tc.steps-1 {
					require.Equal(t, model, maps.Collect(tab.all()), "step %d: contents", step)
					for k, v := range model {
						require.Equal(t, v, tab.get(k), "step %d: get %x", step, k)
					}
				}
			}
		})
	}
}

// BenchmarkSeqTable is the committer's access per new SDK event: a lookup
// that misses, then an insert, on a table already holding 3M keys; the Go
// map the table replaced does the same for comparison.
func BenchmarkSeqTable(b *testing.B) {
	const pre = 3_000_000
	b.Run("table", func(b *testing.B) {
		rng := rand.New(rand.NewPCG(1, 2))
		t := newSeqTable(0)
		for i := range pre {
			t.set(rng.Uint64(), int64(i+1))
		}
		seq := int64(pre)
		for b.Loop() {
			h := rng.Uint64()
			if t.get(h) == 0 {
				seq++
				t.set(h, seq)
			}
		}
	})
	b.Run("map", func(b *testing.B) {
		rng := rand.New(rand.NewPCG(1, 2))
		m := map[uint64]int64{}
		for i := range pre {
			m[rng.Uint64()] = int64(i + 1)
		}
		seq := int64(pre)
		for b.Loop() {
			h := rng.Uint64()
			if m[h] == 0 {
				seq++
				m[h] = seq
			}
		}
	})
}
