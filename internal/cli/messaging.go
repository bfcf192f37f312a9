package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"sort"
	"strings"
	"text/tabwriter"
	"time"
)

// configNoun is a collection of messaging configuration objects under
// /v1/<path>: the same five verbs for each.
type configNoun struct {
	name    string   // the CLI noun and the URL path segment: templates
	list    string   // key of the list answer
	noun    string   // singular, for messages
	columns []string // body fields shown by list after the id
	example string   // a minimal definition, for usage
}

var (
	templatesNoun = configNoun{name: "templates", list: "templates", noun: "template",
		columns: []string{"name", "channel"},
		example: `{"id":"welcome","name":"Welcome","channel":"email","subject":"Hi {{ profile.first_name }}","html":"<p>Welcome</p>"}`}
	channelsNoun = configNoun{name: "channels", list: "channels", noun: "channel",
		columns: []string{"type", "provider"},
		example: `{"id":"email","type":"email","provider":"capture"}`}
	groupsNoun = configNoun{name: "subscription-groups", list: "subscription_groups", noun: "subscription group",
		columns: []string{"name", "channel", "type"},
		example: `{"id":"newsletter","name":"Newsletter","channel":"email","type":"opt_out"}`}
	rulesNoun = configNoun{name: "frequency-rules", list: "frequency_rules", noun: "frequency rule",
		columns: []string{"channel", "limit", "per", "unit"},
		example: `{"id":"email-2-per-day","channel":"email","limit":2,"per":1,"unit":"day"}`}
)

func (n configNoun) usage() string {
	s := fmt.Sprintf(`usage: cairn %[1]s VERB [flags]
  create -f FILE          save a new %[2]s
  update [ID] -f FILE     replace a %[2]s (ID defaults to the file's id)
  list                    list %[1]s
  get ID                  print a %[2]s (secrets redacted)
  delete ID               delete a %[2]s`, n.name, n.noun)
	if n.name == "templates" {
		s += "\n  preview ID [--profile REF] [--props JSON]  render a template for a profile; --props is read as entry.*"
	}
	return s + "\nFILE is one object in JSON (.json) or YAML (.yaml, .yml), e.g. " + n.example +
		"\nEvery verb takes -json (print the raw API response), --url and --data."
}

// configCmd is one run of a config verb.
type configCmd struct {
	n              configNoun
	c              *client
	id             string
	asJSON         bool
	file           string
	profile, props string
	stdout, stderr io.Writer
}

var configVerbs = map[string]struct {
	id  idArg
	run func(k *configCmd, ctx context.Context) int
}{
	"create":  {noID, func(k *configCmd, ctx context.Context) int { return k.save(ctx, false) }},
	"update":  {optionalID, func(k *configCmd, ctx context.Context) int { return k.save(ctx, true) }},
	"list":    {noID, (*configCmd).list},
	"get":     {needID, (*configCmd).get},
	"delete":  {needID, (*configCmd).remove},
	"preview": {needID, (*configCmd).preview},
}

// runConfig returns the command of a config noun.
func runConfig(n configNoun) func(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return func(ctx context.Context, args []string, stdout, stderr io.Writer) int {
		if len(args) == 0 || isHelp(args[0]) {
			fmt.Fprintln(stderr, n.usage())
			return helpCode(args)
		}
		verb, args := args[0], args[1:]
		v, ok := configVerbs[verb]
		if !ok || verb == "preview" && n.name != "templates" {
			fmt.Fprintf(stderr, "cairn %s: unknown verb %q\n%s\n", n.name, verb, n.usage())
			return 2
		}
		fs := flag.NewFlagSet(n.name+" "+verb, flag.ContinueOnError)
		fs.SetOutput(stderr)
		newClient := clientFlags(fs)
		k := &configCmd{n: n, stdout: stdout, stderr: stderr}
		fs.BoolVar(&k.asJSON, "json", false, "print the raw API response")
		fs.StringVar(&k.file, "f", "", "definition file: .json, .yaml or .yml (create, update)")
		if n.name == "templates" {
			fs.StringVar(&k.profile, "profile", "", "render for this profile: type:value or a profile id (preview)")
			fs.StringVar(&k.props, "props", "", `template data as a JSON object, read as entry.*, e.g. {"code":"TRAIL10"} (preview)`)
		}
		pos, err := parseArgs(fs, args)
		if err != nil {
			return 2
		}
		if err := checkDataFlag(fs); err != nil {
			return fail(stderr, err)
		}
		if code, ok := takeID(pos, v.id, "cairn "+n.name+" "+verb, &k.id, stderr); !ok {
			return code
		}
		k.c = newClient()
		return v.run(k, ctx)
	}
}

func (k *configCmd) path(id string) string {
	if id == "" {
		return "/v1/" + k.n.name
	}
	return "/v1/" + k.n.name + "/" + url.PathEscape(id)
}

// configView is a config object as the API returns it.
type configView struct {
	ID        string          `json:"id"`
	Body      json.RawMessage `json:"body"`
	UpdatedAt *time.Time      `json:"updated_at"`
}

// save is create and update from -f FILE (YAML is converted to JSON here:
// the API takes JSON objects).
func (k *configCmd) save(ctx context.Context, update bool) int {
	if k.file == "" {
		fmt.Fprintf(k.stderr, "cairn: give the %s with -f FILE (a .json, .yaml or .yml file), e.g. %s\n", k.n.noun, k.n.example)
		fmt.Fprintf(k.stderr, "usage: cairn %[1]s create -f FILE | cairn %[1]s update [ID] -f FILE\n", k.n.name)
		return 2
	}
	doc, err := readDocFile(k.file)
	if err != nil {
		return fail(k.stderr, err)
	}
	verb, method, path := "create", "POST", k.path("")
	if update {
		verb, method = "update", "PUT"
		if k.id == "" {
			if k.id = doc.id(); k.id == "" {
				return fail(k.stderr, fmt.Errorf("%s has no \"id\"; give the %s: cairn %s update ID -f %s", doc.name, k.n.noun, k.n.name, doc.name))
			}
		}
		path = k.path(k.id)
	}
	var out configView
	raw, err := k.c.do(ctx, method, path, doc.json, &out)
	if err != nil {
		return fail(k.stderr, fmt.Errorf("%s %s from %s: %w", verb, k.n.noun, doc.name, err))
	}
	if k.asJSON {
		printJSON(k.stdout, raw)
		return 0
	}
	fmt.Fprintln(k.stdout, out.ID)
	fmt.Fprintf(k.stderr, "saved %s %s\n", k.n.noun, out.ID)
	return 0
}

func (k *configCmd) list(ctx context.Context) int {
	var out map[string][]configView
	raw, err := k.c.do(ctx, "GET", k.path(""), nil, &out)
	if err != nil {
		return fail(k.stderr, err)
	}
	if k.asJSON {
		printJSON(k.stdout, raw)
		return 0
	}
	tw := tabwriter.NewWriter(k.stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "ID\t%s\tUPDATED\n", strings.ToUpper(strings.Join(k.n.columns, "\t")))
	for _, o := range out[k.n.list] {
		var body map[string]any
		_ = json.Unmarshal(o.Body, &body) // a body that is not an object shows empty columns
		cells := []string{o.ID}
		for _, c := range k.n.columns {
			cells = append(cells, cellText(fieldFold(body, c)))
		}
		updated := "-"
		if o.UpdatedAt != nil {
			updated = o.UpdatedAt.Format(time.RFC3339)
		}
		fmt.Fprintln(tw, strings.Join(append(cells, updated), "\t"))
	}
	tw.Flush()
	return 0
}

// fieldFold is body[name], matched case-insensitively like encoding/json
// does (some kinds are stored with Go field names: "Channel").
func fieldFold(body map[string]any, name string) any {
	if v, ok := body[name]; ok {
		return v
	}
	for k, v := range body {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return nil
}

// cellText renders a JSON value for a table cell.
func cellText(v any) string {
	switch v := v.(type) {
	case nil:
		return "-"
	case string:
		if v == "" {
			return "-"
		}
		return v
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

func (k *configCmd) get(ctx context.Context) int {
	raw, err := k.c.do(ctx, "GET", k.path(k.id), nil, nil)
	if err != nil {
		return fail(k.stderr, err)
	}
	printJSON(k.stdout, raw)
	return 0
}

func (k *configCmd) remove(ctx context.Context) int {
	// The answer is 204 No Content: -json has nothing to print.
	if _, err := k.c.do(ctx, "DELETE", k.path(k.id), nil, nil); err != nil {
		return fail(k.stderr, fmt.Errorf("delete %s %s: %w", k.n.noun, k.id, err))
	}
	fmt.Fprintf(k.stderr, "deleted %s %s\n", k.n.noun, k.id)
	return 0
}

// preview renders a saved template and prints its parts.
func (k *configCmd) preview(ctx context.Context) int {
	data, err := jsonObjectFlag("props", k.props)
	if err != nil {
		return fail(k.stderr, err)
	}
	body := map[string]any{}
	if k.profile != "" {
		body["profile"] = k.profile
	}
	if data != nil {
		body["data"] = data
	}
	var out struct {
		ProfileID string `json:"profile_id"`
		Preview   struct {
			Subject string            `json:"subject"`
			Title   string            `json:"title"`
			Text    string            `json:"text"`
			Body    string            `json:"body"`
			HTML    string            `json:"html"`
			Data    map[string]string `json:"data"`
			Headers map[string]string `json:"headers"`
		} `json:"preview"`
	}
	raw, err := k.c.do(ctx, "POST", k.path(k.id)+"/preview", body, &out)
	if err != nil {
		return fail(k.stderr, fmt.Errorf("preview template %s: %w", k.id, err))
	}
	if k.asJSON {
		printJSON(k.stdout, raw)
		return 0
	}
	p := &out.Preview
	for _, part := range []struct{ name, text string }{
		{"subject", p.Subject}, {"title", p.Title}, {"text", p.Text}, {"body", p.Body}, {"html", p.HTML},
	} {
		if part.text != "" {
			fmt.Fprintf(k.stdout, "== %s ==\n%s\n", part.name, part.text)
		}
	}
	printStringMap(k.stdout, "data", p.Data)
	printStringMap(k.stdout, "headers", p.Headers)
	if out.ProfileID == "" {
		fmt.Fprintln(k.stderr, "rendered without a profile; add --profile REF to fill profile.* variables")
	}
	return 0
}

// checkDataFlag catches template data given to --data, which names the
// data folder that holds admin.token.
func checkDataFlag(fs *flag.FlagSet) error {
	if f := fs.Lookup("data"); f != nil && strings.HasPrefix(strings.TrimSpace(f.Value.String()), "{") {
		return errors.New("--data names the data folder (where admin.token is); give template data or entry properties with --props JSON")
	}
	return nil
}

// printStringMap prints a rendered map part as "key: value" lines in key order.
func printStringMap(w io.Writer, name string, m map[string]string) {
	if len(m) == 0 {
		return
	}
	keys := make([]string, 0, len(m))
	for key := range m {
		keys = append(keys, key)
	}
	sort.Strings(keys)
	fmt.Fprintf(w, "== %s ==\n", name)
	for _, key := range keys {
		fmt.Fprintf(w, "%s: %s\n", key, m[key])
	}
}
