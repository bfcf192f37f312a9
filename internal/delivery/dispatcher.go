package delivery

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cairn-cdp/cairn/internal/channel"
	"github.com/cairn-cdp/cairn/internal/clock"
	"github.com/cairn-cdp/cairn/internal/event"
	"github.com/cairn-cdp/cairn/internal/journey"
	"github.com/cairn-cdp/cairn/internal/policy"
	"github.com/cairn-cdp/cairn/internal/store"
	"github.com/cairn-cdp/cairn/internal/template"
	"github.com/prometheus/client_golang/prometheus"
)

// Store is what the dispatcher reads and writes.
type Store interface {
	DueSends(ctx context.Context, now time.Time, limit int) ([]store.Send, error)
	NextSendDue(ctx context.Context) (time.Time, bool, error)
	SendsByStatus(ctx context.Context, status string, limit int) ([]store.Send, error)
	UpdateSend(ctx context.Context, u store.SendUpdate) error
	ProfileSends(ctx context.Context, profileID string, since time.Time, limit int) ([]store.Send, error)
	ProfileTraits(ctx context.Context, profileID string) ([]store.Trait, error)
	ProfileIdentities(ctx context.Context, profileID string) ([]store.Identity, error)
	GetConfig(ctx context.Context, kind, id string) (store.ConfigObject, error)
	ListConfig(ctx context.Context, kind string) ([]store.ConfigObject, error)
	Subscriptions(ctx context.Context, profileID string) ([]store.Subscription, error)
	Suppressed(ctx context.Context, channel, address string) (store.Suppression, error)
	GetSend(ctx context.Context, key string) (store.Send, error)
	SendByProviderID(ctx context.Context, channel, providerID string) (store.Send, error)
	PendingEvents(ctx context.Context, limit int) ([]store.Send, error)
	LookupIdentities(ctx context.Context, keys []store.IdentityKey) ([]store.Identity, error)
	ClearPendingEvents(ctx context.Context, list []store.PendingClear) error
	AddEngagement(ctx context.Context, e store.Engagement) error
	SetSubscription(ctx context.Context, s store.Subscription) error
	AddSuppression(ctx context.Context, s store.Suppression) error
}

// Recorder appends events to the log.
type Recorder interface {
	Append(ctx context.Context, b store.AppendBatch) (dup []bool, err error)
}

// Templates finds compiled templates.
type Templates interface {
	// Compiled returns a stored template, compiled (cached by the caller's choice).
	Compiled(ctx context.Context, id string) (*template.Compiled, error)
	// Inline compiles an inline body of a channel (webhook nodes).
	Inline(channel, body string) (*template.Compiled, error)
}

// RateLimits is optionally implemented by Senders: a provider's send rate
// (messages per second, 0 = unlimited) and burst.
type RateLimits interface {
	RateLimit(ctx context.Context, channelID string) (perSecond float64, burst int)
}

// Senders finds the adapter of a configured channel.
type Senders interface {
	// Sender returns the adapter and the channel's kind (email, sms, ...).
	Sender(ctx context.Context, channelID string) (channel.Sender, channel.Kind, error)
}

// Config tunes the dispatcher.
type Config struct {
	InternalSource string        // source id of the events the dispatcher appends
	PublicURL      string        // base URL of tracking and unsubscribe links
	Secret         []byte        // signs unsubscribe links
	Poll           time.Duration // idle re-check (default 1s)
	Page           int           // sends per round (default 200)
	// Concurrency is how many customers' sends one round delivers at once
	// (default 16): providers answer in tens to hundreds of milliseconds,
	// so one send at a time would cap a channel at a few per second. One
	// customer's sends stay in order on one worker, so caps, quiet hours
	// and consent see each other's outcomes.
	Concurrency int
}

// Dispatcher delivers queued sends.
type Dispatcher struct {
	cfg     Config
	st      Store
	rec     Recorder
	tpls    Templates
	senders Senders
	clk     clock.Clock
	logger  *slog.Logger
	notify  chan struct{}
	metrics *metrics

	pendingDirty atomic.Bool // an outcome event could not be appended: flush before the next round

	settledMu sync.Mutex
	settled   []store.PendingClear // outcome events in the log still held by their sends (clearSettled)

	rateMu   sync.Mutex
	limiters map[string]*rateLimiter // channel id → its provider's pacing
	reserved map[string]time.Time    // send key → the rate slot it holds
}

type rateLimiter struct {
	perSecond float64
	burst     int
	l         *policy.Limiter
}

// New returns a dispatcher.
func New(cfg Config, st Store, rec Recorder, t Templates, s Senders, clk clock.Clock, logger *slog.Logger, reg prometheus.Registerer) *Dispatcher {
	if cfg.Poll <= 0 {
		cfg.Poll = time.Second
	}
	if cfg.Page <= 0 {
		cfg.Page = 200
	}
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = 16
	}
	return &Dispatcher{cfg: cfg, st: st, rec: rec, tpls: t, senders: s, clk: clk, logger: logger,
		notify: make(chan struct{}, 1), metrics: newMetrics(reg),
		limiters: map[string]*rateLimiter{}, reserved: map[string]time.Time{}}
}

// Notify wakes the dispatcher (new sends were queued). It never blocks.
func (d *Dispatcher) Notify() {
	select {
	case d.notify <- struct{}{}:
	default:
	}
}

// Run recovers sends a crash left attempting, then delivers until ctx ends.
func (d *Dispatcher) Run(ctx context.Context) error {
	if err := d.Recover(ctx); err != nil {
		if ctx.Err() != nil {
			return nil // stopped during recovery: the next start recovers
		}
		return err
	}
	for ctx.Err() == nil {
		n, err := d.Round(ctx)
		if err != nil {
			d.logger.Error("dispatch sends", slog.Any("error", err))
		}
		if n > 0 && err == nil {
			continue
		}
		var timer <-chan time.Time
		if err == nil { // after an error, wait for the poll: no hot loop
			if at, ok, err := d.st.NextSendDue(ctx); err == nil && ok {
				// A send that fell due since the round fires at once (wait <= 0).
				timer = d.clk.After(at.Sub(d.clk.Now()))
			}
		}
		select {
		case <-ctx.Done():
		case <-d.notify:
		case <-timer:
		case <-time.After(d.cfg.Poll): // operational poll, also under a manual clock
		}
	}
	return nil
}

// Round delivers one page of due sends and returns how many it handled.
func (d *Dispatcher) Round(ctx context.Context) (int, error) {
	if d.pendingDirty.Load() {
		if err := d.flushPending(ctx); err != nil {
			return 0, err
		}
	}
	due, err := d.st.DueSends(ctx, d.clk.Now(), d.cfg.Page)
	if err != nil {
		return 0, fmt.Errorf("read due sends: %w", err)
	}
	// One work item per customer, in the order their first send is due.
	var order []string
	per := map[string][]store.Send{}
	for _, s := range due {
		if _, ok := per[s.ProfileID]; !ok {
			order = append(order, s.ProfileID)
		}
		per[s.ProfileID] = append(per[s.ProfileID], s)
	}
	work := make(chan []store.Send)
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	for range min(d.cfg.Concurrency, len(order)) {
		wg.Go(func() {
			for sends := range work {
				for _, s := range sends {
					if err := d.deliverSafe(ctx, s); err != nil {
						mu.Lock()
						errs = append(errs, fmt.Errorf("deliver send %s: %w", s.Key, err))
						mu.Unlock()
						break // keep this customer's later sends in order: retry them next round
					}
				}
			}
		})
	}
	for _, id := range order {
		work <- per[id]
	}
	close(work)
	wg.Wait()
	errs = append(errs, d.clearSettled(ctx))
	return len(due), errors.Join(errs...)
}

// settle notes that a send's outcome event is in the log; clearSettled
// clears the notes of a round in one write. Until then a crash only costs
// a deduplicated re-append (flushPending).
func (d *Dispatcher) settle(key string, event []byte) {
	d.settledMu.Lock()
	d.settled = append(d.settled, store.PendingClear{Key: key, Event: event})
	d.settledMu.Unlock()
}

// clearSettled clears the pending events settle noted.
func (d *Dispatcher) clearSettled(ctx context.Context) error {
	d.settledMu.Lock()
	list := d.settled
	d.settled = nil
	d.settledMu.Unlock()
	if err := d.st.ClearPendingEvents(ctx, list); err != nil {
		d.pendingDirty.Store(true) // flushPending re-appends (deduplicated) and clears them
		return err
	}
	return nil
}

// deliverSafe runs deliver and turns a panic into an error, so one bad
// send cannot take the dispatcher down.
func (d *Dispatcher) deliverSafe(ctx context.Context, s store.Send) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	return d.deliver(ctx, s)
}

// outcome settles a send and appends its timeline event, stamped with the
// recipient's lifecycle stage (read once, by the caller).
func (d *Dispatcher) outcome(ctx context.Context, s store.Send, p *journey.SendPayload, stage, status, reason, providerID, to string, extra map[string]any) error {
	now := d.clk.Now()
	name := journey.EventMessageSent
	switch status {
	case store.SendSkipped:
		name = journey.EventMessageSkipped
	case store.SendFailed:
		name = journey.EventMessageFailed
	}
	props := map[string]any{
		"profile_id": s.ProfileID, "send_key": s.Key, "channel": s.Channel, "template": s.TemplateID,
		"journey_id": s.JourneyID, "journey_version": s.Version, "instance_id": s.InstanceID, "node_id": s.NodeID,
	}
	if reason != "" {
		props["reason"] = reason
	}
	if providerID != "" {
		props["provider_id"] = providerID
	}
	if stage != "" {
		props["lifecycle_stage"] = stage
	}
	if p != nil {
		if len(p.Paths) > 0 {
			props["paths"] = p.Paths
		}
		if p.Holdout {
			props["holdout"] = true
		}
		if p.Transactional {
			props["transactional"] = true
		}
	}
	for k, v := range extra {
		props[k] = v
	}
	ev, err := d.event(name, s.Key+"/"+status, now, props)
	if err != nil {
		return err
	}
	// The outcome and the event announcing it commit together: the event is
	// kept on the send until it is in the log, so a crash in between cannot
	// leave a journey waiting forever for a send that was settled.
	u := store.SendUpdate{Key: s.Key, Status: status, Reason: reason, ProviderID: providerID, To: to, At: now}
	if ev != nil {
		u.Event = ev.Raw
	}
	if status == store.SendSent || status == store.SendUnknown {
		u.SentAt = &now
	}
	if err := d.st.UpdateSend(ctx, u); err != nil {
		return fmt.Errorf("record %s: %w", status, err)
	}
	d.metrics.outcomes.WithLabelValues(s.Channel, status, reasonCode(reason)).Inc()
	if ev == nil {
		return nil
	}
	if _, err := d.rec.Append(ctx, store.AppendBatch{Events: []*event.Event{ev}}); err != nil {
		d.pendingDirty.Store(true) // flushed by the next round
		return fmt.Errorf("append %s: %w", name, err)
	}
	d.settle(s.Key, ev.Raw)
	return nil
}

// event builds a timeline event of the internal source; nil when the
// dispatcher appends no events (no recorder).
func (d *Dispatcher) event(name, idSeed string, at time.Time, props map[string]any) (*event.Event, error) {
	if d.rec == nil || d.cfg.InternalSource == "" {
		return nil, nil //nolint:nilnil // nil event: nothing to append
	}
	mid := "md_" + digest(idSeed)
	raw, err := json.Marshal(map[string]any{
		"type": "track", "event": name, "messageId": mid, "timestamp": at, "receivedAt": at,
		"properties": props, "context": map[string]any{"library": map[string]any{"name": "cairn"}},
	})
	if err != nil {
		return nil, fmt.Errorf("encode %s: %w", name, err)
	}
	return &event.Event{SourceID: d.cfg.InternalSource, Channel: "server", MessageID: mid, Type: event.Track,
		Name: name, Timestamp: at, ReceivedAt: at, Raw: raw}, nil
}

// flushPending appends the outcome events a crash or a failed append left
// on their sends (the log deduplicates any that did get in) and clears
// them, a page at a time.
func (d *Dispatcher) flushPending(ctx context.Context) error {
	if d.rec == nil {
		return nil
	}
	if err := d.clearSettled(ctx); err != nil {
		return err
	}
	for {
		list, err := d.st.PendingEvents(ctx, d.cfg.Page)
		if err != nil {
			return fmt.Errorf("read pending send events: %w", err)
		}
		evs := make([]*event.Event, 0, len(list))
		clears := make([]store.PendingClear, 0, len(list))
		for _, s := range list {
			clears = append(clears, store.PendingClear{Key: s.Key, Event: s.PendingEvent})
			var body struct {
				Event      string    `json:"event"`
				MessageID  string    `json:"messageId"`
				Timestamp  time.Time `json:"timestamp"`
				ReceivedAt time.Time `json:"receivedAt"`
			}
			if err := json.Unmarshal(s.PendingEvent, &body); err != nil || body.MessageID == "" {
				d.logger.Error("drop an unreadable pending send event", slog.String("send_key", s.Key), slog.Any("error", err))
				continue
			}
			evs = append(evs, &event.Event{SourceID: d.cfg.InternalSource, Channel: "server", MessageID: body.MessageID, Type: event.Track,
				Name: body.Event, Timestamp: body.Timestamp, ReceivedAt: body.ReceivedAt, Raw: s.PendingEvent})
		}
		if len(evs) > 0 {
			if _, err := d.rec.Append(ctx, store.AppendBatch{Events: evs}); err != nil {
				return fmt.Errorf("append %d pending send events: %w", len(evs), err)
			}
		}
		if err := d.st.ClearPendingEvents(ctx, clears); err != nil {
			return err
		}
		if len(list) < d.cfg.Page {
			d.pendingDirty.Store(false)
			return nil
		}
	}
}

func (d *Dispatcher) append(ctx context.Context, name, idSeed string, at time.Time, props map[string]any) error {
	ev, err := d.event(name, idSeed, at, props)
	if err != nil || ev == nil {
		return err
	}
	if _, err := d.rec.Append(ctx, store.AppendBatch{Events: []*event.Event{ev}}); err != nil {
		return fmt.Errorf("append %s: %w", name, err)
	}
	return nil
}
