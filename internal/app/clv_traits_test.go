package app

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// CLV predictions fitted on the demo's purchases become computed traits that
// segments can use, and identify calls cannot overwrite them.
func TestCLVTraitsOnDemoData(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	require.NoError(t, s.a.LoadDemo(t.Context(), DemoOptions{Customers: 200, Seed: 3}))
	s.settle()
	seg := s.createSegment(`{"name":"Likely active","text":"trait \"p_alive\" gte 0.5"}`)

	body := s.mustDo(call{method: "POST", path: "/v1/analytics/clv/apply", body: `{}`}, http.StatusOK)
	var res struct {
		Customers int                              `json:"customers"`
		Changed   int                              `json:"profiles_changed"`
		BGNBD     struct{ R, Alpha, A, B float64 } `json:"bg_nbd"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &res), body)
	require.Greater(t, res.Customers, 50, body)
	require.Equal(t, res.Customers, res.Changed, body)
	require.Positive(t, res.BGNBD.R)

	members := s.eventually("/v1/segments/"+seg+"/members?limit=1", has(`"profile_id"`))
	var m struct {
		Members []struct {
			ProfileID string `json:"profile_id"`
		} `json:"members"`
	}
	require.NoError(t, json.Unmarshal([]byte(members), &m))
	ref := m.Members[0].ProfileID
	tr, _ := s.profileTraits(ref)
	require.GreaterOrEqual(t, tr["p_alive"], 0.5)
	require.Contains(t, tr, "predicted_purchases_90d")
	require.Contains(t, tr, "predicted_clv")

	// A second run writes nothing new (same data, same fit).
	body = s.mustDo(call{method: "POST", path: "/v1/analytics/clv/apply", body: `{}`}, http.StatusOK)
	require.Contains(t, body, `"profiles_changed":0`)
}
