package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/url"
	"strings"
	"text/tabwriter"
	"time"
)

const messagesUsage = `usage: cairn messages VERB [flags]
  send --template ID --profile REF [--props JSON] [--transactional] [--key KEY]
                          queue one message outside journeys; prints its key
  list --profile REF [--limit N]
                          a profile's messages (journey and API sends), newest first
--props is template data as a JSON object, read as entry.* (like a journey's entry properties).
REF is type:value (email:pia@nto.example) or a profile id.
Every verb takes -json (print the raw API response), --url and --data.`

// sendView is the part of a send (store.Send) the CLI shows.
type sendView struct {
	Key        string    `json:"key"`
	JourneyID  string    `json:"journey_id"`
	NodeID     string    `json:"node_id"`
	ProfileID  string    `json:"profile_id"`
	Channel    string    `json:"channel"`
	TemplateID string    `json:"template_id"`
	Status     string    `json:"status"`
	Reason     string    `json:"reason"`
	CreatedAt  time.Time `json:"created_at"`
}

func runMessages(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || isHelp(args[0]) {
		fmt.Fprintln(stderr, messagesUsage)
		return helpCode(args)
	}
	verb, args := args[0], args[1:]
	if verb != "send" && verb != "list" {
		fmt.Fprintf(stderr, "cairn messages: unknown verb %q\n%s\n", verb, messagesUsage)
		return 2
	}
	fs := flag.NewFlagSet("messages "+verb, flag.ContinueOnError)
	fs.SetOutput(stderr)
	newClient := clientFlags(fs)
	asJSON := fs.Bool("json", false, "print the raw API response")
	tpl := fs.String("template", "", "the id of a saved template (send)")
	profile := fs.String("profile", "", "the recipient: type:value or a profile id")
	props := fs.String("props", "", `template data as a JSON object, read as entry.*, e.g. {"code":"TRAIL10"} (send)`)
	transactional := fs.Bool("transactional", false, "a transactional message: not held by the control group, channel opt-outs, quiet hours or frequency caps (send)")
	key := fs.String("key", "", "idempotency key: a repeated send with the same key and profile is queued once (send)")
	limit := fs.Int("limit", 50, "messages to list, at most 500 (list)")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return 2
	}
	if err := checkDataFlag(fs); err != nil {
		return fail(stderr, err)
	}
	if code, ok := takeID(pos, noID, "cairn messages "+verb, new(string), stderr); !ok {
		return code
	}
	if strings.TrimSpace(*profile) == "" || verb == "send" && strings.TrimSpace(*tpl) == "" {
		fmt.Fprintf(stderr, "cairn: messages %s needs --profile REF%s\n%s\n", verb, map[bool]string{true: " and --template ID"}[verb == "send"], messagesUsage)
		return 2
	}
	c := newClient()
	if verb == "list" {
		return listMessages(ctx, c, *profile, *limit, *asJSON, stdout, stderr)
	}
	body := map[string]any{"template": *tpl, "profile": *profile, "transactional": *transactional}
	d, err := jsonObjectFlag("props", *props)
	if err != nil {
		return fail(stderr, err)
	}
	if d != nil {
		body["data"] = d
	}
	if *key != "" {
		body["idempotency_key"] = *key
	}
	var out sendView
	raw, err := c.do(ctx, "POST", "/v1/messages", body, &out)
	if err != nil {
		return fail(stderr, fmt.Errorf("send template %s to %s: %w", *tpl, *profile, err))
	}
	if *asJSON {
		printJSON(stdout, raw)
		return 0
	}
	fmt.Fprintln(stdout, out.Key)
	fmt.Fprintf(stderr, "%s %s message to profile %s; the line above is its key (follow it with 'cairn messages list --profile %s')\n",
		out.Status, out.Channel, out.ProfileID, *profile)
	return 0
}

func listMessages(ctx context.Context, c *client, profile string, limit int, asJSON bool, stdout, stderr io.Writer) int {
	var out struct {
		Messages []sendView `json:"messages"`
	}
	raw, err := c.do(ctx, "GET", "/v1/profiles/"+url.PathEscape(profile)+"/messages?limit="+fmt.Sprint(limit), nil, &out)
	if err != nil {
		return fail(stderr, err)
	}
	if asJSON {
		printJSON(stdout, raw)
		return 0
	}
	tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "KEY\tCHANNEL\tTEMPLATE\tSTATUS\tREASON\tJOURNEY/NODE\tCREATED")
	for _, m := range out.Messages {
		from := "-"
		if m.JourneyID != "" {
			from = m.JourneyID + "/" + m.NodeID
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", m.Key, m.Channel, cellText(m.TemplateID), m.Status, cellText(m.Reason),
			from, m.CreatedAt.Format(time.RFC3339))
	}
	tw.Flush()
	return 0
}
