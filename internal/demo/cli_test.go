package demo

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cairn-cdp/cairn/internal/clock"
	"github.com/stretchr/testify/require"
)

func runCLI(t *testing.T, clk clock.Clock, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = runGenerate(t.Context(), args, &out, &errb, clk)
	return code, out.String(), errb.String()
}

func TestRunGenerateWritesFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	clk := clock.NewManual(time.Date(2025, 3, 4, 15, 30, 0, 0, time.UTC))
	plain := filepath.Join(dir, "nto.jsonl")
	code, _, stderr := runCLI(t, clk, "--customers", "40", "--seed", "5", "--out", plain, "--truth", filepath.Join(dir, "truth.json"))
	require.Equal(t, 0, code, stderr)
	require.Regexp(t, `^demo: \d+ events, 40 customers, \d+ bytes \(\d+ written\) in 0\.0s \(0 events/s\) to `, stderr)

	want, _ := generate(t, Config{Customers: 40, Seed: 5, End: time.Date(2025, 3, 4, 0, 0, 0, 0, time.UTC)})
	got, err := os.ReadFile(plain)
	require.NoError(t, err)
	require.Equal(t, want, got, "default end is today 00:00 UTC on the injected clock")

	var truth Truth
	b, err := os.ReadFile(filepath.Join(dir, "truth.json"))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &truth))
	require.Equal(t, 40, truth.Customers)
	require.InDelta(t, 0.25, truth.DirectMail.RelativeLift, 0)

	gz := filepath.Join(dir, "nto.jsonl.gz")
	code, _, stderr = runCLI(t, clk, "--customers=40", "--seed=5", "--out="+gz)
	require.Equal(t, 0, code, stderr)
	f, err := os.Open(gz)
	require.NoError(t, err)
	defer f.Close()
	zr, err := gzip.NewReader(f)
	require.NoError(t, err)
	var unzipped bytes.Buffer
	_, err = unzipped.ReadFrom(zr)
	require.NoError(t, err)
	require.Equal(t, want, unzipped.Bytes())

	code, stdout, stderr := runCLI(t, clk, "--customers", "40", "--seed", "5", "--out", "-", "--end", "2025-03-04")
	require.Equal(t, 0, code, stderr)
	require.Equal(t, string(want), stdout)
}

func TestRunGenerateBadUsage(t *testing.T) {
	t.Parallel()
	clk := clock.NewManual(testEnd)
	for _, tc := range []struct {
		args []string
		code int
		msg  string
	}{
		{nil, 2, "--out is required"},
		{[]string{"--out", "-", "--end", "yesterday"}, 2, "use YYYY-MM-DD or RFC 3339"},
		{[]string{"--out", "-", "--customers", "0"}, 2, "must be positive"},
		{[]string{"--out", "-", "--days", "3"}, 2, "days 3 out of range"},
		{[]string{"--out", "-", "extra"}, 2, `unexpected argument "extra"`},
		{[]string{"--bogus"}, 2, "flag provided but not defined"},
		{[]string{"--out", filepath.Join(t.TempDir(), "missing", "x.jsonl"), "--customers", "2"}, 1, "demo generate: create "},
		{[]string{"--help"}, 0, "usage: cairn demo generate"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			t.Parallel()
			code, _, stderr := runCLI(t, clk, tc.args...)
			require.Equal(t, tc.code, code, stderr)
			require.Contains(t, stderr, tc.msg)
		})
	}
}

func TestParseEnd(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]time.Time{
		"2024-06-30":                time.Date(2024, 6, 30, 0, 0, 0, 0, time.UTC),
		" 2024-06-30 ":              time.Date(2024, 6, 30, 0, 0, 0, 0, time.UTC),
		"2024-06-30T12:00:00Z":      time.Date(2024, 6, 30, 12, 0, 0, 0, time.UTC),
		"2024-06-30T12:00:00+02:00": time.Date(2024, 6, 30, 10, 0, 0, 0, time.UTC),
		"2024-06-30T12:00:00.5Z":    time.Date(2024, 6, 30, 12, 0, 0, 5e8, time.UTC),
	} {
		got, err := ParseEnd(in)
		require.NoError(t, err, in)
		require.True(t, want.Equal(got), "%s: %s", in, got)
	}
	for _, bad := range []string{"", "30/06/2024", "2024-13-01", "now"} {
		_, err := ParseEnd(bad)
		require.Error(t, err, bad)
	}
}

func FuzzParseEnd(f *testing.F) {
	for _, s := range []string{"2024-06-30", "2024-06-30T12:00:00Z", "x", "2024-02-30"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseEnd(s)
		if err == nil && got.Location() != time.UTC {
			t.Fatalf("%q parsed to non-UTC %v", s, got)
		}
	})
}
