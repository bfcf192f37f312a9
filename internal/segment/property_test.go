package segment

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// propertyDefs mix every time-dependent node kind.
var propertyDefs = []string{
	`performed "A" within 3d`,
	`performed "A" count >= 2 within 5d and not performed "B" within 2d`,
	`performed "B" count = 0 from 6d ago to 1d ago`,
	`sequence "A" then not "B" within 2d`,
	`sequence "A" then "B" then not "C" within 4d`,
	`aggregate sum n of "A" within 4d >= 5 or aggregate most_frequent k of "B" within 3d = "x"`,
	`last_performed "B" time within_last 2d or first_performed "A" where n > 2 time before_last 5d`,
	`channel channels ["store"] within 36h`,
	`trait d within_next 2d or trait d before_last 3d`,
}

func randomSnapshot(r *rand.Rand) Snapshot {
	n := r.IntN(12)
	events := make([]Event, n)
	for i := range events {
		at := t0.Add(time.Duration(r.IntN(10*24*3600)-8*24*3600) * time.Second)
		e := ev([]string{"A", "B", "C"}[r.IntN(3)], at, map[string]any{
			"n": float64(r.IntN(5)),
			"k": []string{"x", "y"}[r.IntN(2)],
		})
		if r.IntN(3) == 0 {
			e.Channel = "store"
		}
		events[i] = e
	}
	d := t0.Add(time.Duration(r.IntN(10*24*3600)-5*24*3600) * time.Second)
	return Snapshot{ProfileID: "p", Events: events, Traits: map[string]any{"d": d.Format(time.RFC3339)}}
}

// TestNextChangeProperty checks on random profiles that membership is
// constant from now until the instant NextChange returns and flips there.
func TestNextChangeProperty(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(1, 2))
	for _, src := range propertyDefs {
		d := mustText(t, src)
		changes, members := 0, 0
		for range 150 {
			snap := randomSnapshot(r)
			cur, err := Evaluate(d, snap, t0, nil)
			require.NoError(t, err)
			at, ok, err := NextChange(d, snap, t0, nil)
			require.NoError(t, err)
			end := t0.Add(12 * 24 * time.Hour)
			if cur {
				members++
			}
			if ok {
				changes++
				end = at
				flipped, err := Evaluate(d, snap, at, nil)
				require.NoError(t, err)
				require.NotEqual(t, cur, flipped, "%s: flips at %s", src, at)
				last, err := Evaluate(d, snap, at.Add(-time.Nanosecond), nil)
				require.NoError(t, err)
				require.Equal(t, cur, last, "%s: unchanged just before %s", src, at)
			}
			for range 20 {
				probe := t0.Add(time.Duration(r.Int64N(int64(end.Sub(t0)))))
				v, err := Evaluate(d, snap, probe, nil)
				require.NoError(t, err)
				require.Equal(t, cur, v, "%s: changed at %s before the reported %s (ok=%v)", src, probe, at, ok)
			}
		}
		// the generator must exercise both outcomes, or the test proves nothing
		require.Greater(t, changes, 15, "%s: too few time-driven changes", src)
		require.Greater(t, members, 5, "%s: too few members", src)
		require.Less(t, members, 145, "%s: too many members", src)
	}
}

// TestNegativeOperatorsAreNegations checks the documented invariant that
// each negative operator is exactly not(positive) on any value.
func TestNegativeOperatorsAreNegations(t *testing.T) {
	t.Parallel()
	values := []any{nil, "pro", "a,b", float64(3), true, []any{"pro", float64(3)}, map[string]any{"x": 1}}
	pairs := [][2]string{
		{`trait v = "pro"`, `trait v != "pro"`},
		{`trait v = 3`, `trait v != 3`},
		{`trait v in ["pro", 3]`, `trait v not_in ["pro", 3]`},
		{`trait v contains "pro"`, `trait v not_contains "pro"`},
		{`trait v exists`, `trait v not_exists`},
	}
	for _, p := range pairs {
		pos, neg := mustText(t, p[0]), mustText(t, p[1])
		for _, v := range values {
			snap := Snapshot{Traits: map[string]any{"v": v}}
			a, err := Evaluate(pos, snap, t0, nil)
			require.NoError(t, err)
			b, err := Evaluate(neg, snap, t0, nil)
			require.NoError(t, err)
			require.NotEqual(t, a, b, "%s vs %s on %#v", p[0], p[1], v)
		}
	}
}
