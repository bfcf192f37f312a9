package httpapi

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/store"
)

const smtpChannel = `{"id":"email","provider":"smtp","smtp":{"host":"mx.nto.example","port":587,"username":"cairn","password":"hunter2"},
	"twilio":{"account_sid":"AC1","auth_token":"tw-secret-9"},"dkim":{"selector":"s1","private_key":"-----BEGIN KEY-----"},"from":"hi@nto.example"}`

// storedBody reads a config body straight from the store.
func (h *harness) storedBody(t *testing.T, kind, id string) map[string]any {
	t.Helper()
	o, err := h.st.GetConfig(t.Context(), kind, id)
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(o.Body, &m))
	return m
}

func TestChannelSecretsAreRedactedAndKept(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOpts{})
	secrets := []string{"hunter2", "tw-secret-9", "BEGIN KEY"}
	h.run(t, []scenario{
		{name: "create", method: "POST", path: "/v1/channels", body: smtpChannel, status: 201,
			want: []string{`"kind":"channel"`, `"id":"email"`, `"password":"********"`, `"auth_token":"********"`, `"private_key":"********"`, `"username":"cairn"`, `"account_sid":"AC1"`},
			not:  secrets},
		{name: "get", method: "GET", path: "/v1/channels/email", status: 200, want: []string{`"password":"********"`, `"host":"mx.nto.example"`}, not: secrets},
		{name: "list", method: "GET", path: "/v1/channels", status: 200, want: []string{`"channels":[{"kind":"channel","id":"email"`}, not: secrets},
	})
	stored := h.storedBody(t, ConfigChannel, "email")
	require.Equal(t, "hunter2", stored["smtp"].(map[string]any)["password"], "the store keeps the real secret")

	// The console sends back what it got, with one field edited.
	_, got := h.do(t, "GET", "/v1/channels/email", "")
	var view configView
	require.NoError(t, json.Unmarshal([]byte(got), &view))
	edited := strings.Replace(string(view.Body), `"mx.nto.example"`, `"mx2.nto.example"`, 1)
	rotated := strings.Replace(string(view.Body), `"auth_token":"********"`, `"auth_token":"tw-new"`, 1)
	h.run(t, []scenario{
		{name: "put keeps redacted secrets", method: "PUT", path: "/v1/channels/email", body: edited, status: 200,
			want: []string{`"host":"mx2.nto.example"`, `"password":"********"`}, not: secrets,
			check: func(t *testing.T, _ string) {
				stored := h.storedBody(t, ConfigChannel, "email")
				require.Equal(t, "mx2.nto.example", stored["smtp"].(map[string]any)["host"])
				require.Equal(t, "hunter2", stored["smtp"].(map[string]any)["password"])
				require.Equal(t, "tw-secret-9", stored["twilio"].(map[string]any)["auth_token"])
				require.Equal(t, "-----BEGIN KEY-----", stored["dkim"].(map[string]any)["private_key"])
			}},
		{name: "put replaces a secret sent in full", method: "PUT", path: "/v1/channels/email", body: rotated, status: 200, not: []string{"tw-new"},
			check: func(t *testing.T, _ string) {
				stored := h.storedBody(t, ConfigChannel, "email")
				require.Equal(t, "tw-new", stored["twilio"].(map[string]any)["auth_token"])
				require.Equal(t, "hunter2", stored["smtp"].(map[string]any)["password"])
			}},
		{name: "placeholder with nothing stored", method: "PUT", path: "/v1/channels/email", body: `{"id":"email","provider":"smtp","api_secret":"********"}`, status: 400,
			want: []string{"api_secret", "send the real value"}},
		{name: "placeholder on create", method: "POST", path: "/v1/channels", body: `{"id":"sms","provider":"twilio","auth_token":"********"}`, status: 400,
			want: []string{"auth_token"}},
		{name: "dropping a secret field drops it", method: "PUT", path: "/v1/channels/email", body: `{"id":"email","provider":"smtp"}`, status: 200,
			check: func(t *testing.T, _ string) {
				require.Equal(t, map[string]any{"id": "email", "provider": "smtp"}, h.storedBody(t, ConfigChannel, "email"))
			}},
	})
}

func TestConfigCollections(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOpts{})
	h.run(t, []scenario{
		{name: "create template", method: "POST", path: "/v1/templates", body: `{"id":"welcome-email","channel":"email","subject":"Hi {{name}}","html":"<p>Hello & welcome</p>"}`, status: 201,
			want: []string{`"kind":"template"`, `"html":"<p>Hello & welcome</p>"`, `"updated_at":"2026-11-02T09:00:00Z"`}},
		{name: "create twice", method: "POST", path: "/v1/templates", body: `{"id":"welcome-email","channel":"email"}`, status: 409, want: []string{"PUT /v1/templates/welcome-email"}},
		{name: "no id", method: "POST", path: "/v1/templates", body: `{"channel":"email"}`, status: 400, want: []string{`"field":"id"`}},
		{name: "bad id", method: "POST", path: "/v1/templates", body: `{"id":"a b"}`, status: 400, want: []string{`"field":"id"`}},
		{name: "not an object", method: "POST", path: "/v1/templates", body: `["x"]`, status: 400, want: []string{"one JSON object"}},
		{name: "messaging refuses", method: "POST", path: "/v1/templates", body: `{"id":"t2","bad":1}`, status: 400,
			want: []string{`"code":"bad_request"`, "invalid template: field bad is not allowed"}},
		{name: "refused body is not stored", method: "GET", path: "/v1/templates/t2", status: 404},
		{name: "channel needs a provider", method: "POST", path: "/v1/channels", body: `{"id":"sms"}`, status: 400, want: []string{"needs a provider"}},
		{name: "put without id takes the URL's", method: "PUT", path: "/v1/templates/welcome-email", body: `{"channel":"email","subject":"Welcome {{name}}"}`, status: 200,
			want: []string{`"id":"welcome-email"`, `"subject":"Welcome {{name}}"`}},
		{name: "put id mismatch", method: "PUT", path: "/v1/templates/welcome-email", body: `{"id":"other"}`, status: 400, want: []string{"does not match"}},
		{name: "put unknown", method: "PUT", path: "/v1/templates/nope", body: `{"channel":"email"}`, status: 404, want: []string{"GET /v1/templates"}},
		{name: "group", method: "POST", path: "/v1/subscription-groups", body: `{"id":"news","name":"Newsletter"}`, status: 201, want: []string{`"kind":"subscription_group"`}},
		{name: "groups", method: "GET", path: "/v1/subscription-groups", status: 200, want: []string{`"subscription_groups":[{`}},
		{name: "rule", method: "POST", path: "/v1/frequency-rules", body: `{"id":"weekly","max":3,"per":"7d"}`, status: 201, want: []string{`"kind":"frequency_rule"`}},
		{name: "rules", method: "GET", path: "/v1/frequency-rules", status: 200, want: []string{`"frequency_rules":[{`, `"per":"7d"`}},
		{name: "empty list", method: "GET", path: "/v1/channels", status: 200, want: []string{`"channels":[]`}},
		{name: "kinds are separate", method: "GET", path: "/v1/channels/news", status: 404},
		{name: "delete", method: "DELETE", path: "/v1/frequency-rules/weekly", status: 204},
		{name: "gone", method: "GET", path: "/v1/frequency-rules/weekly", status: 404},
		{name: "delete unknown", method: "DELETE", path: "/v1/frequency-rules/weekly", status: 404},
		{name: "settings default", method: "GET", path: "/v1/settings/messaging", status: 200, want: []string{`"id":"messaging"`, `"body":{}`}, not: []string{"updated_at"}},
		{name: "put settings", method: "PUT", path: "/v1/settings/messaging", body: `{"unsubscribe_secret":"sig-123","quiet_hours":{"start":"21:00","end":"08:00"}}`, status: 200,
			want: []string{`"unsubscribe_secret":"********"`, `"start":"21:00"`}, not: []string{"sig-123"}},
		{name: "put settings keeps the secret", method: "PUT", path: "/v1/settings/messaging", body: `{"unsubscribe_secret":"********","quiet_hours":{"start":"22:00","end":"08:00"}}`, status: 200,
			check: func(t *testing.T, _ string) {
				require.Equal(t, "sig-123", h.storedBody(t, ConfigSettings, SettingsMessaging)["unsubscribe_secret"])
			}},
		{name: "get settings", method: "GET", path: "/v1/settings/messaging", status: 200, want: []string{`"start":"22:00"`, `"updated_at":`}, not: []string{"sig-123"}},
		{name: "audit", method: "GET", path: "/v1/audit", status: 200, want: []string{`"action":"template.create"`, `"action":"frequency_rule.delete"`, `"action":"settings.update"`}},
	})
	h.m.mu.Lock()
	defer h.m.mu.Unlock()
	require.Contains(t, h.m.validated, ConfigSubscriptionGroup)
	require.Contains(t, h.m.validated, ConfigSettings)
}

func TestDeleteConfigInUse(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOpts{})
	h.run(t, []scenario{
		{name: "template", method: "POST", path: "/v1/templates", body: `{"id":"welcome-email","channel":"email"}`, status: 201},
		{name: "unused template", method: "POST", path: "/v1/templates", body: `{"id":"spare","channel":"email"}`, status: 201},
		{name: "channel", method: "POST", path: "/v1/channels", body: `{"id":"email","provider":"smtp"}`, status: 201},
		{name: "journey", method: "POST", path: "/v1/journeys", body: defBody(welcomeDef), status: 201},
		{name: "draft use does not block", method: "DELETE", path: "/v1/templates/spare", status: 204},
		{name: "publish", method: "POST", path: "/v1/journeys/welcome/publish", status: 200},
		{name: "template in use", method: "DELETE", path: "/v1/templates/welcome-email", status: 409, want: []string{"welcome"}},
		{name: "channel in use", method: "DELETE", path: "/v1/channels/email", status: 409, want: []string{"welcome"}},
		{name: "pause", method: "POST", path: "/v1/journeys/welcome/pause", status: 200},
		{name: "paused still uses it", method: "DELETE", path: "/v1/templates/welcome-email", status: 409},
		{name: "stop", method: "POST", path: "/v1/journeys/welcome/stop", status: 200},
		{name: "free after stop", method: "DELETE", path: "/v1/templates/welcome-email", status: 204},
	})
}

func TestConfigWithoutMessaging(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOpts{noMessaging: true})
	h.seedProfile(t, "prof_pia", "pia@nto.example")
	h.run(t, []scenario{
		{name: "saved unchecked, compacted", method: "POST", path: "/v1/templates", body: "{\"id\": \"t1\",\n \"bad\": 1}", status: 201, want: []string{`"body":{"id":"t1","bad":1}`}},
		{name: "secrets still redacted", method: "POST", path: "/v1/channels", body: `{"id":"sms","auth_token":"abc"}`, status: 201, not: []string{"abc"}},
		{name: "preview", method: "POST", path: "/v1/templates/t1/preview", body: `{}`, status: 503, want: []string{`"code":"messaging_unavailable"`}},
		{name: "inline preview", method: "POST", path: "/v1/templates/preview", body: `{"template":{}}`, status: 503, want: []string{`"code":"messaging_unavailable"`}},
		{name: "send", method: "POST", path: "/v1/messages", body: `{"template":"t1","profile":"prof_pia"}`, status: 503, want: []string{`"code":"messaging_unavailable"`}},
	})
}

func TestDeleteConfigUsedByAnOlderVersion(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOpts{})
	h.run(t, []scenario{
		{name: "template", method: "POST", path: "/v1/templates", body: `{"id":"tip-email","channel":"email"}`, status: 201},
		{name: "journey using it", method: "POST", path: "/v1/journeys", body: defBody(welcomeV2), status: 201},
		{name: "publish v1", method: "POST", path: "/v1/journeys/welcome/publish", status: 200},
		{name: "drop it from the draft", method: "PUT", path: "/v1/journeys/welcome", body: defBody(welcomeDef), status: 200},
		{name: "publish v2", method: "POST", path: "/v1/journeys/welcome/publish", status: 200, want: []string{`"nodes_removed":["tip"]`}},
	})
	h.apply(t, &store.ProcessBatch{Instances: []store.JourneyInstance{instanceAt("i1", "prof_pia", "pause", 1)}})
	h.run(t, []scenario{
		{name: "an instance on v1 may still reach it", method: "DELETE", path: "/v1/templates/tip-email", status: 409, want: []string{"welcome"}},
	})
	h.apply(t, &store.ProcessBatch{Instances: []store.JourneyInstance{exitedAt("i1", "prof_pia", "completed")}})
	h.run(t, []scenario{
		{name: "delete", method: "DELETE", path: "/v1/templates/tip-email", status: 204},
	})
}
