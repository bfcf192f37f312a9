package app

import (
	"bufio"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestDebuggerStream watches the live debugger of a real server while an
// SDK-shaped batch arrives: the accepted events and the invalid one stream
// out as Server-Sent Events, and the per-minute series counts them.
func TestDebuggerStream(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	key := s.createSource("web", "web")
	var src struct {
		Sources []struct{ ID, Name string } `json:"sources"`
	}
	_, body := s.do(call{method: "GET", path: "/v1/sources"})
	require.NoError(t, json.Unmarshal([]byte(body), &src))
	webID := ""
	for _, x := range src.Sources {
		if x.Name == "web" {
			webID = x.ID
		}
	}

	req, err := http.NewRequestWithContext(t.Context(), "GET", s.url+"/v1/debugger/events?source="+webID, nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+s.token)
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Equal(t, "text/event-stream", res.Header.Get("Content-Type"))
	lines := bufio.NewScanner(res.Body)
	require.True(t, lines.Scan())
	require.Equal(t, ": connected", lines.Text(), "the subscription is in place before we send")

	code, body := s.do(call{method: "POST", path: "/v1/batch", auth: basic(key), body: `{"batch":[
		{"type":"track","event":"Product Viewed","userId":"u1","messageId":"m1","properties":{"sku":"tent"}},
		{"type":"track","event":"No One","messageId":"m2"}]}`})
	require.Equal(t, http.StatusOK, code, body)

	var events []string
	var items []map[string]any
	for len(items) < 2 && lines.Scan() {
		line := lines.Text()
		switch {
		case strings.HasPrefix(line, "event: "):
			events = append(events, strings.TrimPrefix(line, "event: "))
		case strings.HasPrefix(line, "data: "):
			var it map[string]any
			require.NoError(t, json.Unmarshal([]byte(strings.TrimPrefix(line, "data: ")), &it))
			items = append(items, it)
		}
	}
	require.Equal(t, []string{"accepted", "rejected"}, events)
	require.Equal(t, "Product Viewed", items[0]["event"])
	require.Equal(t, "web", items[0]["source_name"])
	require.Equal(t, "tent", items[0]["payload"].(map[string]any)["properties"].(map[string]any)["sku"])
	require.Equal(t, "m2", items[1]["message_id"])
	require.NotEmpty(t, items[1]["reason"])

	code, body = s.do(call{method: "GET", path: "/v1/stats/series?minutes=5"})
	require.Equal(t, http.StatusOK, code, body)
	var series struct {
		Minutes int `json:"minutes"`
		Sources []struct {
			SourceName string  `json:"source_name"`
			Counts     []int64 `json:"counts"`
			Total      int64   `json:"total"`
		} `json:"sources"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &series))
	require.Equal(t, 5, series.Minutes)
	require.Len(t, series.Sources, 1)
	require.Equal(t, int64(2), series.Sources[0].Total)
	require.Equal(t, int64(2), series.Sources[0].Counts[4], "this minute")

	code, body = s.do(call{method: "GET", path: "/v1/debugger/events?source=src_nope"})
	require.Equal(t, http.StatusNotFound, code, body)
	code, _ = s.do(call{method: "GET", path: "/v1/stats/series?minutes=0"})
	require.Equal(t, http.StatusBadRequest, code)
}
