package app

import (
	"net/http"
	"regexp"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
)

// Once the analytics projection is loaded, a new segment's backfill reads
// its histories and the payload values it tests from memory (wired in
// Open), and decides what the events say.
func TestBackfillReadsTheLoadedProjection(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	web := s.createSource("nto-web", "web")
	code, body := s.do(call{method: "POST", path: "/v1/batch", auth: basic(web), body: `{"batch":[
		{"type":"track","userId":"u-1","event":"Order Completed","properties":{"revenue":120},"timestamp":"2026-11-01T10:00:00Z"},
		{"type":"track","userId":"u-2","event":"Order Completed","properties":{"revenue":20},"timestamp":"2026-11-01T10:00:00Z"},
		{"type":"track","userId":"u-3","event":"Product Viewed","timestamp":"2026-11-01T10:00:00Z"}]}`})
	require.Equal(t, http.StatusOK, code, body)
	s.caughtUp()
	require.NoError(t, s.a.Histories.Refresh(t.Context())) // what serve's preload does at start

	seg := s.createSegment(`{"name":"Big orders","text":"performed \"Order Completed\" where revenue > 100 within 30d"}`)
	s.eventually("/v1/segments/"+seg, has(`"status":"live"`, `"size":1`))
	_, metrics := s.do(call{method: "GET", path: "/metrics", auth: "none"})
	m := regexp.MustCompile(`cairn_segment_backfill_pages_total\{from="memory"\} (\d+)`).FindStringSubmatch(metrics)
	require.NotNil(t, m, "no memory page counted: %s", metrics)
	n, err := strconv.Atoi(m[1])
	require.NoError(t, err)
	require.Positive(t, n)
	_, refs := s.do(call{method: "GET", path: "/v1/profiles/user_id:u-1/segments"})
	require.Contains(t, refs, seg)
}
