package cli

import (
	"context"
	"encoding/json"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/app"
	"github.com/cairn-cdp/cairn/internal/demo"
)

// cliEnv is a real server and the helpers to run online commands on it.
type cliEnv struct {
	t         *testing.T
	url, data string
	files     string
}

func newCLIEnv(t *testing.T) *cliEnv {
	t.Helper()
	dir := t.TempDir()
	// A public URL, as 'cairn serve' derives from its address: templates
	// with unsubscribe links render only with one.
	cfg := app.Config{DataDir: dir, ClockMode: "real", DedupeWindow: time.Hour, MaxBodyBytes: 1 << 20, BatchSize: 100,
		PublicURL: "https://cairn.test"}
	a, err := app.Open(t.Context(), cfg, slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.WithoutCancel(t.Context()))
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		require.NoError(t, <-done)
		require.NoError(t, a.Close())
	})
	return &cliEnv{t: t, url: "http://" + ln.Addr().String(), data: dir, files: t.TempDir()}
}

// run runs a command against the server.
func (e *cliEnv) run(args ...string) (code int, stdout, stderr string) {
	e.t.Helper()
	return run(e.t, append(args, "--url", e.url, "--data", e.data)...)
}

// ok runs a command that must succeed and returns its stdout.
func (e *cliEnv) ok(args ...string) string {
	e.t.Helper()
	code, out, errs := e.run(args...)
	require.Equal(e.t, 0, code, "%v\nstdout: %s\nstderr: %s", args, out, errs)
	return out
}

// write writes a file in the env's folder and returns its path.
func (e *cliEnv) write(name, body string) string {
	e.t.Helper()
	p := filepath.Join(e.files, name)
	require.NoError(e.t, os.WriteFile(p, []byte(body), 0o600))
	return p
}

// eventually reruns a command (with -json) until cond holds on its output.
func (e *cliEnv) eventually(cond func(out string) bool, args ...string) string {
	e.t.Helper()
	var last string
	require.Eventually(e.t, func() bool {
		code, out, errs := e.run(args...)
		last = out + errs
		return code == 0 && cond(out)
	}, 20*time.Second, 20*time.Millisecond, "%v never held; last output: %s", args, lazy(func() string { return last }))
	return last
}

// lazy formats as the string its function returns when formatted.
type lazy func() string

func (l lazy) String() string { return l() }

// setupMessaging creates the demo's channels, subscription groups and
// templates through the CLI: JSON files, and YAML for the templates.
func (e *cliEnv) setupMessaging() {
	e.t.Helper()
	m, err := demo.ExampleMessaging()
	require.NoError(e.t, err)
	for _, set := range []struct {
		noun string
		objs []json.RawMessage
		yaml bool
	}{{"channels", m.Channels, false}, {"subscription-groups", m.Groups, false}, {"templates", m.Templates, true}} {
		for _, o := range set.objs {
			var v struct {
				ID string `json:"id"`
			}
			require.NoError(e.t, json.Unmarshal(o, &v))
			file := e.write(set.noun+"-"+v.ID+".json", string(o))
			if set.yaml {
				file = e.write(set.noun+"-"+v.ID+".yaml", toYAML(e.t, o))
			}
			require.Equal(e.t, v.ID+"\n", e.ok(set.noun, "create", "-f", file))
		}
	}
}

// importProfile imports one customer and waits until the profile exists.
func (e *cliEnv) importProfile(userID, email, firstName string) {
	e.t.Helper()
	e.ok("sources", "create", "--name", "crm-"+userID, "--channel", "server")
	csv := e.write("people-"+userID+".csv", "id,email,first_name\n"+userID+","+email+","+firstName+"\n")
	e.ok("import", csv, "--source", "crm-"+userID, "--id-column", "id", "--map", "email=email,first_name=first_name")
	e.eventually(func(out string) bool { return strings.Contains(out, firstName) }, "profiles", "get", "user_id:"+userID, "-json")
}

func TestJourneyLifecycle(t *testing.T) {
	t.Parallel()
	e := newCLIEnv(t)
	e.setupMessaging()
	e.importProfile("u-1", "pia@nto.example", "Pia")

	good, err := demo.ExampleJourney("welcome-series")
	require.NoError(t, err)
	broken := strings.Replace(string(good), `"template": "first-order-coupon"`, `"template": "no-such-template"`, 1)
	require.NotEqual(t, string(good), broken, "the example changed: update the test's replacement")

	// A draft with a dangling template saves, but validation names the problem by path and node.
	require.Equal(t, "welcome-series\n", e.ok("journeys", "create", "-f", e.write("welcome.json", broken)))
	code, out, errs := e.run("journeys", "validate", "welcome-series")
	require.Equal(t, 1, code, errs)
	require.Contains(t, out, "journey welcome-series is invalid: 1 problem\n")
	require.Regexp(t, `1\. nodes\[4\]\.message\.template \(node coupon-sms\): .*no-such-template`, out)
	require.Contains(t, errs, "cairn journeys update welcome-series -f FILE")

	code, out, _ = e.run("journeys", "validate", "welcome-series", "-json")
	require.Equal(t, 1, code)
	var invalid struct {
		Error struct {
			Code     string    `json:"code"`
			Problems []problem `json:"problems"`
		} `json:"error"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &invalid), out)
	require.Equal(t, "journey_invalid", invalid.Error.Code)
	require.Len(t, invalid.Error.Problems, 1)
	require.Equal(t, "coupon-sms", invalid.Error.Problems[0].Node)

	// Publishing an invalid draft fails and lists the problem too.
	code, _, errs = e.run("journeys", "publish", "welcome-series")
	require.Equal(t, 1, code)
	require.Contains(t, errs, "publish journey welcome-series")
	require.Contains(t, errs, "nodes[4].message.template (node coupon-sms)")

	// The fixed file (its id names the journey) validates and publishes.
	e.ok("journeys", "update", "-f", e.write("welcome.json", string(good)))
	require.Equal(t, "journey welcome-series is valid\n", e.ok("journeys", "validate", "welcome-series"))
	require.Equal(t, "published journey welcome-series version 1 (its first version)\n"+
		"  nodes added:   welcome-email, has-app, welcome-push, wait-first-order, coupon-sms, bought, done\n"+
		"  nodes removed: none\n"+
		"  nodes changed: none\n"+
		"  also changed:  name, entry, goals\n", e.ok("journeys", "publish", "welcome-series"))
	require.Equal(t, "journey welcome-series: the draft equals live version 1; nothing to publish\n",
		e.ok("journeys", "publish", "welcome-series"))

	// An API entry; the welcome email goes out and the instance waits for an order.
	code, inst, errs := e.run("journeys", "enter", "welcome-series", "--profile", "email:pia@nto.example", "--props", `{"via":"cli"}`)
	require.Equal(t, 0, code, errs)
	inst = strings.TrimSpace(inst)
	require.NotEmpty(t, inst)
	require.Contains(t, errs, "the line above is the instance id")
	e.eventually(func(out string) bool {
		var st journeyStats
		return json.Unmarshal([]byte(out), &st) == nil && len(st.Nodes) == 7 && st.Nodes[0].Sent == 1 && st.Nodes[3].Active == 1
	}, "journeys", "status", "welcome-series", "-json")
	out = e.ok("journeys", "status", "welcome-series")
	require.Contains(t, out, "journey welcome-series: live, live version 1\nentered 1, active 1, goals 0\nexited: none\n")
	rows := tableRows(t, out[strings.Index(out, "NODE"):])
	require.Equal(t, []string{"NODE", "KIND", "ACTIVE/WAITING", "PENDING", "SENT", "SKIPPED", "FAILED"}, rows[0])
	require.Equal(t, []string{"welcome-email", "message", "0", "0", "1", "0", "0"}, rows[1])
	require.Equal(t, []string{"has-app", "split", "0", "0", "0", "0", "0"}, rows[2])
	require.Equal(t, []string{"welcome-push", "message", "0", "0", "0", "0", "0"}, rows[3])
	require.Equal(t, []string{"wait-first-order", "wait", "1", "0", "0", "0", "0"}, rows[4])
	require.Equal(t, []string{"coupon-sms", "message", "0", "0", "0", "0", "0"}, rows[5])

	out = e.ok("journeys", "instances", "welcome-series", "--status", "active", "--node", "wait-first-order")
	rows = tableRows(t, out)
	require.Len(t, rows, 2, out)
	require.Equal(t, inst, rows[1][0])
	require.Equal(t, []string{"1", "wait-first-order", "active"}, rows[1][2:5])
	out = e.ok("journeys", "instances", "welcome-series", "--node", "coupon-sms")
	require.Len(t, tableRows(t, out), 1, "only the header: nobody is at the coupon")

	// A second version: the wait changes.
	v2 := strings.Replace(string(good), `"timeout": "7d"`, `"timeout": "3d"`, 1)
	e.ok("journeys", "update", "welcome-series", "-f", e.write("welcome-v2.json", v2))
	require.Equal(t, "published journey welcome-series version 2 (replacing version 1)\n"+
		"  nodes added:   none\n  nodes removed: none\n  nodes changed: wait-first-order\n",
		e.ok("journeys", "publish", "welcome-series"))

	require.Equal(t, "journey welcome-series is paused (live version 2)\n", e.ok("journeys", "pause", "welcome-series"))
	rows = tableRows(t, e.ok("journeys", "list"))
	require.Equal(t, [][]string{{"ID", "NAME", "STATUS", "LIVE", "VERSION", "ENTERED"},
		{"welcome-series", "Welcome", "series", "paused", "2", "1"}}, rows)
	code, _, errs = e.run("journeys", "enter", "welcome-series", "--profile", "user_id:u-1")
	require.Equal(t, 1, code)
	require.Contains(t, errs, "journey welcome-series is paused; it takes entries only while live")
	require.Equal(t, "journey welcome-series is live (live version 2)\n", e.ok("journeys", "resume", "welcome-series"))
	require.Equal(t, "journey welcome-series is stopped (live version 2)\n", e.ok("journeys", "stop", "welcome-series"))
	out = e.ok("journeys", "status", "welcome-series")
	require.Contains(t, out, "entered 1, active 0, goals 0\nexited: stopped 1\n")
}

// tableRows splits a tabwriter table into rows of fields.
func tableRows(t *testing.T, out string) [][]string {
	t.Helper()
	var rows [][]string
	for line := range strings.SplitSeq(strings.TrimRight(out, "\n"), "\n") {
		rows = append(rows, strings.Fields(line))
	}
	require.NotEmpty(t, rows)
	return rows
}

func TestJourneysJSONOutput(t *testing.T) {
	t.Parallel()
	e := newCLIEnv(t)
	def := `{"id":"api-hello","name":"API hello","entry":{"api":{},"next":"done"},"nodes":[{"id":"done","exit":{}}]}`
	e.ok("journeys", "create", "-f", e.write("api-hello.json", def))
	e.ok("journeys", "create", "-f", e.write("yaml-hello.yml",
		"id: yaml-hello\nname: YAML hello\nentry: {api: {}, next: done}\nnodes:\n  - {id: done, exit: {}}\n"))

	for _, tc := range []struct {
		name  string
		args  []string
		check func(t *testing.T, v map[string]any)
	}{
		{"list", []string{"journeys", "list", "-json"}, func(t *testing.T, v map[string]any) {
			require.Len(t, v["journeys"], 2)
		}},
		{"get a YAML draft", []string{"journeys", "get", "yaml-hello", "-json"}, func(t *testing.T, v map[string]any) {
			require.Equal(t, "YAML hello", v["name"])
			require.Equal(t, "draft", v["status"])
			require.Equal(t, true, v["unpublished_changes"])
		}},
		{"validate", []string{"journeys", "validate", "api-hello", "-json"}, func(t *testing.T, v map[string]any) {
			require.Equal(t, true, v["valid"])
			require.Equal(t, true, v["references_checked"])
		}},
		{"publish", []string{"journeys", "publish", "api-hello", "-json"}, func(t *testing.T, v map[string]any) {
			require.InDelta(t, 1, v["version"], 0)
			require.Equal(t, []any{"done"}, v["diff"].(map[string]any)["nodes_added"])
		}},
		{"status", []string{"journeys", "status", "api-hello", "-json"}, func(t *testing.T, v map[string]any) {
			require.Equal(t, "live", v["status"])
			require.Len(t, v["nodes"], 1)
		}},
		{"instances", []string{"journeys", "instances", "api-hello", "-json"}, func(t *testing.T, v map[string]any) {
			require.Equal(t, []any{}, v["instances"])
		}},
		{"pause", []string{"journeys", "pause", "api-hello", "-json"}, func(t *testing.T, v map[string]any) {
			require.Equal(t, "paused", v["status"])
		}},
		{"update", []string{"journeys", "update", "api-hello", "-json", "-f", e.write("api-hello2.json", strings.Replace(def, "API hello", "API hi", 1))},
			func(t *testing.T, v map[string]any) {
				require.Equal(t, "API hi", v["name"])
				require.NotNil(t, v["live"], "the live definition rides along")
			}},
	} {
		// Sequential: later cases depend on earlier ones (publish before status).
		code, out, errs := e.run(tc.args...)
		require.Equal(t, 0, code, "%s: %s", tc.name, errs)
		var v map[string]any
		require.NoError(t, json.Unmarshal([]byte(out), &v), "%s: %s", tc.name, out)
		t.Run(tc.name, func(t *testing.T) { tc.check(t, v) })
	}
}

func TestJourneysBadInput(t *testing.T) {
	t.Parallel()
	e := newCLIEnv(t)
	notJSON := e.write("broken.json", "{\"id\": \"x\",\n  \"name\": }\n")
	for _, tc := range []struct {
		name   string
		args   []string
		code   int
		errHas []string
	}{
		{"no verb", []string{"journeys"}, 2, []string{"usage: cairn journeys VERB"}},
		{"unknown verb", []string{"journeys", "launch", "x"}, 2, []string{`unknown verb "launch"`}},
		{"missing -f", []string{"journeys", "create"}, 2, []string{"give the definition with -f FILE", "usage: cairn journeys create -f FILE"}},
		{"unknown extension", []string{"journeys", "create", "-f", e.write("welcome.txt", "{}")}, 1,
			[]string{"welcome.txt: unknown extension \".txt\"; name the file .json, .yaml or .yml"}},
		{"missing file", []string{"journeys", "create", "-f", filepath.Join(e.files, "nope.json")}, 1, []string{"nope.json", "no such file"}},
		{"invalid JSON names the file and line", []string{"journeys", "create", "-f", notJSON}, 1,
			[]string{"broken.json is not valid JSON: line 2, column 11: invalid character '}'"}},
		{"JSON array", []string{"journeys", "create", "-f", e.write("list.json", "[1]")}, 1, []string{"list.json holds a list"}},
		{"invalid YAML", []string{"journeys", "create", "-f", e.write("bad.yaml", "id: x\n  name: [\n")}, 1,
			[]string{"bad.yaml is not a valid YAML definition", "line"}},
		{"definition problems from the server", []string{"journeys", "create", "-f", e.write("typo.yaml", "id: x\nentry: {api: {}, next: a}\nnodes:\n  - {id: a, exitt: {}}\n")}, 1,
			[]string{"create journey from", "typo.yaml", "bad_request (HTTP 400)", "exitt"}},
		{"update without an id", []string{"journeys", "update", "-f", e.write("noid.json", `{"name":"x"}`)}, 1,
			[]string{`noid.json has no "id"; give the journey: cairn journeys update ID -f`}},
		{"validate needs an id", []string{"journeys", "validate"}, 2, []string{"missing the ID", "usage: cairn journeys validate ID"}},
		{"too many ids", []string{"journeys", "get", "a", "b"}, 2, []string{`unexpected argument "b"`}},
		{"unknown journey", []string{"journeys", "status", "ghost"}, 1, []string{"not_found (HTTP 404)", `no journey with id "ghost"`}},
		{"enter needs --profile", []string{"journeys", "enter", "x"}, 2, []string{"give the profile with --profile REF"}},
		{"--props must be an object", []string{"journeys", "enter", "x", "--profile", "user_id:u", "--props", `["a"]`}, 1,
			[]string{"--props is a list; give a JSON object"}},
		{"--props must be JSON", []string{"journeys", "enter", "x", "--profile", "user_id:u", "--props", `{plan}`}, 1,
			[]string{"--props is not valid JSON: line 1, column 2"}},
		{"bad flag", []string{"journeys", "list", "--nope"}, 2, []string{"flag provided but not defined: -nope"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errs := e.run(tc.args...)
			require.Equal(t, tc.code, code, "stdout: %s\nstderr: %s", out, errs)
			for _, s := range tc.errHas {
				require.Contains(t, errs, s)
			}
			require.Empty(t, out, "errors go to stderr")
		})
	}
}
