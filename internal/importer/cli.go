package importer

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/cairn-cdp/cairn/internal/clock"
)

// Exit codes of RunCLI.
const (
	ExitOK       = 0 // every row imported
	ExitError    = 1 // the import stopped: bad options, unreadable file, server error
	ExitUsage    = 2 // bad command line
	ExitRejected = 3 // finished, but some rows were rejected (see the rejects file)
)

// maxRejectMessages is how many rejected rows are described on stderr; the
// rest are only in the rejects file.
const maxRejectMessages = 20

const cliUsage = `usage: cairn import FILE --source NAME [flags]

Imports a CSV or JSON Lines file (optionally gzip-compressed) into a source.
Identify rows:  cairn import people.csv --source crm --id-column CustomerID --map Email=email,"First Name"=first_name,Zip=address.postal_code
Track rows:     cairn import orders.csv.gz --source pos --id-column Email --id-type email --event "Order Completed" --timestamp-column Date --map Total=revenue:float
Full events:    cairn import events.jsonl --source backfill

Flags:
`

// RunCLI runs `cairn import`; args are the arguments after "import". newSink
// is called once, after the file has been opened and its header checked, to
// connect to the source. It returns an exit code (ExitOK, ExitError,
// ExitUsage or ExitRejected).
func RunCLI(ctx context.Context, args []string, stdout, stderr io.Writer, newSink func(sourceName string) (Sink, error)) int {
	return runCLI(ctx, args, stdout, stderr, newSink, cliEnv{clock: clock.Real{}, tty: isTerminal(stderr)})
}

// cliEnv is what tests replace: the clock and whether stderr is a terminal.
type cliEnv struct {
	clock clock.Clock
	tty   bool
}

type cliOptions struct {
	spec        Spec
	file        string
	rejects     string
	batch       int
	concurrency int
	dryRun      bool
	json        bool
}

func parseCLI(args []string, stderr io.Writer) (cliOptions, int, bool) {
	var o cliOptions
	fs := flag.NewFlagSet("cairn import", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, cliUsage)
		fs.PrintDefaults()
	}
	o.spec.RegisterFlags(fs)
	fs.StringVar(&o.rejects, "rejects", "", "`FILE` for rejected rows as CSV (default FILE.rejects.csv)")
	fs.IntVar(&o.batch, "batch", DefaultBatchSize, "rows per request to the server")
	fs.IntVar(&o.concurrency, "concurrency", 1, "requests in flight at once (more than 1 may apply rows out of file order)")
	fs.BoolVar(&o.dryRun, "dry-run", false, "read and check the whole file, write the rejects file, send nothing")
	fs.BoolVar(&o.json, "json", false, "print the result as JSON on stdout")
	var files []string
	rest := args
	for { // flags may come before or after FILE
		if err := fs.Parse(rest); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return o, ExitOK, false
			}
			return o, ExitUsage, false
		}
		if fs.NArg() == 0 {
			break
		}
		files = append(files, fs.Arg(0))
		rest = fs.Args()[1:]
	}
	if len(files) != 1 {
		fmt.Fprintf(stderr, "cairn import: give exactly one FILE (got %d)\n", len(files))
		fs.Usage()
		return o, ExitUsage, false
	}
	o.file = files[0]
	if o.spec.SourceName == "" {
		fmt.Fprintln(stderr, "cairn import: --source NAME is required: the source to import into (cairn sources create makes one)")
		return o, ExitUsage, false
	}
	if o.batch <= 0 || o.concurrency <= 0 {
		fmt.Fprintln(stderr, "cairn import: --batch and --concurrency must be positive")
		return o, ExitUsage, false
	}
	if o.rejects == "" {
		o.rejects = o.file + ".rejects.csv"
	}
	if format, delim := FormatFromName(o.file); o.spec.Format == "" {
		o.spec.Format = format
		if o.spec.Delimiter == 0 {
			o.spec.Delimiter = delim
		}
	}
	return o, ExitOK, true
}

func runCLI(ctx context.Context, args []string, stdout, stderr io.Writer, newSink func(string) (Sink, error), env cliEnv) int {
	o, code, ok := parseCLI(args, stderr)
	if !ok {
		return code
	}
	fail := func(err error) int {
		fmt.Fprintf(stderr, "cairn import: %v\n", err)
		return ExitError
	}
	if filepath.Clean(o.rejects) == filepath.Clean(o.file) {
		return fail(fmt.Errorf("--rejects %s would overwrite the input file", o.rejects))
	}
	f, err := os.Open(o.file)
	if err != nil {
		return fail(err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return fail(err)
	}
	if fi.IsDir() {
		return fail(fmt.Errorf("%s is a directory; give a CSV or JSON Lines file", o.file))
	}
	r, err := NewReader(f, o.spec)
	if err != nil {
		return fail(fmt.Errorf("%s: %w", o.file, err))
	}

	var sink Sink = discardSink{}
	if !o.dryRun {
		if newSink == nil {
			return fail(errors.New("no server connection available; use --dry-run to check the file"))
		}
		if sink, err = newSink(o.spec.SourceName); err != nil {
			return fail(fmt.Errorf("connect to source %s: %w", o.spec.SourceName, err))
		}
	}

	rejects := &lazyFile{path: o.rejects}
	defer rejects.Close()
	bar := &progressBar{w: stderr, tty: env.tty, clk: env.clock}
	bar.start()
	described := 0 // OnReject runs on Run's goroutine, one call at a time
	res, runErr := Run(ctx, r, sink, RunOptions{
		BatchSize:   o.batch,
		Concurrency: o.concurrency,
		TotalBytes:  fi.Size(),
		Rejects:     rejects,
		Clock:       env.clock,
		Progress:    bar.update,
		OnReject: func(re *RowError) {
			described++
			switch {
			case described <= maxRejectMessages:
				bar.message(re.Error())
			case described == maxRejectMessages+1:
				bar.message(fmt.Sprintf("... more rejected rows are listed in %s", o.rejects))
			}
		},
	})
	if cerr := rejects.Close(); cerr != nil && runErr == nil {
		runErr = cerr
	}
	bar.message("")
	report(stdout, o, res, runErr)
	switch {
	case errors.Is(runErr, context.Canceled):
		fmt.Fprintf(stderr, "cairn import: interrupted after line %d; run the same command again to finish: rows already imported are deduplicated by their messageId\n", res.Lines)
		return ExitError
	case runErr != nil:
		fmt.Fprintf(stderr, "cairn import: %v\n", runErr)
		if res.Rows > 0 {
			fmt.Fprintln(stderr, "cairn import: run the same command again to finish: rows already imported are deduplicated by their messageId")
		}
		return ExitError
	case res.Rejected > 0:
		return ExitRejected
	}
	return ExitOK
}

func report(stdout io.Writer, o cliOptions, res Result, runErr error) {
	rate := 0.0
	if secs := res.Elapsed.Seconds(); secs > 0 {
		rate = float64(res.Rows) / secs
	}
	if o.json {
		out := map[string]any{
			"file": o.file, "source": o.spec.SourceName, "rows": res.Rows, "rejected": res.Rejected,
			"lines": res.Lines, "batches": res.Batches, "seconds": res.Elapsed.Seconds(),
			"rows_per_sec": rate, "dry_run": o.dryRun, "complete": runErr == nil,
		}
		if res.Rejected > 0 {
			out["rejects_file"] = o.rejects
		}
		if runErr != nil {
			out["error"] = runErr.Error()
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		_ = enc.Encode(out)
		return
	}
	verb := "imported"
	if o.dryRun {
		verb = "dry run: would import"
	}
	fmt.Fprintf(stdout, "%s %s rows from %s into source %s in %s (%s rows/s)\n",
		verb, commas(res.Rows), o.file, o.spec.SourceName, res.Elapsed.Round(time.Millisecond), commas(int64(rate)))
	if res.Rejected > 0 {
		fmt.Fprintf(stdout, "%s rows rejected: see %s (line, column, reason, row)\n", commas(res.Rejected), o.rejects)
	}
}

// discardSink accepts everything; it backs --dry-run.
type discardSink struct{}

func (discardSink) Send(context.Context, []json.RawMessage) error { return nil }

// lazyFile creates its file on the first write, so that an import without
// rejects leaves no empty rejects file behind.
type lazyFile struct {
	path string
	f    *os.File
}

func (l *lazyFile) Write(p []byte) (int, error) {
	if l.f == nil {
		f, err := os.Create(l.path)
		if err != nil {
			return 0, fmt.Errorf("create rejects file: %w", err)
		}
		l.f = f
	}
	return l.f.Write(p)
}

func (l *lazyFile) Close() error {
	if l.f == nil {
		return nil
	}
	err := l.f.Close()
	l.f = nil
	if err != nil {
		return fmt.Errorf("close rejects file: %w", err)
	}
	return nil
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

var (
	_ Sink      = discardSink{}
	_ io.Writer = (*lazyFile)(nil)
)
