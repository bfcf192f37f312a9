package httpapi

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/store"
)

func instanceAt(id, profileID, node string, version int) store.JourneyInstance {
	return store.JourneyInstance{ID: id, JourneyID: "welcome", Version: version, ProfileID: profileID, Node: node,
		Status: store.InstanceActive, EnteredAt: t0, UpdatedAt: t0}
}

func exitedAt(id, profileID, reason string) store.JourneyInstance {
	in := instanceAt(id, profileID, "done", 1)
	ex := t0.Add(time.Hour)
	in.Status, in.ExitReason, in.ExitedAt, in.UpdatedAt = store.InstanceExited, reason, &ex, ex
	return in
}

func sendAt(key, profileID, node, status, reason string, n int) store.Send {
	at := t0.Add(time.Duration(n) * time.Minute)
	return store.Send{Key: key, JourneyID: "welcome", Version: 1, InstanceID: "i-" + profileID, NodeID: node, ProfileID: profileID,
		Channel: "email", TemplateID: "welcome-email", Status: status, Reason: reason, DueAt: at, CreatedAt: at, UpdatedAt: at}
}

// seedStats publishes welcome v1 and writes instances and sends the way
// the processor does (Apply): 4 active (one at "legacy", a node the live
// version does not have), 3 exited, 7 sends at hello and 1 at legacy.
func seedStats(t *testing.T, h *harness) {
	t.Helper()
	h.seedProfile(t, "prof_pia", "pia@nto.example")
	h.seedProfile(t, "prof_bo", "bo@nto.example")
	h.run(t, []scenario{
		{name: "create", method: "POST", path: "/v1/journeys", body: defBody(welcomeDef), status: 201},
		{name: "publish", method: "POST", path: "/v1/journeys/welcome/publish", status: 200},
	})
	h.apply(t, &store.ProcessBatch{
		Instances: []store.JourneyInstance{
			instanceAt("i1", "prof_pia", "hello", 1), instanceAt("i2", "prof_bo", "hello", 1), instanceAt("i3", "prof_x", "pause", 1),
			instanceAt("i4", "prof_y", "legacy", 1),
			exitedAt("i5", "prof_pia", "goal"), exitedAt("i6", "prof_z", "goal"), exitedAt("i7", "prof_w", "completed"),
		},
		Sends: []store.Send{
			sendAt("s1", "prof_pia", "hello", store.SendSent, "", 1), sendAt("s2", "prof_bo", "hello", store.SendSent, "", 2),
			sendAt("s3", "prof_x", "hello", store.SendSent, "", 3), sendAt("s4", "prof_y", "hello", store.SendSkipped, "quiet_hours", 4),
			sendAt("s5", "prof_z", "hello", store.SendSkipped, "frequency_cap", 5), sendAt("s6", "prof_w", "hello", store.SendSkipped, "frequency_cap", 6),
			sendAt("s7", "prof_pia", "hello", store.SendFailed, "bounced", 7), sendAt("s8", "prof_pia", "legacy", store.SendQueued, "", 8),
		},
	})
	require.NoError(t, h.st.AddEngagement(t.Context(), store.Engagement{Key: "s1", Type: "opened", At: t0.Add(time.Hour)}))
}

func TestJourneyStats(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOpts{})
	seedStats(t, h)
	status, body := h.do(t, "GET", "/v1/journeys/welcome/stats", "")
	require.Equal(t, 200, status, body)
	var got journeyStatsView
	require.NoError(t, json.Unmarshal([]byte(body), &got))
	require.Equal(t, int64(7), got.Entered)
	require.Equal(t, int64(2), got.Goals)
	require.Equal(t, map[string]int64{"goal": 2, "completed": 1}, got.Exited)
	require.Equal(t, []store.JourneyNodeCount{{Version: 1, Node: "hello", Active: 2}, {Version: 1, Node: "legacy", Active: 1}, {Version: 1, Node: "pause", Active: 1}}, got.Active)
	require.Len(t, got.Sends, 5, "per node, status and reason")
	nodes := map[string]nodeStats{}
	var order []string
	for _, n := range got.Nodes {
		nodes[n.Node] = *n
		order = append(order, n.Node)
	}
	require.Equal(t, []string{"hello", "pause", "done", "legacy"}, order, "live nodes in order, then nodes only older versions have")
	require.Equal(t, nodeStats{Node: "hello", Kind: "message", Active: 2, Sent: 3, Failed: 1,
		Skipped: map[string]int64{"quiet_hours": 1, "frequency_cap": 2}, Failures: map[string]int64{"bounced": 1}}, nodes["hello"])
	require.Equal(t, nodeStats{Node: "pause", Kind: "delay", Active: 1, Skipped: map[string]int64{}, Failures: map[string]int64{}}, nodes["pause"])
	require.Equal(t, nodeStats{Node: "legacy", Removed: true, Active: 1, Queued: 1, Skipped: map[string]int64{}, Failures: map[string]int64{}}, nodes["legacy"])

	status, body = h.do(t, "GET", "/v1/journeys/nope/stats", "")
	require.Equal(t, 404, status, body)
}

func TestJourneyInstances(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOpts{})
	seedStats(t, h)
	var page struct {
		Instances []store.JourneyInstance `json:"instances"`
		Next      string                  `json:"next_cursor"`
	}
	list := func(query string) []string {
		t.Helper()
		var ids []string
		cursor := ""
		for range 10 {
			status, body := h.do(t, "GET", "/v1/journeys/welcome/instances?limit=2&"+query+"&cursor="+cursor, "")
			require.Equal(t, 200, status, body)
			page.Instances, page.Next = nil, ""
			require.NoError(t, json.Unmarshal([]byte(body), &page))
			for _, in := range page.Instances {
				ids = append(ids, in.ID)
			}
			if page.Next == "" {
				return ids
			}
			cursor = page.Next
		}
		t.Fatal("pagination does not end")
		return nil
	}
	cases := []struct {
		query string
		want  []string
	}{
		{"", []string{"i1", "i2", "i3", "i4", "i5", "i6", "i7"}},
		{"status=active", []string{"i1", "i2", "i3", "i4"}},
		{"status=exited", []string{"i5", "i6", "i7"}},
		{"node=hello", []string{"i1", "i2"}},
		{"status=active&node=pause", []string{"i3"}},
		{"node=nowhere", nil},
	}
	for _, tc := range cases {
		t.Run(tc.query, func(t *testing.T) {
			require.Equal(t, tc.want, list(tc.query))
		})
	}
	h.run(t, []scenario{
		{name: "bad status", method: "GET", path: "/v1/journeys/welcome/instances?status=gone", status: 400, want: []string{`"field":"status"`}},
		{name: "bad limit", method: "GET", path: "/v1/journeys/welcome/instances?limit=-1", status: 400, want: []string{`"field":"limit"`}},
		{name: "empty list is a list", method: "GET", path: "/v1/journeys/welcome/instances?node=nowhere", status: 200, want: []string{`"instances":[]`}},
	})
}

func TestProfileJourneysAndMessages(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOpts{})
	seedStats(t, h)
	h.run(t, []scenario{
		{name: "journeys by email", method: "GET", path: "/v1/profiles/email:PIA@nto.example/journeys", status: 200,
			want: []string{`"profile_id":"prof_pia"`, `"id":"i1"`, `"id":"i5"`, `"exit_reason":"goal"`, `"journey_name":"Welcome"`}, not: []string{`"id":"i2"`}},
		{name: "journeys of unknown profile", method: "GET", path: "/v1/profiles/email:nobody@nto.example/journeys", status: 404},
		{name: "journeys of a profile with none", method: "GET", path: "/v1/profiles/prof_bo/journeys", status: 200, want: []string{`"id":"i2"`}},
		{name: "messages with engagements", method: "GET", path: "/v1/profiles/prof_pia/messages", status: 200,
			want: []string{`"key":"s8"`, `"key":"s7"`, `"key":"s1"`, `"type":"opened"`, `"engagements":[]`}, not: []string{`"key":"s2"`},
			check: func(t *testing.T, body string) {
				var got struct {
					Messages []messageView `json:"messages"`
				}
				require.NoError(t, json.Unmarshal([]byte(body), &got))
				var keys []string
				for _, m := range got.Messages {
					keys = append(keys, m.Key)
				}
				require.Equal(t, []string{"s8", "s7", "s1"}, keys, "newest first")
				require.Equal(t, "opened", got.Messages[2].Engagements[0].Type)
			}},
		{name: "messages since", method: "GET", path: "/v1/profiles/prof_pia/messages?since=" + t0.Add(5*time.Minute).Format(time.RFC3339), status: 200,
			want: []string{`"key":"s8"`, `"key":"s7"`}, not: []string{`"key":"s1"`}},
		{name: "messages limit", method: "GET", path: "/v1/profiles/prof_pia/messages?limit=1", status: 200, want: []string{`"key":"s8"`}, not: []string{`"key":"s7"`}},
		{name: "bad since", method: "GET", path: "/v1/profiles/prof_pia/messages?since=yesterday", status: 400, want: []string{`"field":"since"`}},
		{name: "messages of unknown profile", method: "GET", path: "/v1/profiles/nobody/messages", status: 404},
	})
}
