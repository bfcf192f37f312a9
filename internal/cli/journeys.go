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
)

const journeysUsage = `usage: cairn journeys VERB [flags]
  create -f FILE                        save a new journey as a draft
  update [ID] -f FILE                   replace the draft (ID defaults to the file's id)
  list                                  list journeys: status, live version, entered
  get ID                                print a journey: its draft and live definition
  validate ID                           check the draft as publishing would; exit 1 listing every problem
  publish ID                            make the draft the live version; print what changed
  pause ID                              take no new entries; instances hold where they are
  resume ID                             take entries again
  stop ID                               end the journey: no entries, every instance ejected
  status ID                             per-node counts (active, sent, skipped, failed), entries, exits, goals
  instances ID [--status active|exited] [--node N] [--limit N] [--cursor C]
                                        list instances
  enter ID --profile REF [--props JSON] enter one profile (REF is type:value or a profile id)
FILE is a definition in JSON (.json) or YAML (.yaml, .yml); see docs/journeys.md.
Every verb takes -json (print the raw API response), --url and --data.`

// journeyCmd is one run of a journeys verb.
type journeyCmd struct {
	c              *client
	id             string
	asJSON         bool
	file           string
	status, node   string
	cursor         string
	limit          int
	profile, props string
	stdout, stderr io.Writer
}

// journeyVerb is a verb: how many ids it takes and what it runs.
type journeyVerb struct {
	id  idArg
	run func(j *journeyCmd, ctx context.Context) int
}

// idArg says whether a verb takes an ID argument.
type idArg int

const (
	noID idArg = iota
	needID
	optionalID
)

var journeyVerbs = map[string]journeyVerb{
	"create":    {noID, func(j *journeyCmd, ctx context.Context) int { return j.save(ctx, false) }},
	"update":    {optionalID, func(j *journeyCmd, ctx context.Context) int { return j.save(ctx, true) }},
	"list":      {noID, (*journeyCmd).list},
	"get":       {needID, (*journeyCmd).get},
	"validate":  {needID, (*journeyCmd).validate},
	"publish":   {needID, (*journeyCmd).publish},
	"pause":     {needID, controlVerb("pause")},
	"resume":    {needID, controlVerb("resume")},
	"stop":      {needID, controlVerb("stop")},
	"status":    {needID, (*journeyCmd).stats},
	"instances": {needID, (*journeyCmd).instances},
	"enter":     {needID, (*journeyCmd).enter},
}

func runJourneys(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || isHelp(args[0]) {
		fmt.Fprintln(stderr, journeysUsage)
		return helpCode(args)
	}
	verb, args := args[0], args[1:]
	v, ok := journeyVerbs[verb]
	if !ok {
		fmt.Fprintf(stderr, "cairn journeys: unknown verb %q\n%s\n", verb, journeysUsage)
		return 2
	}
	fs := flag.NewFlagSet("journeys "+verb, flag.ContinueOnError)
	fs.SetOutput(stderr)
	newClient := clientFlags(fs)
	j := &journeyCmd{stdout: stdout, stderr: stderr}
	fs.BoolVar(&j.asJSON, "json", false, "print the raw API response")
	fs.StringVar(&j.file, "f", "", "definition file: .json, .yaml or .yml (create, update)")
	fs.StringVar(&j.status, "status", "", "only instances with this status: active or exited (instances)")
	fs.StringVar(&j.node, "node", "", "only instances at this node (instances)")
	fs.StringVar(&j.cursor, "cursor", "", "continue a listing where the previous page ended (instances)")
	fs.IntVar(&j.limit, "limit", 50, "instances per page, at most 1000 (instances)")
	fs.StringVar(&j.profile, "profile", "", "the profile to enter: type:value or a profile id (enter)")
	fs.StringVar(&j.props, "props", "", `entry properties as a JSON object, e.g. {"plan":"gold"} (enter)`)
	pos, err := parseArgs(fs, args)
	if err != nil {
		return 2
	}
	if err := checkDataFlag(fs); err != nil {
		return fail(stderr, err)
	}
	if code, ok := takeID(pos, v.id, "cairn journeys "+verb, &j.id, stderr); !ok {
		return code
	}
	j.c = newClient()
	return v.run(j, ctx)
}

// isHelp reports whether arg asks for help.
func isHelp(arg string) bool { return arg == "help" || arg == "-h" || arg == "--help" }

// helpCode is 0 when help was asked for, 2 when the verb is missing.
func helpCode(args []string) int {
	if len(args) == 0 {
		return 2
	}
	return 0
}

// takeID checks the positional arguments against what the verb takes and
// stores the id; on a mismatch it prints the usage and returns code 2.
func takeID(pos []string, want idArg, usage string, id *string, stderr io.Writer) (int, bool) {
	switch {
	case want == noID && len(pos) > 0:
		fmt.Fprintf(stderr, "cairn: unexpected argument %q\nusage: %s [flags]\n", pos[0], usage)
		return 2, false
	case want == needID && len(pos) == 0:
		fmt.Fprintf(stderr, "cairn: missing the ID\nusage: %s ID [flags]\n", usage)
		return 2, false
	case len(pos) > 1:
		fmt.Fprintf(stderr, "cairn: unexpected argument %q after the ID\nusage: %s ID [flags]\n", pos[1], usage)
		return 2, false
	case len(pos) == 1:
		*id = pos[0]
	}
	return 0, true
}

// path is the URL path of the journey plus suffix.
func (j *journeyCmd) path(suffix string) string {
	return "/v1/journeys/" + url.PathEscape(j.id) + suffix
}

// done prints raw when -json was given, else runs human.
func (j *journeyCmd) done(raw []byte, human func()) int {
	if j.asJSON {
		printJSON(j.stdout, raw)
		return 0
	}
	human()
	return 0
}

// save is create and update: the definition in -f FILE becomes the draft.
func (j *journeyCmd) save(ctx context.Context, update bool) int {
	if j.file == "" {
		fmt.Fprintln(j.stderr, "cairn: give the definition with -f FILE (a .json, .yaml or .yml file)")
		fmt.Fprintln(j.stderr, "usage: cairn journeys create -f FILE | cairn journeys update [ID] -f FILE")
		return 2
	}
	doc, err := readDocFile(j.file)
	if err != nil {
		return fail(j.stderr, err)
	}
	body := map[string]any{"definition": doc.json}
	if doc.yaml != "" {
		body = map[string]any{"yaml": doc.yaml}
	}
	verb, method, path := "create", "POST", "/v1/journeys"
	if update {
		verb, method = "update", "PUT"
		if j.id == "" {
			if j.id = doc.id(); j.id == "" {
				return fail(j.stderr, fmt.Errorf("%s has no \"id\"; give the journey: cairn journeys update ID -f %s", doc.name, doc.name))
			}
		}
		path = j.path("")
	}
	var out struct {
		ID                 string `json:"id"`
		Name               string `json:"name"`
		Status             string `json:"status"`
		LiveVersion        int    `json:"live_version"`
		UnpublishedChanges bool   `json:"unpublished_changes"`
	}
	raw, err := j.c.do(ctx, method, path, body, &out)
	if err != nil {
		return failAPI(j.stderr, raw, fmt.Errorf("%s journey from %s: %w", verb, doc.name, err))
	}
	return j.done(raw, func() {
		fmt.Fprintln(j.stdout, out.ID)
		if out.Name != "" {
			out.Name = fmt.Sprintf(" (%q)", out.Name)
		}
		if !out.UnpublishedChanges {
			fmt.Fprintf(j.stderr, "saved journey %s%s; the draft equals live version %d\n", out.ID, out.Name, out.LiveVersion)
			return
		}
		fmt.Fprintf(j.stderr, "saved the draft of journey %s%s (status %s); check it with 'cairn journeys validate %s', make it live with 'cairn journeys publish %s'\n",
			out.ID, out.Name, out.Status, out.ID, out.ID)
	})
}

// journeyRow is a journey as GET /v1/journeys lists it.
type journeyRow struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Status      string `json:"status"`
	LiveVersion int    `json:"live_version"`
}

// list prints the journeys with how many profiles entered each (one stats
// call per journey: the list endpoint does not count).
func (j *journeyCmd) list(ctx context.Context) int {
	var out struct {
		Journeys []journeyRow `json:"journeys"`
	}
	raw, err := j.c.do(ctx, "GET", "/v1/journeys", nil, &out)
	if err != nil {
		return fail(j.stderr, err)
	}
	if j.asJSON {
		printJSON(j.stdout, raw)
		return 0
	}
	tw := tabwriter.NewWriter(j.stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tSTATUS\tLIVE VERSION\tENTERED")
	for _, r := range out.Journeys {
		var st journeyStats
		if _, err := j.c.do(ctx, "GET", "/v1/journeys/"+url.PathEscape(r.ID)+"/stats", nil, &st); err != nil {
			return fail(j.stderr, fmt.Errorf("count entries of journey %s: %w", r.ID, err))
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\n", r.ID, r.Name, r.Status, versionText(r.LiveVersion), st.Entered)
	}
	tw.Flush()
	return 0
}

// versionText is a live version for tables: "-" before the first publish.
func versionText(v int) string {
	if v == 0 {
		return "-"
	}
	return fmt.Sprint(v)
}

func (j *journeyCmd) get(ctx context.Context) int {
	raw, err := j.c.do(ctx, "GET", j.path(""), nil, nil)
	if err != nil {
		return fail(j.stderr, err)
	}
	printJSON(j.stdout, raw)
	return 0
}

// validate runs the publish-time check on the saved draft. An invalid
// draft lists every problem on stdout and exits 1.
func (j *journeyCmd) validate(ctx context.Context) int {
	var out struct {
		Valid             bool `json:"valid"`
		ReferencesChecked bool `json:"references_checked"`
	}
	raw, err := j.c.do(ctx, "POST", j.path("/validate"), nil, &out)
	if err != nil {
		ps := problemsOf(raw)
		if len(ps) == 0 {
			return fail(j.stderr, err)
		}
		if j.asJSON {
			printJSON(j.stdout, raw)
		} else {
			fmt.Fprintf(j.stdout, "journey %s is invalid: %s\n", j.id, plural(len(ps), "problem"))
			printProblems(j.stdout, ps)
		}
		fmt.Fprintf(j.stderr, "fix the definition file, save it with 'cairn journeys update %s -f FILE' and validate again\n", j.id)
		return 1
	}
	return j.done(raw, func() {
		if out.ReferencesChecked {
			fmt.Fprintf(j.stdout, "journey %s is valid\n", j.id)
			return
		}
		fmt.Fprintf(j.stdout, "journey %s is valid in structure; references (templates, channels, segments) were not checked because the journey engine is not running\n", j.id)
	})
}

// plural is "1 problem" or "n problems".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// publishResult is the answer of POST /v1/journeys/{id}/publish.
type publishResult struct {
	JourneyID string `json:"journey_id"`
	Version   int    `json:"version"`
	Previous  int    `json:"previous_version"`
	Unchanged bool   `json:"unchanged"`
	Diff      struct {
		NodesAdded      []string `json:"nodes_added"`
		NodesRemoved    []string `json:"nodes_removed"`
		NodesChanged    []string `json:"nodes_changed"`
		NameChanged     bool     `json:"name_changed"`
		EntryChanged    bool     `json:"entry_changed"`
		ReEntryChanged  bool     `json:"reentry_changed"`
		GoalsChanged    bool     `json:"goals_changed"`
		ExitChanged     bool     `json:"exit_criteria_changed"`
		SettingsChanged bool     `json:"settings_changed"`
	} `json:"diff"`
}

func (j *journeyCmd) publish(ctx context.Context) int {
	var out publishResult
	raw, err := j.c.do(ctx, "POST", j.path("/publish"), nil, &out)
	if err != nil {
		return failAPI(j.stderr, raw, fmt.Errorf("publish journey %s: %w", j.id, err))
	}
	return j.done(raw, func() { printPublish(j.stdout, &out) })
}

func printPublish(w io.Writer, p *publishResult) {
	if p.Unchanged {
		fmt.Fprintf(w, "journey %s: the draft equals live version %d; nothing to publish\n", p.JourneyID, p.Version)
		return
	}
	was := "its first version"
	if p.Previous > 0 {
		was = fmt.Sprintf("replacing version %d", p.Previous)
	}
	d := &p.Diff
	fmt.Fprintf(w, "published journey %s version %d (%s)\n", p.JourneyID, p.Version, was)
	fmt.Fprintf(w, "  nodes added:   %s\n", listText(d.NodesAdded))
	fmt.Fprintf(w, "  nodes removed: %s\n", listText(d.NodesRemoved))
	fmt.Fprintf(w, "  nodes changed: %s\n", listText(d.NodesChanged))
	var also []string
	for _, c := range []struct {
		changed bool
		what    string
	}{{d.NameChanged, "name"}, {d.EntryChanged, "entry"}, {d.ReEntryChanged, "re-entry"}, {d.GoalsChanged, "goals"},
		{d.ExitChanged, "exit criteria"}, {d.SettingsChanged, "settings"}} {
		if c.changed {
			also = append(also, c.what)
		}
	}
	if len(also) > 0 {
		fmt.Fprintf(w, "  also changed:  %s\n", strings.Join(also, ", "))
	}
}

// listText joins ids for display: "none" when empty.
func listText(ids []string) string {
	if len(ids) == 0 {
		return "none"
	}
	return strings.Join(ids, ", ")
}

// controlVerb is pause, resume or stop.
func controlVerb(action string) func(j *journeyCmd, ctx context.Context) int {
	return func(j *journeyCmd, ctx context.Context) int {
		var out struct {
			Status      string `json:"status"`
			LiveVersion int    `json:"live_version"`
		}
		raw, err := j.c.do(ctx, "POST", j.path("/"+action), nil, &out)
		if err != nil {
			return fail(j.stderr, fmt.Errorf("%s journey %s: %w", action, j.id, err))
		}
		return j.done(raw, func() {
			fmt.Fprintf(j.stdout, "journey %s is %s (live version %d)\n", j.id, out.Status, out.LiveVersion)
		})
	}
}

// enter enters one profile through the API entry; the instance id is the
// one line on stdout.
func (j *journeyCmd) enter(ctx context.Context) int {
	if strings.TrimSpace(j.profile) == "" {
		fmt.Fprintln(j.stderr, "cairn: give the profile with --profile REF, e.g. --profile email:pia@nto.example")
		fmt.Fprintln(j.stderr, "usage: cairn journeys enter ID --profile REF [--props JSON]")
		return 2
	}
	props, err := jsonObjectFlag("props", j.props)
	if err != nil {
		return fail(j.stderr, err)
	}
	body := map[string]any{"profile": j.profile}
	if props != nil {
		body["properties"] = props
	}
	var out struct {
		Entered    bool   `json:"entered"`
		InstanceID string `json:"instance_id"`
		ProfileID  string `json:"profile_id"`
		Reason     string `json:"reason"`
	}
	raw, err := j.c.do(ctx, "POST", j.path("/entries"), body, &out)
	if err != nil {
		return fail(j.stderr, fmt.Errorf("enter %s into journey %s: %w", j.profile, j.id, err))
	}
	return j.done(raw, func() {
		if !out.Entered {
			fmt.Fprintf(j.stderr, "profile %s was not entered into journey %s: %s\n", out.ProfileID, j.id, out.Reason)
			return
		}
		fmt.Fprintln(j.stdout, out.InstanceID)
		fmt.Fprintf(j.stderr, "entered profile %s into journey %s; the line above is the instance id\n", out.ProfileID, j.id)
	})
}

// jsonObjectFlag parses the JSON object of flag name; nil when s is empty.
func jsonObjectFlag(name, s string) (map[string]any, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		return nil, fmt.Errorf("--%s is not valid JSON: %s; give an object such as '{\"plan\":\"gold\"}'", name, describeJSONErr([]byte(s), err))
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("--%s is %s; give a JSON object such as '{\"plan\":\"gold\"}'", name, jsonKind(v))
	}
	return m, nil
}
