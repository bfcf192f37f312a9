package segment

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// accDefs are computed traits of every kind, named and any-event, with and
// without filters; all are Incremental.
var accDefs = []string{
	`{"name":"n","kind":"count","event":"Buy"}`,
	`{"name":"n","kind":"count","event":""}`,
	`{"name":"s","kind":"sum","event":"Buy","property":"p"}`,
	`{"name":"s","kind":"sum","event":"Buy","property":"p","where":[{"property":"p","op":"gt","value":2}]}`,
	`{"name":"a","kind":"avg","event":"Buy","property":"p"}`,
	`{"name":"lo","kind":"min","event":"","property":"p"}`,
	`{"name":"hi","kind":"max","event":"Buy","property":"p"}`,
	`{"name":"f","kind":"first","event":"","property":"channel"}`,
	`{"name":"f","kind":"first","event":"Buy","property":"p"}`,
	`{"name":"l","kind":"last","event":"Buy","property":"timestamp"}`,
	`{"name":"l","kind":"last","event":"","property":"p","where":[{"property":"q","op":"in","value":["x","y"]}]}`,
	`{"name":"m","kind":"most_frequent","event":"","property":"channel"}`,
	`{"name":"m","kind":"most_frequent","event":"Buy","property":"p"}`,
	`{"name":"d","kind":"distinct_count","event":"Buy","property":"p"}`,
	`{"name":"u","kind":"unique_list","event":"","property":"q"}`,
}

// randomAccEvent is an event at base plus up to a day, its time often
// shared with others (ties are broken by log order), sometimes without the
// property, with numeric and string values mixed.
func randomAccEvent(r *rand.Rand, base time.Time) Event {
	names := []string{"Buy", "View", "Buy"}
	channels := []string{"web", "store", "app", "call_center"}
	props := map[string]any{}
	switch r.IntN(4) {
	case 0:
		props["p"] = float64(r.IntN(6))
	case 1:
		props["p"] = float64(r.IntN(1000)) / 7 // sums that round
	case 2:
		props["p"] = []string{"a", "b", "5"}[r.IntN(3)]
	}
	if r.IntN(2) == 0 {
		props["q"] = []string{"x", "y", "z"}[r.IntN(3)]
	}
	return Event{Type: "track", Name: names[r.IntN(len(names))], Channel: channels[r.IntN(len(channels))],
		Source: "src", Timestamp: base.Add(time.Duration(r.IntN(24)) * time.Hour), Properties: props}
}

// TestComputedAccFoldEqualsRecompute replays random histories event by
// event in log order, as the processor receives them: while the next event
// is Foldable, it is folded into the accumulator; otherwise the accumulator
// is rebuilt from the whole history (the processor's slow path). After
// every event the accumulator's value must equal ComputeValue over the
// whole history at that instant.
func TestComputedAccFoldEqualsRecompute(t *testing.T) {
	t.Parallel()
	for di, src := range accDefs {
		d := mustComputed(t, src)
		require.True(t, d.Incremental(), src)
		for seed := range uint64(60) {
			r := rand.New(rand.NewPCG(seed, uint64(di)))
			var history []Event
			var acc *ComputedAcc
			now := t0
			folded := 0
			for step := range 40 {
				now = now.Add(time.Duration(r.IntN(3)) * time.Hour)
				// Mostly recent events, some late, a few still ahead of now.
				e := randomAccEvent(r, now.Add(-time.Duration(r.IntN(30))*time.Hour))
				history = append(history, e)
				if acc != nil && acc.Foldable(&e, now) {
					acc.Fold(d, &e, now)
					folded++
				} else {
					acc, _ = NewComputedAcc(d, Snapshot{Events: history}, now)
				}
				want, wantOK, err := ComputeValue(d, Snapshot{Events: history}, now)
				require.NoError(t, err)
				if acc == nil {
					continue // a qualifying event is ahead of now: recomputed until it is not
				}
				got, gotOK := acc.Value(d)
				require.Equal(t, wantOK, gotOK, "%s seed %d step %d", src, seed, step)
				require.Equal(t, want, got, "%s seed %d step %d", src, seed, step)
			}
			// A clone folds on its own: the original keeps its value.
			if acc != nil {
				before, _ := acc.Value(d)
				c := acc.Clone()
				e := randomAccEvent(r, acc.Until().Add(time.Hour))
				e.Name = "Buy"
				c.Fold(d, &e, e.Timestamp)
				after, _ := acc.Value(d)
				require.Equal(t, before, after, "%s: folding into a clone changed the original", src)
			}
			require.Positive(t, folded+1)
		}
	}
}

func TestComputedAccRefuses(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		def  string
		evs  []Event
	}{
		{"a window", `{"name":"n","kind":"count","event":"Buy","window":{"within":"30d"}}`, nil},
		{"a filter reading the clock", `{"name":"n","kind":"count","event":"Buy","where":[{"property":"at","op":"within_last","value":"7d"}]}`, nil},
		{"a qualifying event ahead of now", `{"name":"n","kind":"count","event":"Buy"}`,
			[]Event{ev("Buy", ago(day), nil), ev("Buy", t0.Add(time.Hour), nil)}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := mustComputed(t, c.def)
			acc, ok := NewComputedAcc(d, Snapshot{Events: c.evs}, t0)
			require.False(t, ok)
			require.Nil(t, acc)
		})
	}
	// An event ahead of now that does not qualify does not stop a fold.
	d := mustComputed(t, `{"name":"n","kind":"count","event":"Buy"}`)
	acc, ok := NewComputedAcc(d, Snapshot{Events: []Event{ev("Buy", ago(day), nil), ev("View", t0.Add(time.Hour), nil)}}, t0)
	require.True(t, ok)
	v, _ := acc.Value(d)
	require.Equal(t, 1.0, v)
	require.Equal(t, ago(day), acc.Until())
	late := ev("Buy", ago(2*day), nil)
	require.False(t, acc.Foldable(&late, t0), "an event before Until cannot be folded")
	ahead := ev("Buy", t0.Add(time.Minute), nil)
	require.False(t, acc.Foldable(&ahead, t0), "an event that has not happened cannot be folded")
	tie := ev("Buy", ago(day), nil)
	require.True(t, acc.Foldable(&tie, t0), "an event at Until sorts after by log order")
}

// BenchmarkComputedAccFold is the processor's per-customer step for a
// lifetime computed trait: clone the cached accumulator, fold a batch's
// event, read the value; against recomputing it over a 50-event history
// (the history read itself, the larger cost, not included).
func BenchmarkComputedAccFold(b *testing.B) {
	history := make([]Event, 50)
	for i := range history {
		history[i] = ev("Order Completed", t0.Add(time.Duration(i)*time.Hour), map[string]any{"revenue": float64(i)})
		history[i].Channel = []string{"web", "store", "app"}[i%3]
	}
	next := ev("Order Completed", t0.Add(60*time.Hour), map[string]any{"revenue": 12.5})
	now := t0.Add(61 * time.Hour)
	for _, src := range []string{ // the built-in computed traits
		`{"name":"lifetime_revenue","kind":"sum","event":"Order Completed","property":"revenue"}`,
		`{"name":"order_count","kind":"count","event":"Order Completed"}`,
		`{"name":"last_purchase_at","kind":"last","event":"Order Completed","property":"timestamp"}`,
		`{"name":"first_seen_channel","kind":"first","event":"","property":"channel"}`,
		`{"name":"preferred_channel","kind":"most_frequent","event":"","property":"channel"}`,
	} {
		d := mustComputed(b, src)
		acc, ok := NewComputedAcc(d, Snapshot{Events: history}, now)
		if !ok {
			b.Fatal(src)
		}
		all := append(slices.Clone(history), next)
		b.Run(d.Name+"/recompute-50", func(b *testing.B) { // what a batch did before: the whole history
			b.ReportAllocs()
			for b.Loop() {
				if _, ok, err := ComputeValue(d, Snapshot{Events: all}, now); err != nil || !ok {
					b.Fatal("undefined")
				}
			}
		})
		b.Run(d.Name+"/fold", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				c := acc.Clone()
				c.Fold(d, &next, now)
				if _, ok := c.Value(d); !ok {
					b.Fatal("undefined")
				}
			}
		})
	}
}
