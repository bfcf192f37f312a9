package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cairn-cdp/cairn/internal/analytics/attribution"
	"github.com/stretchr/testify/require"
)

const attributionData = "../../../shared/datasets/channel_attribution"

func runAttribution(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := analyticsAttribution(t.Context(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func credits(t *testing.T, res attribution.Result, model string) map[string]attribution.ChannelCredit {
	t.Helper()
	m := map[string]attribution.ChannelCredit{}
	for _, c := range res.Models[model] {
		m[c.Channel] = c
	}
	return m
}

// needDataset skips a test when the shared reference datasets are not next
// to the checkout (../shared), like the analytics packages' own tests.
func needDataset(t *testing.T, file string) {
	t.Helper()
	if _, err := os.Stat(file); err != nil {
		if os.Getenv("CAIRN_REQUIRE_DATASETS") == "1" {
			t.Fatalf("reference dataset not available: %v", err)
		}
		t.Skipf("reference dataset not available: %v", err)
	}
}

func TestAttributionWorkedExample(t *testing.T) {
	t.Parallel()
	file := filepath.Join(attributionData, "worked_example_altomare_2015.csv")
	needDataset(t, file)

	code, out, errs := runAttribution(t, "--paths", file, "-json")
	require.Equal(t, 0, code, errs)
	var res attribution.Result
	require.NoError(t, json.Unmarshal([]byte(out), &res))
	require.InDelta(t, 1, res.RemovalEffects["A"], 1e-12)
	require.InDelta(t, 0.5, res.RemovalEffects["B"], 1e-12)
	require.InDelta(t, 2, credits(t, res, "markov")["A"].Conversions, 1e-12)
	require.InDelta(t, 1, credits(t, res, "markov")["B"].Conversions, 1e-12)
	require.InDelta(t, 3, credits(t, res, "first")["A"].Conversions, 1e-12)
	require.InDelta(t, 3, credits(t, res, "last")["A"].Conversions, 1e-12)
	require.Empty(t, errs, "time_decay is not asked for by default on a path file")

	code, out, errs = runAttribution(t, "--paths", file)
	require.Equal(t, 0, code, errs)
	require.Contains(t, out, "3 paths: 3.00 conversions, value 3.00, 0.00 non-converting")
	require.Contains(t, out, "markov: order 1, 2 states, P(conversion) 1.0000")
	lines := strings.Split(out, "\n")
	require.Contains(t, lines, "CHANNEL  FIRST  LAST  LINEAR  POSITION  MARKOV  SHAPLEY  REMOVAL EFFECT")
	require.Contains(t, lines, "A         3.00  3.00    2.10      2.72    2.00     2.00          1.0000")
	require.Contains(t, lines, "B         0.00  0.00    0.90      0.28    1.00     1.00          0.5000")
	require.Contains(t, out, "SHARE OF CONVERSIONS")
	require.Contains(t, out, "66.67%")
}

func TestAttributionData(t *testing.T) {
	t.Parallel()
	file := filepath.Join(attributionData, "Data.csv")
	needDataset(t, file)
	code, out, errs := runAttribution(t, "--paths", file, "--models", "all", "--order", "3", "--shapley-samples", "200", "--seed", "9", "-json")
	require.Equal(t, 0, code, errs)
	require.Contains(t, errs, "note: time_decay not computed", "asked for on a path file, time decay says why it cannot run")
	var res attribution.Result
	require.NoError(t, json.Unmarshal([]byte(out), &res))
	require.Equal(t, []string{"first", "last", "linear", "position", "markov", "shapley"}, res.ModelNames)
	require.Equal(t, 3, res.Markov.Order)
	require.Equal(t, 933, res.Markov.States)
	require.Equal(t, 200, res.ShapleyError.Samples)
	require.Len(t, res.Channels, 12)
	for _, m := range res.ModelNames {
		var conv, value, share float64
		for _, c := range res.Models[m] {
			conv += c.Conversions
			value += c.Value
			share += c.Share
		}
		require.InDelta(t, 19785, conv, 1e-6, m)
		require.InDelta(t, 74802.97158721073, value, 1e-6, m)
		require.InDelta(t, 1, share, 1e-12, m)
	}

	code, out, errs = runAttribution(t, "--paths", file, "--models", "markov, shapley", "--nulls=false", "--shapley-samples", "50")
	require.Equal(t, 0, code, errs)
	require.Contains(t, out, "10000 paths: 19785.00 conversions, value 74802.97, 68602.00 non-converting")
	require.Contains(t, out, "non-converting paths left out")
	require.Contains(t, out, "±")
	require.Regexp(t, `\nTOTAL +19785\.00 +19785\.00\n`, out)
}

func TestAttributionSeparatorsAndPosition(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), "paths.tsv")
	require.NoError(t, os.WriteFile(file, []byte("path\ttotal_conversions\na|b|c|d\t1\n"), 0o600))
	code, out, errs := runAttribution(t, "--paths", file, "--sep", "\t", "--channel-sep", "|",
		"--models", "position", "--position", "0.3, 0.4, 0.3", "-json")
	require.Equal(t, 0, code, errs)
	var res attribution.Result
	require.NoError(t, json.Unmarshal([]byte(out), &res))
	c := credits(t, res, "position")
	require.InDelta(t, 0.3, c["a"].Conversions, 1e-12)
	require.InDelta(t, 0.2, c["b"].Conversions, 1e-12)
}

func TestAttributionErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.csv")
	require.NoError(t, os.WriteFile(bad, []byte("path;total_conversions;total_conversion_value;total_null\nA > B;1;2;0\nA > B;one;2;0\n"), 0o600))
	empty := filepath.Join(dir, "empty.csv")
	require.NoError(t, os.WriteFile(empty, []byte("path;total_conversions;total_conversion_value;total_null\n"), 0o600))
	// The worked example's three paths, written here so the error cases need no dataset.
	good := filepath.Join(dir, "worked.csv")
	require.NoError(t, os.WriteFile(good, []byte("path;total_conversions;total_conversion_value;total_null\nA > B > A > B > B > A;1;1;0\nA > B > B > A > A;1;1;0\nA > A;1;1;0\n"), 0o600))
	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"no file", nil, 2, "--paths FILE"},
		{"stray argument", []string{"--paths", good, "extra"}, 2, "--paths FILE"},
		{"unknown flag", []string{"--paths", good, "--nope"}, 2, "flag provided but not defined"},
		{"malformed line", []string{"--paths", bad}, 1, "bad.csv: line 3: field 2: \"one\" is not a number"},
		{"missing file", []string{"--paths", filepath.Join(dir, "none.csv")}, 1, "open path file"},
		{"unknown model", []string{"--paths", good, "--models", "first,w-shaped"}, 1, `unknown attribution model "w-shaped"`},
		{"bad order", []string{"--paths", good, "--order", "5"}, 1, "markov order 5"},
		{"bad position", []string{"--paths", good, "--position", "0.5,0.5"}, 2, "three numbers"},
		{"weights off", []string{"--paths", good, "--position", "0.5,0.5,0.5"}, 1, "sum to 1.5"},
		{"time decay alone", []string{"--paths", good, "--models", "time_decay"}, 1, "path files do not"},
		{"bad separator", []string{"--paths", good, "--sep", ";;"}, 1, "column separator"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			code, _, errs := runAttribution(t, tt.args...)
			require.Equal(t, tt.code, code, errs)
			require.Contains(t, errs, tt.msg)
		})
	}

	t.Run("empty file is an empty result", func(t *testing.T) {
		t.Parallel()
		code, out, errs := runAttribution(t, "--paths", empty, "-json")
		require.Equal(t, 0, code, errs)
		require.NotContains(t, out, "NaN")
		var res attribution.Result
		require.NoError(t, json.Unmarshal([]byte(out), &res))
		require.Empty(t, res.Channels)
		require.Equal(t, 0, res.Totals.Paths)
		code, out, errs = runAttribution(t, "--paths", empty)
		require.Equal(t, 0, code, errs)
		require.Contains(t, out, "0 paths")
	})
}
