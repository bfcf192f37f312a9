package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/url"
)

// runTraits manages computed trait definitions.
func runTraits(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "usage: cairn traits list | set -f DEF.json | delete NAME")
		return 2
	}
	verb, args := args[0], args[1:]
	fs := flag.NewFlagSet("traits "+verb, flag.ContinueOnError)
	fs.SetOutput(stderr)
	newClient := clientFlags(fs)
	file := fs.String("f", "", `computed trait definition for set, e.g. {"name":"lifetime_revenue","kind":"sum","event":"Order Completed","property":"revenue"}`)
	pos, err := parseArgs(fs, args)
	if err != nil {
		return 2
	}
	c := newClient()
	switch verb {
	case "list":
		raw, err := c.do(ctx, "GET", "/v1/traits/computed", nil, nil)
		if err != nil {
			return fail(stderr, err)
		}
		printJSON(stdout, raw)
		return 0
	case "set":
		return sendJSONFile(ctx, c, "POST", "/v1/traits/computed", *file, "cairn traits set -f DEF.json", stdout, stderr)
	case "delete":
		if len(pos) != 1 {
			fmt.Fprintln(stderr, "usage: cairn traits delete NAME")
			return 2
		}
		if _, err := c.do(ctx, "DELETE", "/v1/traits/computed/"+url.PathEscape(pos[0]), nil, nil); err != nil {
			return fail(stderr, err)
		}
		fmt.Fprintf(stderr, "deleted computed trait %s\n", pos[0])
		return 0
	}
	fmt.Fprintf(stderr, "cairn traits: unknown verb %q (list, set, delete)\n", verb)
	return 2
}
