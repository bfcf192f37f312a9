package ingest

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/base64"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/cairn-cdp/cairn/internal/clock"
	"github.com/cairn-cdp/cairn/internal/store"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

var t0 = time.Date(2026, 11, 23, 8, 35, 40, 0, time.UTC)

var (
	webSource = store.Source{
		ID: "src_web", Name: "Website", Channel: "web", Party: "first",
		Keys: []store.WriteKey{{Key: "WEB_WK", SourceID: "src_web"}},
	}
	revokedAt    = t0.Add(-time.Hour)
	serverSource = store.Source{
		ID: "src_srv", Name: "Backend", Channel: "server", Party: "first",
		Keys: []store.WriteKey{{Key: "SRV_WK", SourceID: "src_srv"}, {Key: "OLD_WK", SourceID: "src_srv", RevokedAt: &revokedAt}},
	}
)

// env is a Handler wired to in-memory fakes, on a manual clock.
type env struct {
	clk  *clock.Manual
	log  *memLog
	keys *memKeys
	c    *Committer
	h    *Handler
	mux  *http.ServeMux
	reg  *prometheus.Registry
	stop func() // stops the Committer and waits for Run to return
}

type envOptions struct {
	cfg      Config
	ccfg     CommitterConfig
	filter   Filter
	log      *memLog
	appendTo Log  // the Committer writes here instead of log when set
	noRun    bool // do not start the Committer
}

func newEnv(tb testing.TB, o envOptions) *env {
	tb.Helper()
	e := &env{clk: clock.NewManual(t0), log: o.log, keys: newMemKeys(webSource, serverSource), reg: prometheus.NewRegistry()}
	if e.log == nil {
		e.log = newMemLog()
	}
	logger := slog.New(slog.DiscardHandler)
	var target Log = e.log
	if o.appendTo != nil {
		target = o.appendTo
	}
	e.c = NewCommitter(target, e.clk, logger, o.ccfg)
	e.stop = func() {}
	if !o.noRun {
		ctx, cancel := context.WithCancel(tb.Context())
		done := make(chan error, 1)
		go func() { done <- e.c.Run(ctx) }()
		stopped := false
		e.stop = func() {
			if !stopped {
				stopped = true
				cancel()
				require.NoError(tb, <-done)
			}
		}
		tb.Cleanup(e.stop)
	}
	h, err := NewHandler(o.cfg, e.c, e.keys, o.filter, e.clk, logger, e.reg)
	require.NoError(tb, err)
	e.h = h
	e.mux = http.NewServeMux()
	h.Register(e.mux)
	return e
}

func (e *env) do(req *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	e.mux.ServeHTTP(rec, req)
	return rec
}

// post sends body to path with Basic auth for key ("" for none).
func (e *env) post(path, key, body string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, path, bytes.NewReader([]byte(body)))
	if key != "" {
		req.Header.Set("Authorization", basic(key))
	}
	return e.do(req)
}

// metric returns a counter's value, a gauge's value or a histogram's sample count.
func (e *env) metric(tb testing.TB, name string, labels ...string) float64 {
	tb.Helper()
	mfs, err := e.reg.Gather()
	require.NoError(tb, err)
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
	next:
		for _, m := range mf.GetMetric() {
			for i := 0; i+1 < len(labels); i += 2 {
				found := false
				for _, lp := range m.GetLabel() {
					if lp.GetName() == labels[i] && lp.GetValue() == labels[i+1] {
						found = true
					}
				}
				if !found {
					continue next
				}
			}
			switch {
			case m.GetCounter() != nil:
				return m.GetCounter().GetValue()
			case m.GetGauge() != nil:
				return m.GetGauge().GetValue()
			case m.GetHistogram() != nil:
				return float64(m.GetHistogram().GetSampleCount())
			}
		}
	}
	return 0
}

func basic(key string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(key+":"))
}

func gzipped(tb testing.TB, data []byte) []byte {
	tb.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, err := zw.Write(data)
	require.NoError(tb, err)
	require.NoError(tb, zw.Close())
	return buf.Bytes()
}

// gzipBomb is a valid gzip stream that inflates to a JSON body of n bytes.
func gzipBomb(tb testing.TB, n int) []byte {
	tb.Helper()
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	require.NoError(tb, err)
	_, err = io.WriteString(zw, `{"batch":[],"pad":"`)
	require.NoError(tb, err)
	chunk := bytes.Repeat([]byte("a"), 64<<10)
	for written := 0; written < n; written += len(chunk) {
		_, err = zw.Write(chunk)
		require.NoError(tb, err)
	}
	_, err = io.WriteString(zw, `"}`)
	require.NoError(tb, err)
	require.NoError(tb, zw.Close())
	return buf.Bytes()
}
