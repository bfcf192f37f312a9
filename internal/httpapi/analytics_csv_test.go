package httpapi

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestCSVWanted(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		accept       string
		prefer, only bool
	}{
		{"", false, false},
		{"*/*", false, false},
		{"application/json", false, false},
		{"text/html", false, false},
		{"text/*", false, false},
		{"text/csv", true, true},
		{"text/csv;charset=utf-8", true, true},
		{"TEXT/CSV ; Q=1", true, true},
		{"text/csv;q=0", false, false},
		{"text/csv;q=0.9, application/json", false, false},
		{"application/json;q=0.5, text/csv", true, false},
		{"text/csv, application/json", true, false},
		{"application/json;q=0, text/csv", true, true},
		{"text/csv;q=0.5, */*", true, false},
		{"text/csv, */*;q=0.1", true, false},
		{"text/csv, application/*", true, false},
		{"text/html, text/csv;q=0.8", true, true},
		{"text/csv;q=abc", false, false},
		{" , text/csv", true, true},
	} {
		prefer, only := csvWanted(c.accept)
		require.Equal(t, [2]bool{c.prefer, c.only}, [2]bool{prefer, only}, "%q", c.accept)
	}
	for path, want := range map[string]string{
		"/v1/analytics/funnels":                 "funnels.csv",
		"/v1/analytics/journeys/welcome/report": "journeys-welcome-report.csv",
		"/v1/analytics/experiments/p r\"o/x":    "experiments-p_r_o-x.csv",
		"/v1/analytics/":                        "analytics.csv",
		"/v1/analytics/clv/apply":               "clv-apply.csv",
	} {
		require.Equal(t, want, csvFilename(path), path)
	}
}

func TestWriteResultNotAcceptable(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		accept, ctype string
		status        int
	}{
		{"text/csv", "application/json", http.StatusNotAcceptable},
		{"text/csv, */*;q=0.1", "application/json", http.StatusOK},
		{"", "application/json", http.StatusOK},
	} {
		req := httptest.NewRequest(http.MethodGet, "/v1/analytics/x", nil)
		req.Header.Set("Accept", c.accept)
		rec := httptest.NewRecorder()
		writeResult(rec, req, map[string]int{"a": 1}) // no table
		require.Equal(t, c.status, rec.Code, c.accept)
		require.Equal(t, c.ctype, rec.Header().Get("Content-Type"))
		if c.status == http.StatusNotAcceptable {
			require.Contains(t, rec.Body.String(), `{"error":{"code":"not_acceptable","message":"/v1/analytics/x has no CSV form`)
		} else {
			require.JSONEq(t, `{"a":1}`, rec.Body.String())
		}
	}
}

// fetchAs sends an admin request with an Accept header.
func fetchAs(t *testing.T, srv *httptest.Server, method, path, body, accept string) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, srv.URL+path, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer tok")
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	resp, err := srv.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, resp.Header, string(b)
}

// csvAndJSON sends the request twice, as JSON (decoded into out) and with
// Accept: text/csv, and returns the CSV's header and rows keyed by it.
func csvAndJSON(t *testing.T, srv *httptest.Server, method, path, body string, out any) ([]string, []map[string]string) {
	t.Helper()
	status, _, js := fetchAs(t, srv, method, path, body, "")
	require.Equal(t, http.StatusOK, status, js)
	require.NoError(t, json.Unmarshal([]byte(js), out))
	status, hdr, text := fetchAs(t, srv, method, path, body, "text/csv")
	require.Equal(t, http.StatusOK, status, text)
	require.Equal(t, "text/csv; charset=utf-8", hdr.Get("Content-Type"))
	require.Regexp(t, `^attachment; filename="[a-z0-9_.-]+\.csv"$`, hdr.Get("Content-Disposition"))
	recs, err := csv.NewReader(strings.NewReader(text)).ReadAll() // also checks every row has the header's width
	require.NoError(t, err, text)
	require.NotEmpty(t, recs)
	rows := make([]map[string]string, 0, len(recs)-1)
	for _, rec := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			m[h] = rec[i]
		}
		rows = append(rows, m)
	}
	return recs[0], rows
}

// num parses a numeric cell; opt is nil for an empty one.
func num(t *testing.T, cell string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(cell, 64)
	require.NoError(t, err, "cell %q", cell)
	return v
}

func opt(t *testing.T, cell string) *float64 {
	if cell == "" {
		return nil
	}
	v := num(t, cell)
	return &v
}

func TestFunnelsCSV(t *testing.T) {
	t.Parallel()
	srv := newFunnelServer(t, []funnelEv{
		{user: "a", name: "Product Viewed", hours: 0, props: map[string]any{"color": "red"}},
		{user: "a", name: "Order Completed", hours: 2},
		{user: "a", name: "Order Completed", hours: 24 * 8},
		{user: "b", name: "Product Viewed", hours: 1, props: map[string]any{"color": "blue"}},
		{user: "c", name: "Product Viewed", hours: 24 * 10},
		{user: "c", name: "Order Completed", hours: 24*10 + 5},
	})
	steps := `"steps":[{"event":"Product Viewed"},{"event":"Order Completed"}],"window":"1d","until":"2026-11-05T00:00:00Z"`

	t.Run("funnel with breakdown", func(t *testing.T) {
		var js funnelResponse
		header, rows := csvAndJSON(t, srv, "POST", "/v1/analytics/funnels", `{`+steps+`,"breakdown":"property:color"}`, &js)
		require.Equal(t, []string{"breakdown", "step", "event", "count", "conversion_from_previous", "conversion_from_first",
			"median_seconds", "p90_seconds", "dropped"}, header)
		require.Len(t, rows, len(js.Steps)+2*len(js.Breakdown))
		for k, s := range js.Steps {
			row := rows[k]
			require.Equal(t, "", row["breakdown"])
			require.Equal(t, strconv.Itoa(k+1), row["step"])
			require.Equal(t, s.Event, row["event"])
			require.Equal(t, float64(s.Count), num(t, row["count"]))
			require.Equal(t, s.FromPrevious, num(t, row["conversion_from_previous"]))
			require.Equal(t, s.FromFirst, num(t, row["conversion_from_first"]))
			require.Equal(t, s.Median, opt(t, row["median_seconds"]))
			require.Equal(t, s.P90, opt(t, row["p90_seconds"]))
			require.Equal(t, float64(s.Dropped.Total), num(t, row["dropped"]))
		}
		require.Equal(t, "7200", rows[1]["median_seconds"])
		require.Equal(t, "", rows[0]["median_seconds"], "nil at step 1")
		for i, b := range js.Breakdown {
			for k, c := range b.Counts {
				row := rows[len(js.Steps)+i*len(b.Counts)+k]
				require.Equal(t, b.Value, row["breakdown"])
				require.Equal(t, float64(c), num(t, row["count"]))
				require.Equal(t, b.FromFirst[k], num(t, row["conversion_from_first"]))
				require.Equal(t, "", row["dropped"])
			}
		}
		require.Equal(t, map[string]string{"breakdown": "blue", "step": "2", "event": "Order Completed", "count": "0",
			"conversion_from_previous": "0", "conversion_from_first": "0", "median_seconds": "", "p90_seconds": "", "dropped": ""}, rows[3])
	})

	t.Run("funnel with compare", func(t *testing.T) {
		var js funnelResponse
		header, rows := csvAndJSON(t, srv, "POST", "/v1/analytics/funnels", `{`+steps+`,"compare":{"since":"2026-11-05T00:00:00Z"}}`, &js)
		require.Equal(t, "period", header[0])
		require.Len(t, rows, 4)
		require.Equal(t, []string{"current", "current", "compare", "compare"},
			[]string{rows[0]["period"], rows[1]["period"], rows[2]["period"], rows[3]["period"]})
		require.Equal(t, float64(js.Compare.Steps[1].Count), num(t, rows[3]["count"]))
		require.Equal(t, *js.Compare.Steps[1].Median, num(t, rows[3]["median_seconds"]))
		require.Equal(t, 18000.0, num(t, rows[3]["median_seconds"]))
	})

	t.Run("paths", func(t *testing.T) {
		var js pathsResponse
		header, rows := csvAndJSON(t, srv, "POST", "/v1/analytics/paths", `{"from":"Product Viewed","depth":3,"top":1}`, &js)
		require.Equal(t, []string{"path", "count", "share"}, header)
		require.Equal(t, []map[string]string{
			{"path": strings.Join(js.Paths[0].Steps, " > "), "count": "2", "share": strconv.FormatFloat(2.0/3, 'g', -1, 64)},
			{"path": "(other)", "count": strconv.Itoa(js.Other), "share": strconv.FormatFloat(1.0/3, 'g', -1, 64)},
		}, rows)
		require.Equal(t, "Product Viewed > Order Completed", rows[0]["path"])
	})

	t.Run("retention", func(t *testing.T) {
		var js retentionResponse
		header, rows := csvAndJSON(t, srv, "POST", "/v1/analytics/retention", `{"periods":2}`, &js)
		require.Equal(t, []string{"cohort", "size", "period_0", "period_1", "period_2"}, header)
		require.Len(t, rows, len(js.Rows))
		for i, r := range js.Rows {
			require.Equal(t, r.Cohort.Format(time.RFC3339), rows[i]["cohort"])
			require.Equal(t, float64(r.Size), num(t, rows[i]["size"]))
			for k, rate := range r.Rates {
				require.Equal(t, rate, num(t, rows[i]["period_"+strconv.Itoa(k)]))
			}
		}
		require.Equal(t, "1", rows[0]["period_1"])
	})

	t.Run("negotiation and errors", func(t *testing.T) {
		body := `{"from":"Product Viewed"}`
		for accept, ctype := range map[string]string{
			"application/json;q=0.5, text/csv": "text/csv; charset=utf-8",
			"text/csv;q=0.9, application/json": "application/json",
			"text/html":                        "application/json",
		} {
			status, hdr, _ := fetchAs(t, srv, "POST", "/v1/analytics/paths", body, accept)
			require.Equal(t, http.StatusOK, status)
			require.Equal(t, ctype, hdr.Get("Content-Type"), accept)
		}
		status, hdr, out := fetchAs(t, srv, "POST", "/v1/analytics/funnels", `{"steps":[{"event":"Nope"}]}`, "text/csv")
		require.Equal(t, http.StatusUnprocessableEntity, status)
		require.Equal(t, "application/json", hdr.Get("Content-Type"), "errors stay JSON")
		require.Contains(t, out, `"code":"validation_error"`)
	})
}
