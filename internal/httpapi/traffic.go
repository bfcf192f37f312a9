package httpapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/cairn-cdp/cairn/internal/store"
	"github.com/cairn-cdp/cairn/internal/traffic"
)

// Traffic is the live view of ingest (internal/traffic).
type Traffic interface {
	Subscribe(sourceID string) *traffic.Subscription
	Series(now time.Time, minutes int) traffic.Series
}

// streamPing is how often an idle event stream sends a comment, so proxies
// and browsers keep it open.
const streamPing = 15 * time.Second

func (s *Server) registerTraffic(mux *http.ServeMux) {
	mux.HandleFunc("GET /v1/debugger/events", s.admin(s.debuggerEvents))
	mux.HandleFunc("GET /v1/stats/series", s.admin(s.statsSeries))
}

// debuggerEvents streams what ingest accepts and rejects, as Server-Sent
// Events: "accepted", "duplicate" and "rejected" with a traffic.Item, and
// "dropped" {count} when this client fell behind.
func (s *Server) debuggerEvents(w http.ResponseWriter, r *http.Request) error {
	if s.d.Traffic == nil {
		return apiErr(CodeUnavailable, "the live debugger is not available on this server")
	}
	source := r.URL.Query().Get("source")
	if source != "" {
		if _, err := s.d.State.GetSource(r.Context(), source); errors.Is(err, store.ErrNotFound) {
			return apiErr(CodeNotFound, "no source %q (list them with GET /v1/sources)", source)
		} else if err != nil {
			return fmt.Errorf("load source %s: %w", source, err)
		}
	}
	rc := http.NewResponseController(w)
	_ = rc.SetWriteDeadline(time.Time{}) // a stream outlives the server's write timeout
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	sub := s.d.Traffic.Subscribe(source)
	defer sub.Close()
	if _, err := fmt.Fprint(w, ": connected\n\n"); err != nil {
		return nil
	}
	_ = rc.Flush()
	ping := time.NewTicker(streamPing)
	defer ping.Stop()
	for {
		select {
		case <-r.Context().Done():
			return nil
		case it := <-sub.C:
			if n := sub.Dropped(); n > 0 {
				if writeSSE(w, "dropped", map[string]int64{"count": n}) != nil {
					return nil
				}
			}
			if writeSSE(w, it.Kind, it) != nil {
				return nil
			}
		case <-ping.C:
			if _, err := fmt.Fprint(w, ": ping\n\n"); err != nil {
				return nil
			}
		}
		if rc.Flush() != nil {
			return nil
		}
	}
}

func writeSSE(w http.ResponseWriter, name string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "event: %s\ndata: %s\n\n", name, b)
	return err
}

// statsSeries answers events per minute per source for the last minutes
// (default 60, at most 1440), counted since the server started.
func (s *Server) statsSeries(w http.ResponseWriter, r *http.Request) error {
	if s.d.Traffic == nil {
		return apiErr(CodeUnavailable, "traffic series are not available on this server")
	}
	minutes := 60
	if v := r.URL.Query().Get("minutes"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1440 {
			return badField("minutes", "minutes must be a whole number from 1 to 1440, got %q", v)
		}
		minutes = n
	}
	writeJSON(w, http.StatusOK, s.d.Traffic.Series(s.d.Clock.Now(), minutes))
	return nil
}
