package app

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// csvGet fetches path with the admin token and returns the status, headers and body.
func (s *testServer) csvGet(path string) (int, http.Header, string) {
	s.t.Helper()
	req, err := http.NewRequestWithContext(s.t.Context(), "GET", s.url+path, nil)
	require.NoError(s.t, err)
	req.Header.Set("Authorization", "Bearer "+s.token)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(s.t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(s.t, err)
	return resp.StatusCode, resp.Header, string(b)
}

// profileID returns the profile id behind ref from its segments answer.
func (s *testServer) profileID(ref string) string {
	s.t.Helper()
	code, body := s.do(call{method: "GET", path: "/v1/profiles/" + ref + "/segments"})
	require.Equal(s.t, http.StatusOK, code, body)
	var p struct {
		ProfileID string `json:"profile_id"`
	}
	require.NoError(s.t, json.Unmarshal([]byte(body), &p))
	require.NotEmpty(s.t, p.ProfileID)
	return p.ProfileID
}

func (s *testServer) advance(d string) {
	s.t.Helper()
	code, body := s.do(call{method: "POST", path: "/v1/admin/clock", body: `{"advance":"` + d + `"}`})
	require.Equal(s.t, http.StatusOK, code, body)
}

func point(at string, size, entered, exited int) string {
	return fmt.Sprintf(`{"at":"%s","size":%d,"entered":%d,"exited":%d}`, at, size, entered, exited)
}

func history(points ...string) string { return `"history":[` + strings.Join(points, ",") + `]` }

func TestSegmentHistoryAndCSV(t *testing.T) {
	t.Parallel()
	s := startServer(t) // manual clock at 2026-11-01T12:00:00Z
	web := s.createSource("hist-web", "web")
	seg := s.createSegment(`{"name":"Recent buyers","text":"performed \"Order Completed\" within 1h"}`)
	send := func(user, ts string) {
		code, body := s.do(call{method: "POST", path: "/v1/track", auth: basic(web),
			body: `{"userId":"` + user + `","event":"Order Completed","timestamp":"` + ts + `"}`})
		require.Equal(t, http.StatusOK, code, body)
		s.caughtUp()
	}
	send("u-1", "2026-11-01T12:00:00Z") // enters at 12:00
	s.advance("30m")
	send("u-2", "2026-11-01T12:30:00Z") // enters at 12:30
	s.advance("40m")                    // 13:10: u-1 leaves by timer at 13:00; u-2 stays until 13:30
	s.eventually("/v1/profiles/user_id:u-1/events", has(`"event":"Segment Exited"`, `"reason":"timer"`))
	u1, u2 := s.profileID("user_id:u-1"), s.profileID("user_id:u-2")

	hourly := "/v1/segments/" + seg + "/history?bucket=hour&since=2026-11-01T11:00:00Z&until=2026-11-01T13:05:00Z"
	body := s.eventually(hourly, has(history(
		point("2026-11-01T11:00:00Z", 0, 0, 0),
		point("2026-11-01T12:00:00Z", 2, 2, 0), // the exit at 13:00 belongs to the next bucket
		point("2026-11-01T13:00:00Z", 1, 0, 1))))
	require.Contains(t, body, `"since":"2026-11-01T11:00:00Z","until":"2026-11-01T14:00:00Z"`, "until rounds up to the bucket")
	require.Contains(t, body, `"size":1,`)

	code, hdr, csvBody := s.csvGet("/v1/segments/" + seg + "/members.csv")
	require.Equal(t, http.StatusOK, code, csvBody)
	require.Equal(t, "text/csv; charset=utf-8", hdr.Get("Content-Type"))
	require.Equal(t, `attachment; filename="`+seg+`-members.csv"`, hdr.Get("Content-Disposition"))
	require.Equal(t, "profile_id,since,version\n"+u2+",2026-11-01T12:30:00Z,1\n", csvBody)

	// An edit clears the segment without exits and backfills version 2 at
	// 13:10: the hours before it keep version 1's sizes.
	code, body = s.do(call{method: "PUT", path: "/v1/segments/" + seg, body: `{"text":"performed \"Order Completed\""}`})
	require.Equal(t, http.StatusOK, code, body)
	s.eventually(hourly, has(history(
		point("2026-11-01T11:00:00Z", 0, 0, 0),
		point("2026-11-01T12:00:00Z", 2, 2, 0),
		point("2026-11-01T13:00:00Z", 2, 2, 1))))
	s.eventually("/v1/segments/"+seg+"/history?bucket=day&since=2026-11-01T00:00:00Z&until=2026-11-02T00:00:00Z",
		has(history(point("2026-11-01T00:00:00Z", 2, 4, 1))))
	// Defaults: daily buckets over the 30 days up to now.
	body = s.eventually("/v1/segments/"+seg+"/history", has(`"bucket":"day"`, point("2026-11-01T00:00:00Z", 2, 4, 1)))
	require.Contains(t, body, `"since":"2026-10-02T00:00:00Z","until":"2026-11-02T00:00:00Z"`)

	_, _, csvBody = s.csvGet("/v1/segments/" + seg + "/members.csv")
	want := []string{u1 + ",2026-11-01T13:10:00Z,2", u2 + ",2026-11-01T13:10:00Z,2"}
	slices.Sort(want)
	require.Equal(t, "profile_id,since,version\n"+strings.Join(want, "\n")+"\n", csvBody)

	bad := []struct {
		name, query, field string
	}{
		{"unknown bucket", "bucket=week", "bucket"},
		{"since not a time", "since=yesterday", "since"},
		{"until not a time", "until=2026-13-01", "until"},
		{"until not after since", "since=2026-11-01T12:00:00Z&until=2026-11-01T12:00:00Z", "until"},
		{"too many buckets", "bucket=hour&since=2026-01-01T00:00:00Z&until=2026-11-01T00:00:00Z", "since"},
	}
	for _, c := range bad {
		t.Run(c.name, func(t *testing.T) {
			code, body := s.do(call{method: "GET", path: "/v1/segments/" + seg + "/history?" + c.query})
			require.Equal(t, http.StatusBadRequest, code, body)
			require.Contains(t, body, `"field":"`+c.field+`"`)
		})
	}
	for _, p := range []string{"/history", "/members.csv"} {
		code, body := s.do(call{method: "GET", path: "/v1/segments/seg_missing" + p})
		require.Equal(t, http.StatusNotFound, code, body)
	}
}
