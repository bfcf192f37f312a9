package segment

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestDirsOf(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		src, event string
		want       eventDirs
	}{
		{`performed "A" within 3d`, "A", dirsRise},
		{`performed "A" within 3d`, "B", dirsNone},
		{`performed "A" count >= 2`, "A", dirsRise},
		{`performed "A" count <= 2`, "A", dirsFall},
		{`performed "A" count = 0 within 7d`, "A", dirsBoth},
		{`not performed "A" within 7d`, "A", dirsFall},
		{`aggregate count of "A" within 3d > 4`, "A", dirsRise},
		{`aggregate distinct_count k of "A" < 2`, "A", dirsFall},
		{`aggregate sum n of "A" within 4d >= 5`, "A", dirsBoth},
		{`aggregate sum n of "A" within 4d >= 5`, "B", dirsNone},
		{`sequence "A" then "B" within 2d`, "B", dirsRise},
		{`sequence "A" then not "B" within 2d`, "A", dirsRise},
		{`sequence "A" then not "B" within 2d`, "B", dirsBoth},
		{`sequence "A" then not "A" within 2d`, "A", dirsBoth},
		{`last_performed "A" time within_last 2d`, "A", dirsRise},
		{`last_performed "A" time before_last 2d`, "A", dirsBoth},
		{`last_performed "A" time after "2026-01-01T00:00:00Z"`, "A", dirsRise},
		{`last_performed "A"`, "A", dirsRise},
		{`last_performed "A" has k = "x" time within_last 2d`, "A", dirsBoth},
		{`first_performed "A" time before_last 2d`, "A", dirsRise},
		{`first_performed "A" time before "2026-01-01T00:00:00Z"`, "A", dirsRise},
		{`first_performed "A" time within_last 2d`, "A", dirsBoth},
		{`not last_performed "A" time within_last 2d`, "A", dirsFall},
		{`last_performed "A" time within_last 2d`, "B", dirsNone},
		{`channel channels ["web"] within 1d`, "B", dirsRise},
		{`trait plan = "pro"`, "A", dirsNone},
		{`trait plan = "pro" and performed "A"`, "A", dirsRise},
		{`trait plan = "pro" or not performed "A"`, "A", dirsFall},
		{`performed "A" and not performed "B"`, "A", dirsRise},
		{`performed "A" and not performed "B"`, "B", dirsFall},
		{`in_segment any ["x"]`, "A", dirsBoth},
	} {
		require.Equal(t, c.want, dirsOf(mustText(t, c.src).Root, c.event), "%s, event %s", c.src, c.event)
	}
}

func TestDirsOfEvent(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		src  string
		n    any
		want eventDirs
	}{
		{`aggregate sum n of "A" within 3d >= 5`, 2.0, dirsRise},
		{`aggregate sum n of "A" within 3d >= 5`, -2.0, dirsFall},
		{`aggregate sum n of "A" within 3d < 5`, -2.0, dirsRise},
		{`aggregate sum n of "A" within 3d >= 5`, "x", dirsRise},
		{`aggregate sum n of "A" where k = "y" within 3d >= 5`, -2.0, dirsNone},
		{`aggregate max n of "A" >= 3`, -2.0, dirsRise},
		{`aggregate max n of "A" <= 3`, 2.0, dirsBoth},
		{`aggregate min n of "A" <= 3`, 9.0, dirsRise},
		{`aggregate min n of "A" >= 3`, 9.0, dirsBoth},
		{`aggregate avg n of "A" >= 3`, 9.0, dirsBoth},
		{`not aggregate sum n of "A" >= 5`, 2.0, dirsFall},
		{`aggregate sum n of "B" >= 5`, -2.0, dirsNone},
		{`performed "A" where n > 3 within 3d`, 2.0, dirsNone},
		{`performed "A" where n > 1 within 3d`, 2.0, dirsRise},
		{`last_performed "A" where k = "y" time within_last 1d`, 2.0, dirsNone},
		{`last_performed "A" has k = "x" time within_last 1d`, 2.0, dirsRise},
		{`last_performed "A" has k = "y" time within_last 1d`, 2.0, dirsBoth},
		{`first_performed "A" has n > 1 time before_last 1d`, 2.0, dirsRise},
		{`sequence "A" then not "A" where k = "y" within 1d`, 2.0, dirsRise},
		{`sequence "A" then not "A" where k = "x" within 1d`, 2.0, dirsBoth},
		{`aggregate count of "A" where n > 3 >= 2`, 2.0, dirsNone},
	} {
		e := ev("A", t0, map[string]any{"n": c.n, "k": "x"})
		require.Equal(t, c.want, dirsOfEvent(mustText(t, c.src).Root, &e), "%s, n = %v", c.src, c.n)
	}
}

// checkDirs verifies the claim of d for def: appending e to snap moves the
// value at no instant of probes in a direction d leaves out.
func checkDirs(d eventDirs, def *Definition, snap Snapshot, e Event, probes []time.Time) error {
	with := snap
	with.Events = append(slices.Clone(snap.Events), e)
	for _, t := range probes {
		before, err := Evaluate(def, snap, t, nil)
		if err != nil {
			return err
		}
		after, err := Evaluate(def, with, t, nil)
		if err != nil {
			return err
		}
		if !before && after && !d.rise {
			return fmt.Errorf("%s rose at %s when %s (%s) was added", def.Text(), t, e.Name, e.Timestamp)
		}
		if before && !after && !d.fall {
			return fmt.Errorf("%s fell at %s when %s (%s) was added", def.Text(), t, e.Name, e.Timestamp)
		}
	}
	return nil
}

// TestEventDirsProperty checks dirsOf and dirsOfEvent on random
// definitions, histories, added events (any name, values of either sign;
// late, on time and future-dated) and instants: what Routing.IDsFor
// leaves out relies on them. A definition claimed rise-only
// and one claimed fall-only must each be refuted under the swapped claim
// on some input, or the test proves nothing.
func TestEventDirsProperty(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(7, 11))
	g := &defGen{r: r}
	kinds := map[eventDirs]int{}
	refuted := map[eventDirs]bool{}
	for range 1000 {
		def := mustText(t, g.node(0))
		for range 5 {
			stream := genStream(r, []string{"p"}, 1+r.IntN(14))
			var snap Snapshot
			snap.Traits = genTraits(r, t0)
			for _, it := range stream {
				if it.event != nil {
					snap.Events = append(snap.Events, *it.event)
				}
			}
			add := genStream(r, []string{"p"}, 8)
			for _, it := range add {
				if it.event == nil {
					continue
				}
				e := *it.event
				e.Timestamp = t0.Add(time.Duration(r.Int64N(int64(12 * day))))
				if r.IntN(3) == 0 { // a negative value, which lowers a sum
					e.Properties = maps.Clone(e.Properties)
					e.Properties["n"] = -1 - float64(r.IntN(4))
				}
				d := dirsOfEvent(def.Root, &e)
				kinds[d]++
				probes := make([]time.Time, 12)
				for i := range probes {
					probes[i] = t0.Add(time.Duration(r.Int64N(int64(16 * day))))
				}
				require.NoError(t, checkDirs(d, def, snap, e, probes))
				require.NoError(t, checkDirs(dirsOf(def.Root, e.Name), def, snap, e, probes))
				if d != dirsBoth && d != dirsNone && checkDirs(eventDirs{rise: d.fall, fall: d.rise}, def, snap, e, probes) != nil {
					refuted[d] = true
				}
				break
			}
		}
	}
	t.Logf("definitions by directions: %v", kinds)
	require.True(t, refuted[dirsRise], "no rise-only definition was ever seen rising")
	require.True(t, refuted[dirsFall], "no fall-only definition was ever seen falling")
}
