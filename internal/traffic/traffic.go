// Package traffic watches what ingest accepts, for people: the live event
// stream of the console's debugger (Subscribe) and per-minute event counts
// per source for the overview (Series). Ingest publishes each committed
// request once; with nobody watching, a publish costs one counter update.
// Nothing here is durable: the series starts when the server does.
package traffic

import (
	"encoding/json"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cairn-cdp/cairn/internal/event"
	"github.com/cairn-cdp/cairn/internal/store"
)

// Item kinds.
const (
	Accepted  = "accepted"
	Duplicate = "duplicate" // acknowledged, already stored under its messageId
	Rejected  = "rejected"
)

// maxPayload is the largest event payload an Item carries whole.
const maxPayload = 8 << 10

// Item is one event as the debugger shows it.
type Item struct {
	Kind        string          `json:"kind"`
	SourceID    string          `json:"source_id"`
	SourceName  string          `json:"source_name"`
	Channel     string          `json:"channel,omitempty"`
	ReceivedAt  time.Time       `json:"received_at"`
	MessageID   string          `json:"message_id,omitempty"`
	Type        string          `json:"type,omitempty"`
	Event       string          `json:"event,omitempty"`
	UserID      string          `json:"user_id,omitempty"`
	AnonymousID string          `json:"anonymous_id,omitempty"`
	Payload     json.RawMessage `json:"payload,omitempty"` // the event object, or a JSON string excerpt when Truncated
	Truncated   bool            `json:"truncated,omitempty"`
	Reason      string          `json:"reason,omitempty"` // rejected: a stable reason code
	Field       string          `json:"field,omitempty"`
	Detail      string          `json:"detail,omitempty"`
	Excerpt     string          `json:"excerpt,omitempty"`
}

// Hub fans committed requests out to subscribers and counts them.
type Hub struct {
	watchers atomic.Int32
	mu       sync.Mutex
	subs     map[*Subscription]struct{}
	series   *series
}

// NewHub returns a hub keeping per-minute counts for the last window.
func NewHub(window time.Duration) *Hub {
	return &Hub{subs: map[*Subscription]struct{}{}, series: newSeries(window)}
}

// Subscription is one watcher: C receives the items of its source (all
// sources when the source id is empty). A watcher that falls behind loses
// items; Dropped tells how many since the last call.
type Subscription struct {
	C       <-chan Item
	ch      chan Item
	source  string
	dropped atomic.Int64
	hub     *Hub
	once    sync.Once
}

// Subscribe starts watching sourceID ("" for every source).
func (h *Hub) Subscribe(sourceID string) *Subscription {
	ch := make(chan Item, 256)
	s := &Subscription{C: ch, ch: ch, source: sourceID, hub: h}
	h.mu.Lock()
	h.subs[s] = struct{}{}
	h.mu.Unlock()
	h.watchers.Add(1)
	return s
}

// Dropped returns and resets the number of items lost to a full buffer.
func (s *Subscription) Dropped() int64 { return s.dropped.Swap(0) }

// Close stops the subscription.
func (s *Subscription) Close() {
	s.once.Do(func() {
		s.hub.mu.Lock()
		delete(s.hub.subs, s)
		s.hub.mu.Unlock()
		s.hub.watchers.Add(-1)
	})
}

// Publish records a committed request: its events (dup[i] marks a
// duplicate) and rejections, from src, at the time it was received.
func (h *Hub) Publish(src store.Source, events []*event.Event, dup []bool, rejections []store.Rejection, at time.Time) {
	h.series.add(src, at, len(events)+len(rejections))
	if h.watchers.Load() == 0 {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	for s := range h.subs {
		if s.source != "" && s.source != src.ID {
			continue
		}
		for i, e := range events {
			kind := Accepted
			if i < len(dup) && dup[i] {
				kind = Duplicate
			}
			s.send(itemOf(kind, src, e, at))
		}
		for _, r := range rejections {
			s.send(Item{Kind: Rejected, SourceID: src.ID, SourceName: src.Name, Channel: src.Channel, ReceivedAt: at.UTC(),
				MessageID: r.MessageID, Reason: r.Reason, Field: r.Field, Detail: r.Detail, Excerpt: r.Excerpt})
		}
	}
}

func (s *Subscription) send(it Item) {
	select {
	case s.ch <- it:
	default:
		s.dropped.Add(1)
	}
}

func itemOf(kind string, src store.Source, e *event.Event, at time.Time) Item {
	it := Item{Kind: kind, SourceID: src.ID, SourceName: src.Name, Channel: src.Channel, ReceivedAt: at.UTC(),
		MessageID: e.MessageID, Type: string(e.Type), Event: e.Name, UserID: e.UserID, AnonymousID: e.AnonymousID}
	if len(e.Raw) <= maxPayload {
		it.Payload = e.Raw
	} else {
		excerpt, _ := json.Marshal(string(e.Raw[:maxPayload]))
		it.Payload, it.Truncated = excerpt, true
	}
	return it
}
