package attribution

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// transitions returns the chain as from → to → probability, with states
// named by their windows.
func transitions(d *dataset, c *chain) map[string]map[string]float64 {
	name := func(s int32) string {
		out := ""
		for _, ch := range c.windows[s] {
			if ch >= 0 {
				if out != "" {
					out += ","
				}
				out += d.names[ch]
			}
		}
		return out
	}
	m := map[string]map[string]float64{"(start)": {}}
	for s := range c.size() {
		if c.start[s] > 0 {
			m["(start)"][name(int32(s))] = c.start[s]
		}
		row := map[string]float64{}
		for k := c.rowStart[s]; k < c.rowStart[s+1]; k++ {
			row[name(c.next[k])] = c.prob[k]
		}
		if c.toConv[s] > 0 {
			row["(conversion)"] = c.toConv[s]
		}
		m[name(int32(s))] = row
	}
	return m
}

func TestChainConstruction(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		paths []Path
		order int
		nulls bool
		want  map[string]map[string]float64
	}{
		{"vignette", loadPaths(t, "worked_example_altomare_2015.csv"), 1, true, map[string]map[string]float64{
			"(start)": {"A": 1},
			"A":       {"A": 2.0 / 8, "B": 3.0 / 8, "(conversion)": 3.0 / 8},
			"B":       {"A": 3.0 / 5, "B": 2.0 / 5},
		}},
		{"order 2 windows, short path is one state", []Path{p(1, 0, "a", "b", "c"), p(1, 1, "a"), p(1, 0, "a", "b", "b")}, 2, true, map[string]map[string]float64{
			"(start)": {"a,b": 2.0 / 4, "a": 2.0 / 4},
			"a,b":     {"b,c": 0.5, "b,b": 0.5},
			"b,c":     {"(conversion)": 1},
			"b,b":     {"(conversion)": 1},
			"a":       {"(conversion)": 0.5},
		}},
		{"order 3 keeps self-loops", []Path{p(2, 0, "a", "a", "a", "a")}, 3, false, map[string]map[string]float64{
			"(start)": {"a,a,a": 1},
			"a,a,a":   {"a,a,a": 0.5, "(conversion)": 0.5},
		}},
		{"nulls left out", []Path{p(1, 3, "a", "b"), p(0, 2, "b")}, 1, false, map[string]map[string]float64{
			"(start)": {"a": 1},
			"a":       {"b": 1},
			"b":       {"(conversion)": 1},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d, err := newDataset(tt.paths)
			require.NoError(t, err)
			got := transitions(d, d.buildChain(tt.order, tt.nulls))
			require.Equal(t, len(tt.want), len(got), "%v", got)
			for from, row := range tt.want {
				require.Len(t, got[from], len(row), from)
				for to, pr := range row {
					require.InDelta(t, pr, got[from][to], 1e-15, "%s → %s", from, to)
				}
			}
		})
	}
}

// Removal effects worked by hand.
func TestRemovalEffects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		paths   []Path
		order   int
		nulls   bool
		pconv   float64
		removal map[string]float64
		credit  map[string]float64
	}{
		// start → a ½, b ½; a → b; b → conversion ¼, null ¾. P = ¼.
		// Without a: ½·¼ = ⅛, RE ½. Without b: 0, RE 1.
		{"with nulls", []Path{p(1, 1, "a", "b"), p(0, 2, "b")}, 1, true, 0.25,
			map[string]float64{"a": 0.5, "b": 1}, map[string]float64{"a": 1.0 / 3, "b": 2.0 / 3}},
		{"without nulls", []Path{p(1, 1, "a", "b"), p(0, 2, "b")}, 1, false, 1,
			map[string]float64{"a": 1, "b": 1}, map[string]float64{"a": 0.5, "b": 0.5}},
		// Order 2: states (a,b) and (b); removing a kills (a,b) only.
		{"order 2", []Path{p(1, 1, "a", "b"), p(0, 2, "b")}, 2, true, 0.25,
			map[string]float64{"a": 1, "b": 1}, map[string]float64{"a": 0.5, "b": 0.5}},
		// A cycle: start → a; a → b ½, conversion ½; b → a ½, null ½.
		// x_a = ½ + ½·½·x_a → x_a = ⅔. Without b: ½, RE ¼. Without a: 0.
		{"cycle", []Path{p(1, 0, "a"), p(0, 1, "a", "b"), p(1, 0, "a", "b", "a")}, 1, true, 2.0 / 3,
			map[string]float64{"a": 1, "b": 0.25}, map[string]float64{"a": 2 * 0.8, "b": 2 * 0.2}},
	}
	for _, tt := range tests {
		for _, kind := range []solverKind{solverDense, solverIterative} {
			t.Run(tt.name, func(t *testing.T) {
				t.Parallel()
				d, err := newDataset(tt.paths)
				require.NoError(t, err)
				res, err := d.markov(tt.order, tt.nulls, kind)
				require.NoError(t, err)
				require.InDelta(t, tt.pconv, res.summary.ConversionProbability, 1e-12)
				for ch, re := range tt.removal {
					require.InDelta(t, re, d.byName(res.removal)[ch], 1e-12, ch)
				}
				for ch, c := range tt.credit {
					got := d.table(res.credits)
					for _, g := range got {
						if g.Channel == ch {
							require.InDelta(t, c, g.Conversions, 1e-12, ch)
						}
					}
				}
			})
		}
	}
}

// The dense and iterative solvers agree on the reference data at every order.
func TestSolversAgree(t *testing.T) {
	t.Parallel()
	paths := loadPaths(t, "Data.csv")
	d, err := newDataset(paths)
	require.NoError(t, err)
	for _, order := range []int{1, 2, 3} {
		if order == 3 && testing.Short() {
			continue
		}
		t.Run("", func(t *testing.T) {
			t.Parallel()
			dense, err := d.markov(order, true, solverDense)
			require.NoError(t, err)
			iter, err := d.markov(order, true, solverIterative)
			require.NoError(t, err)
			require.Equal(t, "dense-lu", dense.summary.Solver)
			require.Equal(t, "gauss-seidel", iter.summary.Solver)
			require.InDelta(t, dense.summary.ConversionProbability, iter.summary.ConversionProbability, 1e-12)
			for ch := range d.names {
				require.InDelta(t, dense.removal[ch], iter.removal[ch], 1e-11, d.names[ch])
			}
		})
	}
}

// A chain whose states loop many times still converges.
func TestSolverLongLoops(t *testing.T) {
	t.Parallel()
	// a ↔ b 2000 times, then null; or a → c → conversion:
	// a → b 1000/1001, c 1/1001; b → a 999/1000, null 1/1000.
	// x_a = (1000·x_b + 1)/1001, x_b = 0.999·x_a, so x_a = ½.
	loop := make([]string, 2000)
	for i := range loop {
		loop[i] = []string{"a", "b"}[i%2]
	}
	paths := []Path{{Channels: loop, Nulls: 1}, {Channels: []string{"a", "c"}, Conversions: 1}}
	d, err := newDataset(paths)
	require.NoError(t, err)
	for _, kind := range []solverKind{solverDense, solverIterative} {
		res, err := d.markov(1, true, kind)
		require.NoError(t, err)
		require.InDelta(t, 0.5, res.summary.ConversionProbability, 1e-12)
		// Without b: x_a = 1/1001. Without c: 0.
		re := d.byName(res.removal)
		require.InDelta(t, 1-2.0/1001, re["b"], 1e-12)
		require.InDelta(t, 1, re["a"], 1e-12)
		require.InDelta(t, 1, re["c"], 1e-12)
	}
}
