package abtest

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// The expected values are worked by hand from the definitions (those of R's
// p.adjust "holm" and "BH").
func TestAdjust(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		p        []float64
		holm, bh []float64
	}{
		{"empty", nil, []float64{}, []float64{}},
		{"one", []float64{0.03}, []float64{0.03}, []float64{0.03}},
		{"even steps", []float64{0.01, 0.02, 0.03, 0.04, 0.05},
			[]float64{0.05, 0.08, 0.09, 0.09, 0.09}, []float64{0.05, 0.05, 0.05, 0.05, 0.05}},
		{"unsorted with a cap", []float64{0.04, 0.001, 0.6, 0.02},
			[]float64{0.08, 0.004, 0.6, 0.06}, []float64{0.0533333333333333, 0.004, 0.6, 0.04}},
		{"ties", []float64{0.01, 0.01, 0.5},
			[]float64{0.03, 0.03, 0.5}, []float64{0.015, 0.015, 0.5}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			require.InDeltaSlice(t, c.holm, Holm(c.p), 1e-12)
			require.InDeltaSlice(t, c.bh, BenjaminiHochberg(c.p), 1e-12)
		})
	}
}

func TestAdjustNeverBelowRaw(t *testing.T) {
	t.Parallel()
	p := []float64{0.2, 0.01, 0.049, 0.9, 0.0001, 0.3, 0.049}
	for name, adj := range map[string][]float64{"holm": Holm(p), "bh": BenjaminiHochberg(p)} {
		for i := range p {
			require.GreaterOrEqual(t, adj[i], p[i], "%s[%d]", name, i)
			require.LessOrEqual(t, adj[i], 1.0, "%s[%d]", name, i)
		}
	}
	// Holm is never less conservative than BH.
	h, b := Holm(p), BenjaminiHochberg(p)
	for i := range p {
		require.GreaterOrEqual(t, h[i], b[i]-1e-15)
	}
}
