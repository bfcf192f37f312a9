package app

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"github.com/cairn-cdp/cairn/internal/analytics/projection"
	"github.com/cairn-cdp/cairn/internal/clock"
	"github.com/cairn-cdp/cairn/internal/console"
	"github.com/cairn-cdp/cairn/internal/delivery"
	"github.com/cairn-cdp/cairn/internal/event"
	"github.com/cairn-cdp/cairn/internal/httpapi"
	"github.com/cairn-cdp/cairn/internal/identity"
	"github.com/cairn-cdp/cairn/internal/ingest"
	"github.com/cairn-cdp/cairn/internal/pipeline"
	"github.com/cairn-cdp/cairn/internal/privacy"
	"github.com/cairn-cdp/cairn/internal/store"
	"github.com/cairn-cdp/cairn/internal/store/sqlite"
	"github.com/cairn-cdp/cairn/internal/traffic"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"golang.org/x/sync/errgroup"
)

// Config is the server's restart-time configuration.
type Config struct {
	DataDir      string
	Addr         string
	ClockMode    string // real | manual
	ClockStart   string // RFC 3339 start of the manual clock (default: now)
	DedupeWindow time.Duration
	MaxBodyBytes int64
	BatchSize    int
	Identity     identity.Config
	IdentityFile string
	Paused       bool
	// RFMEvery is how often RFM scores are re-binned (engine clock); 0 disables.
	RFMEvery time.Duration
	// PublicURL is the base URL customers reach this server at: tracking
	// pixels, click redirects and unsubscribe links point there.
	PublicURL string
	// AdminToken overrides CAIRN_ADMIN_TOKEN and the data folder's token (tests).
	AdminToken string
	// AnalyticsPreload loads the analytics projection at start rather than on
	// the first analysis (it holds every timeline in memory, ~24–40 B/event).
	AnalyticsPreload bool
	// SendWorkers is how many customers' sends the dispatcher delivers at
	// once (delivery.Config.Concurrency); 0 is its default, 16.
	SendWorkers int
}

// RegisterFlags adds the server flags to fs.
func (c *Config) RegisterFlags(fs *flag.FlagSet) {
	fs.StringVar(&c.DataDir, "data", "./cairn-data", "data folder holding the embedded store")
	fs.StringVar(&c.Addr, "addr", "127.0.0.1:4280", "address to listen on")
	fs.StringVar(&c.ClockMode, "clock", "real", "engine clock: real, or manual (driven by POST /v1/admin/clock; for tests)")
	fs.StringVar(&c.ClockStart, "clock-start", "", "start time of the manual clock (RFC 3339; default now)")
	fs.BoolVar(&c.AnalyticsPreload, "analytics-preload", true,
		"load every timeline into the analytics projection at start (~24–40 bytes per event); false defers it to the first analysis")
	fs.DurationVar(&c.DedupeWindow, "dedupe-window", 7*24*time.Hour, "how long a (source, messageId) pair is remembered for deduplication (the SQLite log keeps 21–43 bytes of memory per SDK messageId inside it)")
	fs.Int64Var(&c.MaxBodyBytes, "max-body", 1<<20, "largest accepted request body after decompression, in bytes")
	fs.IntVar(&c.BatchSize, "batch", pipeline.DefaultBatchSize, "most events per processor transaction (larger batches amortize the commit when behind; see BENCHMARKS.md)")
	fs.BoolVar(&c.Paused, "pause-processing", false, "accept and store events but do not process them until restarted without this flag (ingest benchmarks)")
	fs.DurationVar(&c.RFMEvery, "rfm-every", 24*time.Hour, "how often RFM scores are re-binned (engine clock; 0 disables; also POST /v1/traits/rfm/rebin)")
	fs.StringVar(&c.PublicURL, "public-url", "", "base URL customers reach this server at, for tracking and unsubscribe links (default: http://<addr>)")
	fs.StringVar(&c.IdentityFile, "identity", "", "JSON file with identity rules (limits, priorities, blocked values, trait_keys); default: the documented defaults")
	fs.IntVar(&c.SendWorkers, "send-workers", 16,
		"customers whose messages are delivered at once (each customer's stay in order); raise it for providers that answer slowly, within what the provider accepts (an SMTP relay's connection limit)")
}

// Validate checks the configuration.
func (c *Config) Validate() error {
	var errs []error
	if c.DataDir == "" {
		errs = append(errs, errors.New("--data must name a folder"))
	}
	if c.ClockMode != "real" && c.ClockMode != "manual" {
		errs = append(errs, fmt.Errorf("--clock must be real or manual, got %q", c.ClockMode))
	}
	if c.DedupeWindow < time.Minute {
		errs = append(errs, fmt.Errorf("--dedupe-window must be at least 1m, got %s", c.DedupeWindow))
	}
	if c.SendWorkers < 0 || c.SendWorkers > 1024 {
		errs = append(errs, fmt.Errorf("--send-workers must be between 1 and 1024, got %d", c.SendWorkers))
	}
	if c.MaxBodyBytes < 512<<10 {
		errs = append(errs, fmt.Errorf("--max-body must be at least 524288 (the SDKs send up to 512 KiB), got %d", c.MaxBodyBytes))
	}
	if c.Identity.Rules == nil {
		c.Identity = identity.DefaultConfig()
		if c.IdentityFile != "" {
			if err := loadIdentity(c.IdentityFile, &c.Identity); err != nil {
				errs = append(errs, err)
			}
		}
	}
	if err := c.Identity.Validate(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// App is a running Cairn server's components.
type App struct {
	cfg        Config
	logger     *slog.Logger
	lock       *Lock
	Log        store.Log
	State      store.State
	Clock      clock.Clock
	Manual     *clock.Manual
	Registry   *prometheus.Registry
	Committer  *ingest.Committer
	Processor  *pipeline.Processor
	Dispatcher *delivery.Dispatcher
	senders    *senders
	audiences  *audiences
	Privacy    *privacy.Service
	Histories  *projection.Projection // in-memory timelines for the analyses
	Traffic    *traffic.Hub           // what ingest accepts, live, for the console
	Imports    *Imports
	Handler    http.Handler
	AdminToken string
	// TokenCreated is set when the admin token was generated on this start.
	TokenCreated bool
	loading      atomic.Bool  // demo data is being loaded
	demoHead     atomic.Int64 // the log head after the demo data: not ready before processing reaches it
}

// Open opens the data folder and builds every component; nothing runs yet.
func Open(ctx context.Context, cfg Config, logger *slog.Logger) (*App, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	lock, err := LockDir(cfg.DataDir)
	if err != nil {
		return nil, err
	}
	a := &App{cfg: cfg, logger: logger, lock: lock, Registry: prometheus.NewRegistry()}
	if err := a.open(ctx); err != nil {
		a.Close()
		return nil, err
	}
	return a, nil
}

func (a *App) open(ctx context.Context) error {
	cfg := a.cfg
	a.Registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	var err error
	a.AdminToken = cfg.AdminToken
	if a.AdminToken == "" {
		if a.AdminToken, a.TokenCreated, err = AdminToken(cfg.DataDir); err != nil {
			return err
		}
	}
	secret, _, err := readOrCreate(cfg.DataDir, "secret.key", func() string { return RandomToken(32) })
	if err != nil {
		return err
	}
	a.Clock = clock.Real{}
	if cfg.ClockMode == "manual" {
		start := time.Now().UTC()
		if cfg.ClockStart != "" {
			if start, err = time.Parse(time.RFC3339Nano, cfg.ClockStart); err != nil {
				return fmt.Errorf("--clock-start %q is not an RFC 3339 time: %w", cfg.ClockStart, err)
			}
		}
		a.Manual = clock.NewManual(start)
		a.Clock = a.Manual
	}
	// Through locals: a failed Open returns nil pointers, which stored in
	// the interfaces would look set to Close (it panicked instead of
	// reporting, e.g., a data folder written by a newer cairn).
	lg, st, err := sqlite.Open(ctx, filepath.Join(cfg.DataDir), a.logger)
	if err != nil {
		return fmt.Errorf("open store in %s: %w", cfg.DataDir, err)
	}
	a.Log, a.State = lg, st
	tombs := privacy.NewTombstones([]byte(secret))
	if err := tombs.Load(ctx, a.State); err != nil {
		return err
	}
	builtins, err := a.ensureBuiltinComputed(ctx)
	if err != nil {
		return err
	}
	if l, ok := a.Log.(dedupeKeyCounter); ok {
		a.Registry.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "cairn_log_dedupe_index_keys",
			Help: "Message ids the log's in-memory dedupe index holds (21–43 bytes each; 0 until loaded).",
		}, func() float64 { return float64(l.DedupeKeys()) }))
	}
	a.Processor, err = pipeline.New(ctx, pipeline.Config{BatchSize: cfg.BatchSize, Identity: cfg.Identity},
		a.Log, a.State, a.Clock, a.logger, a.Registry)
	if err != nil {
		return err
	}
	a.Processor.SetSuppressor(tombs)
	a.Processor.SetRecorder(a.Log)
	internal, err := a.internalSource(ctx)
	if err != nil {
		return err
	}
	a.Processor.SetInternalSource(internal)
	for _, name := range builtins { // profiles of an older data dir get the new traits
		if err := a.Processor.BackfillComputed(ctx, name); err != nil {
			return err
		}
	}
	if cfg.Paused {
		a.Processor.Pause()
	}
	a.Committer = ingest.NewCommitter(committerLog(a.Log, a.Processor), a.Clock, a.logger,
		ingest.CommitterConfig{DedupeWindow: cfg.DedupeWindow})
	extract := func(e *event.Event, p *event.Payload) []store.IdentityKey {
		keys, _ := cfg.Identity.Extract(e, p, true)
		return keys
	}
	ing, err := ingest.NewHandler(ingest.Config{MaxBodyBytes: cfg.MaxBodyBytes}, a.Committer, a.State,
		privacy.Filter{T: tombs, Extract: extract}, a.Clock, a.logger, a.Registry)
	if err != nil {
		return err
	}
	a.Traffic = traffic.NewHub(24 * time.Hour)
	ing.SetTap(a.Traffic)
	publicURL := strings.TrimSuffix(cfg.PublicURL, "/")
	if publicURL == "" {
		addr := cfg.Addr
		if addr == "" {
			addr = "localhost"
		}
		publicURL = "http://" + addr
	}
	tpls := newTemplates(a.State)
	a.senders = newSenders(a.State, a.Clock, a.logger)
	a.audiences = newAudiences(a.State, cfg.DataDir, a.Clock, a.logger)
	a.Processor.SetTransitionHook(a.audiences.onTransition)
	// The dispatcher's events go through the group committer (which tells
	// the processor): its workers append one outcome each, concurrently.
	a.Dispatcher = delivery.New(delivery.Config{InternalSource: internal, PublicURL: publicURL, Secret: []byte(secret), Concurrency: cfg.SendWorkers},
		a.State, a.Committer, tpls, a.senders, a.Clock, a.logger, a.Registry)
	a.Processor.SetSendNotifier(a.Dispatcher.Notify)
	a.Histories = projection.New(a.State, a.Log, a.logger)
	a.Processor.SetHistories(a.Histories) // backfills read histories from memory once it is loaded
	a.Privacy = &privacy.Service{State: a.State, Log: a.Log, Runner: a.Processor, T: tombs, Clock: a.Clock, Logger: a.logger,
		Histories: a.Histories}
	a.Imports = &Imports{state: a.State, c: a.Committer, now: a.Clock.Now, jobs: map[string]*ImportJob{}}
	api := httpapi.New(httpapi.Deps{
		State: a.State, Log: a.Log, Processor: a.Processor, Privacy: a.Privacy, Imports: a.Imports, Segments: a.Processor, Stages: a.Processor, Computed: a.Processor, Clock: a.Clock, Manual: a.Manual,
		Journeys:  journeys{p: a.Processor, st: a.State},
		Messaging: &messaging{st: a.State, tpls: tpls, d: a.Dispatcher, clk: a.Clock, logger: a.logger},
		Engage:    a.Dispatcher, Tasks: taskOutcomes{a: a}, Feedback: a.Dispatcher, Audiences: a.audiences, ModelTraits: a.Processor, RFM: a.Processor,
		Histories: a.Histories, Traffic: a.Traffic,
		AdminToken: a.AdminToken, Normalize: cfg.Identity.Normalize, Ready: a.ready, Logger: a.logger,
		Gatherer: a.Registry, NewID: newID, NewKey: func() string { return RandomToken(24) },
	})
	mux := http.NewServeMux()
	ing.Register(mux)
	api.Register(mux)
	a.Dispatcher.Register(mux)
	mux.Handle("GET /", console.Handler()) // the web console: every path no other route has
	a.Handler = mux
	return nil
}

// loadIdentity overlays the JSON file at path onto the default rules.
func loadIdentity(path string, into *identity.Config) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("--identity: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(into); err != nil {
		return fmt.Errorf("--identity %s: %w (expected {\"rules\":{\"email\":{\"limit\":5,\"priority\":2}},\"trait_keys\":[\"loyalty_id\"]})", path, err)
	}
	return nil
}

func newID(prefix string) string { return prefix + "_" + RandomToken(12) }

// readyLag is how far behind processing may be for /readyz to say ready.
const readyLag = 10_000

func (a *App) ready(ctx context.Context) error {
	if a.loading.Load() {
		return errors.New("loading the demo data set")
	}
	st, err := a.Log.Stats(ctx)
	if err != nil {
		return fmt.Errorf("log not readable: %w", err)
	}
	cp := a.Processor.Checkpoint()
	if demo := a.demoHead.Load(); cp < demo {
		return fmt.Errorf("processing the demo data: %d of %d events", cp, demo)
	}
	if behind := st.Head - cp; behind > readyLag {
		return fmt.Errorf("processing is %d events behind the log (ready at <= %d)", behind, readyLag)
	}
	return nil
}

// Run serves HTTP and runs the committer, the processor and housekeeping
// until ctx ends, then shuts down gracefully: stop accepting, finish
// in-flight requests, flush the committer, stop the processor.
func (a *App) Run(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{Handler: a.Handler, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 60 * time.Second, IdleTimeout: 2 * time.Minute}
	// The committer and processor outlive the HTTP server so in-flight
	// requests can still be made durable during shutdown.
	bg, cancelBG := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelBG()
	g, gctx := errgroup.WithContext(bg)
	g.Go(func() error { return a.Committer.Run(gctx) })
	g.Go(func() error { return a.Processor.Run(gctx) })
	g.Go(func() error { return a.housekeeping(gctx) })
	g.Go(func() error { return a.Dispatcher.Run(gctx) })
	g.Go(func() error { return a.senders.run(gctx) })
	g.Go(func() error { return a.audiences.deb.Run(gctx) })
	g.Go(func() error { return a.rebinDaily(gctx) })
	if a.cfg.AnalyticsPreload {
		g.Go(func() error {
			// Build the analytics projection now, not on the first analysis.
			if err := a.Histories.Refresh(gctx); err != nil && gctx.Err() == nil {
				a.logger.Warn("load the analytics projection (analyses will retry)", slog.Any("error", err))
			}
			return nil
		})
	}
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()
	var err error
	select {
	case <-ctx.Done():
	case err = <-serveErr:
		if errors.Is(err, http.ErrServerClosed) {
			err = nil
		}
	case <-gctx.Done():
	}
	shutCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 15*time.Second)
	defer cancel()
	if serr := srv.Shutdown(shutCtx); serr != nil {
		a.logger.Error("http shutdown", slog.Any("error", serr))
	}
	cancelBG()
	if gerr := g.Wait(); gerr != nil && !errors.Is(gerr, context.Canceled) {
		err = errors.Join(err, gerr)
	}
	return err
}

// rebinDaily recomputes the RFM quintile scores every --rfm-every (a day
// by default) on the engine clock, so --clock manual drives it too.
func (a *App) rebinDaily(ctx context.Context) error {
	every := a.cfg.RFMEvery
	if every <= 0 {
		return nil
	}
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-a.Clock.After(every):
		}
		if n, err := a.Processor.RebinRFM(ctx); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			a.logger.Error("re-bin RFM scores", slog.Any("error", err))
		} else {
			a.logger.Info("re-binned RFM scores", slog.Int("profiles_changed", n))
		}
	}
}

// housekeeping prunes expired dedupe records hourly.
func (a *App) housekeeping(ctx context.Context) error {
	for {
		before := a.Clock.Now().Add(-a.cfg.DedupeWindow)
		if n, err := a.Log.PruneDedupe(ctx, before); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			a.logger.Error("prune dedupe records", slog.Any("error", err))
		} else if n > 0 {
			a.logger.Info("pruned dedupe records", slog.Int64("count", n))
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(time.Hour):
		}
	}
}

// Close releases the channel adapters (kept SMTP connections, direct-mail
// batch files), the stores and the data folder lock.
func (a *App) Close() error {
	var errs []error
	if a.senders != nil {
		errs = append(errs, a.senders.close())
	}
	if a.Log != nil {
		errs = append(errs, a.Log.Close())
	}
	if a.State != nil {
		errs = append(errs, a.State.Close())
	}
	errs = append(errs, a.lock.Release())
	return errors.Join(errs...)
}

// dedupeKeyCounter is a log with an in-memory dedupe index (SQLite).
type dedupeKeyCounter interface{ DedupeKeys() int64 }

// committerLog is the log the ingest committer writes to: one that tells the
// processor of new entries once they are durable, and flushes beside the
// commits when the store can.
func committerLog(l store.Log, p *pipeline.Processor) ingest.Log {
	if ul, ok := l.(ingest.UnsyncedLog); ok {
		return notifyingUnsyncedLog{notifyingLog{Log: l, p: p}, ul}
	}
	return notifyingLog{Log: l, p: p}
}

// notifyingUnsyncedLog is notifyingLog for an ingest.UnsyncedLog: the
// processor hears of new entries after the flush that makes them durable.
type notifyingUnsyncedLog struct {
	notifyingLog
	ul ingest.UnsyncedLog
}

func (l notifyingUnsyncedLog) AppendUnsynced(ctx context.Context, b store.AppendBatch) ([]bool, error) {
	return l.ul.AppendUnsynced(ctx, b)
}

func (l notifyingUnsyncedLog) Sync(ctx context.Context) (int64, error) {
	head, err := l.ul.Sync(ctx)
	if err == nil {
		l.p.Notify(head)
	}
	return head, err
}

var _ ingest.UnsyncedLog = notifyingUnsyncedLog{}

// notifyingLog tells the processor about new log entries after each durable append.
type notifyingLog struct {
	store.Log
	p *pipeline.Processor
}

func (l notifyingLog) Append(ctx context.Context, b store.AppendBatch) ([]bool, error) {
	dup, err := l.Log.Append(ctx, b)
	if err == nil {
		var head int64
		for _, e := range b.Events {
			head = max(head, e.Seq)
		}
		l.p.Notify(head)
	}
	return dup, err
}
