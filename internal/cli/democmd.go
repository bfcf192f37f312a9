package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/cairn-cdp/cairn/internal/app"
	"github.com/cairn-cdp/cairn/internal/demo"
)

func runDemo(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "usage: cairn demo generate --customers N --seed S --out FILE.jsonl | cairn demo load --data DIR [--customers N] [--seed S] [--end DATE]")
		return 2
	}
	switch args[0] {
	case "generate":
		return demo.RunGenerate(args[1:], stdout, stderr)
	case "load":
		return runDemoLoad(ctx, args[1:], stdout, stderr)
	}
	fmt.Fprintf(stderr, "cairn demo: unknown verb %q (generate, load)\n", args[0])
	return 2
}

// runDemoLoad writes a demo data set straight into a data folder (offline),
// then processes it: the fast path for building large benchmark stores.
func runDemoLoad(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("demo load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg app.Config
	cfg.RegisterFlags(fs)
	customers := fs.Int("customers", 10_000, "customers to generate")
	seed := fs.Uint64("seed", 1, "generator seed")
	skipProcess := fs.Bool("no-process", false, "only append to the log; the server processes on its next start")
	endFlag := fs.String("end", "", "last instant of the data: RFC 3339 or YYYY-MM-DD (default: today 00:00 UTC)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	var end time.Time
	if *endFlag != "" {
		var err error
		if end, err = demo.ParseEnd(*endFlag); err != nil {
			fmt.Fprintln(stderr, "cairn demo load:", err)
			return 2
		}
	}
	logger, _ := newLogger(stderr, "warn")
	start := time.Now()
	a, err := app.Open(ctx, cfg, logger)
	if err != nil {
		return fail(stderr, err)
	}
	defer a.Close()
	n, err := a.AppendDemo(ctx, app.DemoOptions{Customers: *customers, Seed: *seed, End: end})
	if err != nil {
		return fail(stderr, err)
	}
	fmt.Fprintf(stdout, "appended %d events in %s\n", n, time.Since(start).Round(time.Millisecond))
	if *skipProcess {
		return 0
	}
	// The demo's segments and stage model were created before their events
	// are processed: load them so processing evaluates them live.
	if err := a.Processor.LoadDefinitions(ctx); err != nil {
		return fail(stderr, err)
	}
	if err := a.Processor.CatchUp(ctx); err != nil {
		return fail(stderr, err)
	}
	fmt.Fprintf(stdout, "processed through seq %d in %s\n", a.Processor.Checkpoint(), time.Since(start).Round(time.Millisecond))
	return 0
}
