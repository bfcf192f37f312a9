package pipeline

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/cairn-cdp/cairn/internal/event"
	"github.com/cairn-cdp/cairn/internal/journey"
	"github.com/cairn-cdp/cairn/internal/store"
	"github.com/stretchr/testify/require"
)

const cartJourney = `{"id":"cart","name":"Abandoned cart",
  "entry":{"event":{"name":"Checkout Started"},"next":"wait"},
  "nodes":[
    {"id":"wait","wait":{"branches":[{"event":{"name":"Order Completed"},"next":"thanks"}],"timeout":"1h","timeout_next":"remind"}},
    {"id":"remind","message":{"channel":"email","template":"cart"},"next":"tag"},
    {"id":"tag","update":{"set":{"cart_reminded":true},"increment":{"reminders":1}}},
    {"id":"thanks","exit":{}}]}`

func (h *segHarness) publish(t *testing.T, src string) {
	t.Helper()
	ctx := t.Context()
	d, err := journey.ParseJSON([]byte(src))
	require.NoError(t, err)
	require.NoError(t, d.Validate(nil))
	require.NoError(t, h.state.CreateJourney(ctx, store.Journey{ID: d.ID, Name: d.Name, Status: store.JourneyDraft, Draft: d.JSON(), CreatedAt: t0, UpdatedAt: t0}))
	_, err = h.state.PublishJourney(ctx, d.ID, d.JSON(), t0)
	require.NoError(t, err)
}

func (h *segHarness) instances(t *testing.T, profileID string) []store.JourneyInstance {
	t.Helper()
	rows, err := h.state.ProfileInstances(t.Context(), profileID)
	require.NoError(t, err)
	return rows
}

func TestJourneyRunsThroughTheProcessor(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	h := newSegHarness(t)
	h.publish(t, cartJourney)
	p := h.processor(t, 100)
	notified := 0
	p.SetSendNotifier(func() { notified++ })

	h.append(t, track("u1", "Checkout Started", "m1", t0), track("u2", "Checkout Started", "m2", t0))
	require.NoError(t, p.CatchUp(ctx))
	u1, u2 := h.profileOf(t, "u1"), h.profileOf(t, "u2")
	require.Len(t, h.instances(t, u1), 1)
	require.Equal(t, "wait", h.instances(t, u1)[0].Node)

	// u2 buys; u1 does not. After the timeout only u1 gets the reminder.
	h.append(t, track("u2", "Order Completed", "m3", t0.Add(time.Minute)))
	require.NoError(t, p.CatchUp(ctx))
	in2 := h.instances(t, u2)[0]
	require.Equal(t, store.InstanceExited, in2.Status)
	require.Equal(t, "thanks", in2.Node)

	h.clk.Set(t0.Add(time.Hour + time.Second))
	// A restart between the step and the timer: the timer is durable.
	p = h.processor(t, 100)
	p.SetSendNotifier(func() { notified++ })
	require.NoError(t, p.CatchUp(ctx))
	in1 := h.instances(t, u1)[0]
	require.Equal(t, "remind", in1.Node)
	due, err := h.state.DueSends(ctx, h.clk.Now(), 10)
	require.NoError(t, err)
	require.Len(t, due, 1)
	require.Equal(t, u1, due[0].ProfileID)
	require.Equal(t, "email", due[0].Channel)
	require.Equal(t, 1, notified)

	// The dispatcher's outcome moves the instance on; the update node sets traits.
	sent := track("x", journey.EventMessageSent, "sent-1", h.clk.Now())
	sent.SourceID, sent.UserID = internalSrc, ""
	sent.Raw = []byte(`{"type":"track","event":"Message Sent","messageId":"sent-1","properties":{"profile_id":"` + u1 + `","send_key":"` + due[0].Key + `"}}`)
	h.append(t, sent)
	require.NoError(t, p.CatchUp(ctx))
	in1 = h.instances(t, u1)[0]
	require.Equal(t, store.InstanceExited, in1.Status)
	require.Equal(t, journey.ExitCompleted, in1.ExitReason)
	require.NoError(t, p.CatchUp(ctx)) // the Profile Updated event
	traits, err := h.state.ProfileTraits(ctx, u1)
	require.NoError(t, err)
	got := map[string]string{}
	for _, tr := range traits {
		got[tr.Path] = string(tr.Value)
	}
	require.Equal(t, "true", got["cart_reminded"])
	require.Equal(t, "1", got["reminders"])

	// The timeline holds the journey's events.
	tl, err := h.state.Timeline(ctx, store.TimelineQuery{ProfileIDs: []string{u1}, Limit: 100})
	require.NoError(t, err)
	names := map[string]int{}
	for _, e := range tl {
		names[e.Event]++
	}
	require.Equal(t, 1, names[journey.EventEntered])
	require.Equal(t, 1, names[journey.EventExited])
	require.GreaterOrEqual(t, names[journey.EventStep], 3)
}

func TestStopJourneyEjectsEveryone(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	h := newSegHarness(t)
	h.publish(t, cartJourney)
	p := h.processor(t, 100)
	h.append(t, track("u1", "Checkout Started", "m1", t0), track("u2", "Checkout Started", "m2", t0))
	require.NoError(t, p.CatchUp(ctx))
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- p.Run(runCtx) }()
	defer func() {
		cancel()
		require.NoError(t, <-done)
	}()
	require.NoError(t, h.state.SetJourneyStatus(ctx, "cart", store.JourneyStopped, t0))
	require.NoError(t, p.StopJourney(ctx, "cart"))
	for _, u := range []string{"u1", "u2"} {
		in := h.instances(t, h.profileOf(t, u))[0]
		require.Equal(t, journey.ExitStopped, in.ExitReason)
	}
	next, ok, err := h.state.NextTimer(ctx)
	require.NoError(t, err)
	require.False(t, ok, "timers dropped, got one at %v", next)
}

// A customer waiting in a journey as an anonymous visitor keeps waiting,
// and moves on, after that visitor is merged into a known customer.
func TestJourneyTimerSurvivesAMerge(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	h := newSegHarness(t)
	h.publish(t, `{"id":"browse","name":"Browse","entry":{"event":{"name":"Product Viewed"},"next":"d"},
	  "nodes":[{"id":"d","delay":{"duration":"1h"},"next":"m"},{"id":"m","message":{"channel":"email","template":"browse","advance":"always"}}]}`)
	p := h.processor(t, 100)
	ev := func(msg, body string, at time.Time) *event.Event {
		var e event.Event
		e.SourceID, e.Channel, e.MessageID, e.Timestamp, e.ReceivedAt, e.Raw = "src_web", "web", msg, at, at, []byte(body)
		return &e
	}
	known := track("u1", "Signed Up", "s1", t0)
	h.append(t, known)
	anon := ev("v1", `{"type":"track","anonymousId":"anon-1","event":"Product Viewed","messageId":"v1"}`, t0.Add(time.Minute))
	anon.Type, anon.Name, anon.AnonymousID = event.Track, "Product Viewed", "anon-1"
	h.append(t, anon)
	require.NoError(t, p.CatchUp(ctx))
	// The visitor logs in: anon-1 and u1 are one customer now.
	link := ev("l1", `{"type":"identify","userId":"u1","anonymousId":"anon-1","messageId":"l1"}`, t0.Add(2*time.Minute))
	link.Type, link.UserID, link.AnonymousID = event.Identify, "u1", "anon-1"
	h.append(t, link)
	require.NoError(t, p.CatchUp(ctx))
	id := h.profileOf(t, "u1")
	ins := h.instances(t, id)
	require.Len(t, ins, 1, "the instance moved with the merge")
	require.Equal(t, "d", ins[0].Node)

	h.clk.Set(t0.Add(time.Hour + 2*time.Minute))
	require.NoError(t, p.CatchUp(ctx))
	due, err := h.state.DueSends(ctx, h.clk.Now(), 10)
	require.NoError(t, err)
	require.Len(t, due, 1, "the delay's timer fired for the merged customer")
	require.Equal(t, id, due[0].ProfileID)
}

// Journey timers due together over several pages each move their instance
// once, the next page's profiles, instances and traits read beside each
// commit.
func TestJourneyTimerBurstFiresPageByPage(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	h := newSegHarness(t)
	h.publish(t, cartJourney)
	p := h.processor(t, 1000)
	n := 2*timerPage + timerPage/2
	h.append(t, burstTracks(n, "Checkout Started")...)
	require.NoError(t, p.CatchUp(ctx))

	h.clk.Set(t0.Add(time.Hour + time.Second))
	p = h.processor(t, 1000) // empty caches
	require.NoError(t, p.CatchUp(ctx))
	due, err := h.state.DueSends(ctx, h.clk.Now(), 2*n)
	require.NoError(t, err)
	require.Len(t, due, n, "one reminder each")
	for _, u := range []string{"u00000", fmt.Sprintf("u%05d", timerPage), fmt.Sprintf("u%05d", n-1)} {
		in := h.instances(t, h.profileOf(t, u))
		require.Len(t, in, 1)
		require.Equal(t, "remind", in[0].Node, u)
	}
	_, ok, err := h.state.NextTimer(ctx)
	require.NoError(t, err)
	require.False(t, ok, "every timer fired and was acknowledged")
}
