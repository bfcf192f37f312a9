package app

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// eventually polls (bounded) until the GET of path answers 200 with a body
// for which ok is true, and returns that body.
func (s *testServer) eventually(path string, ok func(body string) bool) string {
	s.t.Helper()
	var body string
	for range 300 {
		var code int
		code, body = s.do(call{method: "GET", path: path})
		if code == http.StatusOK && ok(body) {
			return body
		}
		time.Sleep(10 * time.Millisecond)
	}
	s.t.Fatalf("GET %s never satisfied the condition; last body: %s", path, body)
	return ""
}

func has(subs ...string) func(string) bool {
	return func(b string) bool {
		for _, s := range subs {
			if !strings.Contains(b, s) {
				return false
			}
		}
		return true
	}
}

func TestSegmentsLive(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	web := s.createSource("nto-web", "web")
	recent := s.createSegment(`{"name":"Recent buyers","text":"performed \"Order Completed\" within 1h"}`)
	code, body := s.do(call{method: "POST", path: "/v1/batch", auth: basic(web), body: `{"batch":[
	 {"type":"track","userId":"u-1","event":"Order Completed","properties":{"revenue":20},"timestamp":"2026-11-01T12:00:00Z"},
	 {"type":"track","userId":"u-2","event":"Product Viewed","timestamp":"2026-11-01T12:00:00Z"}]}`})
	require.Equal(t, http.StatusOK, code, body)
	s.caughtUp()

	s.eventually("/v1/profiles/user_id:u-1/events", has(`"event":"Segment Entered"`, `"segment_id":"`+recent+`"`, `"reason":"event"`))
	body = s.eventually("/v1/profiles/user_id:u-1/segments", has(`"segment_id":"`+recent+`"`, `"version":1`, `"since":"2026-11-01T12:00:00Z"`))
	var prof struct {
		ProfileID string `json:"profile_id"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &prof))
	_, body = s.do(call{method: "GET", path: "/v1/segments/" + recent + "/members"})
	require.Contains(t, body, `"profile_id":"`+prof.ProfileID+`"`)
	require.Contains(t, body, `"size":1`)
	_, body = s.do(call{method: "GET", path: "/v1/segments/" + recent})
	require.Contains(t, body, `"status":"live"`)
	require.Contains(t, body, `"size":1`)
	_, body = s.do(call{method: "GET", path: "/v1/segments"})
	require.Contains(t, body, `"size":1`, "the list carries each live segment's size")
	_, body = s.do(call{method: "GET", path: "/v1/profiles/user_id:u-2/segments"})
	require.Contains(t, body, `"segments":[]`)
	_, body = s.do(call{method: "GET", path: "/v1/profiles/user_id:u-1"})
	require.Contains(t, body, `"event_count":1`, "segment events are not touchpoints")

	// The window closes with no new event: the timer fires on the manual clock.
	code, body = s.do(call{method: "POST", path: "/v1/admin/clock", body: `{"advance":"61m"}`})
	require.Equal(t, http.StatusOK, code, body)
	s.eventually("/v1/profiles/user_id:u-1/segments", has(`"segments":[]`))
	s.eventually("/v1/profiles/user_id:u-1/events", has(`"event":"Segment Exited"`, `"reason":"timer"`, `"at":"2026-11-01T13:00:00Z"`))
	s.eventually("/v1/segments/"+recent+"/members", has(`"members":[]`, `"size":0`))

	// A segment created after the events were ingested is backfilled.
	viewers := s.createSegment(`{"name":"Viewers","text":"performed \"Product Viewed\""}`)
	body = s.eventually("/v1/segments/"+viewers+"/members", has(`"size":1`))
	require.NotContains(t, body, prof.ProfileID)
	s.eventually("/v1/profiles/user_id:u-2/events", has(`"event":"Segment Entered"`, `"reason":"backfill"`))

	// An edit recomputes it under the new version; a delete clears it.
	code, body = s.do(call{method: "PUT", path: "/v1/segments/" + viewers, body: `{"name":"Viewers","text":"performed \"Order Completed\""}`})
	require.Equal(t, http.StatusOK, code, body)
	s.eventually("/v1/segments/"+viewers+"/members", has(`"profile_id":"`+prof.ProfileID+`"`, `"version":2`, `"size":1`))
	code, body = s.do(call{method: "DELETE", path: "/v1/segments/" + viewers})
	require.Equal(t, http.StatusNoContent, code, body)
	code, _ = s.do(call{method: "GET", path: "/v1/segments/" + viewers + "/members"})
	require.Equal(t, http.StatusNotFound, code)
	s.eventually("/v1/profiles/user_id:u-1/segments", has(`"segments":[]`))

	// Segment events come from the internal source, which has no write keys.
	_, body = s.do(call{method: "GET", path: "/v1/sources"})
	require.Contains(t, body, `"name":"cairn","channel":"server"`)
}
