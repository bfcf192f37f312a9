package importer

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/clock"
)

type cliRun struct {
	code           int
	stdout, stderr string
	sink           *memSink
	sinkSource     string
}

func runTestCLI(t *testing.T, env cliEnv, sink *memSink, args ...string) cliRun {
	t.Helper()
	var out, errOut bytes.Buffer
	run := cliRun{sink: sink}
	newSink := func(source string) (Sink, error) {
		run.sinkSource = source
		if sink == nil {
			return nil, errors.New("connection refused")
		}
		return sink, nil
	}
	if env.clock == nil {
		env.clock = clock.NewManual(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	}
	run.code = runCLI(t.Context(), args, &out, &errOut, newSink, env)
	run.stdout, run.stderr = out.String(), errOut.String()
	return run
}

func writeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(p, data, 0o600))
	return p
}

func TestCLI(t *testing.T) {
	t.Parallel()
	good := "CustomerID,Email,First Name\nc1,a@x.io,Pia\nc2,b@x.io,Bo\nc3,c@x.io,Cy\n"
	mapArgs := []string{"--source", "crm", "--id-column", "CustomerID", "--map", "Email=email,First Name=first_name"}

	t.Run("imports a file", func(t *testing.T) {
		t.Parallel()
		f := writeFile(t, "people.csv", []byte(good))
		r := runTestCLI(t, cliEnv{}, &memSink{}, append([]string{f}, mapArgs...)...)
		require.Equal(t, ExitOK, r.code, r.stderr)
		require.Equal(t, "crm", r.sinkSource)
		require.Len(t, r.sink.events(), 3)
		require.Contains(t, r.stdout, "imported 3 rows from "+f+" into source crm")
		require.Empty(t, r.stderr)
		require.NoFileExists(t, f+".rejects.csv")
	})
	t.Run("flags before the file, gzip by magic, tsv by name", func(t *testing.T) {
		t.Parallel()
		f := writeFile(t, "people.tsv", gz(t, []byte(strings.ReplaceAll(good, ",", "\t"))))
		r := runTestCLI(t, cliEnv{}, &memSink{}, append(mapArgs, f)...)
		require.Equal(t, ExitOK, r.code, r.stderr)
		require.Len(t, r.sink.events(), 3)
	})
	t.Run("rejected rows go to stderr and the rejects file", func(t *testing.T) {
		t.Parallel()
		f := writeFile(t, "people.csv", []byte(good+"c4,d@x.io\n,e@x.io,Ed\nc6,f@x.io,F\n"))
		r := runTestCLI(t, cliEnv{}, &memSink{}, append([]string{f}, mapArgs...)...)
		require.Equal(t, ExitRejected, r.code)
		require.Len(t, r.sink.events(), 4)
		require.Contains(t, r.stderr, "line 5: column count 2, header has 3 — check quoting and the delimiter\n")
		require.Contains(t, r.stderr, `line 6, column "CustomerID": missing id`)
		require.Contains(t, r.stdout, "2 rows rejected: see "+f+".rejects.csv")
		data, err := os.ReadFile(f + ".rejects.csv")
		require.NoError(t, err)
		recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
		require.NoError(t, err)
		require.Len(t, recs, 3)
		require.Equal(t, []string{"5", "", "column count 2, header has 3 — check quoting and the delimiter", "c4,d@x.io"}, recs[1])
		require.Equal(t, "6", recs[2][0])
	})
	t.Run("many rejects are summarised on stderr", func(t *testing.T) {
		t.Parallel()
		var b strings.Builder
		b.WriteString("id,a\n")
		for range 30 {
			b.WriteString(",x\n")
		}
		f := writeFile(t, "bad.csv", []byte(b.String()))
		rejects := filepath.Join(t.TempDir(), "out.csv")
		r := runTestCLI(t, cliEnv{}, &memSink{}, f, "--source", "s", "--id-column", "id", "--rejects", rejects)
		require.Equal(t, ExitRejected, r.code)
		require.Equal(t, maxRejectMessages, strings.Count(r.stderr, "missing id"))
		require.Contains(t, r.stderr, "... more rejected rows are listed in "+rejects)
		data, err := os.ReadFile(rejects)
		require.NoError(t, err)
		require.Equal(t, 31, bytes.Count(data, []byte("\n")))
	})
	t.Run("unknown column stops before connecting", func(t *testing.T) {
		t.Parallel()
		f := writeFile(t, "people.csv", []byte(good))
		r := runTestCLI(t, cliEnv{}, &memSink{}, f, "--source", "crm", "--id-column", "CustomerID", "--map", "E-mail=email")
		require.Equal(t, ExitError, r.code)
		require.Contains(t, r.stderr, `cairn import: `+f+`: unknown column: "E-mail" not in the header; the file has columns "CustomerID", "Email", "First Name"`)
		require.Empty(t, r.sinkSource, "no connection for a file that cannot be imported")
	})
	t.Run("dry run sends nothing", func(t *testing.T) {
		t.Parallel()
		f := writeFile(t, "people.csv", []byte(good))
		r := runTestCLI(t, cliEnv{}, nil, append([]string{f, "--dry-run"}, mapArgs...)...)
		require.Equal(t, ExitOK, r.code, r.stderr)
		require.Empty(t, r.sinkSource)
		require.Contains(t, r.stdout, "dry run: would import 3 rows")
	})
	t.Run("json result", func(t *testing.T) {
		t.Parallel()
		f := writeFile(t, "people.csv", []byte(good+"x\n"))
		r := runTestCLI(t, cliEnv{}, &memSink{}, append([]string{f, "--json"}, mapArgs...)...)
		require.Equal(t, ExitRejected, r.code)
		var out map[string]any
		require.NoError(t, json.Unmarshal([]byte(r.stdout), &out))
		require.Equal(t, 3.0, out["rows"])
		require.Equal(t, 1.0, out["rejected"])
		require.Equal(t, f+".rejects.csv", out["rejects_file"])
		require.Equal(t, true, out["complete"])
	})
	t.Run("server error", func(t *testing.T) {
		t.Parallel()
		f := writeFile(t, "people.csv", []byte(csvRows(1200, nil)))
		r := runTestCLI(t, cliEnv{}, &memSink{failAt: 2}, f, "--source", "crm", "--id-column", "id")
		require.Equal(t, ExitError, r.code)
		require.Contains(t, r.stderr, "server said 503")
		require.Contains(t, r.stderr, "run the same command again")
		require.Contains(t, r.stdout, "imported 500 rows")
	})
	t.Run("cannot connect", func(t *testing.T) {
		t.Parallel()
		f := writeFile(t, "people.csv", []byte(good))
		r := runTestCLI(t, cliEnv{}, nil, append([]string{f}, mapArgs...)...)
		require.Equal(t, ExitError, r.code)
		require.Contains(t, r.stderr, "connect to source crm: connection refused")
	})
	t.Run("progress lines without a terminal", func(t *testing.T) {
		t.Parallel()
		clk := clock.NewManual(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
		f := writeFile(t, "people.csv", []byte(csvRows(2000, nil)))
		sink := &memSink{onSend: func(int) { clk.Advance(2 * time.Second) }}
		r := runTestCLI(t, cliEnv{clock: clk}, sink, f, "--source", "crm", "--id-column", "id", "--batch", "100")
		require.Equal(t, ExitOK, r.code, r.stderr)
		lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
		require.GreaterOrEqual(t, len(lines), 5, r.stderr) // 20 batches x 2 s, a line per 5 s
		for _, l := range lines {
			require.Regexp(t, `^import: +\d+%  [\d,]+ rows  [\d,]+ rows/s`, l)
		}
		require.NotContains(t, r.stderr, "\r")
	})
	t.Run("progress bar on a terminal", func(t *testing.T) {
		t.Parallel()
		clk := clock.NewManual(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
		f := writeFile(t, "people.csv", []byte(csvRows(2000, map[int]string{1500: "bad"})))
		sink := &memSink{onSend: func(int) { clk.Advance(time.Second) }}
		r := runTestCLI(t, cliEnv{clock: clk, tty: true}, sink, f, "--source", "crm", "--id-column", "id", "--batch", "100")
		require.Equal(t, ExitRejected, r.code)
		require.Contains(t, r.stderr, "\r\x1b[K[")
		require.Contains(t, r.stderr, "rows/s")
		require.Contains(t, r.stderr, "\r\x1b[Kline 1502: column count 1, header has 3")
		require.True(t, strings.HasSuffix(r.stderr, "\r\x1b[K") || strings.HasSuffix(r.stderr, "\n"), "the bar is cleared at the end")
	})
}

func TestCLIUsage(t *testing.T) {
	t.Parallel()
	f := writeFile(t, "a.csv", []byte("id\nu1\n"))
	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"no file", []string{"--source", "s"}, ExitUsage, "give exactly one FILE (got 0)"},
		{"two files", []string{f, f, "--source", "s"}, ExitUsage, "got 2"},
		{"no source", []string{f}, ExitUsage, "--source NAME is required"},
		{"bad flag", []string{f, "--nope"}, ExitUsage, "flag provided but not defined: -nope"},
		{"bad map", []string{f, "--source", "s", "--map", "Email"}, ExitUsage, `--map item "Email" has no '='`},
		{"bad batch", []string{f, "--source", "s", "--batch", "0"}, ExitUsage, "must be positive"},
		{"help", []string{"-h"}, ExitOK, "usage: cairn import FILE --source NAME"},
		{"missing file", []string{filepath.Join(t.TempDir(), "nope.csv"), "--source", "s", "--id-column", "id"}, ExitError, "no such file"},
		{"directory", []string{t.TempDir(), "--source", "s", "--id-column", "id"}, ExitError, "is a directory"},
		{"rejects over input", []string{f, "--source", "s", "--id-column", "id", "--rejects", f}, ExitError, "would overwrite the input file"},
		{"invalid spec", []string{f, "--source", "s", "--id-column", "id", "--kind", "track"}, ExitError, "--event NAME or --event-column"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := runTestCLI(t, cliEnv{}, &memSink{}, tc.args...)
			require.Equal(t, tc.code, r.code, r.stderr)
			require.Contains(t, r.stderr, tc.msg)
		})
	}
}

func TestFormatHelpers(t *testing.T) {
	t.Parallel()
	require.Equal(t, "0", commas(0))
	require.Equal(t, "999", commas(999))
	require.Equal(t, "1,000", commas(1000))
	require.Equal(t, "-1,234,567", commas(-1234567))
	require.Equal(t, "12 B", humanBytes(12))
	require.Equal(t, "1.5 MB", humanBytes(1_500_000))
	require.Equal(t, "59s", formatETA(59*time.Second))
	require.Equal(t, "2m05s", formatETA(125*time.Second))
	require.Equal(t, "1h01m", formatETA(time.Hour+time.Minute))
	p := formatProgress(Progress{Rows: 1500, RowsPerSec: 250000.7, BytesRead: 50, BytesTotal: 100, ETA: 3 * time.Second, Rejected: 2}, true)
	require.Equal(t, "[============            ]  50%  1,500 rows  250,000 rows/s  ETA 3s  2 rejected", p)
	require.Equal(t, "1,500 rows  0 rows/s  2.0 MB read", formatProgress(Progress{Rows: 1500, BytesRead: 2_000_000}, false))
}

func TestCLIInterrupted(t *testing.T) {
	t.Parallel()
	f := writeFile(t, "people.csv", []byte(csvRows(3000, nil)))
	ctx, cancel := context.WithCancel(t.Context())
	var out, errOut bytes.Buffer
	sink := &memSink{onSend: func(int) { cancel() }}
	code := runCLI(ctx, []string{f, "--source", "crm", "--id-column", "id"}, &out, &errOut,
		func(string) (Sink, error) { return sink, nil },
		cliEnv{clock: clock.NewManual(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))})
	require.Equal(t, ExitError, code)
	require.Contains(t, errOut.String(), "cairn import: interrupted after line ")
	require.Contains(t, errOut.String(), "run the same command again")
}
