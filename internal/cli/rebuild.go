package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/cairn-cdp/cairn/internal/app"
)

// runRebuild resets derived state and replays the whole log. Offline: it
// refuses while a server holds the data folder.
func runRebuild(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("rebuild", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg app.Config
	cfg.RegisterFlags(fs)
	if err := fs.Parse(args); err != nil {
		return 2
	}
	logger, _ := newLogger(stderr, "warn")
	start := time.Now()
	a, err := app.Open(ctx, cfg, logger)
	if err != nil {
		return fail(stderr, err)
	}
	defer a.Close()
	n, err := a.Rebuild(ctx)
	if err != nil {
		return fail(stderr, err)
	}
	fmt.Fprintf(stdout, "rebuilt state from %d log entries in %s\n", n, time.Since(start).Round(time.Millisecond))
	return 0
}
