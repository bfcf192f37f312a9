package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	yaml "go.yaml.in/yaml/v3"
)

// toYAML converts a JSON object to YAML text.
func toYAML(t *testing.T, j json.RawMessage) string {
	t.Helper()
	var v map[string]any
	require.NoError(t, json.Unmarshal(j, &v))
	b, err := yaml.Marshal(v)
	require.NoError(t, err)
	return string(b)
}

func TestMessagingConfigCommands(t *testing.T) {
	t.Parallel()
	e := newCLIEnv(t)
	e.setupMessaging()

	rows := tableRows(t, e.ok("channels", "list"))
	require.Equal(t, []string{"ID", "TYPE", "PROVIDER", "UPDATED"}, rows[0])
	require.Len(t, rows, 4)
	require.Equal(t, []string{"email", "email", "capture"}, rows[1][:3])

	rows = tableRows(t, e.ok("subscription-groups", "list"))
	require.Equal(t, []string{"ID", "NAME", "CHANNEL", "TYPE", "UPDATED"}, rows[0])
	require.Len(t, rows, 4)
	require.Equal(t, []string{"sms-offers", "Text", "message", "offers", "sms", "opt_in"}, rows[3][:6])

	// The YAML templates arrived intact.
	var tpl struct {
		ID   string `json:"id"`
		Body struct {
			Channel string `json:"channel"`
			Subject string `json:"subject"`
		} `json:"body"`
	}
	require.NoError(t, json.Unmarshal([]byte(e.ok("templates", "get", "welcome", "-json")), &tpl))
	require.Equal(t, "email", tpl.Body.Channel)
	require.Equal(t, `Welcome to Northern Trail Outfitters, {{ profile.first_name | default: "explorer" }}`, tpl.Body.Subject)

	var list struct {
		Templates []struct{ ID string } `json:"templates"`
	}
	require.NoError(t, json.Unmarshal([]byte(e.ok("templates", "list", "-json")), &list))
	require.Len(t, list.Templates, 6)

	// update: the id comes from the file, or from the argument for a body without one.
	e.ok("channels", "update", "-f", e.write("push.yaml", "id: push\ntype: push\nprovider: capture\n"))
	require.Equal(t, "sms\n", e.ok("channels", "update", "sms", "-f", e.write("sms.json", `{"type":"sms","provider":"capture"}`)))
	code, _, errs := e.run("channels", "update", "email", "-f", e.write("other.json", `{"id":"sms","type":"sms","provider":"capture"}`))
	require.Equal(t, 1, code)
	require.Contains(t, errs, "update channel from")
	require.Contains(t, errs, `does not match "email"`)

	// Preview renders every part for the profile, with extra data.
	e.importProfile("u-2", "ann@nto.example", "Ann")
	out := e.ok("templates", "preview", "welcome", "--profile", "user_id:u-2")
	require.True(t, strings.HasPrefix(out, "== subject ==\nWelcome to Northern Trail Outfitters, Ann\n== text ==\nWelcome, Ann!\n"), out)
	require.Contains(t, out, "\n== html ==\n<h1>Welcome, Ann!</h1>")
	e.ok("templates", "create", "-f", e.write("code.yaml", "id: code\nname: Code\nchannel: sms\nbody: 'Your code is {{ entry.code }}'\n"))
	code, out, errs = e.run("templates", "preview", "code", "--props", `{"code":"TRAIL10"}`)
	require.Equal(t, 0, code, errs)
	require.Equal(t, "== body ==\nYour code is TRAIL10\n", out)
	require.Contains(t, errs, "rendered without a profile")
	code, _, errs = e.run("templates", "preview", "code")
	require.Equal(t, 1, code)
	require.Contains(t, errs, "preview template code: render_failed")

	// A transactional send, then the profile's messages.
	code, key, errs := e.run("messages", "send", "--template", "welcome", "--profile", "email:ann@nto.example", "--transactional", "--key", "order-1")
	require.Equal(t, 0, code, errs)
	key = strings.TrimSpace(key)
	require.NotEmpty(t, key)
	require.Contains(t, errs, "queued email message")
	require.Equal(t, key+"\n", e.ok("messages", "send", "--template", "welcome", "--profile", "user_id:u-2", "--key", "order-1"),
		"the same idempotency key queues once")
	e.eventually(func(out string) bool { return strings.Contains(out, `"status": "sent"`) }, "messages", "list", "--profile", "user_id:u-2", "-json")
	rows = tableRows(t, e.ok("messages", "list", "--profile", "user_id:u-2"))
	require.Len(t, rows, 2)
	require.Equal(t, []string{key, "email", "welcome", "sent", "-", "-"}, rows[1][:6])

	// delete, then it is gone.
	e.ok("templates", "delete", "code")
	code, _, errs = e.run("templates", "get", "code")
	require.Equal(t, 1, code)
	require.Contains(t, errs, `no template with id "code"`)
}

func TestMessagingBadInput(t *testing.T) {
	t.Parallel()
	e := newCLIEnv(t)
	for _, tc := range []struct {
		name   string
		args   []string
		code   int
		errHas []string
	}{
		{"no verb", []string{"templates"}, 2, []string{"usage: cairn templates VERB", "preview ID"}},
		{"channels have no preview", []string{"channels", "preview", "email"}, 2, []string{`cairn channels: unknown verb "preview"`}},
		{"missing -f", []string{"channels", "create"}, 2, []string{"give the channel with -f FILE", `{"id":"email","type":"email","provider":"capture"}`}},
		{"unknown extension", []string{"templates", "create", "-f", e.write("t.liquid", "x")}, 1, []string{`t.liquid: unknown extension ".liquid"`}},
		{"invalid JSON names the file", []string{"channels", "create", "-f", e.write("ch.json", `{"id":"email",}`)}, 1,
			[]string{"ch.json is not valid JSON: line 1, column 15: invalid character '}'"}},
		{"YAML list", []string{"channels", "create", "-f", e.write("ch.yaml", "- id: email\n")}, 1, []string{"ch.yaml is not a valid YAML definition: the document is a list"}},
		{"server validation", []string{"channels", "create", "-f", e.write("fax.json", `{"id":"fax","type":"fax"}`)}, 1,
			[]string{"create channel from", "fax.json", "bad_request (HTTP 400)", `unknown channel type "fax"`}},
		{"template that does not compile", []string{"templates", "create", "-f", e.write("bad.yaml", "id: bad\nname: Bad\nchannel: sms\nbody: '{{ profile.x '\n")}, 1,
			[]string{"create template from", "bad.yaml"}},
		{"duplicate", []string{"channels", "create", "-f", e.write("email.json", `{"id":"email","type":"email","provider":"capture"}`)}, 0, nil},
		{"duplicate again", []string{"channels", "create", "-f", e.write("email.json", `{"id":"email","type":"email","provider":"capture"}`)}, 1,
			[]string{"conflict (HTTP 409)", "replace it with PUT"}},
		{"get needs an id", []string{"frequency-rules", "get"}, 2, []string{"usage: cairn frequency-rules get ID"}},
		{"delete unknown", []string{"subscription-groups", "delete", "ghost"}, 1, []string{"delete subscription group ghost", "not_found"}},
		{"send needs a template", []string{"messages", "send", "--profile", "user_id:u"}, 2, []string{"needs --profile REF and --template ID"}},
		{"send --props must be an object", []string{"messages", "send", "--template", "t", "--profile", "user_id:u", "--props", "3"}, 1,
			[]string{"--props is a number; give a JSON object"}},
		{"send to an unknown profile", []string{"messages", "send", "--template", "t", "--profile", "user_id:ghost"}, 1,
			[]string{"send template t to user_id:ghost", `no profile matches "user_id:ghost"`}},
		{"list needs a profile", []string{"messages", "list"}, 2, []string{"messages list needs --profile REF\n"}},
		{"unknown verb", []string{"messages", "blast"}, 2, []string{`unknown verb "blast"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errs := e.run(tc.args...)
			require.Equal(t, tc.code, code, "stdout: %s\nstderr: %s", out, errs)
			for _, s := range tc.errHas {
				require.Contains(t, errs, s)
			}
			if code != 0 {
				require.Empty(t, out, "errors go to stderr")
			}
		})
	}

	// --data is the data folder of every online command, not template data.
	for _, args := range [][]string{
		{"templates", "preview", "welcome"}, {"messages", "send", "--template", "t", "--profile", "user_id:u"},
		{"journeys", "enter", "j", "--profile", "user_id:u"},
	} {
		code, out, errs := run(t, append(args, "--url", e.url, "--data", `{"code":"x"}`)...)
		require.Equal(t, 1, code, "%v: %s", args, out)
		require.Contains(t, errs, "--data names the data folder (where admin.token is); give template data or entry properties with --props JSON")
	}
}

func TestStatsText(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		total int64
		by    map[string]int64
		want  string
	}{
		{"nothing", 0, nil, "0"},
		{"no breakdown", 4, nil, "4"},
		{"by reason in order", 3, map[string]int64{"unsubscribed": 1, "quiet_hours": 2, "zero": 0}, "3 (quiet_hours 2, unsubscribed 1)"},
		{"empty reason", 1, map[string]int64{"": 1}, "1 (unspecified 1)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, reasonsText(tc.total, tc.by))
		})
	}
}
