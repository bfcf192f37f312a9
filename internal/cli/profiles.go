package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/url"
	"strings"
	"text/tabwriter"
	"time"
)

func runProfiles(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "usage: cairn profiles get REF | events REF | find trait.PATH=VALUE  (REF is type:value or a profile id)")
		return 2
	}
	verb, args := args[0], args[1:]
	fs := flag.NewFlagSet("profiles "+verb, flag.ContinueOnError)
	fs.SetOutput(stderr)
	newClient := clientFlags(fs)
	asJSON := fs.Bool("json", false, "print the raw API response")
	limit := fs.Int("limit", 50, "events or profiles to list")
	evName := fs.String("event", "", "only this event name (events)")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return 2
	}
	if len(pos) < 1 {
		fmt.Fprintf(stderr, "usage: cairn profiles %s REF\n", verb)
		return 2
	}
	c := newClient()
	arg := pos[0]
	switch verb {
	case "get":
		raw, err := c.do(ctx, "GET", "/v1/profiles/"+url.PathEscape(arg), nil, nil)
		if err != nil {
			return fail(stderr, err)
		}
		if *asJSON {
			printJSON(stdout, raw)
			return 0
		}
		printProfile(stdout, raw)
		return 0
	case "events":
		q := url.Values{"limit": {fmt.Sprint(*limit)}}
		if *evName != "" {
			q.Set("event", *evName)
		}
		var out struct {
			Events []struct {
				Seq       int64     `json:"seq"`
				Type      string    `json:"type"`
				Event     string    `json:"event"`
				Timestamp time.Time `json:"timestamp"`
				Channel   string    `json:"channel"`
			} `json:"events"`
		}
		raw, err := c.do(ctx, "GET", "/v1/profiles/"+url.PathEscape(arg)+"/events?"+q.Encode(), nil, &out)
		if err != nil {
			return fail(stderr, err)
		}
		if *asJSON {
			printJSON(stdout, raw)
			return 0
		}
		tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "TIME\tTYPE\tEVENT\tCHANNEL\tSEQ")
		for _, e := range out.Events {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\n", e.Timestamp.Format(time.RFC3339), e.Type, e.Event, e.Channel, e.Seq)
		}
		tw.Flush()
		return 0
	case "find":
		k, v, ok := strings.Cut(arg, "=")
		if !ok || !strings.HasPrefix(k, "trait.") {
			fmt.Fprintln(stderr, "usage: cairn profiles find trait.PATH=VALUE, e.g. trait.address.city=Denver")
			return 2
		}
		q := url.Values{k: {v}, "limit": {fmt.Sprint(*limit)}}
		raw, err := c.do(ctx, "GET", "/v1/profiles?"+q.Encode(), nil, nil)
		if err != nil {
			return fail(stderr, err)
		}
		printJSON(stdout, raw)
		return 0
	}
	fmt.Fprintf(stderr, "cairn profiles: unknown verb %q (get, events, find)\n", verb)
	return 2
}

func printProfile(w io.Writer, raw []byte) {
	var v struct {
		ID         string         `json:"id"`
		Traits     map[string]any `json:"traits"`
		Identities []struct {
			Type, Value string
		} `json:"identities"`
		Channels   []string  `json:"channels"`
		FirstSeen  time.Time `json:"first_seen"`
		LastSeen   time.Time `json:"last_seen"`
		EventCount int64     `json:"event_count"`
		MergedFrom []string  `json:"merged_from"`
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		printJSON(w, raw)
		return
	}
	fmt.Fprintf(w, "Profile %s\n  events %d, first seen %s, last seen %s\n  channels %s\n",
		v.ID, v.EventCount, v.FirstSeen.Format(time.RFC3339), v.LastSeen.Format(time.RFC3339), strings.Join(v.Channels, ", "))
	if len(v.MergedFrom) > 0 {
		fmt.Fprintf(w, "  merged from %s\n", strings.Join(v.MergedFrom, ", "))
	}
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "\n  IDENTITY\tVALUE")
	for _, i := range v.Identities {
		fmt.Fprintf(tw, "  %s\t%s\n", i.Type, i.Value)
	}
	tw.Flush()
	t, _ := json.MarshalIndent(v.Traits, "  ", "  ")
	fmt.Fprintf(w, "\n  traits %s\n", t)
}
