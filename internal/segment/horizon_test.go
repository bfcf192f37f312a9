package segment

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestHorizonHoldsValue checks, for random definitions and histories, that
// a definition keeps its value at every instant between now and the
// horizon's bound, and that EvaluateSorted agrees with Evaluate.
func TestHorizonHoldsValue(t *testing.T) {
	t.Parallel()
	bounded := 0
	for seed := range uint64(300) {
		r := rand.New(rand.NewPCG(seed, 0x40e1))
		g := &defGen{r: r}
		src := g.node(0)
		def, err := ParseText(src)
		require.NoError(t, err, src)
		h := HorizonOf([]*Definition{def}, nil)
		var evs []Event
		var traits map[string]any
		for _, it := range genStream(r, []string{"p"}, 10+r.IntN(30)) {
			if it.event != nil {
				evs = append(evs, *it.event)
			} else {
				traits = it.traits
			}
		}
		slices.SortStableFunc(evs, cmpEventTime)
		snap := Snapshot{ProfileID: "p", Traits: traits, Events: evs}
		end := evs[len(evs)-1].Timestamp.Add(6 * day)
		for range 20 {
			now := t0.Add(time.Duration(r.Int64N(int64(end.Sub(t0)))))
			want, werr := Evaluate(def, snap, now, nil)
			got, gerr := EvaluateSorted(def, snap, now, nil)
			require.Equal(t, want, got, "seed %d: %s", seed, src)
			require.Equal(t, werr == nil, gerr == nil)
			until, ok := h.Until(evs, now)
			if !ok {
				continue
			}
			bounded++
			if until.IsZero() {
				until = end.Add(30 * day)
			}
			for k := range 5 {
				at := now.Add(time.Duration(float64(until.Sub(now)) * float64(k) / 5))
				v, err := Evaluate(def, snap, at, nil)
				require.Equal(t, werr == nil, err == nil)
				require.Equal(t, want, v, fmt.Sprintf("seed %d: %s changed between %s and %s, before the bound %s",
					seed, src, now.Format(time.RFC3339), at.Format(time.RFC3339), until.Format(time.RFC3339)))
			}
			// just before the bound too
			v, _ := Evaluate(def, snap, until.Add(-time.Nanosecond), nil)
			require.Equal(t, want, v, "seed %d: %s", seed, src)
		}
	}
	require.Greater(t, bounded, 1000, "most generated definitions have a bounded horizon")
}

func TestHorizonUnbounded(t *testing.T) {
	t.Parallel()
	for _, src := range []string{
		`trait d within_last 3d`,
		`performed "A" where due within_next 1d`,
		`last_performed "A" time day_of_year`,
	} {
		def, err := ParseText(src)
		require.NoError(t, err, src)
		require.False(t, HorizonOf([]*Definition{def}, nil).Bounded, src)
	}
	def, err := ParseText(`performed "A" within 2d and trait plan = "pro"`)
	require.NoError(t, err)
	h := HorizonOf([]*Definition{def}, nil)
	require.True(t, h.Bounded)
	until, ok := h.Until([]Event{{Name: "A", Timestamp: t0}}, t0.Add(time.Hour))
	require.True(t, ok)
	require.Equal(t, t0.Add(2*day), until)
}
