package segment

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestDirsOf(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		src  string
		want eventDirs
	}{
		{`performed "A" within 3d`, dirsRise},
		{`performed "A" count >= 2`, dirsRise},
		{`performed "A" count <= 2`, dirsFall},
		{`performed "A" count = 0 within 7d`, dirsBoth},
		{`not performed "A" within 7d`, dirsFall},
		{`aggregate count of "A" within 3d > 4`, dirsRise},
		{`aggregate distinct_count k of "A" < 2`, dirsFall},
		{`aggregate sum n of "A" within 4d >= 5`, dirsBoth},
		{`sequence "A" then "B" within 2d`, dirsRise},
		{`sequence "A" then not "B" within 2d`, dirsBoth},
		{`last_performed "A" time within_last 2d`, dirsBoth},
		{`channel channels ["web"] within 1d`, dirsRise},
		{`trait plan = "pro"`, dirsNone},
		{`trait plan = "pro" and performed "A"`, dirsRise},
		{`trait plan = "pro" or not performed "A"`, dirsFall},
		{`performed "A" and not performed "B"`, dirsBoth},
		{`in_segment any ["x"]`, dirsBoth},
	} {
		require.Equal(t, c.want, dirsOf(mustText(t, c.src).Root), c.src)
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

// TestEventDirsProperty checks dirsOf on random definitions, histories,
// added events (late, on time and future-dated) and instants: what
// Routing.IDsFor leaves out relies on it. A definition claimed rise-only
// and one claimed fall-only must each be refuted under the swapped claim
// on some input, or the test proves nothing.
func TestEventDirsProperty(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(7, 11))
	g := &defGen{r: r}
	kinds := map[eventDirs]int{}
	refuted := map[eventDirs]bool{}
	for range 400 {
		def := mustText(t, g.node(0))
		d := dirsOf(def.Root)
		kinds[d]++
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
				probes := make([]time.Time, 12)
				for i := range probes {
					probes[i] = t0.Add(time.Duration(r.Int64N(int64(16 * day))))
				}
				require.NoError(t, checkDirs(d, def, snap, e, probes))
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
