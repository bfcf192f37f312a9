package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"sync"
	"time"

	"github.com/cairn-cdp/cairn/internal/audience"
	"github.com/cairn-cdp/cairn/internal/clock"
	"github.com/cairn-cdp/cairn/internal/store"
)

// audienceConfig is the body of an audience config object (/v1/audiences):
// a segment exported as ad-platform customer lists.
type audienceConfig struct {
	ID            string   `json:"id"`
	Segment       string   `json:"segment"`
	Formats       []string `json:"formats,omitempty"` // google, meta, hashed; default all
	DefaultRegion string   `json:"default_region,omitempty"`
}

// audiences exports ad audiences into DIR/audiences/<id>/, refreshed
// (debounced) when their segment's membership changes.
type cachedExporter struct {
	at time.Time
	e  *audience.Exporter
}

type audiences struct {
	st     store.State
	dir    string
	clk    clock.Clock
	logger *slog.Logger
	deb    *audience.Debouncer

	mu        sync.Mutex
	exporters map[string]cachedExporter // audience id → its exporter, built for a config version
	bySeg     map[string][]string       // segment id → audience ids
	loadedAt  time.Time
}

func newAudiences(st store.State, dataDir string, clk clock.Clock, logger *slog.Logger) *audiences {
	x := &audiences{st: st, dir: filepath.Join(dataDir, "audiences"), clk: clk, logger: logger, exporters: map[string]cachedExporter{}}
	x.deb = audience.NewDebouncer(x, 30*time.Second, 10*time.Minute, clk, logger)
	return x
}

// onTransition is the processor's hook: the segment's audiences are due a refresh.
func (x *audiences) onTransition(segmentID string) {
	for _, id := range x.audiencesOf(segmentID) {
		x.deb.Notify(id)
	}
}

// audiencesOf lists the audiences exporting a segment (re-read at most every 10 s).
func (x *audiences) audiencesOf(segmentID string) []string {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.bySeg == nil || time.Since(x.loadedAt) > 10*time.Second {
		list, err := x.st.ListConfig(context.Background(), "audience") //nolint:contextcheck // a hook without a context; a short local read
		if err != nil {
			x.logger.Warn("list audiences", slog.Any("error", err))
			return nil
		}
		x.bySeg = map[string][]string{}
		for _, o := range list {
			var c audienceConfig
			if json.Unmarshal(o.Body, &c) == nil {
				x.bySeg[c.Segment] = append(x.bySeg[c.Segment], o.ID)
			}
		}
		x.loadedAt = time.Now()
	}
	return x.bySeg[segmentID]
}

// Refresh exports one audience (the debouncer's Refresher; the id is the audience's).
func (x *audiences) Refresh(ctx context.Context, id string) (audience.Stats, error) {
	o, err := x.st.GetConfig(ctx, "audience", id)
	if err != nil {
		return audience.Stats{}, fmt.Errorf("audience %s: %w", id, err)
	}
	var c audienceConfig
	if err := json.Unmarshal(o.Body, &c); err != nil {
		return audience.Stats{}, fmt.Errorf("audience %s: %w", id, err)
	}
	x.mu.Lock()
	ce, ok := x.exporters[id]
	if !ok || !ce.at.Equal(o.UpdatedAt) {
		exp, err := audience.NewExporter(x.st, audience.Config{Dir: filepath.Join(x.dir, id), Formats: c.Formats, DefaultRegion: c.DefaultRegion}, x.clk, x.logger)
		if err != nil {
			x.mu.Unlock()
			return audience.Stats{}, fmt.Errorf("audience %s: %w", id, err)
		}
		ce = cachedExporter{at: o.UpdatedAt, e: exp}
		x.exporters[id] = ce
		x.bySeg = nil // the segment may have changed
	}
	x.mu.Unlock()
	return ce.e.Refresh(ctx, c.Segment)
}

// RefreshAudience is the API's refresh-now.
func (x *audiences) RefreshAudience(ctx context.Context, id string) (any, error) {
	st, err := x.Refresh(ctx, id)
	if err != nil {
		return nil, err
	}
	return st, nil
}

// validateAudience checks an audience body.
func validateAudience(ctx context.Context, st store.State, body []byte) (audienceConfig, error) {
	var c audienceConfig
	if err := strictJSON(body, &c); err != nil {
		return c, err
	}
	if c.ID == "" || c.Segment == "" {
		return c, errors.New("an audience needs an id and the segment it exports")
	}
	if _, err := st.GetSegment(ctx, c.Segment); err != nil {
		return c, fmt.Errorf("segment %q: %w", c.Segment, err)
	}
	cfg := audience.Config{Dir: "check", Formats: c.Formats, DefaultRegion: c.DefaultRegion}
	return c, cfg.Validate()
}
