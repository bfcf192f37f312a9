package httpapi

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/cairn-cdp/cairn/internal/store"
)

// Stats is the body of GET /v1/stats.
type Stats struct {
	store.LogStats
	Processed  int64   `json:"processed"`
	Profiles   int64   `json:"profiles"`
	LagEvents  int64   `json:"lag_events"`
	LagSeconds float64 `json:"lag_seconds"`
}

// profileCount caches the surviving-profile count of GET /v1/stats.
// Counting visits every profile (tens of milliseconds at 100k profiles,
// half a second at 1M) and dashboards and `cairn bench e2e` poll stats
// several times a second: polling every 100 ms took a whole core during a
// benchmark. A count is reused while the processor has not moved (an
// erasure drops it); while the processor is behind, for at most
// profileCountMaxAge. Once it has caught up the count is exact again.
type profileCount struct {
	mu         sync.Mutex
	n          int64
	checkpoint int64
	at         time.Time // wall time of the count; zero: none
}

const profileCountMaxAge = 5 * time.Second

// get returns the cached count or counts again.
func (c *profileCount) get(ctx context.Context, checkpoint int64, behind bool, count func(context.Context) (int64, error)) (int64, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.at.IsZero() && (checkpoint == c.checkpoint || behind && time.Since(c.at) < profileCountMaxAge) {
		return c.n, nil
	}
	n, err := count(ctx)
	if err != nil {
		return 0, err
	}
	c.n, c.checkpoint, c.at = n, checkpoint, time.Now()
	return n, nil
}

// drop forgets the cached count (profiles were erased).
func (c *profileCount) drop() {
	c.mu.Lock()
	c.at = time.Time{}
	c.mu.Unlock()
}

func (s *Server) stats(w http.ResponseWriter, r *http.Request) error {
	ls, err := s.d.Log.Stats(r.Context())
	if err != nil {
		return err
	}
	cp := s.d.Processor.Checkpoint()
	lagN, lagAge := s.d.Processor.Lag()
	lag := max(lagN, ls.Head-cp)
	n, err := s.profiles.get(r.Context(), cp, lag > 0, s.d.State.CountProfiles)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, Stats{
		LogStats: ls, Processed: cp, Profiles: n, LagEvents: lag, LagSeconds: lagAge.Seconds(),
	})
	return nil
}

func (s *Server) rejections(w http.ResponseWriter, r *http.Request) error {
	limit, err := intParam(r, "limit", 100, 1000)
	if err != nil {
		return err
	}
	before, err := intParam(r, "before", 0, 1<<62)
	if err != nil {
		return err
	}
	list, err := s.d.Log.Rejections(r.Context(), r.URL.Query().Get("source_id"), int64(before), limit)
	if err != nil {
		return err
	}
	if list == nil {
		list = []store.Rejection{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"rejections": list})
	return nil
}

type clockRequest struct {
	Advance string     `json:"advance,omitempty"` // Go duration, e.g. "36h"
	Set     *time.Time `json:"set,omitempty"`
}

func (s *Server) getClock(w http.ResponseWriter, _ *http.Request) error {
	writeJSON(w, http.StatusOK, map[string]any{"now": s.d.Clock.Now(), "manual": s.d.Manual != nil})
	return nil
}

func (s *Server) setClock(w http.ResponseWriter, r *http.Request) error {
	if s.d.Manual == nil {
		return apiErr(CodeConflict, "the server runs on the real clock; start it with 'cairn serve --clock manual' to drive time")
	}
	var req clockRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	var now time.Time
	switch {
	case req.Advance != "" && req.Set != nil:
		return badField("advance", "give either advance or set, not both")
	case req.Advance != "":
		d, err := time.ParseDuration(req.Advance)
		if err != nil || d < 0 {
			return badField("advance", "advance must be a non-negative Go duration such as \"90s\" or \"36h\", got %q", req.Advance)
		}
		now = s.d.Manual.Advance(d)
	case req.Set != nil:
		if req.Set.Before(s.d.Manual.Now()) {
			return badField("set", "the clock never moves backwards; it is %s", s.d.Manual.Now().Format(time.RFC3339Nano))
		}
		now = s.d.Manual.Set(*req.Set)
	default:
		return badField("advance", "give advance (a duration) or set (an RFC 3339 time)")
	}
	writeJSON(w, http.StatusOK, map[string]any{"now": now, "manual": true})
	return nil
}
