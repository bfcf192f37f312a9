package segment

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestQualifyingMatchesScan evaluates random definitions on long random
// histories twice — keeping qualifying positions from the first event on,
// and never — at random instants, and requires the same membership and
// the same next change, unbounded and bounded by a random horizon: the
// positions are a cache, never a different answer.
func TestQualifyingMatchesScan(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(3, 5))
	g := &defGen{r: r}
	kept := 0
	for range 150 {
		def := mustText(t, g.node(0))
		var snap Snapshot
		snap.Traits = genTraits(r, t0)
		for _, it := range genStream(r, []string{"p"}, 40+r.IntN(120)) {
			if it.event != nil {
				snap.Events = append(snap.Events, *it.event)
			}
		}
		for range 6 {
			now := t0.Add(time.Duration(r.Int64N(int64(20 * day))))
			cached, scan := newEvaluator(snap, nil), newEvaluator(snap, nil)
			cached.qualMin, scan.qualMin = 0, math.MaxInt
			a, err := cached.eval(def.Root, now)
			require.NoError(t, err)
			b, err := scan.eval(def.Root, now)
			require.NoError(t, err)
			require.Equal(t, b, a, "%s at %s", def.Text(), now)
			at, ok, err := cached.nextChange(def, now, a, time.Time{})
			require.NoError(t, err)
			bt, bok, err := scan.nextChange(def, now, b, time.Time{})
			require.NoError(t, err)
			bt0, bok0 := bt, bok
			require.Equal(t, bok, ok, "%s at %s", def.Text(), now)
			require.True(t, bt.Equal(at), "%s at %s: next change %s, scanning %s", def.Text(), now, at, bt)
			horizon := now.Add(time.Duration(1 + r.Int64N(int64(4*day))))
			at, ok, err = cached.nextChange(def, now, a, horizon)
			require.NoError(t, err)
			bt, bok, err = scan.nextChange(def, now, b, horizon)
			require.NoError(t, err)
			// Bounded, an answer at the horizon only says "nothing before it";
			// the scan, which also walks events the filters refuse, says it
			// where the positions know there is nothing at all.
			before := func(at time.Time, ok bool) bool { return ok && at.Before(horizon) }
			require.Equal(t, before(bt, bok), before(at, ok), "%s at %s, horizon %s: next change %s %v, scanning %s %v", def.Text(), now, horizon, at, ok, bt, bok)
			if before(at, ok) {
				require.True(t, bt.Equal(at), "%s at %s, horizon %s: next change %s, scanning %s", def.Text(), now, horizon, at, bt)
			}
			if exact, eok := bt0, bok0; eok && !exact.Before(horizon) { // a change past the horizon is reported as the horizon
				require.True(t, ok && at.Equal(horizon), "%s at %s, horizon %s: bounded %s %v, exact %s", def.Text(), now, horizon, at, ok, exact)
			}
			if len(cached.quals) > 0 {
				kept++
			}
		}
	}
	require.Greater(t, kept, 300, "evaluations that used kept positions")
}
