package segment

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestFlipMatchesWholeSearch checks the child-by-child search of flip
// against evaluating the whole definition at every candidate instant, on
// random definitions (and, or, not at several depths over every leaf
// kind) and random histories: the same first flip without a horizon, and
// with one the same flip before it, else the horizon or, when the
// definition never flips, possibly "never".
func TestFlipMatchesWholeSearch(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(7, 11))
	g := &defGen{r: r}
	compared, flips, nested := 0, 0, 0
	for i := range 400 {
		src := g.node(0)
		def, err := ParseText(src)
		require.NoError(t, err, src)
		if def.Root.Kind() == KindAnd || def.Root.Kind() == KindOr || def.Root.Kind() == KindNot {
			nested++
		}
		for j := range 8 {
			snap := randomGenSnapshot(r)
			ev := newEvaluator(snap, nil)
			cur, err := ev.eval(def.Root, t0)
			require.NoError(t, err)
			whole, err := ev.search(def.Root, t0, cur, time.Time{}, time.Time{})
			require.NoError(t, err)
			got, err := ev.flip(def.Root, t0, cur, time.Time{})
			require.NoError(t, err)
			where := fmt.Sprintf("definition %d %q, history %d", i, src, j)
			require.Equal(t, whole.kind, got.kind, where)
			require.True(t, whole.at.Equal(got.at), "%s: whole search %s, flip %s", where, whole.at, got.at)
			compared++
			if got.kind == flipAt {
				flips++
			}
			horizon := t0.Add(time.Duration(r.Int64N(int64(6 * day))))
			bounded, err := ev.flip(def.Root, t0, cur, horizon)
			require.NoError(t, err)
			switch {
			case whole.kind == flipAt && whole.at.Before(horizon):
				require.Equal(t, flipAt, bounded.kind, where)
				require.True(t, whole.at.Equal(bounded.at), "%s: flip %s, bounded by %s: %s", where, whole.at, horizon, bounded.at)
			case bounded.kind == flipBeyond:
				require.True(t, bounded.at.Equal(horizon), where)
			default:
				require.Equal(t, flipNever, bounded.kind, where)
				require.Equal(t, flipNever, whole.kind, "%s: bounded by %s says never, the whole search flips at %s", where, horizon, whole.at)
			}
		}
	}
	// the generator must reach both outcomes through composite nodes
	require.Greater(t, nested, 80)
	require.Greater(t, flips, compared/10)
	require.Less(t, flips, compared*9/10)
}

// randomGenSnapshot is a history over the vocabulary of defGen: up to 30
// events of A–D around t0 (some in the future), and random traits.
func randomGenSnapshot(r *rand.Rand) Snapshot {
	items := genStream(r, []string{"p"}, r.IntN(30))
	var events []Event
	for _, it := range items {
		if it.event != nil {
			e := *it.event
			e.Timestamp = e.Timestamp.Add(-5 * day)
			events = append(events, e)
		}
	}
	return Snapshot{ProfileID: "p", Events: events, Traits: genTraits(r, t0)}
}
