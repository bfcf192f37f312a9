package attribution

import (
	"math"
	"math/bits"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// bruteShapley enumerates every coalition: φ(i) = Σ_{S ∌ i} |S|!(n−|S|−1)!/n!
// · (v(S ∪ {i}) − v(S)), with v(S) the conversions of the paths whose
// channel set is a subset of S.
func bruteShapley(d *dataset) []float64 {
	n := len(d.names)
	masks := make([]uint32, d.n())
	for i := range masks {
		for _, ch := range d.path(i) {
			masks[i] |= 1 << ch
		}
	}
	v := make([]float64, 1<<n)
	for s := range v {
		for i, m := range masks {
			if m&^uint32(s) == 0 {
				v[s] += d.conv[i]
			}
		}
	}
	fact := make([]float64, n+1)
	fact[0] = 1
	for k := 1; k <= n; k++ {
		fact[k] = fact[k-1] * float64(k)
	}
	phi := make([]float64, n)
	for s := range v {
		size := bits.OnesCount32(uint32(s))
		for i := range n {
			if s&(1<<i) == 0 {
				phi[i] += fact[size] * fact[n-size-1] / fact[n] * (v[s|1<<i] - v[s])
			}
		}
	}
	return phi
}

func randomPaths(rng *rand.Rand, channels, count int) []Path {
	paths := make([]Path, count)
	for i := range paths {
		chs := make([]string, 1+rng.IntN(6))
		for k := range chs {
			chs[k] = string(rune('a' + rng.IntN(channels)))
		}
		conv := float64(rng.IntN(4))
		paths[i] = Path{Channels: chs, Conversions: conv, Value: conv * rng.Float64() * 100, Nulls: float64(rng.IntN(3))}
	}
	return paths
}

func TestShapleyExactMatchesEnumeration(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 40 {
		paths := randomPaths(rng, 1+trial%9, 1+rng.IntN(30))
		d, err := newDataset(paths)
		require.NoError(t, err)
		want := bruteShapley(d)
		got := d.shapleyExact()
		for ch := range d.names {
			require.InDelta(t, want[ch], got.conv[ch], 1e-9, "trial %d channel %s", trial, d.names[ch])
		}
	}
}

// On 15 channels the sampled estimate's 95% intervals hold the exact value
// for most channels, and the estimate still hands out exactly the total.
func TestShapleySampledErrorBound(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(3, 4))
	paths := randomPaths(rng, 15, 400)
	d, err := newDataset(paths)
	require.NoError(t, err)
	require.Len(t, d.names, 15)
	exact := bruteShapley(d)
	for ch, v := range d.shapleyExact().conv {
		require.InDelta(t, exact[ch], v, 1e-9)
	}
	res, err := Run(paths, []string{Shapley}, Options{ShapleySamples: 2000, Seed: 42})
	require.NoError(t, err)
	se := res.ShapleyError
	require.NotNil(t, se)
	require.Equal(t, 2000, se.Samples)
	inside, sum := 0, 0.0
	for ch, name := range d.names {
		est := credit(t, res, Shapley, name).Conversions
		sum += est
		hw := se.Conversions[name]
		require.Positive(t, hw)
		require.Less(t, hw, 0.1*exact[ch]+1, "the bound is informative")
		if math.Abs(est-exact[ch]) <= hw {
			inside++
		}
	}
	t.Logf("%d of 15 intervals hold the exact value", inside)
	require.GreaterOrEqual(t, inside, 12, "95%% intervals should hold the exact value for about 14 of 15 channels")
	require.InDelta(t, res.Totals.Conversions, sum, 1e-9)
	requireSums(t, res)

	again, err := Run(paths, []string{Shapley}, Options{ShapleySamples: 2000, Seed: 42})
	require.NoError(t, err)
	require.Equal(t, res.Models, again.Models, "a seed fixes the estimate")
}

func TestShapleyManyChannels(t *testing.T) {
	t.Parallel()
	// 40 channels: exact, with no enumeration.
	var paths []Path
	for i := range 40 {
		paths = append(paths, Path{Channels: []string{"c" + string(rune('A'+i)), "shared"}, Conversions: 1})
	}
	res, err := Run(paths, []string{Shapley}, Options{})
	require.NoError(t, err)
	require.InDelta(t, 20, credit(t, res, Shapley, "shared").Conversions, 1e-12)
	require.InDelta(t, 0.5, credit(t, res, Shapley, "cA").Conversions, 1e-12)
	require.Nil(t, res.ShapleyError, "exact has no error")
}
