package demo

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/cairn-cdp/cairn/internal/clock"
)

// RunGenerate is `cairn demo generate`: it parses args, writes the data set
// and prints a one-line summary to stderr. It returns the exit code (0 ok,
// 1 failure, 2 usage).
func RunGenerate(args []string, stdout, stderr io.Writer) int {
	return runGenerate(context.Background(), args, stdout, stderr, clock.Real{})
}

type genFlags struct {
	customers int
	seed      uint64
	out       string
	end       string
	days      int
	truth     string
}

func parseGenerateFlags(args []string, stderr io.Writer) (genFlags, *flag.FlagSet, error) {
	var f genFlags
	fs := flag.NewFlagSet("cairn demo generate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.IntVar(&f.customers, "customers", DefaultCustomers, "number of people to simulate")
	fs.Uint64Var(&f.seed, "seed", 1, "random seed (identical flags give identical bytes)")
	fs.StringVar(&f.out, "out", "", "output file (required); - for stdout; a .gz suffix compresses")
	fs.StringVar(&f.end, "end", "", "last instant of the data: RFC 3339 or YYYY-MM-DD (default: today 00:00 UTC)")
	fs.IntVar(&f.days, "days", DefaultDays, "length of the history in days")
	fs.StringVar(&f.truth, "truth", "", "also write the planted truths as JSON to this file")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: cairn demo generate --out FILE [--customers N] [--seed S] [--end DATE] [--days D] [--truth FILE]")
		fs.PrintDefaults()
	}
	err := fs.Parse(args)
	return f, fs, err
}

func runGenerate(ctx context.Context, args []string, stdout, stderr io.Writer, clk clock.Clock) int {
	f, fs, err := parseGenerateFlags(args, stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "demo generate: unexpected argument %q; all options are flags (see --help)\n", fs.Arg(0))
		return 2
	}
	if f.out == "" {
		fmt.Fprintln(stderr, "demo generate: --out is required (a file path, or - for stdout)")
		return 2
	}
	now := clk.Now()
	end := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	if f.end != "" {
		if end, err = ParseEnd(f.end); err != nil {
			fmt.Fprintf(stderr, "demo generate: --end: %v\n", err)
			return 2
		}
	}
	cfg := Config{Customers: f.customers, Seed: f.seed, End: end, Days: f.days}
	if _, err := cfg.normalized(); err != nil || f.customers <= 0 || f.days <= 0 {
		if err == nil {
			err = fmt.Errorf("%w: --customers and --days must be positive", ErrInvalidConfig)
		}
		fmt.Fprintf(stderr, "demo generate: %v\n", err)
		return 2
	}
	started := clk.Now()
	st, written, err := writeDataSet(ctx, cfg, f.out, stdout)
	if err != nil {
		fmt.Fprintf(stderr, "demo generate: %v\n", err)
		return 1
	}
	if f.truth != "" {
		if err := writeTruth(cfg, f.truth); err != nil {
			fmt.Fprintf(stderr, "demo generate: %v\n", err)
			return 1
		}
	}
	secs := clk.Now().Sub(started).Seconds()
	rate := 0.0
	if secs > 0 {
		rate = float64(st.Events) / secs
	}
	fmt.Fprintf(stderr, "demo: %d events, %d customers, %d bytes (%d written) in %.1fs (%.0f events/s) to %s\n",
		st.Events, st.Customers, st.Bytes, written, secs, rate, f.out)
	return 0
}

// ParseEnd reads an --end value: RFC 3339, or a date (YYYY-MM-DD) meaning
// 00:00 UTC of that day.
func ParseEnd(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC(), nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("%q is not a date; use YYYY-MM-DD or RFC 3339 (2024-06-30T00:00:00Z)", s)
}

// writeDataSet generates into path ("-" = out), gzip-compressing in a second
// goroutine when path ends in .gz. It returns the stats and the bytes written
// to the destination.
func writeDataSet(ctx context.Context, cfg Config, path string, out io.Writer) (Stats, int64, error) {
	if path == "-" {
		cw := &countWriter{w: out}
		st, err := Generate(ctx, cfg, cw)
		return st, cw.n, err
	}
	file, err := os.Create(path)
	if err != nil {
		return Stats{}, 0, fmt.Errorf("create %s: %w", path, err)
	}
	cw := &countWriter{w: file}
	var st Stats
	if strings.HasSuffix(path, ".gz") {
		st, err = generateGzip(ctx, cfg, cw)
	} else {
		st, err = Generate(ctx, cfg, cw)
	}
	if cerr := file.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("close %s: %w", path, cerr)
	}
	if err != nil {
		return st, cw.n, fmt.Errorf("write %s: %w", path, err)
	}
	return st, cw.n, nil
}

// generateGzip runs Generate into a pipe whose other end a second goroutine
// compresses, so generation and compression use both cores.
func generateGzip(ctx context.Context, cfg Config, dst io.Writer) (Stats, error) {
	pr, pw := io.Pipe()
	var (
		wg   sync.WaitGroup
		zerr error
	)
	wg.Go(func() {
		zw, _ := gzip.NewWriterLevel(dst, gzip.BestSpeed) // a valid level never errs
		_, err := io.Copy(zw, pr)
		if err == nil {
			err = zw.Close()
		}
		if err != nil {
			zerr = fmt.Errorf("compress: %w", err)
		}
		pr.CloseWithError(err)
	})
	st, err := Generate(ctx, cfg, pw)
	pw.CloseWithError(err)
	wg.Wait()
	if err == nil {
		err = zerr
	}
	return st, err
}

func writeTruth(cfg Config, path string) error {
	b, err := json.MarshalIndent(Truths(cfg), "", "  ")
	if err != nil {
		return fmt.Errorf("encode truths: %w", err)
	}
	if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("write truths %s: %w", path, err)
	}
	return nil
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

var _ io.Writer = (*countWriter)(nil)
