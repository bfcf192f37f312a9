package ingest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/cairn-cdp/cairn/internal/clock"
	"github.com/cairn-cdp/cairn/internal/event"
	"github.com/cairn-cdp/cairn/internal/store"
)

// Log is the part of the event log the Committer writes to (store.Log
// satisfies it). Append must be durable when it returns.
type Log interface {
	Append(ctx context.Context, b store.AppendBatch) (dup []bool, err error)
}

// UnsyncedLog is a Log that can commit a group without waiting for the disk
// and flush later (the SQLite log). The Committer then flushes one group
// while it commits the next, and still answers no request before the flush
// that covers it.
type UnsyncedLog interface {
	Log
	// AppendUnsynced commits b; it is durable once a later Sync returns.
	AppendUnsynced(ctx context.Context, b store.AppendBatch) (dup []bool, err error)
	// Sync makes every commit before it durable and returns the log's head.
	Sync(ctx context.Context) (head int64, err error)
}

// CommitterConfig tunes group commit. Zero values take the defaults.
type CommitterConfig struct {
	// MaxGroupEvents caps the events plus rejections of one Log.Append
	// (a single larger request still goes through alone). Default 5000.
	MaxGroupEvents int
	// MaxQueueEvents caps the events plus rejections waiting for a group;
	// beyond it Submit fails with ErrQueueFull (HTTP 429). Default 50000.
	MaxQueueEvents int
	// DedupeWindow is how long a (source, messageId) pair counts as a
	// duplicate. Default 7 days.
	DedupeWindow time.Duration
}

// Defaults of CommitterConfig.
const (
	DefaultMaxGroupEvents = 5000
	DefaultMaxQueueEvents = 50000
	DefaultDedupeWindow   = 7 * 24 * time.Hour
)

func (c CommitterConfig) withDefaults() CommitterConfig {
	if c.MaxGroupEvents <= 0 {
		c.MaxGroupEvents = DefaultMaxGroupEvents
	}
	if c.MaxQueueEvents <= 0 {
		c.MaxQueueEvents = DefaultMaxQueueEvents
	}
	if c.DedupeWindow <= 0 {
		c.DedupeWindow = DefaultDedupeWindow
	}
	return c
}

// Validate reports settings that make no sense.
func (c CommitterConfig) Validate() error {
	if c.MaxGroupEvents < 0 || c.MaxQueueEvents < 0 || c.DedupeWindow < 0 {
		return errors.New("committer config: limits and the dedupe window must not be negative")
	}
	if c.MaxQueueEvents > 0 && c.MaxGroupEvents > c.MaxQueueEvents {
		return fmt.Errorf("committer config: a group (%d) cannot be larger than the queue (%d)", c.MaxGroupEvents, c.MaxQueueEvents)
	}
	return nil
}

// Committer group-commits the events of concurrent requests: Submit queues
// them and waits; Run drains the queue in groups, one Log.Append per group,
// and wakes every waiter with its duplicate flags or the group's error.
type Committer struct {
	log    Log
	clk    clock.Clock
	logger *slog.Logger
	cfg    CommitterConfig

	mu     sync.Mutex
	queue  []*pending
	queued int // events plus rejections in queue
	closed bool
	wake   chan struct{}

	// When the log is an UnsyncedLog, Run sets unsynced and flushQ, which
	// carries committed groups to the flusher; both are nil otherwise.
	unsynced UnsyncedLog
	flushQ   chan flushJob

	groupEvents   prometheus.Histogram
	commitSeconds prometheus.Histogram
	syncSeconds   prometheus.Histogram
}

// flushJob is a committed group waiting for the flush that makes it durable.
type flushJob struct {
	group []*pending
	dup   []bool
}

// flushDepth bounds the committed groups waiting for a flush: a slow disk
// holds the committer back instead of letting commits run ahead unbounded.
const flushDepth = 4

// pending is one Submit call waiting for its group.
type pending struct {
	events     []*event.Event
	rejections []store.Rejection
	dup        []bool
	err        error
	done       chan struct{}
}

func (p *pending) size() int { return len(p.events) + len(p.rejections) }

// NewCommitter returns a Committer writing to log. Start Run before Submit.
func NewCommitter(log Log, clk clock.Clock, logger *slog.Logger, cfg CommitterConfig) *Committer {
	return &Committer{
		log:    log,
		clk:    clk,
		logger: logger,
		cfg:    cfg.withDefaults(),
		wake:   make(chan struct{}, 1),
		groupEvents: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "cairn_ingest_commit_batch_events",
			Help:    "Events plus rejections written by one group commit.",
			Buckets: prometheus.ExponentialBuckets(1, 2, 14),
		}),
		commitSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "cairn_ingest_commit_duration_seconds",
			Help:    "Duration of one group commit (Log.Append, or its commit alone when flushes run beside the commits).",
			Buckets: prometheus.ExponentialBuckets(0.0001, 2, 16),
		}),
		syncSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "cairn_ingest_flush_duration_seconds",
			Help:    "Duration of one flush of committed groups to disk (Log.Sync), when flushes run beside the commits.",
			Buckets: prometheus.ExponentialBuckets(0.0001, 2, 16),
		}),
	}
}

// Collectors are the Committer's metrics; NewHandler registers them.
func (c *Committer) Collectors() []prometheus.Collector {
	return []prometheus.Collector{c.groupEvents, c.commitSeconds, c.syncSeconds}
}

// Queued returns the events plus rejections waiting for a group.
func (c *Committer) Queued() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.queued
}

// Submit queues events and rejections for the next group and waits until
// they are durable. dup[i] reports that events[i] was a duplicate. It fails
// at once with ErrQueueFull when the queue is at capacity and with
// ErrClosed after Run has returned. When ctx ends first, Submit returns
// ctx.Err() and the events may still be committed.
func (c *Committer) Submit(ctx context.Context, events []*event.Event, rejections []store.Rejection) ([]bool, error) {
	p := &pending{events: events, rejections: rejections, done: make(chan struct{})}
	n := p.size()
	if n == 0 {
		return nil, nil
	}
	c.mu.Lock()
	switch {
	case c.closed:
		c.mu.Unlock()
		return nil, ErrClosed
	case c.queued > 0 && c.queued+n > c.cfg.MaxQueueEvents:
		c.mu.Unlock()
		return nil, ErrQueueFull
	}
	c.queue = append(c.queue, p)
	c.queued += n
	c.mu.Unlock()
	select {
	case c.wake <- struct{}{}:
	default:
	}
	select {
	case <-p.done:
		return p.dup, p.err
	case <-ctx.Done():
		return nil, fmt.Errorf("wait for commit: %w", ctx.Err())
	}
}

// Append is Submit for a store.AppendBatch, so the Committer can stand
// where a log is expected: the dispatcher's outcome events, appended by
// many workers at once, then share fsyncs with ingest instead of paying
// one each. b.DedupeSince is ignored: the Committer's window applies.
func (c *Committer) Append(ctx context.Context, b store.AppendBatch) ([]bool, error) {
	return c.Submit(ctx, b.Events, b.Rejections)
}

// Run commits groups until ctx ends; then it refuses new work, commits what
// is queued and returns nil. Appends run with ctx's values but without its
// cancellation, so a group in flight at shutdown still completes.
func (c *Committer) Run(ctx context.Context) error {
	appendCtx := context.WithoutCancel(ctx)
	if ul, ok := c.log.(UnsyncedLog); ok {
		c.unsynced, c.flushQ = ul, make(chan flushJob, flushDepth)
		flushed := make(chan struct{})
		go func() {
			defer close(flushed)
			c.flusher(appendCtx)
		}()
		defer func() {
			close(c.flushQ)
			<-flushed
		}()
	}
	var group []*pending
	for {
		select {
		case <-ctx.Done():
			c.mu.Lock()
			c.closed = true
			c.mu.Unlock()
			c.drain(appendCtx, group)
			return nil
		case <-c.wake:
			group = c.drain(appendCtx, group)
		}
	}
}

// drain commits groups until the queue is empty and returns the scratch slice.
func (c *Committer) drain(ctx context.Context, group []*pending) []*pending {
	for {
		group = c.take(group[:0])
		if len(group) == 0 {
			return group
		}
		c.commit(ctx, group)
		clear(group)
	}
}

// take moves the next group of pending submissions into dst.
func (c *Committer) take(dst []*pending) []*pending {
	c.mu.Lock()
	defer c.mu.Unlock()
	total, i := 0, 0
	for ; i < len(c.queue); i++ {
		n := c.queue[i].size()
		if i > 0 && total+n > c.cfg.MaxGroupEvents {
			break
		}
		total += n
	}
	dst = append(dst, c.queue[:i]...)
	rest := copy(c.queue, c.queue[i:])
	clear(c.queue[rest:])
	c.queue = c.queue[:rest]
	c.queued -= total
	return dst
}

// commit writes one group and wakes its waiters.
func (c *Committer) commit(ctx context.Context, group []*pending) {
	var b store.AppendBatch
	if len(group) == 1 {
		b.Events, b.Rejections = group[0].events, group[0].rejections
	} else {
		ne, nr := 0, 0
		for _, p := range group {
			ne, nr = ne+len(p.events), nr+len(p.rejections)
		}
		b.Events = make([]*event.Event, 0, ne)
		b.Rejections = make([]store.Rejection, 0, nr)
		for _, p := range group {
			b.Events = append(b.Events, p.events...)
			b.Rejections = append(b.Rejections, p.rejections...)
		}
	}
	start := c.clk.Now()
	b.DedupeSince = start.Add(-c.cfg.DedupeWindow)
	var (
		dup []bool
		err error
	)
	if c.flushQ != nil {
		dup, err = c.append(ctx, b, c.unsynced.AppendUnsynced)
	} else {
		dup, err = c.append(ctx, b, c.log.Append)
	}
	c.commitSeconds.Observe(c.clk.Now().Sub(start).Seconds())
	c.groupEvents.Observe(float64(len(b.Events) + len(b.Rejections)))
	if err == nil && len(dup) != len(b.Events) {
		err = fmt.Errorf("log append returned %d duplicate flags for %d events", len(dup), len(b.Events))
	}
	if err != nil {
		c.logger.Error("commit event group", slog.Int("events", len(b.Events)),
			slog.Int("rejections", len(b.Rejections)), slog.Int("requests", len(group)), slog.Any("error", err))
	}
	if err == nil && c.flushQ != nil {
		// The group slice is the caller's scratch: hand over a copy.
		c.flushQ <- flushJob{group: slices.Clone(group), dup: dup}
		return
	}
	finish(group, dup, err)
}

// flusher flushes committed groups, as many as have queued up per flush,
// and wakes their waiters, until flushQ is closed.
func (c *Committer) flusher(ctx context.Context) {
	var jobs []flushJob
	for job := range c.flushQ {
		jobs = append(jobs[:0], job)
	more:
		for {
			select {
			case j, ok := <-c.flushQ:
				if !ok {
					break more
				}
				jobs = append(jobs, j)
			default:
				break more
			}
		}
		start := c.clk.Now()
		err := c.sync(ctx)
		c.syncSeconds.Observe(c.clk.Now().Sub(start).Seconds())
		if err != nil {
			c.logger.Error("flush committed event groups", slog.Int("groups", len(jobs)), slog.Any("error", err))
		}
		for i, j := range jobs {
			finish(j.group, j.dup, err)
			jobs[i] = flushJob{}
		}
	}
}

// finish wakes a group's waiters with their duplicate flags or err.
func finish(group []*pending, dup []bool, err error) {
	off := 0
	for _, p := range group {
		if err != nil {
			p.err = err
		} else {
			p.dup = slices.Clip(dup[off : off+len(p.events)])
			off += len(p.events)
		}
		close(p.done)
	}
}

// append calls fn (Log.Append or AppendUnsynced) and turns a panic into an
// error, so one bad group cannot take the process down or leave waiters
// hanging.
func (c *Committer) append(ctx context.Context, b store.AppendBatch,
	fn func(context.Context, store.AppendBatch) ([]bool, error)) (dup []bool, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("append %d events: panic: %v", len(b.Events), r)
		}
	}()
	dup, err = fn(ctx, b)
	if err != nil {
		return nil, fmt.Errorf("append %d events: %w", len(b.Events), err)
	}
	return dup, nil
}

// sync calls Log.Sync, with append's panic guard.
func (c *Committer) sync(ctx context.Context) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("flush the log: panic: %v", r)
		}
	}()
	if _, err := c.unsynced.Sync(ctx); err != nil {
		return fmt.Errorf("flush the log: %w", err)
	}
	return nil
}

// The store's log is what the Committer writes to.
var _ Log = store.Log(nil)
