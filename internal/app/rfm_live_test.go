package app

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// RFM scores are re-binned daily on the engine clock (and on request) and
// can be segmented on.
func TestRFMScoresOnDemoData(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	require.NoError(t, s.a.LoadDemo(t.Context(), DemoOptions{Customers: 200, Seed: 4}))
	s.settle()
	champions := s.createSegment(`{"name":"Champions","text":"trait \"rfm_recency\" gte 4 and trait \"rfm_frequency\" gte 4"}`)

	// A day passes on the engine clock: the daily re-binning runs by itself.
	s.mustDo(call{method: "POST", path: "/v1/admin/clock", body: `{"advance":"24h1s"}`}, http.StatusOK)
	var body string
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if _, body = s.do(call{method: "GET", path: "/v1/segments/" + champions + "/members?limit=1"}); strings.Contains(body, `"profile_id"`) {
			break
		}
	}
	require.Contains(t, body, `"profile_id"`, "the daily re-binning never ran")
	var m struct {
		Members []struct {
			ProfileID string `json:"profile_id"`
		} `json:"members"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &m))
	tr, _ := s.profileTraits(m.Members[0].ProfileID)
	require.GreaterOrEqual(t, tr["rfm_recency"], 4.0)
	require.Len(t, tr["rfm_score"], 3)

	// On request, nothing changed since: nothing is rewritten.
	body = s.mustDo(call{method: "POST", path: "/v1/traits/rfm/rebin"}, http.StatusOK)
	require.Contains(t, body, `"profiles_changed":0`)
}
