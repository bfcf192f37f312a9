package cli

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func runABTest(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errs bytes.Buffer
	code = analyticsABTest(t.Context(), args, &out, &errs)
	return code, out.String(), errs.String()
}

func TestAnalyticsABTestReport(t *testing.T) {
	t.Parallel()
	// statsmodels proportions_ztest(count=[5, 12], nobs=[83, 99]).
	code, out, errs := runABTest(t, "--a", "5/83", "--b", "12/99")
	require.Equal(t, 0, code, errs)
	for _, want := range []string{
		"6.02%", "12.12%",
		"z = -1.4078 (pooled, A - B), p = 0.1592: not significant at 0.05",
		"difference B - A +6.097 pp",
		"P(B beats A) = ",
		"Beta(1, 1) prior, closed-form",
		"planned 50% / 50%",
		"no evidence until each arm has 100 trials",
	} {
		require.Contains(t, out, want)
	}
	require.Empty(t, errs)
}

func TestAnalyticsABTestJSON(t *testing.T) {
	t.Parallel()
	code, out, errs := runABTest(t, "--a", "5/83", "--b", "12/99", "-json", "--split", "1:1",
		"--revenue-a", "20.5,4", "--revenue-b", "22,5.5")
	require.Equal(t, 0, code, errs)
	var rep struct {
		ZTest struct {
			Z, P float64
			Lift struct{ Estimate float64 }
		} `json:"z_test"`
		Revenue struct{ Diff, DF float64 }
		Bayes   struct {
			PBest  []float64 `json:"p_best"`
			Method string
		}
		SRM struct{ P float64 }
	}
	require.NoError(t, json.Unmarshal([]byte(out), &rep))
	require.InDelta(t, -1.4078304151258787, rep.ZTest.Z, 1e-9)
	require.InDelta(t, 0.15918129181156992, rep.ZTest.P, 1e-9)
	require.InDelta(t, 1.5, rep.Revenue.Diff, 1e-12)
	require.Greater(t, rep.Revenue.DF, 100.0)
	require.Len(t, rep.Bayes.PBest, 2)
	require.Equal(t, "closed-form", rep.Bayes.Method)
	require.InDelta(t, math.Erfc(math.Sqrt(128.0/91/2)), rep.SRM.P, 1e-12, "chi-square 2·8²/91 on 1 df")
}

func TestAnalyticsABTestFlags(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"missing b", []string{"--a", "1/10"}, 2, "both --a and --b are required"},
		{"bad counts", []string{"--a", "11/10", "--b", "1/10"}, 2, "--a: invalid counts"},
		{"not counts", []string{"--a", "ten", "--b", "1/10"}, 2, "not SUCCESSES/TRIALS"},
		{"bad split", []string{"--a", "1/10", "--b", "1/10", "--split", "50"}, 2, "--split"},
		{"zero split", []string{"--a", "1/10", "--b", "1/10", "--split", "100/0"}, 1, "planned weight"},
		{"bad prior", []string{"--a", "1/10", "--b", "1/10", "--prior", "0,1"}, 1, "beta parameters"},
		{"one revenue", []string{"--a", "1/10", "--b", "1/10", "--revenue-a", "1,2"}, 2, "together"},
		{"negative sd", []string{"--a", "1/10", "--b", "1/10", "--revenue-a", "1,-2", "--revenue-b", "1,2"}, 2, "negative"},
		{"stray argument", []string{"--a", "1/10", "--b", "1/10", "extra"}, 2, `unexpected argument "extra"`},
		{"bad alpha", []string{"--a", "1/10", "--b", "1/10", "--alpha", "1.5"}, 1, "alpha"},
		{"bad tau", []string{"--a", "1/10", "--b", "1/10", "--tau2", "-1"}, 1, "mixing variance"},
		{"unknown flag", []string{"--a", "1/10", "--b", "1/10", "--nope"}, 2, "flag provided but not defined"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			code, out, errs := runABTest(t, tc.args...)
			require.Equal(t, tc.code, code, errs)
			require.Empty(t, out)
			require.Contains(t, errs, tc.want)
		})
	}
}

// TestAnalyticsABTestEmpty: an experiment without traffic is a report, not
// a crash or NaN.
func TestAnalyticsABTestEmpty(t *testing.T) {
	t.Parallel()
	code, out, errs := runABTest(t, "--a", "0/0", "--b", "0/0")
	require.Equal(t, 0, code, errs)
	require.Contains(t, out, "z-test: not computed, an arm has no trials yet")
	require.Contains(t, out, "P(B beats A) = 50.00%")
	require.NotContains(t, strings.ToLower(out), "nan")

	code, out, errs = runABTest(t, "--a", "0/0", "--b", "0/0", "-json")
	require.Equal(t, 0, code, errs)
	var rep map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &rep))
	require.Nil(t, rep["z_test"])
	require.NotEmpty(t, rep["notes"])
}

func TestAnalyticsABTestHoldout(t *testing.T) {
	t.Parallel()
	// A 10% holdout against 90% treatment: as planned, no mismatch; judged
	// against 50/50 it would be flagged.
	code, out, errs := runABTest(t, "--a", "40/1000", "--b", "450/9000", "--split", "10/90", "--min-trials", "0")
	require.Equal(t, 0, code, errs)
	require.Contains(t, out, "planned 10% / 90%")
	require.Contains(t, out, "burn-in 0 per arm")
	require.NotContains(t, out, "MISMATCH")
	code, out, _ = runABTest(t, "--a", "40/1000", "--b", "450/9000")
	require.Equal(t, 0, code)
	require.Contains(t, out, "MISMATCH")
}

func FuzzParsePair(f *testing.F) {
	for _, s := range []string{"50/50", "0.9,0.1", "1:1", "1,", "a,b", "NaN,1", "1e308,-1e308", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		x, y, err := parsePair(s, "/:,")
		if err != nil {
			return
		}
		require.False(t, math.IsNaN(x) || math.IsNaN(y) || math.IsInf(x, 0) || math.IsInf(y, 0))
	})
}
