package httpapi

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/clock"
	"github.com/cairn-cdp/cairn/internal/event"
	"github.com/cairn-cdp/cairn/internal/identity"
	"github.com/cairn-cdp/cairn/internal/pipeline"
	"github.com/cairn-cdp/cairn/internal/store"
	"github.com/cairn-cdp/cairn/internal/store/sqlite"
)

// funnelEv is a track event of a user, hours after t0, from src.
type funnelEv struct {
	user, name string
	hours      int
	src        string
	props      map[string]any
}

// newFunnelServer serves registerFunnels over a real SQLite log and state
// whose timelines the real processor built from evs.
func newFunnelServer(t *testing.T, evs []funnelEv) *httptest.Server {
	t.Helper()
	srv, _ := newFunnelServerState(t, evs)
	return srv
}

// newFunnelServerState is newFunnelServer that also returns the state store.
func newFunnelServerState(t *testing.T, evs []funnelEv) (*httptest.Server, *sqlite.State) {
	t.Helper()
	ctx := t.Context()
	lg, st, err := sqlite.Open(ctx, t.TempDir(), slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	t.Cleanup(func() { lg.Close(); st.Close() })
	require.NoError(t, st.CreateSource(ctx, store.Source{ID: "src_web", Name: "web", Channel: "web", Party: "first"}))
	require.NoError(t, st.CreateSource(ctx, store.Source{ID: "src_int", Name: internalSourceName, Channel: internalSourceChannel, Party: "first"}))
	var list []*event.Event
	for i, e := range evs {
		src, ch := "src_web", "web"
		if e.src == "src_int" {
			src, ch = e.src, "server"
		}
		msg := fmt.Sprintf("m-%d", i)
		raw, _ := json.Marshal(map[string]any{"type": "track", "userId": e.user, "event": e.name, "messageId": msg, "properties": e.props})
		at := t0.Add(time.Duration(e.hours) * time.Hour)
		list = append(list, &event.Event{SourceID: src, Channel: ch, MessageID: msg, Type: event.Track, UserID: e.user, Name: e.name,
			Timestamp: at, ReceivedAt: at, Raw: raw})
	}
	if len(list) > 0 {
		_, err = lg.Append(ctx, store.AppendBatch{Events: list})
		require.NoError(t, err)
	}
	clk := clock.NewManual(t0.Add(60 * 24 * time.Hour))
	p, err := pipeline.New(ctx, pipeline.Config{BatchSize: 100, Identity: identity.DefaultConfig()}, lg, st, clk, slog.New(slog.DiscardHandler), nil)
	require.NoError(t, err)
	require.NoError(t, p.CatchUp(ctx))
	mux := http.NewServeMux()
	var ids atomic.Int64
	newID := func(p string) string { return fmt.Sprintf("%s_%d", p, ids.Add(1)) }
	api := New(Deps{State: st, Log: lg, Clock: clk, AdminToken: "tok", Logger: slog.New(slog.DiscardHandler), NewID: newID})
	api.registerFunnels(mux)
	api.registerJobs(mux)
	mux.HandleFunc("POST /test/block", api.admin(api.async(blockUntilCancelled)))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv, st
}

func postJSON(t *testing.T, srv *httptest.Server, path, body, token string) (int, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), "POST", srv.URL+path, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := srv.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(b)
}

func TestFunnelsAPI(t *testing.T) {
	t.Parallel()
	srv := newFunnelServer(t, []funnelEv{
		{user: "a", name: "Product Viewed", hours: 0, props: map[string]any{"color": "red"}},
		{user: "a", name: "Order Completed", hours: 2},
		{user: "a", name: "Order Completed", hours: 24 * 8},
		{user: "b", name: "Product Viewed", hours: 1, props: map[string]any{"color": "blue"}},
		{user: "b", name: "Segment Entered", hours: 2, src: "src_int"},
		{user: "c", name: "Product Viewed", hours: 24 * 10},
		{user: "c", name: "Order Completed", hours: 24*10 + 5},
	})
	type stepView struct {
		Count   int      `json:"count"`
		Median  *float64 `json:"median_seconds"`
		Dropped struct {
			Total int `json:"total"`
		} `json:"dropped"`
	}
	type funnelView struct {
		Entered   int        `json:"entered"`
		Steps     []stepView `json:"steps"`
		Breakdown []struct {
			Value  string `json:"value"`
			Counts []int  `json:"counts"`
		} `json:"breakdown"`
		Compare *struct {
			Entered int        `json:"entered"`
			Steps   []stepView `json:"steps"`
		} `json:"compare"`
		Scanned struct {
			Profiles int `json:"profiles"`
		} `json:"scanned"`
	}
	cases := []struct {
		name, path, body string
		status           int
		want             []string
		check            func(t *testing.T, body string)
	}{
		{name: "funnel with compare and breakdown", path: "/v1/analytics/funnels", status: 200,
			body: `{"steps":[{"event":"Product Viewed"},{"event":"Order Completed"}],"window":"1d","until":"2026-11-05T00:00:00Z",
				"breakdown":"property:color","compare":{"since":"2026-11-05T00:00:00Z"}}`,
			check: func(t *testing.T, body string) {
				var v funnelView
				require.NoError(t, json.Unmarshal([]byte(body), &v))
				require.Equal(t, 2, v.Entered)
				require.Equal(t, 1, v.Steps[1].Count)
				require.Equal(t, 7200.0, *v.Steps[1].Median)
				require.Equal(t, 1, v.Steps[1].Dropped.Total)
				require.Len(t, v.Breakdown, 2)
				require.Equal(t, "blue", v.Breakdown[0].Value, "ties by value")
				require.Equal(t, []int{1, 0}, v.Breakdown[0].Counts)
				require.NotNil(t, v.Compare)
				require.Equal(t, 1, v.Compare.Entered)
				require.Equal(t, 1, v.Compare.Steps[1].Count)
				require.Equal(t, 18000.0, *v.Compare.Steps[1].Median)
				require.Equal(t, 3, v.Scanned.Profiles)
			}},
		{name: "filter", path: "/v1/analytics/funnels", status: 200,
			body: `{"steps":[{"event":"Product Viewed","where":[{"property":"color","op":"equals","value":"blue"}]},{"event":"Order Completed"}]}`,
			want: []string{`"entered":1`, `"note":"dropped lists a sample`}},
		{name: "internal event only when named", path: "/v1/analytics/funnels", status: 200,
			body: `{"steps":[{"event":"Product Viewed"},{"event":"Segment Entered"}],"order":"any"}`,
			want: []string{`"order":"any"`, `"count":1,"conversion_from_previous":0.3333333333333333`}},
		{name: "unknown event", path: "/v1/analytics/funnels", status: 422,
			body: `{"steps":[{"event":"Product Viewed"},{"event":"Checkout Started"}]}`,
			want: []string{`validation_error`, `Checkout Started`}},
		{name: "unknown property", path: "/v1/analytics/funnels", status: 422,
			body: `{"steps":[{"event":"Product Viewed","where":[{"property":"size","op":"exists"}]}]}`,
			want: []string{`properties.size on \"Product Viewed\"`}},
		{name: "bad window", path: "/v1/analytics/funnels", status: 400,
			body: `{"steps":[{"event":"Product Viewed"}],"window":"-3d"}`, want: []string{`"field":"window"`}},
		{name: "window too long", path: "/v1/analytics/funnels", status: 422,
			body: `{"steps":[{"event":"Product Viewed"}],"window":"400d"}`, want: []string{`366 days`}},
		{name: "since after until", path: "/v1/analytics/funnels", status: 422,
			body: `{"steps":[{"event":"Product Viewed"}],"since":"2026-12-01T00:00:00Z","until":"2026-11-01T00:00:00Z"}`, want: []string{`before until`}},
		{name: "bad filter", path: "/v1/analytics/funnels", status: 400,
			body: `{"steps":[{"event":"Product Viewed","where":[{"property":"color","op":"nope"}]}]}`, want: []string{`"field":"steps[0].where"`}},
		{name: "bad breakdown", path: "/v1/analytics/funnels", status: 422,
			body: `{"steps":[{"event":"Product Viewed"}],"breakdown":"device"}`, want: []string{`channel, source, property:PATH, stage or segment:ID`}},
		{name: "paths", path: "/v1/analytics/paths", status: 200,
			body: `{"from":"Product Viewed","depth":3,"top":1}`,
			want: []string{`"paths":[{"steps":["Product Viewed","Order Completed"],"count":2}]`, `"other":1`,
				`"links":[{"source":0,"target":1,"value":2}]`}},
		{name: "paths unknown", path: "/v1/analytics/paths", status: 422, body: `{"to":"Nope"}`, want: []string{`named \"Nope\"`}},
		{name: "paths both ends", path: "/v1/analytics/paths", status: 422, body: `{"from":"a","to":"b"}`, want: []string{`exactly one`}},
		{name: "retention", path: "/v1/analytics/retention", status: 200, body: `{"periods":2}`,
			want: []string{`"period":"week"`, `"cohort_event":"Order Completed"`, `"size":1,"retained":[0,1,0]`, `"size":1,"retained":[0,0,0]`}},
		{name: "retention bad period", path: "/v1/analytics/retention", status: 422, body: `{"period":"year"}`, want: []string{`day, week or month`}},
		{name: "unknown field", path: "/v1/analytics/retention", status: 400, body: `{"cohort":"x"}`, want: []string{`bad_request`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, body := postJSON(t, srv, tc.path, tc.body, "tok")
			require.Equal(t, tc.status, status, body)
			for _, w := range tc.want {
				require.Contains(t, body, w)
			}
			if tc.check != nil {
				tc.check(t, body)
			}
		})
	}
	status, _ := postJSON(t, srv, "/v1/analytics/funnels", `{}`, "wrong")
	require.Equal(t, 401, status)
}

func TestFunnelsAPIEmpty(t *testing.T) {
	t.Parallel()
	srv := newFunnelServer(t, nil)
	for _, c := range []struct{ path, body, want string }{
		{"/v1/analytics/funnels", `{"steps":[{"event":"A"},{"event":"B"}]}`, `"entered":0`},
		{"/v1/analytics/paths", `{"from":"A"}`, `"sankey":{"nodes":[],"links":[]}`},
		{"/v1/analytics/retention", `{}`, `"rows":[]`},
	} {
		status, body := postJSON(t, srv, c.path, c.body, "tok")
		require.Equal(t, 200, status, body)
		require.Contains(t, body, c.want)
		require.NotContains(t, body, "NaN")
	}
}

func TestFunnelSaveDropoff(t *testing.T) {
	t.Parallel()
	srv, st := newFunnelServerState(t, []funnelEv{
		{user: "a", name: "Product Viewed", hours: 0},
		{user: "a", name: "Checkout Started", hours: 1},
		{user: "a", name: "Order Completed", hours: 2},
		{user: "b", name: "Product Viewed", hours: 0},
		{user: "b", name: "Checkout Started", hours: 1},
	})
	body := `{"steps":[{"event":"Product Viewed"},{"event":"Checkout Started"},{"event":"Order Completed"}],"window":"1d",
	          "save_dropoff":{"step":3,"name":"Abandoned checkout","description":"from the funnel"}}`
	code, res := postJSON(t, srv, "/v1/analytics/funnels", body, "tok")
	require.Equal(t, http.StatusOK, code, res)
	var out struct {
		Steps []struct {
			Dropped struct {
				Total   int             `json:"total"`
				Segment json.RawMessage `json:"segment"`
			} `json:"dropped"`
		} `json:"steps"`
		SavedSegment *struct {
			ID   string `json:"id"`
			Name string `json:"name"`
			Text string `json:"text"`
		} `json:"saved_segment"`
	}
	require.NoError(t, json.Unmarshal([]byte(res), &out))
	require.Nil(t, out.Steps[0].Dropped.Segment, "nobody drops before step 1")
	require.Equal(t, 1, out.Steps[2].Dropped.Total)
	require.JSONEq(t, `{"and":[
		{"sequence":{"steps":[{"event":"Product Viewed"},{"event":"Checkout Started"}],"within":"1d"}},
		{"not":{"sequence":{"steps":[{"event":"Product Viewed"},{"event":"Checkout Started"},{"event":"Order Completed"}],"within":"1d"}}}]}`,
		string(out.Steps[2].Dropped.Segment))
	require.NotNil(t, out.SavedSegment)
	require.Equal(t, "Abandoned checkout", out.SavedSegment.Name)
	saved, err := st.GetSegment(t.Context(), out.SavedSegment.ID)
	require.NoError(t, err)
	require.JSONEq(t, string(out.Steps[2].Dropped.Segment), string(saved.Definition))
	require.Equal(t, "from the funnel", saved.Description)

	for _, c := range []struct {
		name, save, want string
		status           int
	}{
		{"step 1", `{"step":1,"name":"x"}`, "between 2 and 3", http.StatusUnprocessableEntity},
		{"no name", `{"step":2}`, `"field":"save_dropoff.name"`, http.StatusBadRequest},
		{"taken name", `{"step":2,"name":"Abandoned checkout"}`, "already exists", http.StatusConflict},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, res := postJSON(t, srv, "/v1/analytics/funnels",
				`{"steps":[{"event":"Product Viewed"},{"event":"Checkout Started"},{"event":"Order Completed"}],"save_dropoff":`+c.save+`}`, "tok")
			require.Equal(t, c.status, code, res)
			require.Contains(t, res, c.want)
		})
	}
	code, res = postJSON(t, srv, "/v1/analytics/funnels",
		`{"steps":[{"event":"Product Viewed"},{"event":"Checkout Started"}],"order":"any","save_dropoff":{"step":2,"name":"y"}}`, "tok")
	require.Equal(t, http.StatusUnprocessableEntity, code, res)
	require.Contains(t, res, "strict")
}

func TestFunnelBreakdownBySegmentAndStage(t *testing.T) {
	t.Parallel()
	srv, st := newFunnelServerState(t, []funnelEv{
		{user: "a", name: "Product Viewed", hours: 0},
		{user: "a", name: "Order Completed", hours: 2},
		{user: "b", name: "Product Viewed", hours: 0},
	})
	_, err := st.CreateSegment(t.Context(), store.Segment{ID: "seg_vip", Name: "VIP", Definition: json.RawMessage(`{"everyone":true}`), CreatedAt: t0})
	require.NoError(t, err)
	steps := `"steps":[{"event":"Product Viewed"},{"event":"Order Completed"}]`
	for _, c := range []struct {
		breakdown string
		status    int
		want      string
	}{
		{"segment:seg_vip", http.StatusOK, `"breakdown":[{"value":"not member","counts":[2,1]`},
		{"stage", http.StatusOK, `"breakdown":[{"value":"(none)","counts":[2,1]`},
		{"segment:seg_nope", http.StatusBadRequest, `no segment with id \"seg_nope\"`},
		{"segment", http.StatusBadRequest, `segment:ID`},
		{"persona", http.StatusUnprocessableEntity, `stage or segment:ID`},
	} {
		t.Run(c.breakdown, func(t *testing.T) {
			code, body := postJSON(t, srv, "/v1/analytics/funnels", `{`+steps+`,"breakdown":"`+c.breakdown+`"}`, "tok")
			require.Equal(t, c.status, code, body)
			require.Contains(t, body, c.want)
		})
	}
}
