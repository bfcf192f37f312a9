package pipeline

import (
	"testing"
	"time"

	"github.com/cairn-cdp/cairn/internal/journey"
	"github.com/cairn-cdp/cairn/internal/store"
	"github.com/stretchr/testify/require"
)

// welcomeNow sends an email at entry and completes.
const welcomeNow = `{"id":"hello","name":"Hello",
  "entry":{"event":{"name":"Signed Up"},"next":"mail"},
  "nodes":[{"id":"mail","message":{"channel":"email","template":"hello","advance":"always"}}]}`

// TestRebuildNeverSendsForThePast: a rebuild replays the log and re-runs
// every journey step. Whatever key form the replay derives (ids changed
// form between versions), a step from before the rebuild queues nothing
// and emits no second journey event; steps after it run as usual.
func TestRebuildNeverSendsForThePast(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	h := newSegHarness(t)
	h.publish(t, welcomeNow)
	// The rebuild starts an hour after u1 signed up.
	h.clk.Set(t0.Add(time.Hour))
	p := h.processor(t, 100)
	require.NoError(t, p.Reset(ctx))
	h.append(t, track("u1", "Signed Up", "m1", t0))
	require.NoError(t, p.CatchUp(ctx))
	u1 := h.profileOf(t, "u1")
	sends, err := h.state.ProfileSends(ctx, u1, time.Time{}, 10)
	require.NoError(t, err)
	require.Len(t, sends, 1, "the replayed step records its send")
	require.Equal(t, store.SendSkipped, sends[0].Status, "never queued")
	require.Equal(t, ReasonReplayed, sends[0].Reason)
	due, err := h.state.DueSends(ctx, h.clk.Now().Add(24*time.Hour), 10)
	require.NoError(t, err)
	require.Empty(t, due)
	require.Zero(t, h.loggedEvents(t)[journey.EventEntered], "the log has the original step's events; none appended again")
	require.Equal(t, store.InstanceExited, h.instances(t, u1)[0].Status, "the state is rebuilt all the same")

	// An event after the rebuild began is live.
	h.append(t, track("u2", "Signed Up", "m2", t0.Add(2*time.Hour)))
	h.clk.Set(t0.Add(2 * time.Hour))
	require.NoError(t, p.CatchUp(ctx))
	due, err = h.state.DueSends(ctx, h.clk.Now().Add(24*time.Hour), 10)
	require.NoError(t, err)
	require.Len(t, due, 1)
	require.Equal(t, h.profileOf(t, "u2"), due[0].ProfileID)
	require.Equal(t, 1, h.loggedEvents(t)[journey.EventEntered])
}

// TestRebuildReEmitsNoSegmentTransition: a rebuild re-derives the segment
// transitions of the past; the log already holds the ones first emitted.
// Appended again (their dedupe records pruned, or their ids of another
// form) they would reach the timeline twice and enter a segment-triggered
// journey for the past, its send queued after the rebuild began.
func TestRebuildReEmitsNoSegmentTransition(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	h := newSegHarness(t)
	h.segment(t, "viewed", `performed "Product Viewed" within 1h`)
	h.publish(t, `{"id":"hello","name":"Hello","entry":{"segment":{"id":"viewed"},"next":"mail"},
	  "nodes":[{"id":"mail","message":{"channel":"email","template":"hello","advance":"always"}}]}`)
	p := h.processor(t, 100)
	h.append(t, track("u1", "Product Viewed", "m1", t0))
	require.NoError(t, p.CatchUp(ctx))
	u1 := h.profileOf(t, "u1")
	require.Equal(t, 1, h.loggedEvents(t)[EventSegmentEntered])
	due, err := h.state.DueSends(ctx, t0.Add(24*time.Hour), 10)
	require.NoError(t, err)
	require.Len(t, due, 1, "the journey's send")
	_, err = h.log.PruneDedupe(ctx, t0.Add(48*time.Hour)) // the dedupe window has passed
	require.NoError(t, err)

	h.clk.Set(t0.Add(30 * time.Minute)) // still inside the window: the replay enters u1 again
	require.NoError(t, h.state.Reset(ctx))
	require.NoError(t, p.Reset(ctx))
	require.NoError(t, p.CatchUp(ctx))
	require.Equal(t, []string{"viewed"}, h.segmentsOf(t, u1), "membership rebuilt")
	require.Equal(t, 1, h.loggedEvents(t)[EventSegmentEntered], "the original transition only")
	require.Equal(t, []string{"Product Viewed", EventSegmentEntered, journey.EventEntered, journey.EventStep,
		journey.EventExited}, h.timeline(t, u1)[:5])
	due, err = h.state.DueSends(ctx, t0.Add(24*time.Hour), 10)
	require.NoError(t, err)
	require.Len(t, due, 1, "no second send for the past")
}
