package pipeline

import (
	"fmt"
	"testing"
	"time"

	"github.com/cairn-cdp/cairn/internal/journey"
	"github.com/stretchr/testify/require"
)

func TestExperimentAutoWinner(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	h := newSegHarness(t)
	h.publish(t, `{"id":"exp","name":"Subject test","entry":{"event":{"name":"Go"},"next":"x"},"reentry":{"mode":"anytime"},
	  "nodes":[
	    {"id":"x","experiment":{"variants":[{"id":"A","percent":50,"next":"a"},{"id":"B","percent":50,"next":"b"}],
	      "metric":"Order Completed","window":"1d","auto_winner":true}},
	    {"id":"a","message":{"channel":"email","template":"subject-a","advance":"always"}},
	    {"id":"b","message":{"channel":"email","template":"subject-b","advance":"always"}}]}`)
	p := h.processor(t, 500)
	require.NoError(t, p.syncExperiments(ctx))
	arm := map[string]string{}
	for i := range 40 {
		u := fmt.Sprintf("u%d", i)
		h.append(t, track(u, "Go", "go-"+u, t0.Add(time.Minute)))
	}
	require.NoError(t, p.CatchUp(ctx))
	for i := range 40 {
		u := fmt.Sprintf("u%d", i)
		in := h.instances(t, h.profileOf(t, u))[0]
		a, ok := journey.InstancePath(in, "x")
		require.True(t, ok)
		arm[u] = a
	}
	// B converts, A does not (and a purchase after the window does not count).
	for u, a := range arm {
		switch a {
		case "B":
			h.append(t, track(u, "Order Completed", "buy-"+u, t0.Add(2*time.Hour)))
		case "A":
			h.append(t, track(u, "Order Completed", "late-"+u, t0.Add(3*24*time.Hour)))
		}
	}
	require.NoError(t, p.CatchUp(ctx))
	h.clk.Set(t0.Add(24*time.Hour + time.Second))
	require.NoError(t, p.CatchUp(ctx))
	w, ok := p.journeys.Load().Winner("exp", 1, "x")
	require.True(t, ok)
	require.Equal(t, "B", w)
	res, err := h.state.GetConfig(ctx, experimentConfigKind, journey.ExperimentKey("exp", 1, "x"))
	require.NoError(t, err)
	require.Contains(t, string(res.Body), `"variant":"B"`)

	// Everyone arriving after the decision takes the winner.
	for i := range 10 {
		u := fmt.Sprintf("late%d", i)
		h.append(t, track(u, "Go", "go-"+u, h.clk.Now()))
	}
	require.NoError(t, p.CatchUp(ctx))
	for i := range 10 {
		in := h.instances(t, h.profileOf(t, fmt.Sprintf("late%d", i)))[0]
		a, _ := journey.InstancePath(in, "x")
		require.Equal(t, "B", a)
	}
	// A restart keeps the decision.
	p = h.processor(t, 500)
	w, ok = p.journeys.Load().Winner("exp", 1, "x")
	require.True(t, ok)
	require.Equal(t, "B", w)
}
