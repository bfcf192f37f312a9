package httpapi

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/clock"
	"github.com/cairn-cdp/cairn/internal/event"
	"github.com/cairn-cdp/cairn/internal/identity"
	"github.com/cairn-cdp/cairn/internal/pipeline"
	"github.com/cairn-cdp/cairn/internal/profile"
	"github.com/cairn-cdp/cairn/internal/store"
	"github.com/cairn-cdp/cairn/internal/store/sqlite"
)

// modelsHarness is the model routes over a real SQLite log and state,
// with events turned into timelines by a real processor.
type modelsHarness struct {
	*harness
	log  *sqlite.Log
	proc *pipeline.Processor
	n    int // message ids issued
}

const modelsInternalSrc = "src_cairn"

func newModelsHarness(t *testing.T) *modelsHarness {
	t.Helper()
	ctx := t.Context()
	lg, st, err := sqlite.Open(ctx, t.TempDir(), slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	t.Cleanup(func() { lg.Close(); st.Close() })
	for _, s := range []store.Source{{ID: "src_web", Name: "web", Channel: "web"}, {ID: modelsInternalSrc, Name: "cairn", Channel: "server"}} {
		s.Party = "first"
		require.NoError(t, st.CreateSource(ctx, s))
	}
	clk := clock.NewManual(t0)
	p, err := pipeline.New(ctx, pipeline.Config{BatchSize: 500, Identity: identity.DefaultConfig()}, lg, st, clk, slog.New(slog.DiscardHandler), nil)
	require.NoError(t, err)
	p.SetRecorder(lg)
	p.SetInternalSource(modelsInternalSrc)
	h := &modelsHarness{harness: &harness{st: st, clk: clk}, log: lg, proc: p}
	mux := http.NewServeMux()
	New(Deps{State: st, Log: lg, Clock: clk, AdminToken: "tok", Logger: slog.New(slog.DiscardHandler)}).registerModels(mux)
	h.srv = httptest.NewServer(mux)
	t.Cleanup(h.srv.Close)
	return h
}

// ev builds an event of the web source (or src when set) with a body.
func (h *modelsHarness) ev(typ event.Type, user, name string, at time.Time, body map[string]any) *event.Event {
	h.n++
	msg := "m-" + modelsItoa(h.n)
	raw := map[string]any{"type": string(typ), "userId": user, "messageId": msg}
	if typ == event.Track {
		raw["event"] = name
	} else {
		raw["name"] = name
	}
	for k, v := range body {
		raw[k] = v
	}
	b, _ := json.Marshal(raw)
	return &event.Event{SourceID: "src_web", Channel: "web", MessageID: msg, Type: typ, UserID: user,
		Name: name, Timestamp: at, ReceivedAt: at, Raw: b}
}

// ingest appends events to the log and processes them.
func (h *modelsHarness) ingest(t *testing.T, evs ...*event.Event) {
	t.Helper()
	for lo := 0; lo < len(evs); lo += 1000 {
		_, err := h.log.Append(t.Context(), store.AppendBatch{Events: evs[lo:min(lo+1000, len(evs))]})
		require.NoError(t, err)
	}
	require.NoError(t, h.proc.CatchUp(t.Context()))
}

func (h *modelsHarness) profileOf(t *testing.T, user string) string {
	t.Helper()
	id, err := profile.Resolve(t.Context(), h.st, "user_id:"+user, nil)
	require.NoError(t, err)
	return id
}

func modelsItoa(i int) string { return strconv.Itoa(i) }
