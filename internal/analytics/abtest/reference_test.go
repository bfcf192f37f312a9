package abtest

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// datasetPath finds a file of the shared reference datasets: $CAIRN_DATASETS,
// else the first shared/datasets directory above the working directory
// (the repository sits next to it as ../shared/datasets). Without the
// datasets the test is skipped.
func datasetPath(tb testing.TB, rel string) string {
	tb.Helper()
	if dir := os.Getenv("CAIRN_DATASETS"); dir != "" {
		return filepath.Join(dir, rel)
	}
	wd, err := os.Getwd()
	require.NoError(tb, err)
	for dir := wd; ; dir = filepath.Dir(dir) {
		p := filepath.Join(dir, "shared", "datasets", rel)
		if _, err := os.Stat(p); err == nil {
			return p
		}
		if filepath.Dir(dir) == dir {
			if os.Getenv("CAIRN_REQUIRE_DATASETS") == "1" {
				tb.Fatalf("reference dataset %s not found above %s; set CAIRN_DATASETS", rel, wd)
			}
			tb.Skipf("reference dataset %s not found above %s; set CAIRN_DATASETS", rel, wd)
		}
	}
}

// keyValues parses "k=v k2=v2" (also a single "k=v").
func keyValues(tb testing.TB, s string) map[string]float64 {
	tb.Helper()
	out := map[string]float64{}
	for _, field := range strings.Fields(s) {
		k, v, ok := strings.Cut(field, "=")
		require.True(tb, ok, "field %q is not key=value", field)
		f, err := strconv.ParseFloat(v, 64)
		require.NoError(tb, err, "field %q", field)
		out[k] = f
	}
	return out
}

// TestReferenceCases checks every row of
// shared/datasets/ab_tests/reference_cases.csv to 1e-9.
func TestReferenceCases(t *testing.T) {
	t.Parallel()
	f, err := os.Open(datasetPath(t, "ab_tests/reference_cases.csv"))
	require.NoError(t, err)
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	require.Greater(t, len(rows), 1, "no cases")
	col := map[string]int{}
	for i, name := range rows[0] {
		col[name] = i
	}
	count := func(row []string, name string) int64 {
		n, err := strconv.ParseInt(row[col[name]], 10, 64)
		require.NoError(t, err, "%s in %v", name, row)
		return n
	}
	checked := 0
	for _, row := range rows[1:] {
		t.Run(row[col["case_id"]], func(t *testing.T) {
			test := row[col["test"]]
			switch {
			case strings.Contains(test, "z-test"):
				a := Counts{Successes: count(row, "successes_a"), Trials: count(row, "trials_a")}
				b := Counts{Successes: count(row, "successes_b"), Trials: count(row, "trials_b")}
				want := keyValues(t, row[col["expected_statistic"]]+" "+row[col["expected_p_or_prob"]])
				got, err := TwoProportions(a, b, 0.05)
				require.NoError(t, err)
				require.InDelta(t, want["z"], got.Z, 1e-9)
				require.InDelta(t, want["p"], got.P, 1e-9)
			case strings.Contains(test, "P(p_B > p_A)"):
				prior := keyValues(t, row[col["prior_or_null"]])
				a := BetaDist{Alpha: prior["alpha_a"], Beta: prior["beta_a"]}
				b := BetaDist{Alpha: prior["alpha_b"], Beta: prior["beta_b"]}
				want := keyValues(t, row[col["expected_p_or_prob"]])["prob"]
				got, err := ProbBBeatsA(a, b)
				require.NoError(t, err)
				require.InDelta(t, want, got, 1e-9)
				// The same probability through the posterior API: a uniform
				// prior and counts that give these posteriors.
				if a.Alpha >= 1 && a.Beta >= 1 && b.Alpha >= 1 && b.Beta >= 1 {
					arms := []Counts{
						{Successes: int64(a.Alpha - 1), Trials: int64(a.Alpha + a.Beta - 2)},
						{Successes: int64(b.Alpha - 1), Trials: int64(b.Alpha + b.Beta - 2)},
					}
					bayes, err := BetaBinomial(arms, BayesOptions{})
					require.NoError(t, err)
					require.InDelta(t, want, bayes.PBest[1], 1e-9)
				}
			default:
				t.Fatalf("reference case of an unknown kind: %q", test)
			}
			checked++
		})
	}
	require.Equal(t, len(rows)-1, checked)
}
