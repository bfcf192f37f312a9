package ingest

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/cairn-cdp/cairn/internal/clock"
	"github.com/cairn-cdp/cairn/internal/event"
	"github.com/cairn-cdp/cairn/internal/store"
)

// Filter suppresses events of erased people (tombstones). It is optional.
type Filter interface {
	// Suppress reports whether e names an erased person and must be dropped.
	Suppress(ctx context.Context, e *event.Event) bool
}

// Config tunes the collection API. Zero values take the defaults.
type Config struct {
	// MaxBodyBytes caps a request body, after gunzip. Default 1 MiB.
	MaxBodyBytes int64
	// MaxEventBytes caps one event as received. Default 32 KiB.
	MaxEventBytes int
	// MaxBatchEvents caps the entries of one batch. Default 10000.
	MaxBatchEvents int
	// KeyCacheTTL is how long a write-key lookup is reused: a new or revoked
	// key takes effect within it. Default 5 s.
	KeyCacheTTL time.Duration
	// RetryAfter is sent with 429 and 503 answers. Default 1 s.
	RetryAfter time.Duration
	// CORSMaxAge lets browsers cache a preflight answer. Default 24 h.
	CORSMaxAge time.Duration
	// TrustForwardedFor takes context.ip from X-Forwarded-For (first entry)
	// or X-Real-IP; set it only behind a proxy that sets them.
	TrustForwardedFor bool
	// AllowCredentials adds Access-Control-Allow-Credentials: true, for
	// browsers configured with credentials: 'include'.
	AllowCredentials bool
}

// Defaults of Config.
const (
	DefaultMaxBodyBytes = 1 << 20
	DefaultKeyCacheTTL  = 5 * time.Second
	DefaultRetryAfter   = time.Second
	DefaultCORSMaxAge   = 24 * time.Hour
)

// RegisterFlags adds the settings to fs under the "ingest." prefix.
func (c *Config) RegisterFlags(fs *flag.FlagSet) {
	fs.Int64Var(&c.MaxBodyBytes, "ingest.max-body-bytes", DefaultMaxBodyBytes, "largest request body accepted, after gunzip (413 beyond)")
	fs.IntVar(&c.MaxEventBytes, "ingest.max-event-bytes", event.DefaultMaxEventBytes, "largest single event accepted (rejected beyond)")
	fs.IntVar(&c.MaxBatchEvents, "ingest.max-batch-events", event.DefaultMaxBatchEvents, "most events in one batch request (413 beyond)")
	fs.DurationVar(&c.KeyCacheTTL, "ingest.key-cache-ttl", DefaultKeyCacheTTL, "how long write-key lookups are cached; revocations take effect within it")
	fs.DurationVar(&c.RetryAfter, "ingest.retry-after", DefaultRetryAfter, "Retry-After sent with 429 and 503 answers")
	fs.DurationVar(&c.CORSMaxAge, "ingest.cors-max-age", DefaultCORSMaxAge, "how long browsers may cache a CORS preflight answer")
	fs.BoolVar(&c.TrustForwardedFor, "ingest.trust-forwarded-for", false, "take the client IP from X-Forwarded-For / X-Real-IP (behind a proxy only)")
	fs.BoolVar(&c.AllowCredentials, "ingest.cors-allow-credentials", false, "send Access-Control-Allow-Credentials: true")
}

// Validate reports settings that make no sense.
func (c Config) Validate() error {
	if c.MaxBodyBytes < 0 || c.MaxEventBytes < 0 || c.MaxBatchEvents < 0 ||
		c.KeyCacheTTL < 0 || c.RetryAfter < 0 || c.CORSMaxAge < 0 {
		return errors.New("ingest config: sizes and durations must not be negative")
	}
	if c.MaxBodyBytes > 0 && c.MaxBodyBytes < 512<<10 {
		return fmt.Errorf("ingest config: max body %d bytes is below the 512 KiB the SDKs send", c.MaxBodyBytes)
	}
	return nil
}

func (c Config) withDefaults() Config {
	if c.MaxBodyBytes == 0 {
		c.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if c.MaxEventBytes == 0 {
		c.MaxEventBytes = event.DefaultMaxEventBytes
	}
	if c.MaxBatchEvents == 0 {
		c.MaxBatchEvents = event.DefaultMaxBatchEvents
	}
	if c.KeyCacheTTL == 0 {
		c.KeyCacheTTL = DefaultKeyCacheTTL
	}
	if c.RetryAfter == 0 {
		c.RetryAfter = DefaultRetryAfter
	}
	if c.CORSMaxAge == 0 {
		c.CORSMaxAge = DefaultCORSMaxAge
	}
	return c
}

// Handler serves the collection API.
type Handler struct {
	cfg         Config
	c           *Committer
	keys        *keyCache
	filter      Filter
	clk         clock.Clock
	logger      *slog.Logger
	m           *metrics
	retryAfter  string
	corsMaxAge  string
	tooLargeMsg string

	bufs sync.Pool // *bytes.Buffer
	gzip sync.Pool // *gzip.Reader
	tap  Tap       // nil: nobody watches
}

// Tap receives every committed request: its events (dup marks the ones
// already stored) and rejections. It must not block (the console's live
// debugger and traffic counts, internal/traffic).
type Tap interface {
	Publish(src store.Source, events []*event.Event, dup []bool, rejections []store.Rejection, at time.Time)
}

// SetTap sets the tap; call it before serving.
func (h *Handler) SetTap(t Tap) { h.tap = t }

// NewHandler returns the collection API writing through c. filter may be
// nil. The metrics, the Committer's included, are registered on reg.
func NewHandler(cfg Config, c *Committer, keys Keys, filter Filter, clk clock.Clock, logger *slog.Logger, reg prometheus.Registerer) (*Handler, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	m, err := newMetrics(reg, c)
	if err != nil {
		return nil, err
	}
	return &Handler{
		cfg:         cfg,
		c:           c,
		keys:        newKeyCache(keys, clk, cfg.KeyCacheTTL),
		filter:      filter,
		clk:         clk,
		logger:      logger,
		m:           m,
		retryAfter:  strconv.Itoa(int((cfg.RetryAfter + time.Second - 1) / time.Second)),
		corsMaxAge:  strconv.Itoa(int(cfg.CORSMaxAge / time.Second)),
		tooLargeMsg: tooLargeMessage(cfg.MaxBodyBytes),
		bufs:        sync.Pool{New: func() any { return new(bytes.Buffer) }},
		gzip:        sync.Pool{New: func() any { return new(gzip.Reader) }},
	}, nil
}

// Batch and single-event paths of the wire contract (§1).
var (
	batchPaths  = []string{"/v1/batch", "/v1/import", "/v1/b"}
	singlePaths = []struct {
		long, short string
		t           event.Type
	}{
		{"/v1/identify", "/v1/i", event.Identify},
		{"/v1/track", "/v1/t", event.Track},
		{"/v1/page", "/v1/p", event.Page},
		{"/v1/screen", "/v1/s", event.Screen},
		{"/v1/group", "/v1/g", event.Group},
		{"/v1/alias", "/v1/a", event.Alias},
	}
)

// Register adds the collection routes to mux.
func (h *Handler) Register(mux *http.ServeMux) {
	for _, p := range batchPaths {
		mux.Handle("POST "+p, h.route(p, h.collector("")))
	}
	for _, p := range singlePaths {
		mux.Handle("POST "+p.long, h.route(p.long, h.collector(p.t)))
		mux.Handle("POST "+p.short, h.route(p.short, h.collector(p.t)))
	}
	mux.Handle("POST /v1/m", h.route("/v1/m", h.telemetry))
	mux.Handle("GET /v1/projects/{writeKey}/settings", h.route("/v1/projects/{writeKey}/settings", h.settings))
	mux.Handle("OPTIONS /v1/", h.route("OPTIONS /v1/", h.preflight))
}

// route adapts a handler returning an error: it sets the CORS headers,
// renders errors into the JSON envelope and observes the duration.
func (h *Handler) route(label string, fn func(http.ResponseWriter, *http.Request) error) http.Handler {
	observer := h.m.duration.WithLabelValues(label)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := h.clk.Now()
		h.cors(w, r)
		if err := fn(w, r); err != nil {
			h.writeError(w, r, err)
		}
		observer.Observe(h.clk.Now().Sub(start).Seconds())
	})
}

var successBody = []byte(`{"success":true}` + "\n")

func writeSuccess(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(successBody)
}

// writeError renders err; anything but an *apiError is a temporary failure.
func (h *Handler) writeError(w http.ResponseWriter, r *http.Request, err error) {
	var ae *apiError
	if !errors.As(err, &ae) {
		h.logger.Error("collection request failed", slog.String("path", r.URL.Path), slog.Any("error", err))
		ae = unavailable("the server could not handle the request right now; retry")
	}
	if ae.retryAfter {
		w.Header().Set("Retry-After", h.retryAfter)
	}
	writeJSON(w, ae.status, errorEnvelope{Error: errorBody{Code: ae.code, Message: ae.message}})
}

type errorEnvelope struct {
	Success bool      `json:"success"`
	Error   errorBody `json:"error"`
}

type errorBody struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}
