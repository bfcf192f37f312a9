package journey

import (
	"fmt"
	"testing"
	"time"

	"github.com/cairn-cdp/cairn/internal/segment"
	"github.com/cairn-cdp/cairn/internal/store"
)

// benchJourney enters on Signed Up, queues a message without waiting for
// its outcome (advance always) and waits for an order with a 7-day
// timeout: the shape of BenchmarkJourneyLatency's journey in the pipeline.
const benchJourney = `{"id":"bench","name":"Bench welcome",
  "entry":{"event":{"name":"Signed Up"},"next":"hello"},
  "nodes":[
    {"id":"hello","message":{"channel":"email","template":"welcome","advance":"always"},"next":"wait"},
    {"id":"wait","wait":{"branches":[{"event":{"name":"Order Completed"},"next":"done"}],"timeout":"7d","timeout_next":"done"}},
    {"id":"done","exit":{}}]}`

// benchDelayJourney holds every entrant on a 1-day delay, then sends and
// completes: the shape of BenchmarkJourneyTimers' journey.
const benchDelayJourney = `{"id":"later","name":"Bench delay",
  "entry":{"event":{"name":"Signed Up"},"next":"pause"},
  "nodes":[
    {"id":"pause","delay":{"duration":"1d"},"next":"hello"},
    {"id":"hello","message":{"channel":"email","template":"welcome","advance":"always"}}]}`

// benchCatalog loads n live journeys: the given ones plus filler journeys
// entering on events the benchmarks never send.
func benchCatalog(b *testing.B, n int, defs ...string) *Catalog {
	b.Helper()
	var (
		js []store.Journey
		vs []*Version
	)
	for i := len(defs); i < n; i++ {
		defs = append(defs, fmt.Sprintf(`{"id":"filler%d","name":"f","entry":{"event":{"name":"Filler %d"},"next":"x"},
		  "nodes":[{"id":"x","wait":{"branches":[{"event":{"name":"Filler Done %d"},"next":"y"}],"timeout":"1d","timeout_next":"y"}},{"id":"y","exit":{}}]}`, i, i, i))
	}
	for _, src := range defs {
		d, err := ParseJSON([]byte(src))
		if err != nil {
			b.Fatal(err)
		}
		if err := d.Validate(nil); err != nil {
			b.Fatal(err)
		}
		js = append(js, store.Journey{ID: d.ID, Status: store.JourneyLive, LiveVersion: 1})
		vs = append(vs, &Version{JourneyID: d.ID, Number: 1, Def: d})
	}
	return NewCatalog(js, vs)
}

func benchProfile(id string) Profile {
	traits := map[string]any{"email": id + "@nto.example", "lifecycle_stage": "lead"}
	return Profile{ID: id, Snapshot: func() (segment.Snapshot, error) {
		return segment.Snapshot{ProfileID: id, Traits: traits}, nil
	}}
}

func signedUp(msg string, at time.Time) *Event {
	return &Event{MessageID: msg, Event: segment.Event{Type: "track", Name: "Signed Up", Timestamp: at,
		Properties: map[string]any{"plan": "free", "n": 1.0}}}
}

// BenchmarkSessionEntry is one customer's session for one entry event: a
// new instance, a queued message (advance always) and a wait with a
// timeout timer, then Effects (instance row encoded, timer, send, three
// timeline events), with 1 or 20 live journeys loaded.
func BenchmarkSessionEntry(b *testing.B) {
	for _, n := range []int{1, 20} {
		b.Run(fmt.Sprintf("journeys=%d", n), func(b *testing.B) {
			cat := benchCatalog(b, n, benchJourney)
			prof := benchProfile("p1")
			ev := signedUp("m1", t0)
			b.ReportAllocs()
			for b.Loop() {
				s, err := NewSession(cat, t0, prof, nil)
				if err != nil {
					b.Fatal(err)
				}
				if err := s.Event(ev); err != nil {
					b.Fatal(err)
				}
				fx, err := s.Effects()
				if err != nil {
					b.Fatal(err)
				}
				if len(fx.Sends) != 1 || len(fx.Timers) != 1 || len(fx.Instances) != 1 {
					b.Fatalf("effects: %d sends, %d timers, %d instances", len(fx.Sends), len(fx.Timers), len(fx.Instances))
				}
			}
		})
	}
}

// BenchmarkSessionTimer is one fired delay timer: the session decodes the
// waiting instance's row, moves it to the message node (a send) and
// completes it, then Effects.
func BenchmarkSessionTimer(b *testing.B) {
	cat := benchCatalog(b, 1, benchDelayJourney)
	prof := benchProfile("p1")
	s, err := NewSession(cat, t0, prof, nil)
	if err != nil {
		b.Fatal(err)
	}
	if err := s.Event(signedUp("m1", t0)); err != nil {
		b.Fatal(err)
	}
	fx, err := s.Effects()
	if err != nil {
		b.Fatal(err)
	}
	if len(fx.Timers) != 1 || len(fx.Instances) != 1 {
		b.Fatalf("entry effects: %d timers, %d instances", len(fx.Timers), len(fx.Instances))
	}
	rows, timer := fx.Instances, fx.Timers[0]
	fire := timer.FireAt
	b.ReportAllocs()
	for b.Loop() {
		s, err := NewSession(cat, fire, prof, rows)
		if err != nil {
			b.Fatal(err)
		}
		if err := s.Timer(timer); err != nil {
			b.Fatal(err)
		}
		fx, err := s.Effects()
		if err != nil {
			b.Fatal(err)
		}
		if len(fx.Sends) != 1 || fx.Instances[0].Status != store.InstanceExited {
			b.Fatalf("timer effects: %d sends, status %s", len(fx.Sends), fx.Instances[0].Status)
		}
	}
}

// BenchmarkCatalogRelevant is the filter every processed event passes:
// an event no journey reacts to (the common case), with 1 and 100 live
// journeys, and the Session.Event call that returns early on it.
func BenchmarkCatalogRelevant(b *testing.B) {
	for _, n := range []int{1, 100} {
		cat := benchCatalog(b, n, benchJourney)
		b.Run(fmt.Sprintf("journeys=%d", n), func(b *testing.B) {
			if cat.Relevant("Product Viewed", "") {
				b.Fatal("Product Viewed is relevant")
			}
			b.ReportAllocs()
			for b.Loop() {
				if cat.Relevant("Product Viewed", "") {
					b.Fatal("relevant")
				}
			}
		})
	}
	b.Run("session_event", func(b *testing.B) {
		cat := benchCatalog(b, 100, benchJourney)
		s, err := NewSession(cat, t0, benchProfile("p1"), nil)
		if err != nil {
			b.Fatal(err)
		}
		ev := &Event{MessageID: "m2", Event: segment.Event{Type: "track", Name: "Product Viewed", Timestamp: t0,
			Properties: map[string]any{"product_id": "P-1"}}}
		b.ReportAllocs()
		for b.Loop() {
			if err := s.Event(ev); err != nil {
				b.Fatal(err)
			}
		}
		if fx, _ := s.Effects(); len(fx.Events) != 0 {
			b.Fatalf("an irrelevant event had %d effects", len(fx.Events))
		}
	})
}
