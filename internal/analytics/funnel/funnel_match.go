package funnel

import (
	"time"

	"github.com/cairn-cdp/cairn/internal/analytics/lifecycle"
	"github.com/cairn-cdp/cairn/internal/segment"
)

// Funnel accumulates a funnel over histories.
type Funnel struct {
	spec     FunnelSpec
	byName   map[string][]int // event name -> steps naming it
	count    []int
	times    [][]float64 // per step, seconds from the previous step
	dropped  []Dropped
	groups   map[string]*group
	seen     map[string]bool // step event names seen
	seenProp [][]bool        // per step and filter: the field exists on some event
	anyEvent bool

	hits    []hit  // scratch
	used    []bool // scratch of attemptAny
	replay  *lifecycle.Replay
	columns []string // the model's stages, by replay column
}

type group struct {
	count []int
}

// hit is an event matching at least one step.
type hit struct {
	at   time.Time
	mask uint32
	ev   *segment.Event
}

// NewFunnel validates spec and returns an empty funnel.
func NewFunnel(spec FunnelSpec) (*Funnel, error) {
	if err := spec.Validate(); err != nil {
		return nil, err
	}
	n := len(spec.Steps)
	f := &Funnel{spec: spec, byName: map[string][]int{}, count: make([]int, n), times: make([][]float64, n),
		dropped: make([]Dropped, n), groups: map[string]*group{}, seen: map[string]bool{}, seenProp: make([][]bool, n)}
	for i, st := range spec.Steps {
		f.byName[st.Event] = append(f.byName[st.Event], i)
		f.seenProp[i] = make([]bool, len(st.Where))
	}
	for i := range f.dropped {
		f.dropped[i].Sample = []string{}
	}
	if spec.Breakdown.By == ByStage && spec.Stages != nil {
		f.replay, f.columns = lifecycle.NewReplay(spec.Stages), spec.Stages.Columns()
	}
	return f, nil
}

// Add feeds one profile's history.
func (f *Funnel) Add(h *History) {
	if len(h.Events) > 0 {
		f.anyEvent = true
	}
	f.hits = f.hits[:0]
	for i := range h.Events {
		e := &h.Events[i]
		steps, ok := f.byName[e.Name]
		if !ok {
			continue
		}
		f.seen[e.Name] = true
		var mask uint32
		for _, k := range steps {
			f.notePresent(k, e)
			if segment.MatchFilters(f.spec.Steps[k].Where, e, f.spec.Now) {
				mask |= 1 << k
			}
		}
		if mask != 0 {
			f.hits = append(f.hits, hit{at: e.Timestamp, mask: mask, ev: e})
		}
	}
	reached, at, entry := f.best()
	if reached == 0 {
		return
	}
	for k := range reached {
		f.count[k]++
		if k > 0 {
			f.times[k] = append(f.times[k], at[k].Sub(at[k-1]).Seconds())
		}
	}
	if reached < len(f.count) {
		d := &f.dropped[reached]
		d.Total++
		if len(d.Sample) < DroppedLimit {
			d.Sample = append(d.Sample, h.ProfileID)
		}
	}
	if f.spec.Breakdown.By != "" {
		var key string
		switch f.spec.Breakdown.By {
		case ByStage:
			key = f.stageAtEntry(h, entry.Timestamp)
		case BySegment:
			key = "not member"
			if f.spec.Breakdown.Members[h.ProfileID] {
				key = "member"
			}
		default:
			key = breakdownKey(f.spec.Breakdown, entry)
		}
		g := f.groups[key]
		if g == nil {
			g = &group{count: make([]int, len(f.count))}
			f.groups[key] = g
		}
		for k := range reached {
			g.count[k]++
		}
	}
}

// notePresent records that step k's filter fields exist on e.
func (f *Funnel) notePresent(k int, e *segment.Event) {
	for j, w := range f.spec.Steps[k].Where {
		if !f.seenProp[k][j] {
			f.seenProp[k][j] = (w.Context != "" && has(e.Context, w.Context)) || (w.Context == "" && has(e.Properties, w.Property))
		}
	}
}

// best tries every entry in range and returns the furthest attempt (the
// earliest among equals): steps reached, the time each was reached, and
// the entry event.
func (f *Funnel) best() (int, []time.Time, *segment.Event) {
	var (
		bestN     int
		bestAt    []time.Time
		bestEntry *segment.Event
	)
	n := len(f.spec.Steps)
	at := make([]time.Time, n)
	for i, h := range f.hits {
		if h.mask&1 == 0 || !inRange(h.at, f.spec.Since, f.spec.Until) {
			continue
		}
		var got int
		if f.spec.Order == Any {
			got = f.attemptAny(i, at)
		} else {
			got = f.attemptStrict(i, at)
		}
		if got > bestN {
			bestN, bestAt, bestEntry = got, append([]time.Time(nil), at[:got]...), h.ev
			if got == n {
				break
			}
		}
	}
	return bestN, bestAt, bestEntry
}

func (f *Funnel) attemptStrict(start int, at []time.Time) int {
	t0 := f.hits[start].at
	end := t0.Add(f.spec.Window)
	at[0] = t0
	k, cur := 1, start
	for k < len(f.spec.Steps) {
		found := false
		for j := cur + 1; j < len(f.hits) && !f.hits[j].at.After(end); j++ {
			if f.hits[j].mask&(1<<k) != 0 {
				at[k], cur, found = f.hits[j].at, j, true
				break
			}
		}
		if !found {
			break
		}
		k++
	}
	return k
}

// attemptAny gives each of steps 2..n the first unused matching event after
// the entry, within the window; step k is reached when steps 2..k all are,
// at the latest of their times.
func (f *Funnel) attemptAny(start int, at []time.Time) int {
	t0 := f.hits[start].at
	end := t0.Add(f.spec.Window)
	at[0] = t0
	f.used = append(f.used[:0], make([]bool, len(f.hits))...)
	used := f.used
	reached := t0
	for k := 1; k < len(f.spec.Steps); k++ {
		found := false
		for j := start + 1; j < len(f.hits) && !f.hits[j].at.After(end); j++ {
			if !used[j] && f.hits[j].mask&(1<<k) != 0 {
				used[j], found = true, true
				if f.hits[j].at.After(reached) {
					reached = f.hits[j].at
				}
				break
			}
		}
		if !found {
			return k
		}
		at[k] = reached
	}
	return len(f.spec.Steps)
}

// stageAtEntry is the lifecycle stage of a history when it entered at t:
// replayed with the spec's model when it has one, else recorded.
func (f *Funnel) stageAtEntry(h *History, t time.Time) string {
	if f.replay == nil {
		return stageAt(h.Events, t)
	}
	f.replay.Reset(h.ProfileID, h.Events, "")
	return f.columns[f.replay.Before(t)]
}

// stageAt is the lifecycle stage a history was in at t: the "to" of its
// latest Stage Changed event at or before t, "(none)" before any.
func stageAt(evs []segment.Event, t time.Time) string {
	stage := ""
	for i := range evs {
		e := &evs[i]
		if e.Timestamp.After(t) {
			break
		}
		if e.Name == EventStageChanged {
			if to, ok := e.Properties["to"].(string); ok {
				stage = to
			}
		}
	}
	return orNone(stage)
}
