package app

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// profileTraits reads a profile's traits and which of them are computed.
func (s *testServer) profileTraits(ref string) (map[string]any, map[string]bool) {
	s.t.Helper()
	code, body := s.do(call{method: "GET", path: "/v1/profiles/" + ref})
	require.Equal(s.t, http.StatusOK, code, body)
	var v struct {
		Traits    map[string]any `json:"traits"`
		TraitMeta map[string]struct {
			Computed bool `json:"computed"`
		} `json:"trait_meta"`
	}
	require.NoError(s.t, json.Unmarshal([]byte(body), &v))
	computed := map[string]bool{}
	for k, m := range v.TraitMeta {
		computed[k] = m.Computed
	}
	return v.Traits, computed
}

func TestComputedTraitsLive(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	web := s.createSource("nto-web", "web")
	pos := s.createSource("nto-store", "store")

	_, body := s.do(call{method: "GET", path: "/v1/traits/computed"})
	for _, name := range []string{"lifetime_revenue", "order_count", "last_purchase_at", "first_seen_channel", "preferred_channel"} {
		require.Contains(t, body, `"name":"`+name+`"`, "built-in %s is on by default", name)
	}
	require.Contains(t, body, `"live":true`)
	big := s.createSegment(`{"name":"Big spenders","text":"trait lifetime_revenue > 100"}`)

	send := func(key, events string) {
		t.Helper()
		code, body := s.do(call{method: "POST", path: "/v1/batch", auth: basic(key), body: `{"batch":[` + events + `]}`})
		require.Equal(t, http.StatusOK, code, body)
		s.caughtUp()
	}
	const ref = "user_id:u-1"
	send(web, `{"type":"track","userId":"u-1","event":"Product Viewed","timestamp":"2026-11-01T10:00:00Z"},
		{"type":"track","userId":"u-1","event":"Order Completed","properties":{"revenue":60},"timestamp":"2026-11-01T11:00:00Z"}`)
	tr, computed := s.profileTraits(ref)
	require.InDelta(t, 60.0, tr["lifetime_revenue"], 1e-9)
	require.InDelta(t, 1.0, tr["order_count"], 1e-9)
	require.Equal(t, "web", tr["first_seen_channel"])
	require.True(t, computed["lifetime_revenue"] && computed["order_count"] && computed["preferred_channel"], "trait_meta marks them computed: %v", computed)
	s.eventually("/v1/profiles/"+ref+"/segments", has(`"segments":[]`))

	send(pos, `{"type":"track","userId":"u-1","event":"Order Completed","properties":{"revenue":70},"timestamp":"2026-11-01T11:20:00Z"}`)
	tr, _ = s.profileTraits(ref)
	require.InDelta(t, 130.0, tr["lifetime_revenue"], 1e-9)
	require.InDelta(t, 2.0, tr["order_count"], 1e-9)
	require.Equal(t, "2026-11-01T11:20:00Z", tr["last_purchase_at"])
	require.Equal(t, "web", tr["preferred_channel"], "two web events, one store event; Segment Entered events do not count")
	require.Equal(t, "web", tr["first_seen_channel"])
	s.eventually("/v1/profiles/"+ref+"/segments", has(`"segment_id":"`+big+`"`))
	_, segs := s.do(call{method: "GET", path: "/v1/profiles/" + ref + "/segments"})
	require.Contains(t, segs, `"name":"Big spenders"`, "memberships come with the segment's name")

	// Bad definitions are rejected at save with the field and a fix.
	code, body := s.do(call{method: "POST", path: "/v1/traits/computed", body: `{"name":"rev_fixed","kind":"sum","event":"Order Completed","property":"revenue","window":{"after":"2026-01-01T00:00:00Z"}}`})
	require.Equal(t, http.StatusBadRequest, code, body)
	require.Contains(t, body, `"field":"window"`)
	require.Contains(t, body, "must be relative")
	code, body = s.do(call{method: "POST", path: "/v1/traits/computed", body: `{"name":"x","kind":"median","event":"E","property":"p"}`})
	require.Equal(t, http.StatusBadRequest, code, body)
	require.Contains(t, body, `"field":"kind"`)

	// A new definition is backfilled for existing profiles.
	code, body = s.do(call{method: "POST", path: "/v1/traits/computed", body: `{"name":"order_channels","kind":"unique_list","event":"Order Completed","property":"channel"}`})
	require.Equal(t, http.StatusCreated, code, body)
	require.Contains(t, body, `"version":1`)
	tr, computed = s.profileTraits(ref)
	require.Equal(t, []any{"store", "web"}, tr["order_channels"])
	require.True(t, computed["order_channels"])

	// Editing a built-in recomputes it everywhere, and the segment follows.
	code, body = s.do(call{method: "POST", path: "/v1/traits/computed", body: `{"name":"lifetime_revenue","kind":"sum","event":"Order Completed","property":"revenue","where":[{"property":"revenue","op":"gt","value":65}]}`})
	require.Equal(t, http.StatusOK, code, body)
	require.Contains(t, body, `"version":2`)
	tr, _ = s.profileTraits(ref)
	require.InDelta(t, 70.0, tr["lifetime_revenue"], 1e-9)
	s.eventually("/v1/profiles/"+ref+"/segments", has(`"segments":[]`))
	s.eventually("/v1/profiles/"+ref+"/events", has(`"event":"Segment Exited"`, `"reason":"backfill"`))

	// Deleting a definition removes the trait; a deleted built-in stays deleted.
	code, body = s.do(call{method: "DELETE", path: "/v1/traits/computed/order_channels"})
	require.Equal(t, http.StatusNoContent, code, body)
	code, body = s.do(call{method: "DELETE", path: "/v1/traits/computed/order_channels"})
	require.Equal(t, http.StatusNotFound, code, body)
	tr, _ = s.profileTraits(ref)
	require.NotContains(t, tr, "order_channels")
	code, body = s.do(call{method: "DELETE", path: "/v1/traits/computed/order_count"})
	require.Equal(t, http.StatusNoContent, code, body)
	created, err := s.a.ensureBuiltinComputed(t.Context())
	require.NoError(t, err)
	require.Empty(t, created, "a deleted built-in is not re-created")
	_, body = s.do(call{method: "GET", path: "/v1/traits/computed"})
	require.NotContains(t, body, `"name":"order_count"`)
}
