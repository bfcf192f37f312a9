package audience

import (
	"context"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/cairn-cdp/cairn/internal/clock"
)

// Refresher is what Debouncer drives (Exporter implements it).
type Refresher interface {
	Refresh(ctx context.Context, segmentID string) (Stats, error)
}

// Debouncer turns a stream of membership changes into few refreshes:
// Notify marks a segment changed; Run refreshes it once no change came for
// Quiet, or MaxWait after the first unrefreshed change, whichever is
// first. A failed refresh is retried after Quiet.
type Debouncer struct {
	r       Refresher
	quiet   time.Duration
	maxWait time.Duration
	clk     clock.Clock
	log     *slog.Logger

	mu      sync.Mutex
	pending map[string]pendingRefresh
	kick    chan struct{}
}

type pendingRefresh struct{ first, last time.Time }

// Defaults of NewDebouncer.
const (
	DefaultQuiet   = 30 * time.Second
	DefaultMaxWait = 10 * time.Minute
)

// NewDebouncer returns a Debouncer of r. Zero durations take the
// defaults; maxWait is at least quiet. A nil clock is the wall clock, a
// nil logger discards.
func NewDebouncer(r Refresher, quiet, maxWait time.Duration, clk clock.Clock, logger *slog.Logger) *Debouncer {
	if quiet <= 0 {
		quiet = DefaultQuiet
	}
	if maxWait <= 0 {
		maxWait = DefaultMaxWait
	}
	maxWait = max(maxWait, quiet)
	if clk == nil {
		clk = clock.Real{}
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Debouncer{r: r, quiet: quiet, maxWait: maxWait, clk: clk, log: logger,
		pending: map[string]pendingRefresh{}, kick: make(chan struct{}, 1)}
}

// Notify records that a segment's membership changed. It never blocks.
func (d *Debouncer) Notify(segmentID string) {
	now := d.clk.Now()
	d.mu.Lock()
	p, ok := d.pending[segmentID]
	if !ok {
		p.first = now
	}
	p.last = now
	d.pending[segmentID] = p
	d.mu.Unlock()
	select {
	case d.kick <- struct{}{}:
	default:
	}
}

// Pending lists the segments waiting for a refresh, sorted.
func (d *Debouncer) Pending() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := make([]string, 0, len(d.pending))
	for id := range d.pending {
		out = append(out, id)
	}
	slices.Sort(out)
	return out
}

// Run refreshes due segments until ctx is done.
func (d *Debouncer) Run(ctx context.Context) error {
	for {
		due, wait := d.due()
		for _, id := range due {
			if _, err := d.r.Refresh(ctx, id); err != nil {
				if ctx.Err() != nil {
					return nil
				}
				d.log.Error("refresh a segment audience", slog.String("segment_id", id), slog.Any("error", err))
				d.retry(id)
			}
		}
		if len(due) > 0 {
			continue
		}
		var timer <-chan time.Time
		if wait > 0 {
			timer = d.clk.After(wait)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-d.kick:
		case <-timer:
		}
	}
}

// due takes the segments due now off the pending set, and tells how long
// until the next one is due (0: nothing pending).
func (d *Debouncer) due() ([]string, time.Duration) {
	now := d.clk.Now()
	d.mu.Lock()
	defer d.mu.Unlock()
	var (
		ids  []string
		next time.Duration
	)
	for id, p := range d.pending {
		at := p.last.Add(d.quiet)
		if limit := p.first.Add(d.maxWait); limit.Before(at) {
			at = limit
		}
		if !at.After(now) {
			ids = append(ids, id)
			delete(d.pending, id)
			continue
		}
		if w := at.Sub(now); next == 0 || w < next {
			next = w
		}
	}
	slices.Sort(ids)
	return ids, next
}

// retry puts a failed segment back, due after Quiet unless it changed again.
func (d *Debouncer) retry(id string) {
	now := d.clk.Now()
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, ok := d.pending[id]; !ok {
		d.pending[id] = pendingRefresh{first: now, last: now}
	}
}
