package pipeline

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cairn-cdp/cairn/internal/clock"
	"github.com/cairn-cdp/cairn/internal/event"
	"github.com/cairn-cdp/cairn/internal/identity"
	"github.com/cairn-cdp/cairn/internal/journey"
	"github.com/cairn-cdp/cairn/internal/segment"
	"github.com/cairn-cdp/cairn/internal/store"
	"github.com/prometheus/client_golang/prometheus"
)

// Log is the part of the event log the processor reads.
type Log interface {
	Read(ctx context.Context, after int64, limit int) ([]*event.Event, error)
	Get(ctx context.Context, seqs []int64) ([]*event.Event, error)
}

// State is the part of the state store the processor reads and writes.
type State interface {
	StateReader
	SegmentState
	StageState
	ComputedState
	JourneyState
	OutboxState
	Apply(ctx context.Context, b *store.ProcessBatch) error
	Checkpoint(ctx context.Context) (int64, error)
	GetSource(ctx context.Context, id string) (store.Source, error)
}

// Suppressor tells whether an event's identifiers belong to an erased person.
type Suppressor interface {
	Suppressed(keys []store.IdentityKey) bool
}

// DefaultBatchSize is the most events one batch reads. A batch takes what
// the log holds up to it, so it matters only when processing is behind,
// and then larger batches go faster: timeline, trait and identity rows are
// clustered by profile, so a commit rewrites about one page per profile
// touched, and more events per page amortize it (the demo load: 52 s at
// 8,000, 44 s at 20,000, 39 s at 40,000). Each batch holds the state
// writer while it commits, which other writers (the dispatcher) wait for.
const DefaultBatchSize = 20_000

// Config tunes the processor.
type Config struct {
	BatchSize    int             // most events per state transaction (default DefaultBatchSize)
	PollInterval time.Duration   // idle re-check when no notification arrives (default 1s)
	Identity     identity.Config // identity resolution rules
	// CacheProfiles bounds the write-through cache of recently active
	// profiles (rows, traits, identities); default 100k.
	CacheProfiles int
	// EvalWorkers is how many goroutines evaluate a batch's profiles
	// (computed traits, segments); default min(4, GOMAXPROCS), 1 keeps
	// evaluation on the processor goroutine.
	EvalWorkers int
}

// Processor consumes the log in order. One goroutine runs it (Run); other
// goroutines talk to it only through Notify, Do, Pause and Resume.
type Processor struct {
	cfg        Config
	log        Log
	state      State
	resolver   *identity.Resolver
	clk        clock.Clock
	logger     *slog.Logger
	metrics    *metrics
	suppressor Suppressor
	recorder   Recorder
	cache      *cache

	segments       atomic.Pointer[segment.Index]   // live segment index, replaced by Reload
	internalSource string                          // source id of the events the processor emits
	stageModel     atomic.Pointer[stageModel]      // active lifecycle stage model; nil when none (stages.go)
	computed       atomic.Pointer[computedSet]     // live computed trait definitions (computed.go)
	journeys       atomic.Pointer[journey.Catalog] // published journeys (journeys.go)
	sendNotify     func()                          // wakes the dispatcher after sends are queued
	transitionHook func(segmentID string)          // told after a segment's members changed (audience exports)
	bf             backfills                       // segment backfills in progress (segments_backfill.go)
	histories      Histories                       // in-memory histories for backfills; nil: the store

	checkpoint atomic.Int64
	head       atomic.Int64
	lastRecv   atomic.Int64 // unix nanos of the newest processed event's receivedAt
	paused     atomic.Bool
	outboxLeft atomic.Bool // the outbox may hold events not yet in the log (outbox.go)
	// appended are published events still in the outbox: the next apply
	// clears them, or flushOutbox (processor goroutine only).
	appended []int64
	// outboxEpoch is the state store's OutboxEpoch, read on first publish.
	outboxEpoch int64
	// replayBefore is set by Reset (a rebuild): what the replay decides
	// for steps before it is history, not to be done again (rebuild.go).
	replayBefore time.Time
	notify       chan struct{}
	ops          chan op

	srcMu   sync.Mutex
	sources map[string]store.Source
}

type op struct {
	fn   func(ctx context.Context) error
	done chan error
}

// New returns a processor positioned at the state store's checkpoint.
func New(ctx context.Context, cfg Config, log Log, state State, clk clock.Clock, logger *slog.Logger, reg prometheus.Registerer) (*Processor, error) {
	if cfg.BatchSize <= 0 {
		cfg.BatchSize = DefaultBatchSize
	}
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = time.Second
	}
	if cfg.EvalWorkers <= 0 {
		cfg.EvalWorkers = min(4, runtime.GOMAXPROCS(0))
	}
	if err := cfg.Identity.Validate(); err != nil {
		return nil, fmt.Errorf("identity config: %w", err)
	}
	cp, err := state.Checkpoint(ctx)
	if err != nil {
		return nil, fmt.Errorf("read checkpoint: %w", err)
	}
	resolver, err := identity.NewResolver(cfg.Identity)
	if err != nil {
		return nil, fmt.Errorf("identity resolver: %w", err)
	}
	p := &Processor{
		cfg: cfg, log: log, state: state, clk: clk, logger: logger,
		resolver: resolver,
		cache:    newCache(cfg.CacheProfiles),
		notify:   make(chan struct{}, 1),
		ops:      make(chan op),
		sources:  map[string]store.Source{},
	}
	p.outboxLeft.Store(true) // a crash may have left some: drained before the first step
	p.metrics = newMetrics(reg, p)
	p.checkpoint.Store(cp)
	p.head.Store(cp)
	p.loadLastRecv(ctx, cp)
	idx, err := p.loadSegments(ctx)
	if err != nil {
		return nil, err
	}
	p.segments.Store(idx)
	sm, err := p.loadStages(ctx)
	if err != nil {
		return nil, err
	}
	p.stageModel.Store(sm)
	cs, err := p.loadComputed(ctx)
	if err != nil {
		return nil, err
	}
	p.computed.Store(cs)
	cat, err := p.loadJourneys(ctx)
	if err != nil {
		return nil, err
	}
	p.journeys.Store(cat)
	if err := p.loadBackfills(ctx); err != nil {
		return nil, err
	}
	return p, nil
}

// loadLastRecv remembers when the event at the checkpoint was received, so
// Lag reports an age right after a restart instead of 0 until the first
// batch commits. It only feeds a metric: a failed read is logged, not fatal.
func (p *Processor) loadLastRecv(ctx context.Context, cp int64) {
	if cp <= 0 {
		return
	}
	evs, err := p.log.Read(ctx, cp-1, 1)
	if err != nil {
		p.logger.Warn("read the checkpoint event for the lag metric", slog.Int64("seq", cp), slog.Any("error", err))
		return
	}
	if len(evs) == 1 && evs[0].Seq == cp {
		p.lastRecv.Store(evs[0].ReceivedAt.UnixNano())
	}
}

// SetSuppressor installs the erased-person filter. Call before Run.
func (p *Processor) SetSuppressor(s Suppressor) { p.suppressor = s }

// Notify tells the processor the log head moved to at least head. It never blocks.
func (p *Processor) Notify(head int64) {
	for {
		cur := p.head.Load()
		if head <= cur || p.head.CompareAndSwap(cur, head) {
			break
		}
	}
	select {
	case p.notify <- struct{}{}:
	default:
	}
}

// Checkpoint is the last log sequence number whose effects are committed.
func (p *Processor) Checkpoint() int64 { return p.checkpoint.Load() }

// Head is the highest log sequence number the processor has been told of.
func (p *Processor) Head() int64 { return max(p.head.Load(), p.checkpoint.Load()) }

// Lag is how far processing is behind: events not yet processed, and the
// age of the newest processed event's arrival when events are pending.
func (p *Processor) Lag() (events int64, age time.Duration) {
	events = p.Head() - p.Checkpoint()
	if events > 0 {
		if ns := p.lastRecv.Load(); ns > 0 {
			age = p.clk.Now().Sub(time.Unix(0, ns))
		}
	}
	return events, age
}

// Pause stops processing after the current batch until Resume (for ingest-only benchmarks).
func (p *Processor) Pause() { p.paused.Store(true) }

// Resume continues processing.
func (p *Processor) Resume() {
	p.paused.Store(false)
	p.Notify(0)
}

// Do runs fn on the processor goroutine between batches, so it never races
// processing (erasure, rebuild). It waits for fn to finish.
func (p *Processor) Do(ctx context.Context, fn func(ctx context.Context) error) error {
	o := op{fn: fn, done: make(chan error, 1)}
	select {
	case p.ops <- o:
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-o.done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Run processes until ctx is done.
func (p *Processor) Run(ctx context.Context) error {
	backoff := time.Duration(0)
	for {
		if ctx.Err() != nil {
			return nil
		}
		n := 0
		if !p.paused.Load() {
			fired, err := p.fireDue(ctx)
			if err == nil {
				n, err = p.Step(ctx)
			}
			n += fired
			if err == nil {
				var filled int
				filled, err = p.backfillStep(ctx) // one page between batches
				n += filled
			}
			if err != nil {
				if ctx.Err() != nil {
					return nil
				}
				backoff = min(max(2*backoff, 100*time.Millisecond), 10*time.Second)
				p.logger.Error("process batch", slog.Any("error", err), slog.Duration("retry_in", backoff))
				p.metrics.errors.Inc()
				if !p.wait(ctx, backoff, nil) {
					return nil
				}
				continue
			}
			backoff = 0
		}
		if n > 0 {
			p.runPendingOp(ctx)
			continue
		}
		p.flushOutbox(ctx)
		if !p.wait(ctx, p.cfg.PollInterval, p.nextTimerC(ctx)) {
			return nil
		}
	}
}

// wait blocks until notified, an op arrives (and is run), the poll
// interval passes, timer fires (the next segment timer on the injected
// clock; nil never fires) or ctx ends.
func (p *Processor) wait(ctx context.Context, d time.Duration, timer <-chan time.Time) bool {
	select {
	case <-ctx.Done():
		return false
	case <-timer:
	case <-p.notify:
	case o := <-p.ops:
		o.done <- p.runOp(ctx, o)
	case <-time.After(d): // an operational poll interval, not engine time: it also runs under a manual clock
	}
	return true
}

func (p *Processor) runPendingOp(ctx context.Context) {
	select {
	case o := <-p.ops:
		o.done <- p.runOp(ctx, o)
	default:
	}
}

func (p *Processor) runOp(ctx context.Context, o op) (err error) {
	p.flushOutbox(ctx)
	defer p.cache.reset() // ops (erasure) change state behind the cache's back
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("processor op panicked: %v", r)
		}
	}()
	return o.fn(ctx)
}

// CatchUp processes until the log is exhausted. Only call it when Run is
// not running (tests, rebuild) or from inside Do.
func (p *Processor) CatchUp(ctx context.Context) error {
	for {
		fired, err := p.fireDue(ctx)
		if err != nil {
			return err
		}
		n, err := p.Step(ctx)
		if err != nil {
			return err
		}
		filled, err := p.backfillStep(ctx)
		if err != nil {
			return err
		}
		if n+fired+filled == 0 {
			p.flushOutbox(ctx)
			return nil
		}
	}
}

// Step processes one batch and returns how many log entries it covered.
func (p *Processor) Step(ctx context.Context) (int, error) {
	if err := p.drainOutbox(ctx); err != nil {
		return 0, err
	}
	start := time.Now()
	from := p.checkpoint.Load()
	events, err := p.log.Read(ctx, from, p.cfg.BatchSize)
	if err != nil {
		return 0, fmt.Errorf("read log after %d: %w", from, err)
	}
	if len(events) == 0 {
		return 0, nil
	}
	b := newBatch()
	b.checkpoint = events[len(events)-1].Seq
	g := newGraph(p.state, p.cache, b)
	preps, err := p.prepare(ctx, g, events)
	if err != nil {
		return 0, err
	}
	for _, pe := range preps {
		if pe.err != nil {
			p.skip(b, pe, pe.err)
			continue
		}
		if err := p.applyOne(ctx, g, pe); err != nil {
			return 0, err
		}
	}
	if err := p.prefetchBatchHistories(ctx, b); err != nil {
		return 0, err
	}
	if err := p.evalComputed(ctx, g); err != nil {
		return 0, fmt.Errorf("computed traits of batch up to seq %d: %w", b.checkpoint, err)
	}
	if err := p.evalSegments(ctx, g); err != nil {
		return 0, fmt.Errorf("segments of batch up to seq %d: %w", b.checkpoint, err)
	}
	if err := p.evalStages(ctx, g); err != nil {
		return 0, fmt.Errorf("stages of batch up to seq %d: %w", b.checkpoint, err)
	}
	if err := p.evalJourneys(ctx, g); err != nil {
		return 0, fmt.Errorf("journeys of batch up to seq %d: %w", b.checkpoint, err)
	}
	emits, stages := b.seg.emitted()
	out := p.outgoingOf(emits, stages, b.jour.emitted())
	if err := p.commitWith(ctx, b.build(), out); err != nil {
		return 0, fmt.Errorf("commit batch up to seq %d: %w", b.checkpoint, err)
	}
	p.extendHistories(b)
	unloadBodies(b)
	p.cache.commit(b)
	p.report(ctx, b)
	p.publish(ctx, out)
	if b.jour != nil {
		p.notifySends(b.jour)
	}
	p.checkpoint.Store(b.checkpoint)
	p.lastRecv.Store(events[len(events)-1].ReceivedAt.UnixNano())
	p.metrics.processed.Add(float64(len(events)))
	p.metrics.batchSeconds.Observe(time.Since(start).Seconds())
	return len(events), nil
}

// applyOne applies one prepared event and records the profile it touched.
func (p *Processor) applyOne(ctx context.Context, g *graph, pe *prepared) error {
	b := g.b
	var (
		id  string
		err error
	)
	internal, isInternal := b.internal[pe.ev.Seq]
	if isInternal {
		id, err = p.applyInternal(ctx, g, pe, internal)
		if errors.Is(err, errProfileGone) {
			return nil // its profile was erased: nothing to attach it to
		}
	} else {
		id, err = p.applyEvent(ctx, g, pe)
	}
	if err != nil {
		if isSkippable(err) {
			p.skip(b, pe, err)
			return nil
		}
		return fmt.Errorf("apply %s: %w", describe(pe.ev), err)
	}
	b.touches = append(b.touches, segTouch{ev: pe.ev, profileID: id, created: !isInternal && id == profileID(pe.ev)})
	return nil
}

// prepare decodes payloads, extracts identifiers and prefetches them in one store call.
func (p *Processor) prepare(ctx context.Context, g *graph, events []*event.Event) ([]*prepared, error) {
	preps := make([]*prepared, len(events))
	var all []store.IdentityKey
	for i, e := range events {
		pe := &prepared{ev: e}
		preps[i] = pe
		if p.isInternal(e) {
			id, err := internalProfile(e)
			if err != nil {
				pe.err = err
			} else {
				g.b.internal[e.Seq] = id
			}
			continue
		}
		payload, err := decodePayload(e)
		if err != nil {
			pe.err = err
			continue
		}
		pe.payload = payload
		link, err := p.linkAnonymous(ctx, e.SourceID)
		if err != nil {
			return nil, err
		}
		pe.keys, _ = p.cfg.Identity.Extract(e, payload, link)
		if len(pe.keys) == 0 {
			pe.err = identity.ErrNoIdentifiers
			continue
		}
		if p.suppressor != nil && p.suppressor.Suppressed(pe.keys) {
			pe.err = errSuppressed
			continue
		}
		for _, k := range pe.keys {
			if k.Type == identity.TypePreviousID { // resolved as either of these
				all = append(all, store.IdentityKey{Type: identity.TypeUserID, Value: k.Value},
					store.IdentityKey{Type: identity.TypeAnonymousID, Value: k.Value})
				continue
			}
			all = append(all, k)
		}
	}
	if err := g.prefetch(ctx, all); err != nil {
		return nil, err
	}
	if err := p.prefetchProfiles(ctx, g, preps); err != nil {
		return nil, err
	}
	return preps, nil
}

// linkAnonymous tells whether a source's non-identify events link userId and anonymousId.
func (p *Processor) linkAnonymous(ctx context.Context, sourceID string) (bool, error) {
	p.srcMu.Lock()
	s, ok := p.sources[sourceID]
	p.srcMu.Unlock()
	if !ok {
		var err error
		s, err = p.state.GetSource(ctx, sourceID)
		if errors.Is(err, store.ErrNotFound) {
			s = store.Source{ID: sourceID}
		} else if err != nil {
			return false, fmt.Errorf("load source %s: %w", sourceID, err)
		}
		p.srcMu.Lock()
		p.sources[sourceID] = s
		p.srcMu.Unlock()
	}
	return LinksAnonymous(s), nil
}

// LinksAnonymous reports a source's effective link-anonymous setting: its
// own when set, else true for client-side channels (web, app).
func LinksAnonymous(s store.Source) bool {
	if s.LinkAnonymous != nil {
		return *s.LinkAnonymous
	}
	return s.Channel == "web" || s.Channel == "app"
}

// ForgetSource drops a cached source after it changed.
func (p *Processor) ForgetSource(id string) {
	p.srcMu.Lock()
	delete(p.sources, id)
	p.srcMu.Unlock()
}

// Reset re-reads the checkpoint after the state store was reset, and
// makes the replay that follows a rebuild: steps before now send nothing
// and emit no journey event again (rebuild.go). Only call it when Run is
// not running.
func (p *Processor) Reset(ctx context.Context) error {
	cp, err := p.state.Checkpoint(ctx)
	if err != nil {
		return fmt.Errorf("read checkpoint: %w", err)
	}
	p.checkpoint.Store(cp)
	p.replayBefore = p.clk.Now()
	p.cache.reset()
	p.srcMu.Lock()
	p.sources = map[string]store.Source{}
	p.srcMu.Unlock()
	return nil
}
