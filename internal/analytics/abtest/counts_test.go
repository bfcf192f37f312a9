package abtest

import (
	"encoding/json"
	"errors"
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestParseCounts(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in   string
		want Counts
		err  bool
	}{
		{in: "5/83", want: Counts{5, 83}},
		{in: " 0/0 ", want: Counts{0, 0}},
		{in: "12 / 99", want: Counts{12, 99}},
		{in: "007/010", want: Counts{7, 10}},
		{in: "84/83", err: true},
		{in: "-1/83", err: true},
		{in: "+1/83", err: true},
		{in: "1.5/83", err: true},
		{in: "1e3/5000", err: true},
		{in: "5", err: true},
		{in: "5/", err: true},
		{in: "/5", err: true},
		{in: "1/2/3", err: true},
		{in: "99999999999999999999/99999999999999999999", err: true},
		{in: "", err: true},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			got, err := ParseCounts(tc.in)
			if tc.err {
				require.ErrorIs(t, err, ErrInvalidCounts)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}
}

func FuzzParseCounts(f *testing.F) {
	for _, s := range []string{"5/83", "0/0", " 12 / 99 ", "84/83", "-1/2", "1/2/3", "x", "9223372036854775807/9223372036854775807"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseCounts(s)
		if err != nil {
			require.ErrorIs(t, err, ErrInvalidCounts)
			return
		}
		require.NoError(t, c.Validate())
		back, err := ParseCounts(c.String())
		require.NoError(t, err)
		require.Equal(t, c, back)
	})
}

// FuzzAnalyze feeds arbitrary counts and settings through every test: the
// result is an error wrapping a sentinel, or a report with no NaN or ±Inf
// (which JSON would refuse to encode).
func FuzzAnalyze(f *testing.F) {
	f.Add(int64(5), int64(83), int64(12), int64(99), 0.05, 1.0, 1.0, 1e-4, 50.0, 50.0)
	f.Add(int64(0), int64(0), int64(0), int64(0), 0.05, 1.0, 1.0, 0.0, 1.0, 1.0)
	f.Add(int64(1000), int64(1000), int64(0), int64(1000), 0.01, 0.5, 0.5, 1.0, 9.0, 1.0)
	f.Add(int64(3), int64(2), int64(1), int64(1), 2.0, -1.0, 0.0, -1.0, 0.0, 1.0)
	f.Fuzz(func(t *testing.T, sa, na, sb, nb int64, alpha, pa, pb, tau2, wa, wb float64) {
		// Keep the closed-form sums short so the fuzzer stays fast.
		if na > 1e6 || nb > 1e6 || pa > 1e6 || pb > 1e6 {
			return
		}
		rep, err := Analyze(Input{
			A: Counts{sa, na}, B: Counts{sb, nb}, Alpha: alpha, Planned: []float64{wa, wb},
			Bayes:      BayesOptions{Prior: BetaDist{pa, pb}},
			Sequential: MSPRTConfig{MixingVariance: tau2},
		})
		if err != nil {
			for _, sentinel := range []error{ErrInvalidCounts, ErrAlpha, ErrArms, ErrPrior, ErrConfig} {
				if errors.Is(err, sentinel) {
					return
				}
			}
			t.Fatalf("error without a sentinel: %v", err)
		}
		_, err = json.Marshal(rep)
		require.NoError(t, err)
		for _, p := range append(append([]float64{rep.SRM.P, rep.Sequential.P}, rep.Bayes.PBest...), rep.Bayes.ExpectedLoss...) {
			require.False(t, math.IsNaN(p))
			require.GreaterOrEqual(t, p, 0.0)
			require.LessOrEqual(t, p, 1.0)
		}
	})
}
