package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/pprof"
	"runtime/trace"
	"sort"
	"syscall"
)

// command is one subcommand. run returns the process exit code.
type command struct {
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) int
}

func commands() map[string]command {
	return map[string]command{
		"serve":    {"run the server (collection API, processor, management API)", runServe},
		"sources":  {"manage sources and write keys: create, list, get, add-key, revoke-key", runSources},
		"profiles": {"read unified profiles: get REF, events REF, find trait.PATH=VALUE", runProfiles},
		"segments": {"manage segment definitions: create, update, list, get, versions, delete, preview", runSegments},
		"traits":   {"computed traits: list, set -f DEF.json, delete NAME", runTraits},
		"stages":   {"lifecycle stages: get, report, set -f MODEL.json", runStages},
		"import":   {"bulk-import a CSV or JSONL file through a running server", runImport},
		"demo":     {"Northern Trail Outfitters demo data: generate, load", runDemo},
		"bench":    {"load tools: bench ingest | e2e | profiles", runBench},
		"rebuild":  {"rebuild all derived state from the event log (offline)", runRebuild},
		"version":  {"print the version", runVersion},

		// Journeys and messaging configuration.
		"journeys":            {"journeys: create, update, list, get, validate, publish, pause, resume, stop, status, instances, enter", runJourneys},
		"templates":           {"message templates: create, update, list, get, delete, preview", runConfig(templatesNoun)},
		"channels":            {"delivery channels: create, update, list, get, delete", runConfig(channelsNoun)},
		"subscription-groups": {"subscription groups: create, update, list, get, delete", runConfig(groupsNoun)},
		"frequency-rules":     {"frequency caps: create, update, list, get, delete", runConfig(rulesNoun)},
		"messages":            {"send a message outside journeys, list a profile's messages: send, list", runMessages},

		// Measurement models on files.
		"analytics": {"funnels, paths, retention, lift, attribution, CLV, experiments, reports (server or files)", runAnalytics},
	}
}

// Version is set at build time with -ldflags "-X ...cli.Version=v1.2.3".
var Version = "dev"

// Main runs the CLI and exits.
func Main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	if path := os.Getenv("CAIRN_CPUPROFILE"); path != "" {
		if f, err := os.Create(path); err == nil {
			_ = pprof.StartCPUProfile(f)
			defer f.Close()
		}
	}
	if path := os.Getenv("CAIRN_TRACE"); path != "" { // a Go execution trace of the whole run
		if f, err := os.Create(path); err == nil {
			_ = trace.Start(f)
			defer f.Close()
		}
	}
	code := Run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	trace.Stop()
	pprof.StopCPUProfile()
	if path := os.Getenv("CAIRN_MEMPROFILE"); path != "" { // the heap at exit, with allocations since start
		if f, err := os.Create(path); err == nil {
			_ = pprof.Lookup("heap").WriteTo(f, 0)
			f.Close()
		}
	}
	stop()
	os.Exit(code)
}

// Run dispatches args to a subcommand and returns the exit code.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cmds := commands()
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stderr, cmds)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	c, ok := cmds[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "cairn: unknown command %q\n\n", args[0])
		usage(stderr, cmds)
		return 2
	}
	return c.run(ctx, args[1:], stdout, stderr)
}

func usage(w io.Writer, cmds map[string]command) {
	fmt.Fprintln(w, "Cairn — customer data platform and journey orchestration in one binary.")
	fmt.Fprintln(w, "\nUsage: cairn <command> [flags]\n\nCommands:")
	names := make([]string, 0, len(cmds))
	width := 0
	for n := range cmds {
		names = append(names, n)
		width = max(width, len(n))
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-*s %s\n", width, n, cmds[n].summary)
	}
	fmt.Fprintln(w, "\nRun 'cairn <command> -h' for a command's flags.")
}

func runVersion(_ context.Context, _ []string, stdout, _ io.Writer) int {
	fmt.Fprintln(stdout, "cairn", Version)
	return 0
}
