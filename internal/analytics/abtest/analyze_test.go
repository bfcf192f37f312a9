package abtest

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestAnalyze(t *testing.T) {
	t.Parallel()
	revA, revB := SampleOf(sleepGroup1), SampleOf(sleepGroup2)
	rep, err := Analyze(Input{
		A: Counts{480, 10_000}, B: Counts{560, 10_050},
		RevenueA: &revA, RevenueB: &revB,
	})
	require.NoError(t, err)
	require.Equal(t, DefaultAlpha, rep.Alpha)
	require.NotNil(t, rep.ZTest)
	require.NotNil(t, rep.ZTest.Lift)
	require.NotNil(t, rep.Revenue)
	require.InDelta(t, 1.58, rep.Revenue.Diff, 1e-12)
	require.Equal(t, []int64{10_000, 10_050}, rep.SRM.Observed)
	require.False(t, rep.SRM.Mismatch)
	require.Equal(t, MethodClosedForm, rep.Bayes.Method)
	require.Greater(t, rep.Bayes.PBest[1], 0.99)
	require.Equal(t, 0.05, rep.Sequential.Alpha, "the sequential test inherits alpha")
	require.Empty(t, rep.Notes)

	// Each part matches its own function.
	z, err := TwoProportions(rep.A, rep.B, 0.05)
	require.NoError(t, err)
	require.Equal(t, z, *rep.ZTest)
	_, err = json.Marshal(rep)
	require.NoError(t, err)
}

// TestAnalyzeEmpty is the "no traffic yet" experiment: a well-formed report
// with notes, no error and nothing that JSON cannot encode.
func TestAnalyzeEmpty(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		in    Input
		notes []string
	}{
		{"no traffic", Input{}, []string{"z-test: not computed", "sequential: no evidence"}},
		{"traffic, no conversions", Input{A: Counts{0, 500}, B: Counts{0, 500}}, []string{"relative lift: not computed"}},
		{"one arm empty", Input{A: Counts{0, 0}, B: Counts{3, 40}},
			[]string{"sample-ratio mismatch", "z-test: not computed", "sequential: no evidence"}},
		{"revenue from one customer", Input{A: Counts{1, 200}, B: Counts{2, 200},
			RevenueA: &Sample{N: 1, Mean: 10}, RevenueB: &Sample{N: 2, Mean: 5, Var: 1}},
			[]string{"revenue: not computed, each arm needs at least 2 customers"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rep, err := Analyze(tc.in)
			require.NoError(t, err)
			require.Len(t, rep.Notes, len(tc.notes), "%q", rep.Notes)
			for i, want := range tc.notes {
				require.Contains(t, rep.Notes[i], want)
			}
			require.Equal(t, 1.0, rep.Sequential.P)
			require.Len(t, rep.Bayes.PBest, 2)
			b, err := json.Marshal(rep)
			require.NoError(t, err)
			var back map[string]any
			require.NoError(t, json.Unmarshal(b, &back))
			require.Contains(t, back, "z_test")
		})
	}
	rep, err := Analyze(Input{})
	require.NoError(t, err)
	require.Nil(t, rep.ZTest)
	require.Equal(t, []float64{0.5, 0.5}, rep.Bayes.PBest)
	require.Equal(t, 1.0, rep.SRM.P)
}

func TestAnalyzeErrors(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		in   Input
		err  error
	}{
		{"bad A", Input{A: Counts{5, 4}}, ErrInvalidCounts},
		{"bad B", Input{B: Counts{-1, 4}}, ErrInvalidCounts},
		{"bad alpha", Input{Alpha: -0.1}, ErrAlpha},
		{"bad split", Input{Planned: []float64{1, 2, 3}}, ErrArms},
		{"revenue for one arm", Input{RevenueA: &Sample{N: 5}}, ErrSample},
		{"bad revenue", Input{RevenueA: &Sample{N: 5, Var: -1}, RevenueB: &Sample{N: 5}}, ErrSample},
		{"bad prior", Input{Bayes: BayesOptions{Prior: BetaDist{Alpha: 1}}}, ErrPrior},
		{"bad mixing variance", Input{Sequential: MSPRTConfig{MixingVariance: -2}}, ErrConfig},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := Analyze(tc.in)
			require.ErrorIs(t, err, tc.err)
		})
	}
}

func TestAnalyzeSRMNote(t *testing.T) {
	t.Parallel()
	rep, err := Analyze(Input{A: Counts{500, 9_000}, B: Counts{60, 1_000}, Planned: []float64{50, 50}})
	require.NoError(t, err)
	require.True(t, rep.SRM.Mismatch)
	require.Contains(t, rep.Notes[0], "sample-ratio mismatch")
	// The same counts match a 90/10 holdout plan.
	rep, err = Analyze(Input{A: Counts{500, 9_000}, B: Counts{60, 1_000}, Planned: []float64{90, 10}})
	require.NoError(t, err)
	require.False(t, rep.SRM.Mismatch)
}
