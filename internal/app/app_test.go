package app

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// testServer runs a real App (SQLite in a temp folder, manual clock) behind a loopback listener.
type testServer struct {
	t     *testing.T
	a     *App
	url   string
	token string
}

func startServer(t *testing.T) *testServer {
	t.Helper()
	cfg := Config{DataDir: t.TempDir(), ClockMode: "manual", ClockStart: "2026-11-01T12:00:00Z",
		DedupeWindow: 7 * 24 * time.Hour, MaxBodyBytes: 1 << 20, BatchSize: 500, AdminToken: "test-token",
		PublicURL: "https://cairn.test", RFMEvery: 24 * time.Hour}
	a, err := Open(t.Context(), cfg, slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	runCtx, stop := contextWithCancel(t)
	done := make(chan error, 1)
	go func() { done <- a.Run(runCtx, ln) }()
	t.Cleanup(func() {
		stop()
		require.NoError(t, <-done)
		require.NoError(t, a.Close())
	})
	return &testServer{t: t, a: a, url: "http://" + ln.Addr().String(), token: "test-token"}
}

type call struct {
	method, path, body string
	auth               string // "" = admin token, "none" = no header, else the header value
}

func (s *testServer) do(c call) (int, string) {
	s.t.Helper()
	req, err := http.NewRequestWithContext(s.t.Context(), c.method, s.url+c.path, strings.NewReader(c.body))
	require.NoError(s.t, err)
	switch c.auth {
	case "":
		req.Header.Set("Authorization", "Bearer "+s.token)
	case "none":
	default:
		req.Header.Set("Authorization", c.auth)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(s.t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func (s *testServer) createSource(name, channel string) string {
	s.t.Helper()
	code, body := s.do(call{method: "POST", path: "/v1/sources", body: `{"name":"` + name + `","channel":"` + channel + `"}`})
	require.Equal(s.t, http.StatusCreated, code, body)
	var src struct {
		Keys []struct{ Key string } `json:"write_keys"`
	}
	require.NoError(s.t, json.Unmarshal([]byte(body), &src))
	return src.Keys[0].Key
}

func basic(key string) string { return "Basic " + base64.StdEncoding.EncodeToString([]byte(key+":")) }

// caughtUp waits (bounded) until the processor has applied everything appended.
func (s *testServer) caughtUp() {
	s.t.Helper()
	for range 500 {
		st, err := s.a.Log.Stats(s.t.Context())
		require.NoError(s.t, err)
		if s.a.Processor.Checkpoint() >= st.Head {
			return
		}
		s.a.Processor.Notify(st.Head)
		time.Sleep(10 * time.Millisecond)
	}
	s.t.Fatal("processor did not catch up")
}

func TestAPIScenarios(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	web := s.createSource("nto-web", "web")
	batch := `{"batch":[
	 {"type":"page","anonymousId":"anon-1","name":"Home","timestamp":"2026-11-01T10:00:00Z"},
	 {"type":"identify","anonymousId":"anon-1","userId":"u-1","traits":{"email":"Pia@NTO.example","phone":"(303) 555-0142","address":{"city":"Denver"}},"timestamp":"2026-11-01T10:01:00Z"},
	 {"type":"track","userId":"u-1","event":"Order Completed","properties":{"revenue":99.5},"timestamp":"2026-11-01T10:02:00Z"},
	 {"type":"track","event":"No Identifier"}
	]}`
	code, body := s.do(call{method: "POST", path: "/v1/batch", body: batch, auth: basic(web)})
	require.Equal(t, 200, code, body)
	require.JSONEq(t, `{"success":true}`, body)
	s.caughtUp()

	cases := []struct {
		name     string
		call     call
		status   int
		contains []string
		absent   []string
	}{
		{"no token", call{method: "GET", path: "/v1/sources", auth: "none"}, 401, []string{`"code":"unauthorized"`, "admin token"}, nil},
		{"wrong token", call{method: "GET", path: "/v1/stats", auth: "Bearer nope"}, 401, []string{"unauthorized"}, nil},
		{"list sources", call{method: "GET", path: "/v1/sources"}, 200, []string{`"name":"nto-web"`, `"channel":"web"`}, nil},
		{"bad channel", call{method: "POST", path: "/v1/sources", body: `{"name":"x","channel":"fax"}`}, 400, []string{`"field":"channel"`, "call_center"}, nil},
		{"duplicate source", call{method: "POST", path: "/v1/sources", body: `{"name":"nto-web","channel":"web"}`}, 409, []string{"already exists"}, nil},
		{"unknown source", call{method: "GET", path: "/v1/sources/src_nope"}, 404, []string{"src_nope"}, nil},
		{"profile by email (normalized)", call{method: "GET", path: "/v1/profiles/email:pia@nto.example"}, 200,
			[]string{`"user_id"`, `"value":"u-1"`, `"value":"anon-1"`, `"value":"+13035550142"`, `"city":"Denver"`, `"event_count":3`}, nil},
		{"profile by phone in another format", call{method: "GET", path: "/v1/profiles/phone:+1%20303%20555%200142"}, 200, []string{`"u-1"`}, nil},
		{"unknown profile echoes ref", call{method: "GET", path: "/v1/profiles/user_id:ghost"}, 404, []string{"user_id:ghost"}, nil},
		{"bad ref", call{method: "GET", path: "/v1/profiles/user_id:"}, 400, []string{"type and a value"}, nil},
		{"timeline newest first", call{method: "GET", path: "/v1/profiles/user_id:u-1/events?limit=2"}, 200,
			[]string{`"event":"Order Completed"`, `"next_cursor":"`}, []string{`"name":"Home"`}},
		{"timeline filter", call{method: "GET", path: "/v1/profiles/user_id:u-1/events?type=page"}, 200, []string{`"type":"page"`}, []string{"Order Completed"}},
		{"timeline bad since", call{method: "GET", path: "/v1/profiles/user_id:u-1/events?since=yesterday"}, 400, []string{`"field":"since"`}, nil},
		{"trait lookup", call{method: "GET", path: "/v1/profiles?trait.address.city=Denver"}, 200, []string{`"event_count":3`}, nil},
		{"trait lookup miss", call{method: "GET", path: "/v1/profiles?trait.address.city=Boise"}, 200, []string{`"profiles":[]`}, nil},
		{"stats", call{method: "GET", path: "/v1/stats"}, 200, []string{`"stored":3`, `"rejected":1`, `"processed":3`, `"profiles":1`}, nil},
		{"rejections", call{method: "GET", path: "/v1/rejections"}, 200, []string{`"reason":"missing_identifier"`, "No Identifier"}, nil},
		{"clock get", call{method: "GET", path: "/v1/admin/clock"}, 200, []string{`"manual":true`, "2026-11-01T12:00:00Z"}, nil},
		{"clock advance", call{method: "POST", path: "/v1/admin/clock", body: `{"advance":"36h"}`}, 200, []string{"2026-11-03T00:00:00Z"}, nil},
		{"clock backwards", call{method: "POST", path: "/v1/admin/clock", body: `{"set":"2020-01-01T00:00:00Z"}`}, 400, []string{"never moves backwards"}, nil},
		{"clock needs token", call{method: "POST", path: "/v1/admin/clock", body: `{"advance":"1h"}`, auth: "none"}, 401, nil, nil},
		{"healthz", call{method: "GET", path: "/healthz", auth: "none"}, 200, []string{"ok"}, nil},
		{"readyz", call{method: "GET", path: "/readyz", auth: "none"}, 200, []string{"ready"}, nil},
		{"metrics", call{method: "GET", path: "/metrics", auth: "none"}, 200, []string{"cairn_pipeline_events_processed_total", "cairn_ingest_request_duration_seconds", "cairn_log_dedupe_index_keys"}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, body := s.do(tc.call)
			require.Equal(t, tc.status, code, body)
			for _, c := range tc.contains {
				require.Contains(t, body, c)
			}
			for _, c := range tc.absent {
				require.NotContains(t, body, c)
			}
		})
	}
}

func TestEraseAndExport(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	web := s.createSource("nto-web", "web")
	send := func(b string) {
		code, body := s.do(call{method: "POST", path: "/v1/batch", body: b, auth: basic(web)})
		require.Equal(t, 200, code, body)
		s.caughtUp()
	}
	send(`{"batch":[
	 {"type":"identify","userId":"erase-me-42","anonymousId":"anon-erase-1","traits":{"email":"gone@nto.example"}},
	 {"type":"track","userId":"erase-me-42","event":"Product Viewed"},
	 {"type":"identify","userId":"stays-7","traits":{"email":"stays@nto.example"}}]}`)

	code, body := s.do(call{method: "GET", path: "/v1/profiles/user_id:erase-me-42/export"})
	require.Equal(t, 200, code, body)
	require.Contains(t, body, "gone@nto.example")
	require.Contains(t, body, "Product Viewed")

	code, body = s.do(call{method: "DELETE", path: "/v1/profiles/email:gone@nto.example"})
	require.Equal(t, 200, code, body)
	require.Contains(t, body, `"events":2`)
	code, _ = s.do(call{method: "GET", path: "/v1/profiles/user_id:erase-me-42"})
	require.Equal(t, 404, code)

	// A late event for the erased person is suppressed and does not resurrect them.
	send(`{"batch":[{"type":"track","userId":"erase-me-42","event":"Late"}]}`)
	code, _ = s.do(call{method: "GET", path: "/v1/profiles/user_id:erase-me-42"})
	require.Equal(t, 404, code)
	code, body = s.do(call{method: "GET", path: "/v1/rejections"})
	require.Equal(t, 200, code)
	require.Contains(t, body, "erased_subject")
	require.NotContains(t, body, "erase-me-42")

	// Rebuilding state from the log cannot bring them back.
	_, err := s.a.Rebuild(t.Context())
	require.NoError(t, err)
	code, _ = s.do(call{method: "GET", path: "/v1/profiles/user_id:erase-me-42"})
	require.Equal(t, 404, code)
	code, _ = s.do(call{method: "GET", path: "/v1/profiles/user_id:stays-7"})
	require.Equal(t, 200, code)

	code, body = s.do(call{method: "GET", path: "/v1/audit"})
	require.Equal(t, 200, code)
	require.Contains(t, body, "profile.erase")
	require.Contains(t, body, "profile.export")
	require.False(t, bytes.Contains([]byte(body), []byte("gone@nto.example")))
}

func TestServerSideImport(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	s.createSource("vendor-x", "vendor")
	csv := "Customer,Email,City,Score\nc-1,Ana@nto.example,Boise,7\nc-2,ben@nto.example,Reno\nc-3,cy@nto.example,Taos,9\n"
	path := "/v1/imports?source=vendor-x&id-column=Customer&map=Email=email,City=address.city,Score=score:int"
	code, body := s.do(call{method: "POST", path: path, body: csv})
	require.Equal(t, 200, code, body)
	require.Contains(t, body, `"state":"done"`)
	require.Contains(t, body, `"rows":2`)
	require.Contains(t, body, `"rejected":1`)
	require.Contains(t, body, `"line":3`)
	var job struct{ ID string }
	require.NoError(t, json.Unmarshal([]byte(body), &job))
	code, again := s.do(call{method: "GET", path: "/v1/imports/" + job.ID})
	require.Equal(t, 200, code)
	require.Contains(t, again, `"rows":2`)
	s.caughtUp()
	code, body = s.do(call{method: "GET", path: "/v1/profiles/email:ana@nto.example"})
	require.Equal(t, 200, code, body)
	require.Contains(t, body, `"score":7`)
	require.Contains(t, body, `"city":"Boise"`)

	// Re-running the same file stores nothing new.
	code, _ = s.do(call{method: "POST", path: path, body: csv})
	require.Equal(t, 200, code)
	st, err := s.a.Log.Stats(t.Context())
	require.NoError(t, err)
	require.EqualValues(t, 2, st.Stored)
	require.EqualValues(t, 2, st.Duplicates)

	// A third-party append keyed by email alone lands on the same person.
	vendor := "email,income_band\nANA@nto.example,C\n"
	code, body = s.do(call{method: "POST", path: "/v1/imports?source=vendor-x&id-column=email&id-type=email&map=income_band=income_band", body: vendor})
	require.Equal(t, 200, code, body)
	require.Contains(t, body, `"rows":1`)
	require.Contains(t, body, `"rejected":0`)
	s.caughtUp()
	code, body = s.do(call{method: "GET", path: "/v1/profiles/user_id:c-1"})
	require.Equal(t, 200, code, body)
	require.Contains(t, body, `"income_band":"C"`)

	code, body = s.do(call{method: "POST", path: "/v1/imports?source=nope", body: csv})
	require.Equal(t, 404, code)
	require.Contains(t, body, "nope")
	code, body = s.do(call{method: "POST", path: "/v1/imports?source=vendor-x&id-column=Customer&map=Nope=x", body: csv})
	require.Equal(t, 400, code)
	require.Contains(t, body, "Nope")
}

func TestBlockedIdentifiersAreRejectedVisibly(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	web := s.createSource("nto-web", "web")
	code, body := s.do(call{method: "POST", path: "/v1/batch", auth: basic(web),
		body: `{"batch":[{"type":"identify","userId":"null","anonymousId":"undefined","traits":{"email":"test@test.com"}}]}`})
	require.Equal(t, 200, code, body)
	s.caughtUp()
	for range 200 { // rejections are recorded right after the batch commits
		_, body = s.do(call{method: "GET", path: "/v1/rejections"})
		if strings.Contains(body, "no_usable_identifier") {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	require.Contains(t, body, "no_usable_identifier")
	require.Contains(t, body, "blocked")
	_, body = s.do(call{method: "GET", path: "/v1/stats"})
	require.Contains(t, body, `"profiles":0`)
}
