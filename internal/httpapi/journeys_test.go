package httpapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// welcomeDef is a valid journey: an API entry, an email, a delay, an exit.
const welcomeDef = `{"id":"welcome","name":"Welcome","entry":{"api":{},"next":"hello"},"nodes":[
	{"id":"hello","message":{"channel":"email","template":"welcome-email"},"next":"pause"},
	{"id":"pause","delay":{"duration":"1d"},"next":"done"},
	{"id":"done","exit":{}}]}`

// welcomeV2 changes the delay, adds a tip email and keeps the rest.
const welcomeV2 = `{"id":"welcome","name":"Welcome","entry":{"api":{},"next":"hello"},"nodes":[
	{"id":"hello","message":{"channel":"email","template":"welcome-email"},"next":"pause"},
	{"id":"pause","delay":{"duration":"2d"},"next":"tip"},
	{"id":"tip","message":{"channel":"email","template":"tip-email"},"next":"done"},
	{"id":"done","exit":{}}]}`

func defBody(def string) string { return `{"definition":` + def + `}` }

// calls asserts the engine calls recorded so far.
func (h *harness) calls(want ...string) func(t *testing.T, _ string) {
	return func(t *testing.T, _ string) {
		t.Helper()
		if want == nil {
			want = []string{}
		}
		got := h.j.Calls()
		if got == nil {
			got = []string{}
		}
		require.Equal(t, want, got)
	}
}

func TestJourneyLifecycle(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOpts{})
	h.seedProfile(t, "prof_pia", "pia@nto.example")
	badNodes := `{"id":"welcome","name":"W","entry":{"api":{},"next":"a"},"nodes":[{"id":"a","delay":{"duration":"1d"},"colour":"red"},{"id":"b","exit":{},"size":3}]}`
	ghost := strings.Replace(welcomeDef, `"welcome-email"`, `"ghost"`, 1)
	h.run(t, []scenario{
		{name: "syntax problems list every node", method: "POST", path: "/v1/journeys", body: defBody(badNodes), status: 400,
			want: []string{`"code":"bad_request"`, `"field":"definition"`, `"path":"nodes[0]"`, `"node":"a"`, `"path":"nodes[1]"`, `"node":"b"`, `"hint":`, "2 problems"}},
		{name: "bad yaml", method: "POST", path: "/v1/journeys", body: `{"yaml":"id: [\n"}`, status: 400,
			want: []string{`"field":"yaml"`, "not valid YAML", `"problems":[`}},
		{name: "two forms", method: "POST", path: "/v1/journeys", body: `{"definition":{"id":"x"},"yaml":"id: x"}`, status: 400, want: []string{"exactly one of"}},
		{name: "not an object", method: "POST", path: "/v1/journeys", body: `{"definition":"welcome"}`, status: 400, want: []string{"JSON object"}},
		{name: "no id", method: "POST", path: "/v1/journeys", body: `{"yaml":"name: Nameless\n"}`, status: 400, want: []string{`"field":"definition.id"`}},
		{name: "id unusable in URLs", method: "POST", path: "/v1/journeys", body: `{"definition":{"id":"a/b"}}`, status: 400, want: []string{"not a valid journey id"}},
		{name: "create from yaml", method: "POST", path: "/v1/journeys", body: `{"yaml":"id: welcome\nname: Welcome\nentry: {api: {}, next: hello}\nnodes:\n  - {id: hello, exit: {}}\n"}`, status: 201,
			want: []string{`"id":"welcome"`, `"status":"draft"`, `"draft":{"id":"welcome"`}},
		{name: "create twice", method: "POST", path: "/v1/journeys", body: defBody(welcomeDef), status: 409, want: []string{`"code":"conflict"`}},
		{name: "list", method: "GET", path: "/v1/journeys", status: 200, want: []string{`"journeys":[{"id":"welcome"`}},
		{name: "get", method: "GET", path: "/v1/journeys/welcome", status: 200, want: []string{`"unpublished_changes":true`, `"draft":`}, not: []string{`"live":`}},
		{name: "get unknown", method: "GET", path: "/v1/journeys/nope", status: 404, want: []string{`"code":"not_found"`}},
		{name: "draft may reference what does not exist", method: "PUT", path: "/v1/journeys/welcome", body: defBody(ghost), status: 200, want: []string{"ghost"}},
		{name: "validate names the node", method: "POST", path: "/v1/journeys/welcome/validate", status: 422,
			want: []string{`"code":"journey_invalid"`, `"node":"hello"`, "ghost"}},
		{name: "publish refuses an invalid draft", method: "POST", path: "/v1/journeys/welcome/publish", status: 422,
			want: []string{`"code":"journey_invalid"`, `"problems":[`}, check: h.calls()},
		{name: "id inside must match", method: "PUT", path: "/v1/journeys/welcome", body: defBody(strings.Replace(welcomeDef, `"id":"welcome"`, `"id":"other"`, 1)), status: 400,
			want: []string{`"field":"definition.id"`, "does not match"}},
		{name: "put unknown", method: "PUT", path: "/v1/journeys/nope", body: defBody(welcomeDef), status: 404},
		{name: "replace draft", method: "PUT", path: "/v1/journeys/welcome", body: defBody(welcomeDef), status: 200, want: []string{`"welcome-email"`}},
		{name: "validate", method: "POST", path: "/v1/journeys/welcome/validate", status: 200, want: []string{`"valid":true`, `"references_checked":true`}},
		{name: "pause before publish", method: "POST", path: "/v1/journeys/welcome/pause", status: 409, want: []string{"only a live journey"}},
		{name: "resume before publish", method: "POST", path: "/v1/journeys/welcome/resume", status: 409, want: []string{"never published"}},
		{name: "stop before publish", method: "POST", path: "/v1/journeys/welcome/stop", status: 409, want: []string{"never published"}},
		{name: "entries before publish", method: "POST", path: "/v1/journeys/welcome/entries", body: `{"profile":"prof_pia"}`, status: 409, want: []string{"is draft"}},
		{name: "publish v1", method: "POST", path: "/v1/journeys/welcome/publish", status: 200,
			want:  []string{`"version":1`, `"nodes_added":["hello","pause","done"]`, `"nodes_removed":[]`, `"entry_changed":true`},
			check: h.calls("reload")},
		{name: "publish unchanged", method: "POST", path: "/v1/journeys/welcome/publish", status: 200,
			want: []string{`"version":1`, `"unchanged":true`, `"nodes_added":[]`, `"entry_changed":false`}, check: h.calls("reload")},
		{name: "edit", method: "PUT", path: "/v1/journeys/welcome", body: defBody(welcomeV2), status: 200, want: []string{`"unpublished_changes":true`, `"live":{`}},
		{name: "publish v2 with diff", method: "POST", path: "/v1/journeys/welcome/publish", status: 200,
			want: []string{`"version":2`, `"previous_version":1`, `"nodes_added":["tip"]`, `"nodes_changed":["pause"]`, `"nodes_removed":[]`,
				`"entry_changed":false`, `"goals_changed":false`, `"settings_changed":false`},
			check: h.calls("reload", "reload")},
		{name: "get after publish", method: "GET", path: "/v1/journeys/welcome", status: 200,
			want: []string{`"status":"live"`, `"live_version":2`, `"unpublished_changes":false`, `"published_at":`}},
		{name: "versions", method: "GET", path: "/v1/journeys/welcome/versions", status: 200,
			want: []string{`"version":1`, `"version":2`, `"live_version":2`}},
		{name: "version 1", method: "GET", path: "/v1/journeys/welcome/versions/1", status: 200, want: []string{`"duration":"1d"`}, not: []string{"tip-email"}},
		{name: "no version 9", method: "GET", path: "/v1/journeys/welcome/versions/9", status: 404, want: []string{"no version 9"}},
		{name: "version not a number", method: "GET", path: "/v1/journeys/welcome/versions/x", status: 400},
		{name: "pause", method: "POST", path: "/v1/journeys/welcome/pause", status: 200, want: []string{`"status":"paused"`},
			check: h.calls("reload", "reload", "reload")},
		{name: "pause is idempotent", method: "POST", path: "/v1/journeys/welcome/pause", status: 200, want: []string{`"status":"paused"`},
			check: h.calls("reload", "reload", "reload")},
		{name: "no entries while paused", method: "POST", path: "/v1/journeys/welcome/entries", body: `{"profile":"prof_pia"}`, status: 409, want: []string{"paused"}},
		{name: "resume", method: "POST", path: "/v1/journeys/welcome/resume", status: 200, want: []string{`"status":"live"`, `"live_version":2`},
			check: h.calls("reload", "reload", "reload", "reload")},
		{name: "enter by reference", method: "POST", path: "/v1/journeys/welcome/entries", body: `{"profile":"email:PIA@nto.example","properties":{"plan":"pro"}}`, status: 200,
			want: []string{`"entered":false`, `"reason":"re-entry policy"`, `"profile_id":"prof_pia"`},
			check: func(t *testing.T, _ string) {
				calls := h.j.Calls()
				require.Equal(t, "enter welcome prof_pia", calls[len(calls)-1])
				h.j.mu.Lock()
				defer h.j.mu.Unlock()
				require.Equal(t, map[string]any{"plan": "pro"}, h.j.props)
			}},
		{name: "enter unknown profile", method: "POST", path: "/v1/journeys/welcome/entries", body: `{"profile":"email:nobody@nto.example"}`, status: 404, want: []string{`"field":"profile"`}},
		{name: "enter bad reference", method: "POST", path: "/v1/journeys/welcome/entries", body: `{"profile":""}`, status: 400, want: []string{`"field":"profile"`}},
	})

	h.j.enterID = "inst_1"
	h.run(t, []scenario{
		{name: "enter", method: "POST", path: "/v1/journeys/welcome/entries", body: `{"profile":"prof_pia"}`, status: 202,
			want: []string{`"entered":true`, `"instance_id":"inst_1"`}},
	})
	h.j.enterErr = fmt.Errorf("%w: journey welcome does not take API entries", ErrInvalidInput)
	h.run(t, []scenario{
		{name: "engine refuses", method: "POST", path: "/v1/journeys/welcome/entries", body: `{"profile":"prof_pia"}`, status: 422,
			want: []string{`"code":"validation_error"`, "does not take API entries"}},
		{name: "stop", method: "POST", path: "/v1/journeys/welcome/stop", status: 200, want: []string{`"status":"stopped"`},
			check: func(t *testing.T, _ string) {
				calls := h.j.Calls()
				require.Equal(t, "stop welcome", calls[len(calls)-1])
				h.j.mu.Lock()
				defer h.j.mu.Unlock()
				require.Equal(t, "stopped", h.j.stopSeen, "the status is stored before the engine ejects instances")
			}},
		{name: "no entries when stopped", method: "POST", path: "/v1/journeys/welcome/entries", body: `{"profile":"prof_pia"}`, status: 409},
		{name: "pause a stopped journey", method: "POST", path: "/v1/journeys/welcome/pause", status: 409},
		{name: "audit", method: "GET", path: "/v1/audit", status: 200,
			want: []string{`"action":"journey.create"`, `"action":"journey.publish"`, `"action":"journey.pause"`, `"action":"journey.resume"`, `"action":"journey.stop"`}},
	})
}

func TestPublishThenReloadFails(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOpts{})
	h.j.reloadErr = errors.New("engine wedged")
	h.run(t, []scenario{
		{name: "create", method: "POST", path: "/v1/journeys", body: defBody(welcomeDef), status: 201},
		{name: "publish", method: "POST", path: "/v1/journeys/welcome/publish", status: 500,
			want: []string{`"code":"internal"`}, not: []string{"wedged"}, check: h.calls("reload")},
		{name: "the version is published all the same", method: "GET", path: "/v1/journeys/welcome", status: 200,
			want: []string{`"status":"live"`, `"live_version":1`}},
	})
}

func TestJourneysWithoutEngine(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOpts{noEngine: true})
	h.seedProfile(t, "prof_pia", "pia@nto.example")
	ghost := strings.Replace(welcomeDef, `"welcome-email"`, `"ghost"`, 1)
	h.run(t, []scenario{
		{name: "create", method: "POST", path: "/v1/journeys", body: defBody(ghost), status: 201},
		{name: "validate checks structure only", method: "POST", path: "/v1/journeys/welcome/validate", status: 200,
			want: []string{`"valid":true`, `"references_checked":false`}},
		{name: "publish", method: "POST", path: "/v1/journeys/welcome/publish", status: 503, want: []string{`"code":"journeys_unavailable"`}},
		{name: "stop", method: "POST", path: "/v1/journeys/welcome/stop", status: 503, want: []string{`"code":"journeys_unavailable"`}},
		{name: "entries", method: "POST", path: "/v1/journeys/welcome/entries", body: `{"profile":"prof_pia"}`, status: 503, want: []string{`"code":"journeys_unavailable"`}},
		{name: "still a draft", method: "GET", path: "/v1/journeys/welcome", status: 200, want: []string{`"status":"draft"`}},
	})
}

func TestJourneyRoutesNeedTheAdminToken(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOpts{})
	for _, rt := range []string{"POST /v1/journeys", "GET /v1/journeys/welcome/stats", "POST /v1/journeys/welcome/publish",
		"GET /v1/channels", "PUT /v1/settings/messaging", "POST /v1/messages", "GET /v1/suppressions", "GET /v1/profiles/x/messages"} {
		t.Run(rt, func(t *testing.T) {
			t.Parallel()
			method, path, _ := strings.Cut(rt, " ")
			req, err := http.NewRequestWithContext(t.Context(), method, h.srv.URL+path, strings.NewReader("{}"))
			require.NoError(t, err)
			resp, err := h.srv.Client().Do(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			require.Equal(t, http.StatusUnauthorized, resp.StatusCode)
			var env struct {
				Error Error `json:"error"`
			}
			require.NoError(t, json.NewDecoder(resp.Body).Decode(&env))
			require.Equal(t, CodeUnauthorized, env.Error.Code)
		})
	}
}
