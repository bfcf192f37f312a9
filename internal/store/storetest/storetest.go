package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/cairn-cdp/cairn/internal/event"
	"github.com/cairn-cdp/cairn/internal/store"
)

// Opener opens a fresh, empty log and state store for one test and closes
// them in t.Cleanup.
type Opener func(t *testing.T) (store.Log, store.State)

// Run runs the whole contract suite against the stores open returns.
func Run(t *testing.T, open Opener) {
	t.Run("Log", func(t *testing.T) {
		t.Run("Append", func(t *testing.T) { runAppend(t, open) })
		t.Run("Dedupe", func(t *testing.T) { runDedupe(t, open) })
		t.Run("Read", func(t *testing.T) { runRead(t, open) })
		t.Run("Rejections", func(t *testing.T) { runRejections(t, open) })
		t.Run("Erase", func(t *testing.T) { runErase(t, open) })
	})
	t.Run("State", func(t *testing.T) {
		t.Run("Sources", func(t *testing.T) { runSources(t, open) })
		t.Run("Apply", func(t *testing.T) { runApply(t, open) })
		t.Run("Merge", func(t *testing.T) { runMerge(t, open) })
		t.Run("Timeline", func(t *testing.T) { runTimeline(t, open) })
		t.Run("Feed", func(t *testing.T) { runFeed(t, open) })
		t.Run("FindProfiles", func(t *testing.T) { runFindProfiles(t, open) })
		t.Run("Privacy", func(t *testing.T) { runPrivacy(t, open) })
		t.Run("Segments", func(t *testing.T) { runSegments(t, open) })
		t.Run("Membership", func(t *testing.T) { runMembership(t, open) })
		t.Run("Stages", func(t *testing.T) { runStages(t, open) })
		t.Run("ComputedTraits", func(t *testing.T) { runComputed(t, open) })
		t.Run("Journeys", func(t *testing.T) { runJourneys(t, open) })
		t.Run("Config", func(t *testing.T) { runConfig(t, open) })
		t.Run("Instances", func(t *testing.T) { runInstances(t, open) })
		t.Run("Delivery", func(t *testing.T) { runDelivery(t, open) })
		t.Run("DeliveryProfiles", func(t *testing.T) { runDeliveryProfiles(t, open) })
		t.Run("Outbox", func(t *testing.T) { runOutbox(t, open) })
	})
}

// t0 is the suite's epoch: microsecond-precise, as every time the suite writes.
var t0 = time.Date(2025, 3, 14, 9, 26, 53, 589793000, time.UTC)

// at returns t0 plus n seconds and n microseconds.
func at(n int) time.Time {
	return t0.Add(time.Duration(n)*time.Second + time.Duration(n)*time.Microsecond)
}

// newEvent builds a track event of source src with message id msg.
func newEvent(src, msg string, n int) *event.Event {
	return &event.Event{
		SourceID:    src,
		Channel:     "web",
		MessageID:   msg,
		Type:        event.Track,
		UserID:      fmt.Sprintf("user-%d", n%3),
		AnonymousID: fmt.Sprintf("anon-%d", n),
		Name:        "Order Completed",
		Timestamp:   at(n),
		ReceivedAt:  at(n + 1),
		SentAt:      at(n),
		Raw: []byte(fmt.Sprintf(`{"type":"track","event":"Order Completed","messageId":%q,"userId":"user-%d",`+
			`"anonymousId":"anon-%d","properties":{"total":%d.5,"note":"caf\u00e9"}}`, msg, n%3, n, n)),
	}
}

// clone copies e with Seq cleared, so the same event can be offered again.
func clone(e *event.Event) *event.Event {
	c := *e
	c.Seq = 0
	c.Raw = append([]byte(nil), e.Raw...)
	return &c
}
