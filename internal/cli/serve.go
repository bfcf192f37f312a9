package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/cairn-cdp/cairn/internal/app"
)

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg app.Config
	cfg.RegisterFlags(fs)
	demo := fs.Bool("demo", false, "load the Northern Trail Outfitters demo data set first (skipped when already loaded)")
	customers := fs.Int("demo-customers", 10_000, "demo customers to generate with --demo")
	seed := fs.Uint64("demo-seed", 1, "seed of the demo data with --demo")
	level := fs.String("log-level", "info", "log level: debug, info, warn, error")
	// 896 MiB of Go heap keeps the whole process under 1 GiB of RSS with
	// SQLite's page caches and stacks on top (~100 MB): measured at 1M
	// profiles, where 1 GiB of heap meant 1.07 GiB of RSS (BENCHMARKS.md, Memory).
	memLimit := fs.String("memory-limit", "896MiB", "soft limit of the Go heap (e.g. 768MiB, 2GiB; off: none); GOMEMLIMIT, when set, wins")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	logger, err := newLogger(stderr, *level)
	if err != nil {
		return fail(stderr, err)
	}
	pinned := os.Getenv("GOMEMLIMIT") != ""
	fs.Visit(func(f *flag.Flag) { pinned = pinned || f.Name == "memory-limit" })
	base, err := applyMemoryLimit(*memLimit, logger)
	if err != nil {
		return fail(stderr, err)
	}
	if !pinned { // the default follows the live heap up (memlimit.go)
		go newMemLimiter(base, logger).run(ctx, 5*time.Second)
	}
	a, err := app.Open(ctx, cfg, logger)
	if err != nil {
		return fail(stderr, err)
	}
	defer a.Close()
	if a.TokenCreated {
		fmt.Fprintf(stderr, "admin token (shown once; stored in %s): %s\n", filepath.Join(cfg.DataDir, "admin.token"), a.AdminToken)
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fail(stderr, fmt.Errorf("listen on %s: %w (is another server running? pick another --addr)", cfg.Addr, err))
	}
	logger.Info("listening", slog.String("url", "http://"+ln.Addr().String()), slog.String("data", cfg.DataDir), slog.String("clock", cfg.ClockMode))
	done := make(chan error, 1)
	if *demo {
		a.ExpectDemo()
	}
	go func() { done <- a.Run(ctx, ln) }()
	if *demo {
		if err := a.LoadDemo(ctx, app.DemoOptions{Customers: *customers, Seed: *seed}); err != nil {
			logger.Error("load demo data", slog.Any("error", err))
		}
	}
	if err := <-done; err != nil {
		return fail(stderr, err)
	}
	logger.Info("stopped")
	return 0
}

func newLogger(w io.Writer, level string) (*slog.Logger, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("--log-level %q: use debug, info, warn or error", level)
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: l})), nil
}

// applyMemoryLimit sets the runtime's soft memory limit unless GOMEMLIMIT
// is set: the processor's caches and a burst of decoded events would
// otherwise let the heap grow to twice what is live before a collection.
// It returns the limit set (0 when none).
func applyMemoryLimit(v string, logger *slog.Logger) (int64, error) {
	if os.Getenv("GOMEMLIMIT") != "" || v == "off" {
		return 0, nil
	}
	n, err := parseBytes(v)
	if err != nil {
		return 0, fmt.Errorf("--memory-limit %q: %w; write a size such as 768MiB or 2GiB, or off", v, err)
	}
	debug.SetMemoryLimit(n)
	logger.Info("soft memory limit set; the GC works harder as the heap nears it (the default rises with the live heap; --memory-limit or GOMEMLIMIT pins it)",
		slog.String("limit", v))
	return n, nil
}

// parseBytes reads a size: a whole number with an optional B, KiB, MiB or
// GiB suffix.
func parseBytes(v string) (int64, error) {
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}, {"B", 1}} {
		if num, ok := strings.CutSuffix(v, u.suffix); ok {
			v, mult = num, u.mult
			break
		}
	}
	n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	if err != nil || n <= 0 {
		return 0, errors.New("not a positive size")
	}
	if n > math.MaxInt64/mult {
		return 0, errors.New("too large")
	}
	return n * mult, nil
}
