package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/url"
	"text/tabwriter"

	"github.com/cairn-cdp/cairn/internal/store"
)

func runSources(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "usage: cairn sources create|list|get|add-key|revoke-key [flags]")
		return 2
	}
	verb, args := args[0], args[1:]
	fs := flag.NewFlagSet("sources "+verb, flag.ContinueOnError)
	fs.SetOutput(stderr)
	newClient := clientFlags(fs)
	asJSON := fs.Bool("json", false, "print the raw API response")
	name := fs.String("name", "", "source name (create)")
	channel := fs.String("channel", "", "channel: web, app, store, call_center, email, ads, direct_mail, social, partner, vendor, server (create)")
	party := fs.String("party", "first", "party: first, second, third (create)")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return 2
	}
	c := newClient()
	switch verb {
	case "create":
		var src store.Source
		raw, err := c.do(ctx, "POST", "/v1/sources", map[string]string{"name": *name, "channel": *channel, "party": *party}, &src)
		if err != nil {
			return fail(stderr, err)
		}
		if *asJSON {
			printJSON(stdout, raw)
			return 0
		}
		fmt.Fprintln(stdout, src.Keys[0].Key)
		fmt.Fprintf(stderr, "created source %s (%s, %s party); the line above is its write key\n", src.Name, src.Channel, src.Party)
		return 0
	case "list":
		var out struct{ Sources []store.Source }
		raw, err := c.do(ctx, "GET", "/v1/sources", nil, &out)
		if err != nil {
			return fail(stderr, err)
		}
		if *asJSON {
			printJSON(stdout, raw)
			return 0
		}
		tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tNAME\tCHANNEL\tPARTY\tACTIVE KEYS")
		for _, s := range out.Sources {
			n := 0
			for _, k := range s.Keys {
				if k.RevokedAt == nil {
					n++
				}
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\n", s.ID, s.Name, s.Channel, s.Party, n)
		}
		tw.Flush()
		return 0
	case "get", "add-key", "revoke-key":
		if len(pos) < 1 {
			fmt.Fprintf(stderr, "usage: cairn sources %s SOURCE_ID%s\n", verb, map[bool]string{true: " KEY"}[verb == "revoke-key"])
			return 2
		}
		id := url.PathEscape(pos[0])
		method, path := "GET", "/v1/sources/"+id
		switch verb {
		case "add-key":
			method, path = "POST", path+"/keys"
		case "revoke-key":
			if len(pos) < 2 {
				fmt.Fprintln(stderr, "usage: cairn sources revoke-key SOURCE_ID KEY")
				return 2
			}
			method, path = "DELETE", path+"/keys/"+url.PathEscape(pos[1])
		}
		raw, err := c.do(ctx, method, path, nil, nil)
		if err != nil {
			return fail(stderr, err)
		}
		if len(raw) > 0 {
			printJSON(stdout, raw)
		} else {
			fmt.Fprintln(stderr, "revoked")
		}
		return 0
	}
	fmt.Fprintf(stderr, "cairn sources: unknown verb %q (create, list, get, add-key, revoke-key)\n", verb)
	return 2
}
