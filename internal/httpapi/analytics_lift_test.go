package httpapi

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestLiftAPI(t *testing.T) {
	t.Parallel()
	// Mailed a (buys within 30 days) and b (buys after); held out c (buys)
	// and d (does not); e bought before her catalog.
	srv := newFunnelServer(t, []funnelEv{
		{user: "a", name: "Catalog Delivered", hours: 0, props: map[string]any{"wave": 1}},
		{user: "a", name: "Order Completed", hours: 24},
		{user: "b", name: "Catalog Delivered", hours: 0, props: map[string]any{"wave": 1}},
		{user: "b", name: "Order Completed", hours: 24 * 40},
		{user: "c", name: "Catalog Held Out", hours: 0, props: map[string]any{"wave": 1}},
		{user: "c", name: "Order Completed", hours: 48},
		{user: "d", name: "Catalog Held Out", hours: 0, props: map[string]any{"wave": 2}},
		{user: "e", name: "Order Completed", hours: 0},
		{user: "e", name: "Catalog Delivered", hours: 1, props: map[string]any{"wave": 1}},
	})
	type arm struct {
		Units       int64   `json:"units"`
		Conversions int64   `json:"conversions"`
		Rate        float64 `json:"rate"`
	}
	var res struct {
		Holdout, Exposed arm
		Excluded         struct {
			AfterConversion int64 `json:"after_conversion"`
		} `json:"excluded"`
		Test *struct {
			Diff float64 `json:"diff"`
		} `json:"test"`
		Window  string `json:"window"`
		Scanned struct {
			Profiles int `json:"profiles"`
		} `json:"scanned"`
	}
	code, body := postJSON(t, srv, "/v1/analytics/lift",
		`{"exposure":{"event":"Catalog Delivered"},"holdout":{"event":"Catalog Held Out"},"first_conversion":true}`, "tok")
	require.Equal(t, http.StatusOK, code, body)
	require.NoError(t, json.Unmarshal([]byte(body), &res))
	require.Equal(t, arm{2, 1, 0.5}, res.Exposed, "a converts, b too late; e excluded")
	require.Equal(t, arm{2, 1, 0.5}, res.Holdout)
	require.Equal(t, int64(1), res.Excluded.AfterConversion)
	require.Equal(t, "30d", res.Window)
	require.NotNil(t, res.Test)
	require.Equal(t, 5, res.Scanned.Profiles)

	// Filters pick one wave; the conversion defaults to Order Completed.
	code, body = postJSON(t, srv, "/v1/analytics/lift",
		`{"exposure":{"event":"Catalog Delivered","where":[{"property":"wave","op":"equals","value":1}]},
		  "holdout":{"event":"Catalog Held Out","where":[{"property":"wave","op":"equals","value":1}]},"window":"7d","unit":"customer"}`, "tok")
	require.Equal(t, http.StatusOK, code, body)
	require.NoError(t, json.Unmarshal([]byte(body), &res))
	require.Equal(t, arm{3, 1, 1.0 / 3}, res.Exposed, "a converts; b too late; e counted (no first_conversion) but bought before her catalog")
	require.Equal(t, arm{1, 1, 1}, res.Holdout)

	for _, c := range []struct {
		name, body, want string
		status           int
	}{
		{"no holdout", `{"exposure":{"event":"Catalog Delivered"}}`, `"field":"holdout"`, http.StatusBadRequest},
		{"bad window", `{"exposure":{"event":"A"},"holdout":{"event":"B"},"window":"soon"}`, `"field":"window"`, http.StatusBadRequest},
		{"bad filter", `{"exposure":{"event":"Catalog Delivered","where":[{"op":"nope"}]},"holdout":{"event":"B"}}`, `"field":"exposure.where"`, http.StatusBadRequest},
		{"unknown event", `{"exposure":{"event":"Catalog Delivered"},"holdout":{"event":"Catalog Withheld"}}`, `Catalog Withheld`, http.StatusUnprocessableEntity},
		{"bad unit", `{"exposure":{"event":"Catalog Delivered"},"holdout":{"event":"Catalog Held Out"},"unit":"x"}`, `unit`, http.StatusUnprocessableEntity},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, body := postJSON(t, srv, "/v1/analytics/lift", c.body, "tok")
			require.Equal(t, c.status, code, body)
			require.Contains(t, body, c.want)
		})
	}
	code, _ = postJSON(t, srv, "/v1/analytics/lift", `{}`, "wrong")
	require.Equal(t, http.StatusUnauthorized, code)
}
