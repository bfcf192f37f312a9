package app

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/segment"
)

func TestDemoStagesParse(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for _, ds := range demoStages {
		t.Run(ds.stage, func(t *testing.T) {
			def, err := segment.ParseText(ds.text)
			require.NoError(t, err)
			require.NoError(t, segment.CheckReferences("seg_"+ds.stage, def, func(string) (*segment.Definition, bool) { return nil, false }))
			again, err := segment.ParseText(def.Text())
			require.NoError(t, err, "the canonical text form parses again")
			require.Equal(t, string(def.JSON()), string(again.JSON()))
		})
		require.False(t, seen[ds.stage], "stage %s twice", ds.stage)
		seen[ds.stage] = true
	}
	require.Len(t, seen, 6)
	require.True(t, seen[demoStageDefault], "the default is one of the model's stage names")
}

func TestStagesLive(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	web := s.createSource("nto-web", "web")

	code, body := s.do(call{method: "GET", path: "/v1/stages"})
	require.Equal(t, http.StatusNotFound, code, body)
	code, body = s.do(call{method: "PUT", path: "/v1/stages", body: `{"stages":[{"name":"x","segment_id":"seg_nosuch"}],"default":"y"}`})
	require.Equal(t, http.StatusBadRequest, code, body)
	require.Contains(t, body, `"field":"stages[0].segment_id"`)

	created, err := s.a.ensureDemoStages(t.Context())
	require.NoError(t, err)
	require.True(t, created)
	require.NoError(t, s.a.liveDemoStages(t.Context()))
	created, err = s.a.ensureDemoStages(t.Context())
	require.NoError(t, err)
	require.False(t, created, "an existing model is kept")
	_, body = s.do(call{method: "GET", path: "/v1/stages"})
	require.Contains(t, body, `"version":1`)
	require.Contains(t, body, `"default":"awareness"`)
	require.Less(t, strings.Index(body, `"name":"advocacy"`), strings.Index(body, `"name":"awareness"`), "model order kept")

	send := func(events string) {
		t.Helper()
		code, body := s.do(call{method: "POST", path: "/v1/batch", auth: basic(web), body: `{"batch":[` + events + `]}`})
		require.Equal(t, http.StatusOK, code, body)
		s.caughtUp()
	}
	const prof = "/v1/profiles/user_id:u-1"
	send(`{"type":"track","userId":"u-1","event":"Product Viewed","timestamp":"2026-11-01T11:00:00Z"}`)
	s.eventually(prof, has(`"lifecycle_stage":"consideration"`, `"computed":true`))

	send(`{"type":"track","userId":"u-1","event":"Order Completed","properties":{"revenue":20},"timestamp":"2026-11-01T11:10:00Z"}`)
	s.eventually(prof, has(`"lifecycle_stage":"purchase"`))
	s.eventually(prof+"/events", has(`"event":"Stage Changed"`, `"from":"consideration","to":"purchase","model_version":1`))

	send(`{"type":"track","userId":"u-1","event":"Order Completed","properties":{"revenue":30},"timestamp":"2026-11-01T11:20:00Z"}`)
	s.eventually(prof, has(`"lifecycle_stage":"retention"`))
	s.eventually(prof+"/events", has(`"from":"purchase","to":"retention"`))

	// No event: the 180-day windows close and the timers move the stage.
	code, body = s.do(call{method: "POST", path: "/v1/admin/clock", body: `{"advance":"4344h"}`}) // 181 days
	require.Equal(t, http.StatusOK, code, body)
	s.eventually(prof, has(`"lifecycle_stage":"lapsed"`))
	body = s.eventually(prof+"/events", has(`"from":"retention","to":"lapsed"`, `"at":"2027-04-30T11:20:00Z"`))
	require.NotContains(t, body, `"to":"awareness"`, "the stage moves in one step, never through the default")

	_, body = s.do(call{method: "GET", path: "/v1/stages/report"})
	require.Contains(t, body, `{"stage":"lapsed","profiles":1}`)
	require.Contains(t, body, `{"stage":"retention","profiles":0}`)

	// The model is editable: a new version recomputes every profile.
	_, body = s.do(call{method: "GET", path: "/v1/segments"})
	lapsedID := segmentIDNamed(t, body, "Stage: lapsed")
	code, body = s.do(call{method: "PUT", path: "/v1/stages", body: `{"stages":[{"name":"gone","segment_id":"` + lapsedID + `"}],"default":"other"}`})
	require.Equal(t, http.StatusOK, code, body)
	require.Contains(t, body, `"version":2`)
	s.eventually(prof, has(`"lifecycle_stage":"gone"`))
	s.eventually(prof+"/events", has(`"from":"lapsed","to":"gone","model_version":2`))
}

// segmentIDNamed finds the id of the named segment in a GET /v1/segments body.
func segmentIDNamed(t *testing.T, body, name string) string {
	t.Helper()
	i := strings.Index(body, `"name":"`+name+`"`)
	require.GreaterOrEqual(t, i, 0, body)
	j := strings.LastIndex(body[:i], `"id":"`)
	require.GreaterOrEqual(t, j, 0, body)
	id, _, _ := strings.Cut(body[j+len(`"id":"`):], `"`)
	return id
}
