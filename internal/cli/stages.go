package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"
)

// runStages reads and sets the lifecycle stage model.
func runStages(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "usage: cairn stages get | report | set -f MODEL.json")
		return 2
	}
	verb, args := args[0], args[1:]
	fs := flag.NewFlagSet("stages "+verb, flag.ContinueOnError)
	fs.SetOutput(stderr)
	newClient := clientFlags(fs)
	asJSON := fs.Bool("json", false, "print the raw API response")
	file := fs.String("f", "", `stage model JSON for set: {"stages":[{"name":"retention","segment_id":"seg_…"},…],"default":"awareness"}`)
	if _, err := parseArgs(fs, args); err != nil {
		return 2
	}
	c := newClient()
	switch verb {
	case "get":
		raw, err := c.do(ctx, "GET", "/v1/stages", nil, nil)
		if err != nil {
			return fail(stderr, err)
		}
		printJSON(stdout, raw)
		return 0
	case "report":
		var out struct {
			ModelVersion int `json:"model_version"`
			Stages       []struct {
				Stage    string `json:"stage"`
				Profiles int64  `json:"profiles"`
			} `json:"stages"`
		}
		raw, err := c.do(ctx, "GET", "/v1/stages/report", nil, &out)
		if err != nil {
			return fail(stderr, err)
		}
		if *asJSON {
			printJSON(stdout, raw)
			return 0
		}
		tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintf(tw, "STAGE (model v%d)\tPROFILES\n", out.ModelVersion)
		for _, s := range out.Stages {
			fmt.Fprintf(tw, "%s\t%d\n", s.Stage, s.Profiles)
		}
		tw.Flush()
		return 0
	case "set":
		return sendJSONFile(ctx, c, "PUT", "/v1/stages", *file, "cairn stages set -f MODEL.json", stdout, stderr)
	}
	fmt.Fprintf(stderr, "cairn stages: unknown verb %q (get, report, set)\n", verb)
	return 2
}
